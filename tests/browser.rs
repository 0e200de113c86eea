//! End to end in a real browser: `partnerpress serve` on a copy of the spec-site, a
//! release page open in headless Chromium (driven through chromedriver with WebDriver),
//! and edits on disk. The open page must reload itself after a good rebuild, show the
//! error overlay with the located diagnostic after a failed one, and drop the overlay
//! when the next good build reloads it; the test never navigates after the first load.
//!
//! Needs `chromedriver` and Chromium (Debian: `apt-get install chromium chromium-driver`).
//! Without a driver the test prints "skipped: no chromedriver" and passes, unless
//! `PARTNERPRESS_REQUIRE_BROWSER` is set (CI sets it), in which case it fails.
//! `PARTNERPRESS_CHROMEDRIVER` points to another driver binary (a missing path there
//! shows the skip), `PARTNERPRESS_CHROMIUM` to another browser binary.
//!
//! A separate test binary, so its WebDriver dependencies do not slow the other tests.

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The release the test edits, its page under the spec-site's base path, and its lines.
const RELEASE_FILE: &str = "content/news/2024-06-10-ohne-autolink.md";
const RELEASE_ROUTE: &str = "news/ohne-autolink/";
const TITLE: &str = "Übergangspflege mit Künstlicher Intelligenz geplant";
const EDITED_TITLE: &str = "Übergangspflege mit Künstlicher Intelligenz beschlossen";
const FIXED_TITLE: &str = "Übergangspflege mit Künstlicher Intelligenz endgültig beschlossen";
const GOOD_DATE: &str = "date: 2024-06-10";
const BAD_DATE: &str = "date: 2024-02-30";
/// Where the build reports the bad date (line 3, the value's column).
const BAD_DATE_AT: &str = "content/news/2024-06-10-ohne-autolink.md:3:7";

/// How long any one expected change in the page may take.
const STEP: Duration = Duration::from_secs(10);
/// Set on `window` after a load; gone once the page has reloaded.
const MARKER: &str = "__partnerpressBrowserTest";

/// Flags without which Chromium hangs on a machine without network (it waits on
/// connections that never open); the profile is a fresh `--user-data-dir` per run.
const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
];

#[test]
fn an_open_page_reloads_after_an_edit_and_shows_then_clears_the_error_overlay() {
    let driver_path = match chromedriver() {
        Ok(path) => path,
        Err(looked) => {
            let required = std::env::var_os("PARTNERPRESS_REQUIRE_BROWSER")
                .is_some_and(|v| !v.is_empty() && v != "0");
            assert!(
                !required,
                "PARTNERPRESS_REQUIRE_BROWSER is set but there is no chromedriver ({looked}); \
                 install it with `apt-get install chromium chromium-driver`"
            );
            eprintln!(
                "skipped: no chromedriver ({looked}); install chromium and chromium-driver, \
                 or set PARTNERPRESS_REQUIRE_BROWSER=1 to fail instead"
            );
            return;
        }
    };

    let start = Instant::now();
    let tmp = tempfile::Builder::new()
        .prefix("partnerpress-browser-")
        .tempdir()
        .expect("temp dir");
    let site = tmp.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec-site"),
        &site,
    );
    let editor = Editor {
        root: site.clone(),
        scratch: tmp.path().join("edit.tmp"),
    };
    let server = Server::start(&site);
    let driver = Driver::start(&driver_path);
    let profile = tempfile::Builder::new()
        .prefix("partnerpress-chromium-")
        .tempdir()
        .expect("temp dir for the Chromium profile");
    let page_url = format!("{}{RELEASE_ROUTE}", server.url);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let outcome = runtime.block_on(async {
        let client = within(
            Duration::from_secs(60),
            "start a Chromium session",
            open_session(driver.port, profile.path()),
        )
        .await;
        // The scenario runs as its own task so that a failed assertion still lets the
        // session (and with it Chromium) be closed below; the guards are the fallback.
        let scenario = tokio::spawn(scenario(
            client.clone(),
            page_url,
            editor,
            server.log.clone(),
        ))
        .await;
        let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        scenario
    });
    drop(driver);
    drop(server);
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
    eprintln!("browser test took {} ms", start.elapsed().as_millis());
}

async fn scenario(client: Client, page_url: String, editor: Editor, log: Log) {
    let page = Page { client, log };
    within(STEP, "open the release page", page.client.goto(&page_url))
        .await
        .unwrap_or_else(|e| panic!("cannot open {page_url}: {e}"));
    let first = page
        .wait_for("the release page", |s| s.h1.as_deref() == Some(TITLE))
        .await;
    assert_eq!(first.overlay, None, "an overlay after a good build");

    // 1. A good edit: the page reloads by itself and shows the new title.
    page.mark_and_wait_until_live().await;
    editor.edit(
        RELEASE_FILE,
        &format!("title: {TITLE}"),
        &format!("title: {EDITED_TITLE}"),
    );
    page.wait_for("a reload showing the edited title", |s| {
        !s.marked && s.h1.as_deref() == Some(EDITED_TITLE)
    })
    .await;

    // 2. A bad edit: the page stays (the last good site) and shows the overlay.
    page.mark_and_wait_until_live().await;
    editor.edit(RELEASE_FILE, GOOD_DATE, BAD_DATE);
    let failed = page
        .wait_for("the error overlay", |s| s.overlay.is_some())
        .await;
    let overlay = failed.overlay.as_deref().unwrap_or_default();
    assert!(
        overlay.contains(BAD_DATE_AT),
        "the overlay does not locate the error at `{BAD_DATE_AT}`:\n{overlay}"
    );
    assert!(
        failed.marked,
        "the page reloaded after a failed build instead of keeping the last good version"
    );
    assert_eq!(
        failed.h1.as_deref(),
        Some(EDITED_TITLE),
        "the last good version is not shown under the overlay"
    );

    // 3. The fix: the page reloads, the overlay is gone, the fixed title is shown.
    editor.edit_all(
        RELEASE_FILE,
        &[
            (BAD_DATE, GOOD_DATE),
            (
                &format!("title: {EDITED_TITLE}"),
                &format!("title: {FIXED_TITLE}"),
            ),
        ],
    );
    page.wait_for(
        "a reload without the overlay showing the fixed title",
        |s| !s.marked && s.overlay.is_none() && s.h1.as_deref() == Some(FIXED_TITLE),
    )
    .await;
}

// ---- the page ----------------------------------------------------------------------

/// What the test reads from the open page, in one script call.
#[derive(Debug)]
struct PageState {
    /// The marker set by the test is still there: no reload since it was set.
    marked: bool,
    h1: Option<String>,
    /// The text of `#partnerpress-overlay`, if it exists.
    overlay: Option<String>,
}

struct Page {
    client: Client,
    log: Log,
}

impl Page {
    async fn state(&self) -> Result<PageState, String> {
        let script = format!(
            "const h1 = document.querySelector('h1');
             const overlay = document.getElementById('partnerpress-overlay');
             return {{
               ready: document.readyState,
               marked: window.{MARKER} === 1,
               h1: h1 ? h1.textContent.trim() : null,
               overlay: overlay ? overlay.textContent : null,
             }};"
        );
        let value = self.js(&script, vec![]).await?;
        if value["ready"] == "loading" {
            return Err("the page is loading".to_owned());
        }
        let text = |key: &str| value[key].as_str().map(str::to_owned);
        Ok(PageState {
            marked: value["marked"] == true,
            h1: text("h1"),
            overlay: text("overlay"),
        })
    }

    /// Polls the page until `done` holds; fails after [`STEP`] with the last state seen
    /// and the server's output. Script errors while the page reloads are retried.
    async fn wait_for(&self, what: &str, done: impl Fn(&PageState) -> bool) -> PageState {
        let deadline = Instant::now() + STEP;
        let mut last;
        loop {
            match self.state().await {
                Ok(state) if done(&state) => return state,
                Ok(state) => last = format!("{state:#?}"),
                Err(error) => last = format!("script error: {error}"),
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out after {} s waiting for {what}; last seen: {last}\n--- partnerpress serve output ---\n{}",
                    STEP.as_secs(),
                    self.log.text()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets the reload marker, then waits until the page's live-reload connection is
    /// surely subscribed: an edit made earlier could rebuild before the page listens,
    /// and the page would never hear of it. The page's own `EventSource` is private to
    /// `live.js`, so a second one is opened after it; once that one is open, the server
    /// has long answered the first, which it sent while the page loaded.
    async fn mark_and_wait_until_live(&self) {
        self.js(&format!("window.{MARKER} = 1;"), vec![])
            .await
            .unwrap_or_else(|e| panic!("cannot set the reload marker: {e}"));
        let probe = "const done = arguments[arguments.length - 1];
             if (!document.querySelector('script[src=\"/__partnerpress/live.js\"]')) {
               done('no live-reload script in the page');
               return;
             }
             const probe = new EventSource('/__partnerpress/events');
             probe.onopen = () => { probe.close(); done('open'); };
             probe.onerror = () => { probe.close(); done('the event stream failed'); };";
        let answer = within(STEP, "open the event stream", async {
            self.client.execute_async(probe, vec![]).await
        })
        .await
        .unwrap_or_else(|e| panic!("cannot probe the event stream: {e}"));
        assert_eq!(answer, json!("open"), "the live-reload event stream");
    }

    async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        match tokio::time::timeout(STEP, self.client.execute(script, args)).await {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(_) => Err(format!(
                "no answer from the browser in {} s",
                STEP.as_secs()
            )),
        }
    }
}

async fn open_session(port: u16, profile: &Path) -> Client {
    let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| (*a).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut options = json!({ "args": args });
    if let Some(binary) = std::env::var_os("PARTNERPRESS_CHROMIUM") {
        options["binary"] = json!(binary.to_string_lossy());
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| {
            panic!("chromedriver could not start Chromium (is `chromium` installed?): {e}")
        })
}

/// `future`, or a panic naming `what` after `limit`.
async fn within<T>(limit: Duration, what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(limit, future)
        .await
        .unwrap_or_else(|_| panic!("could not {what} within {} s", limit.as_secs()))
}

// ---- the site on disk ----------------------------------------------------------------

/// Changes site files the way an editor saves: a whole new file renamed over the old one.
struct Editor {
    root: PathBuf,
    /// Outside the site root (so the watcher never sees it) but on the same file system.
    scratch: PathBuf,
}

impl Editor {
    fn edit(&self, rel: &str, from: &str, to: &str) {
        self.edit_all(rel, &[(from, to)]);
    }

    /// Replaces each `from` with its `to` in one save; panics if a `from` is missing.
    fn edit_all(&self, rel: &str, changes: &[(&str, &str)]) {
        let path = self.root.join(rel);
        let mut text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        for (from, to) in changes {
            assert!(text.contains(from), "`{rel}` does not contain `{from}`");
            text = text.replacen(from, to, 1);
        }
        std::fs::write(&self.scratch, text).expect("write the edited file");
        std::fs::rename(&self.scratch, &path).expect("rename the edited file into place");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("read_dir {}: {e}", from.display()))
    {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

// ---- processes -----------------------------------------------------------------------

/// The driver to use: `$PARTNERPRESS_CHROMEDRIVER` if set (and nothing else, so a
/// missing path there tests the skip), else `/usr/bin/chromedriver`, else `chromedriver`
/// on `PATH`. The error says where it looked.
fn chromedriver() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("PARTNERPRESS_CHROMEDRIVER") {
        let path = PathBuf::from(path);
        if !path.is_file() {
            return Err(format!(
                "PARTNERPRESS_CHROMEDRIVER={} is not a file",
                path.display()
            ));
        }
        return Ok(path);
    }
    let debian = PathBuf::from("/usr/bin/chromedriver");
    if debian.is_file() {
        return Ok(debian);
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("chromedriver"))
        .find(|path| path.is_file())
        .ok_or_else(|| "not at /usr/bin/chromedriver nor on PATH".to_owned())
}

/// Everything `partnerpress serve` printed, for failure messages.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<String>>);

impl Log {
    fn push(&self, line: &str) {
        let mut text = self.0.lock().unwrap_or_else(|e| e.into_inner());
        text.push_str(line);
        text.push('\n');
    }

    fn text(&self) -> String {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// `partnerpress serve --port 0`, killed when dropped.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/sub/path/`, as printed.
    url: String,
    log: Log,
}

impl Server {
    fn start(root: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_partnerpress"))
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start partnerpress serve");
        let log = Log::default();
        // Both streams are drained to the end, so the server never blocks on a full pipe.
        let (urls, url) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let out_log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                out_log.push(&line);
                if let Some(rest) = line.strip_prefix("serving at ") {
                    let found = rest.split_whitespace().next().unwrap_or_default();
                    let _ = urls.send(found.to_owned());
                }
            }
        });
        let stderr = child.stderr.take().expect("stderr");
        let err_log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                err_log.push(&line);
            }
        });
        let mut server = Self {
            child,
            url: String::new(),
            log,
        };
        server.url = url
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| {
                panic!(
                    "`partnerpress serve` printed no `serving at` line within 30 s:\n{}",
                    server.log.text()
                )
            });
        assert!(
            server.url.starts_with("http://127.0.0.1:") && server.url.ends_with("/sub/path/"),
            "unexpected server URL `{}`",
            server.url
        );
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver on a free port, in its own process group; dropping it kills the group,
/// so a Chromium that a failed test left open goes with it.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(path: &Path) -> Self {
        let mut tried = Vec::new();
        for _ in 0..3 {
            let port = free_port();
            let mut command = Command::new(path);
            command
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            #[cfg(unix)]
            std::os::unix::process::CommandExt::process_group(&mut command, 0);
            let child = command
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", path.display()));
            let mut driver = Self { child, port };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(status)) = driver.child.try_wait() {
                    tried.push(format!("port {port}: exited with {status}"));
                    break;
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return driver;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            tried.push(format!("port {port}: no answer"));
        }
        panic!("{} did not start: {}", path.display(), tried.join("; "));
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The group is the driver's own (`process_group(0)`, so its id is the driver's
        // pid, never 0, 1 or the test's group), and the driver is not reaped yet, so
        // the id cannot have been reused. Never shell out to `kill -KILL -PGID`: some
        // versions of procps read that as `kill -1`, which kills every process.
        #[cfg(unix)]
        if let Ok(pgid) = i32::try_from(self.child.id())
            && pgid > 1
        {
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(pgid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}
