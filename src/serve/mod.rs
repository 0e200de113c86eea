//! `serve` and `build --watch`: rebuild on every change, and for `serve`, preview the
//! site on a local HTTP server that reloads open pages and shows build errors in them.
//!
//! State is explicit: one `Session` (the incremental build) owned by the rebuild
//! thread, and one `Shared` (the last good site and the event channel) read by the
//! HTTP handlers. The library reports through a [`Reporter`]; it never prints.

mod hosts;
mod http;
mod messages;
pub(crate) mod watch;

use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::render::RenderedSite;
use crate::{BuildOptions, BuildReport, Mode, Session};
use anyhow::Context as _;
use bytes::Bytes;
use rustc_hash::FxHashMap as HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;

/// How long to wait for further saves after the first before rebuilding.
const SETTLE: Duration = Duration::from_millis(10);

/// What `serve` needs besides the build options.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// How each rebuild is made.
    pub build: BuildOptions,
    /// The address to listen on (loopback unless asked otherwise).
    pub bind: IpAddr,
    /// 0 lets the system pick a free port (tests).
    pub port: u16,
    /// Poll the file system instead of waiting for change events.
    pub poll: bool,
}

/// Where `serve` and `build --watch` tell the user what happens; implemented by the
/// binary (the terminal) and by tests.
pub trait Reporter: Send + Sync {
    /// The server is listening at `url`.
    fn listening(&self, url: &str);
    /// Something the user should know that is not a diagnostic.
    fn warning(&self, message: &str);
    /// Before `build --watch` waits for another build of `output` (`who`, e.g.
    /// `process 4711`) to finish.
    fn waiting(&self, _output: &Path, _who: &str) {}
    /// After every build: its diagnostics, what changed and how much was redone.
    fn built(&self, outcome: &Outcome);
}

/// The result of one (re)build, for the reporter.
#[derive(Debug)]
pub struct Outcome {
    /// The report of the run.
    pub report: BuildReport,
    /// The changed files that triggered it; empty for the first build.
    pub changed: Vec<PathBuf>,
}

/// One site version as the server sees it: every file by output path, or the errors
/// of the build that failed after it.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    /// By output path; FxHash, as the keys are paths the build made (a request only
    /// looks one up), and the maps are made again after every save.
    files: Arc<HashMap<String, Bytes>>,
    /// Files read when asked for (share cards and press kits, in the site's caches),
    /// by output path.
    on_disk: Arc<HashMap<String, PathBuf>>,
    base_path: String,
    /// The current build's errors, rendered; empty when it succeeded.
    errors: Vec<String>,
    /// What the last good build hid (drafts, embargoed releases), said on its 404 page:
    /// the preview answers a draft's address like any unknown one.
    hidden: Option<String>,
    /// The site's default language, for the preview's own words (`messages`).
    lang: String,
    /// Counts good builds; pages carry the one they were served from, so a page that
    /// connects after a rebuild notices it missed one.
    generation: u64,
}

impl Snapshot {
    fn failure_json(&self) -> Option<String> {
        (!self.errors.is_empty()).then(|| {
            let list: Vec<_> = self
                .errors
                .iter()
                .map(|t| serde_json::json!({ "text": t }))
                .collect();
            serde_json::Value::Array(list).to_string()
        })
    }
}

/// What the HTTP handlers share with the rebuild thread.
pub(crate) struct Shared {
    current: RwLock<Arc<Snapshot>>,
    events: broadcast::Sender<Message>,
}

#[derive(Debug, Clone)]
struct Message {
    name: &'static str,
    data: String,
}

impl Shared {
    fn new() -> Self {
        Self {
            current: RwLock::new(Arc::new(Snapshot::default())),
            events: broadcast::channel(16).0,
        }
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A good build replaces the site; a failed one keeps it and records the errors.
    fn publish(&self, site: Option<RenderedSite>, report: &BuildReport) {
        let diagnostics = &report.diagnostics;
        let previous = self.snapshot();
        let next = match site {
            Some(site) => Snapshot {
                base_path: site.base_path.clone(),
                files: Arc::new(
                    site.files
                        .into_iter()
                        .map(|f| (f.path, f.contents))
                        .collect(),
                ),
                on_disk: Arc::new(site.on_disk.into_iter().collect()),
                errors: Vec::new(),
                hidden: report.hidden.note(&report.language),
                lang: report.language.clone(),
                generation: previous.generation + 1,
            },
            None => Snapshot {
                generation: previous.generation,
                files: previous.files.clone(),
                on_disk: previous.on_disk.clone(),
                base_path: previous.base_path.clone(),
                hidden: previous.hidden.clone(),
                lang: match report.language.as_str() {
                    "" => previous.lang.clone(),
                    lang => lang.to_owned(),
                },
                errors: diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(Diagnostic::render)
                    .collect(),
            },
        };
        let message = match next.failure_json() {
            Some(json) => Message {
                name: "failed",
                data: json,
            },
            // Browsers drop events without data: the generation is the payload.
            None => Message {
                name: "reload",
                data: next.generation.to_string(),
            },
        };
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
        let _ = self.events.send(message);
    }
}

/// Builds, serves on `bind:port` and rebuilds on every change until interrupted.
pub fn serve(opts: ServeOptions, reporter: Arc<dyn Reporter>) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port))
            .await
            .with_context(|| {
                format!(
                    "cannot listen on {}:{} (is the port taken? pass --port)",
                    opts.bind, opts.port
                )
            })?;
        let addr = listener.local_addr()?;
        if !opts.bind.is_loopback() {
            reporter.warning(&format!(
                "serving on {} makes the preview reachable from other machines",
                opts.bind
            ));
        }
        let host = if opts.bind.is_unspecified() {
            IpAddr::from([127, 0, 0, 1])
        } else {
            opts.bind
        };
        let mut build = opts.build.clone();
        build.local_origin = Some(format!("http://{}", SocketAddr::new(host, addr.port())));
        let output = build.output_dir();
        let (watcher, changes) = watch::watch(&build.root, &output, opts.poll)?;
        let shared = Arc::new(Shared::new());
        let mut session = Session::new(build);
        let first = rebuild(&mut session, (Vec::new(), opts.poll), &shared);
        let base_path = shared.snapshot().base_path.clone();
        reporter.built(&first);
        reporter.listening(&format!(
            "http://{}{}",
            SocketAddr::new(host, addr.port()),
            if base_path.is_empty() {
                "/"
            } else {
                &base_path
            }
        ));
        let thread_shared = shared.clone();
        let thread_reporter = reporter.clone();
        std::thread::spawn(move || {
            let mut watcher = watcher;
            while let Some(changed) = watch::next_change(&watcher, &changes, SETTLE) {
                refresh(&mut watcher, &changed, thread_reporter.as_ref());
                if session.already_built(&changed) {
                    continue;
                }
                let outcome = rebuild(&mut session, (changed, opts.poll), &thread_shared);
                thread_reporter.built(&outcome);
            }
        });
        axum::serve(
            listener,
            http::router(shared, hosts::HostPolicy::new(opts.bind)),
        )
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
        Ok(())
    })
}

/// One rebuild in memory, published to the server.
fn rebuild(
    session: &mut Session,
    (changed, poll): (Vec<PathBuf>, bool),
    shared: &Shared,
) -> Outcome {
    let mut report = run(session, &changed, poll);
    let site = report.site.take();
    shared.publish(site, &report);
    Outcome { report, changed }
}

/// `build --watch`: builds into the output folder now and after every change. The
/// site is made as `serve` makes it (kept in memory, so a saved text is patched), then
/// written: the first time whole, after that only the files that changed.
pub fn watch_and_build(
    opts: BuildOptions,
    poll: bool,
    reporter: Arc<dyn Reporter>,
) -> anyhow::Result<()> {
    let output = opts.output_dir();
    crate::output::check_output_dir(&opts.root, &output)?;
    let (mut watcher, changes) = watch::watch(&opts.root, &output, poll)?;
    let mut session = Session::new(opts);
    let mut changed: Vec<PathBuf> = Vec::new();
    let mut written = None;
    loop {
        let mut report = run(&mut session, &changed, poll);
        if let Some(site) = report.site.take() {
            written = write_output(&session, site, written.take(), &mut report, &|who| {
                reporter.waiting(&output, who);
            });
        }
        reporter.built(&Outcome { report, changed });
        changed = loop {
            let Some(next) = watch::next_change(&watcher, &changes, SETTLE) else {
                return Ok(());
            };
            refresh(&mut watcher, &next, reporter.as_ref());
            if !session.already_built(&next) {
                break next;
            }
        };
    }
}

/// Writes a run's site into the output (`build --watch`); a failure is reported like
/// a content error, and the next run writes the whole site again.
fn write_output(
    session: &Session,
    site: RenderedSite,
    before: Option<crate::output::sync::Written>,
    report: &mut BuildReport,
    on_wait: &dyn Fn(&str),
) -> Option<crate::output::sync::Written> {
    let start = std::time::Instant::now();
    let output = session.options().output_dir();
    let written = crate::output::check_output_dir(&session.options().root, &output)
        .and_then(|()| crate::output::sync::write(&output, before, &site, on_wait));
    report.elapsed += start.elapsed();
    match written {
        Ok(written) => {
            report.timings.stages.push(("write", start.elapsed()));
            Some(written)
        }
        Err(error) => {
            report.published = false;
            report
                .diagnostics
                .push(write_failed(&output, &error, PARTLY_WRITTEN));
            None
        }
    }
}

/// One run of the session in memory (`serve` and `build --watch`). The native
/// watcher's `changed` paths are told to the session, which may patch the last site
/// for them; a polling watcher's are not (it compares what it saw at intervals and may
/// miss a step). A tool failure is reported like a content error, so watching goes on.
fn run(session: &mut Session, changed: &[PathBuf], poll: bool) -> BuildReport {
    if !poll && !changed.is_empty() {
        session.changed(changed.to_vec());
    }
    session
        .run(Mode::Serve)
        .unwrap_or_else(|error| BuildReport {
            diagnostics: vec![write_failed(
                &session.options().output_dir(),
                &error,
                UNCHANGED,
            )],
            ..BuildReport::default()
        })
}

/// Follows `content/` and `themes/` when they were created, deleted or replaced; a
/// failure (no inotify watches left) is a warning, and what is watched still is.
fn refresh(watcher: &mut watch::Watcher, changed: &[PathBuf], reporter: &dyn Reporter) {
    if let Err(e) = watcher.refresh(changed) {
        reporter.warning(&format!(
            "cannot watch the site's folders again ({e}); restart to see further changes"
        ));
    }
}

/// The help of a failed run: nothing of it was published.
const UNCHANGED: &str = "the previous output is unchanged; partnerpress keeps watching and writes the site \
     after the next change";

/// The help of a failed `build --watch` write, which replaces files one by one.
const PARTLY_WRITTEN: &str = "the output holds the previous site, or part of this change; \
     partnerpress keeps watching and writes the whole site after the next change";

/// A write that failed (disk full, no permission) is reported like a content error,
/// with `help` on what the output holds, and watching goes on, so the next change
/// after the cause is fixed writes the site.
fn write_failed(output: &Path, error: &anyhow::Error, help: &str) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(
        Code::Io,
        output,
        format!("cannot write the site: {error:#}"),
    );
    diagnostic.help = Some(help.to_owned());
    diagnostic
}
