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
//! Three more tests run on the project's own site (`content/`, built in-process into a
//! temporary folder and served by a small static server on a loopback port):
//! - every institution and partnership fact sheet, in every language, printed by
//!   `chromium --headless --print-to-pdf` is exactly one A4 page (`pdfinfo`), and its
//!   text (`pdftotext`) holds every figure's value and date and every source's title
//!   and address, but not the screen-only print hint or button;
//! - no page scrolls sideways at 390 px or 1280 px (`scrollWidth <= innerWidth`);
//! - no page requests anything from another origin: nothing a browser loads is an
//!   absolute address in the built HTML, CSS and scripts, and each page's DevTools
//!   network events (chromedriver's performance log) and `performance` entries name
//!   only the local server.
//!
//! These need `pdfinfo`/`pdftotext` (poppler-utils) too, and skip (or fail) likewise.
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

#[path = "support/tree.rs"]
mod tree;
use tree::copy_dir;

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
    let Some(driver_path) = require("chromedriver", chromedriver(), BROWSER_PACKAGES) else {
        return;
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
            open_session(driver.port, profile.path(), &[], false),
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

/// A Chromium session with [`CHROMIUM_ARGS`], a fresh profile and `extra` flags;
/// `network_log` turns on chromedriver's performance log of the pages' DevTools network
/// events (read with [`network_log`]).
async fn open_session(port: u16, profile: &Path, extra: &[String], network_log: bool) -> Client {
    let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| (*a).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.extend(extra.iter().cloned());
    let mut options = json!({ "args": args });
    if let Some(binary) = std::env::var_os("PARTNERPRESS_CHROMIUM") {
        options["binary"] = json!(binary.to_string_lossy());
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), options);
    if network_log {
        capabilities.insert("goog:loggingPrefs".into(), json!({ "performance": "ALL" }));
    }
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
    group: Group,
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
            let mut driver = Self {
                group: Group::spawn(command),
                port,
            };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(status)) = driver.group.child.try_wait() {
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

/// A child process in its own process group (chromedriver, or Chromium printing a
/// PDF); dropping it kills the whole group, so no browser process outlives the test.
struct Group {
    child: Child,
}

impl Group {
    fn spawn(mut command: Command) -> Self {
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", command.get_program()));
        Self { child }
    }

    /// Waits for the process to exit; `None` after `limit` (the group is killed on drop).
    fn wait(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        // The group is the child's own (`process_group(0)`, so its id is the child's
        // pid, never 0, 1 or the test's group). It is signalled only while the child
        // is not reaped (`try_wait` gives `None` and does not reap; a child that exits
        // after it stays a zombie until `wait` below), so the id cannot have been
        // reused. Once reaped (it exited by itself), nothing is signalled. Never shell
        // out to `kill -KILL -PGID`: some versions of procps read that as `kill -1`,
        // which kills every process.
        #[cfg(unix)]
        if let Ok(pgid) = i32::try_from(self.child.id())
            && pgid > 1
            && matches!(self.child.try_wait(), Ok(None))
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

// ---- the project's own site: print, screen widths, privacy ----------------------------

/// What provides the browser test's tools, for the skip and failure messages.
const BROWSER_PACKAGES: &str = "apt-get install chromium chromium-driver poppler-utils";

/// Every page kind (`kind-…` on `<body>`, `page.kind` in templates); the site must have
/// each in every language (the 404 page is one file, shown for missing paths of both).
const PAGE_KINDS: &[&str] = &[
    "home",
    "news",
    "release",
    "partners",
    "partner",
    "partner_factsheet",
    "partnerships",
    "partnership",
    "partnership_factsheet",
    "topics",
    "topic",
    "timeline",
    "page",
    "404",
];

/// The widths a page must fit without scrolling sideways: a phone and a desktop.
const WIDTHS: &[u32] = &[390, 1280];

/// `found`, or `None` after printing why the test is skipped; a failure instead when
/// `PARTNERPRESS_REQUIRE_BROWSER` is set (CI).
fn require<T>(what: &str, found: Result<T, String>, install: &str) -> Option<T> {
    let looked = match found {
        Ok(found) => return Some(found),
        Err(looked) => looked,
    };
    let required =
        std::env::var_os("PARTNERPRESS_REQUIRE_BROWSER").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "PARTNERPRESS_REQUIRE_BROWSER is set but there is no {what} ({looked}); \
         install it with `{install}`"
    );
    eprintln!(
        "skipped: no {what} ({looked}); install it with `{install}`, \
         or set PARTNERPRESS_REQUIRE_BROWSER=1 to fail instead"
    );
    None
}

/// The browser binary for `--print-to-pdf`: `$PARTNERPRESS_CHROMIUM` if set, else
/// `chromium` (or `chromium-browser`) on `PATH`.
fn chromium() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("PARTNERPRESS_CHROMIUM") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "PARTNERPRESS_CHROMIUM={} is not a file",
                path.display()
            ))
        };
    }
    on_path("chromium").or_else(|_| on_path("chromium-browser"))
}

fn on_path(name: &str) -> Result<PathBuf, String> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
        .ok_or_else(|| format!("`{name}` is not on PATH"))
}

#[test]
fn every_fact_sheet_prints_on_one_a4_page_with_its_dates_and_sources() {
    let Some(chromium) = require("Chromium", chromium(), BROWSER_PACKAGES) else {
        return;
    };
    let Some(pdfinfo) = require("pdfinfo", on_path("pdfinfo"), BROWSER_PACKAGES) else {
        return;
    };
    let Some(pdftotext) = require("pdftotext", on_path("pdftotext"), BROWSER_PACKAGES) else {
        return;
    };
    let start = Instant::now();
    let site = OwnSite::build();
    let server = StaticServer::start(&site.dir);
    let sheets: Vec<&SitePage> = site
        .pages
        .iter()
        .filter(|p| p.kind.ends_with("_factsheet"))
        .collect();
    assert!(
        sheets.len() >= 4,
        "expected institution and partnership fact sheets in both languages, found {}",
        sheets.len()
    );
    let tmp = tempfile::Builder::new()
        .prefix("partnerpress-pdf-")
        .tempdir()
        .expect("temp dir for the PDFs");
    let mut results = Vec::new();
    let mut problems = Vec::new();
    for sheet in sheets {
        let url = format!("{}{}", server.url, sheet.route);
        let pdf = tmp.path().join(format!(
            "{}.pdf",
            sheet.route.trim_matches('/').replace('/', "_")
        ));
        print_to_pdf(&chromium, &tmp.path().join("profile"), &url, &pdf);
        let info = output_of(Command::new(&pdfinfo).arg(&pdf));
        let pages = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .map(str::trim)
            .unwrap_or("?")
            .to_owned();
        let size = info
            .lines()
            .find_map(|l| l.strip_prefix("Page size:"))
            .map(str::trim)
            .unwrap_or("?")
            .to_owned();
        results.push(format!("{}: {pages} page(s), {size}", sheet.route));
        if pages != "1" {
            problems.push(format!("{}: {pages} pages instead of one", sheet.route));
        }
        if !size.contains("A4") {
            problems.push(format!("{}: page size {size}, not A4", sheet.route));
        }
        // What must be readable on paper, and what must not be printed; compared
        // without white space, since long addresses wrap.
        let text: String = output_of(Command::new(&pdftotext).arg(&pdf).arg("-"))
            .split_whitespace()
            .collect();
        let expected = PrintExpectation::of(&site.dir.join(&sheet.file));
        for wanted in &expected.printed {
            let squeezed: String = wanted.split_whitespace().collect();
            if !text.contains(&squeezed) {
                problems.push(format!("{}: `{wanted}` is not in the PDF", sheet.route));
            }
        }
        for unwanted in &expected.not_printed {
            let squeezed: String = unwanted.split_whitespace().collect();
            if text.contains(&squeezed) {
                problems.push(format!("{}: `{unwanted}` is printed", sheet.route));
            }
        }
    }
    drop(server);
    eprintln!("fact sheets as PDF:\n  {}", results.join("\n  "));
    assert!(
        problems.is_empty(),
        "fact sheets on paper:\n  {}\nall sheets:\n  {}",
        problems.join("\n  "),
        results.join("\n  ")
    );
    eprintln!("print test took {} ms", start.elapsed().as_millis());
}

/// `chromium --headless --print-to-pdf` of `url`, in its own process group.
fn print_to_pdf(chromium: &Path, profile: &Path, url: &str, pdf: &Path) {
    let mut command = Command::new(chromium);
    command
        .args(CHROMIUM_ARGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut chromium = Group::spawn(command);
    match chromium.wait(Duration::from_secs(60)) {
        Some(status) if status.success() && pdf.is_file() => {}
        Some(status) => panic!("Chromium exited with {status} and no PDF for {url}"),
        None => panic!("Chromium did not print {url} within 60 s"),
    }
}

fn output_of(command: &mut Command) -> String {
    let output = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {:?}: {e}", command.get_program()));
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What a fact sheet's HTML says must (and must not) appear on its printed page.
struct PrintExpectation {
    /// Each figure's label, value and date; each source's title and address (the
    /// absolute address of an internal source, the `href` of an external one).
    printed: Vec<String>,
    /// The screen-only tools: the keyboard hint and the print button.
    not_printed: Vec<String>,
}

impl PrintExpectation {
    fn of(file: &Path) -> Self {
        let html = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        let doc = scraper::Html::parse_document(&html);
        let select = |css: &str| scraper::Selector::parse(css).expect("selector");
        let text = |el: scraper::ElementRef| el.text().collect::<String>().trim().to_owned();
        let mut printed = Vec::new();
        for cell in doc.select(&select("table.facts tbody td.num, table.facts tbody time")) {
            printed.push(text(cell));
        }
        for source in doc.select(&select(".sources li")) {
            let link = source
                .select(&select("a"))
                .next()
                .unwrap_or_else(|| panic!("{}: a source without a link", file.display()));
            printed.push(text(link));
            match source.select(&select(".print-url")).next() {
                Some(url) => printed.push(
                    text(url)
                        .trim_start_matches('(')
                        .trim_end_matches(')')
                        .to_owned(),
                ),
                None => printed.push(link.value().attr("href").unwrap_or_default().to_owned()),
            }
        }
        let not_printed = doc
            .select(&select(".print-hint, .print-button"))
            .map(text)
            .collect();
        Self {
            printed,
            not_printed,
        }
    }
}

#[test]
fn no_page_overflows_sideways_at_390_or_1280_px() {
    let Some(driver_path) = require("chromedriver", chromedriver(), BROWSER_PACKAGES) else {
        return;
    };
    let site = OwnSite::build();
    let server = StaticServer::start(&site.dir);
    let urls = site.urls(&server.url);
    let report = in_browser(&driver_path, Vec::new(), false, async move |client, _| {
        let mut report = Vec::new();
        let mut problems = Vec::new();
        for &width in WIDTHS {
            set_viewport_width(&client, width).await;
            for url in &urls {
                within(STEP, "open a page", client.goto(url))
                    .await
                    .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
                let found = within(STEP, "measure a page", client.execute(OVERFLOW, vec![]))
                    .await
                    .unwrap_or_else(|e| panic!("cannot measure {url}: {e}"));
                let (scroll, inner) = (&found["scroll"], &found["inner"]);
                if found["overflows"] == true {
                    problems.push(format!(
                        "{width} px: {url}: scrollWidth {scroll} > innerWidth {inner}; \
                         wider than the window: {}",
                        found["wide"]
                    ));
                }
            }
            report.push(format!("{width} px: {} pages", urls.len()));
        }
        assert!(
            problems.is_empty(),
            "pages wider than the window:\n  {}",
            problems.join("\n  ")
        );
        report
    });
    drop(server);
    eprintln!("no horizontal overflow: {}", report.join(", "));
}

/// Whether the page scrolls sideways, and the outermost elements that stick out.
const OVERFLOW: &str = "const inner = window.innerWidth;
    const scroll = document.documentElement.scrollWidth;
    const wide = [];
    if (scroll > inner) {
      for (const el of document.body.querySelectorAll('*')) {
        const right = el.getBoundingClientRect().right;
        if (right > inner + 0.5 && !(el.parentElement && wide.some(w => w.el.contains(el)))) {
          const cls = typeof el.className === 'string' && el.className.trim()
            ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
          wide.push({ el, what: el.tagName.toLowerCase() + cls + ' (right ' + Math.round(right) + ')' });
        }
      }
    }
    return { scroll, inner, overflows: scroll > inner, wide: wide.slice(0, 8).map(w => w.what) };";

/// Resizes the window until the page's viewport (`innerWidth`) is `width`.
async fn set_viewport_width(client: &Client, width: u32) {
    let mut outer = width;
    for _ in 0..3 {
        within(
            STEP,
            "resize the window",
            client.set_window_size(outer, 900),
        )
        .await
        .unwrap_or_else(|e| panic!("cannot resize the window to {outer} px: {e}"));
        let inner = within(
            STEP,
            "read the viewport",
            client.execute("return window.innerWidth;", vec![]),
        )
        .await
        .unwrap_or_else(|e| panic!("cannot read innerWidth: {e}"));
        let inner = inner.as_u64().unwrap_or_default() as u32;
        if inner == width {
            return;
        }
        outer = (outer + width).saturating_sub(inner);
    }
    panic!("cannot make the viewport {width} px wide");
}

#[test]
fn no_page_requests_anything_from_another_origin() {
    let Some(driver_path) = require("chromedriver", chromedriver(), BROWSER_PACKAGES) else {
        return;
    };
    let site = OwnSite::build();

    // 1. On disk: nothing in the output that a browser would load is absolute.
    let on_disk = foreign_loads(&site.dir);

    // 2. In the browser: every page; what each page requested, from Chromium's DevTools
    //    network events (requests that fail count too) and from the page's own list of
    //    what it loaded. Every other origin goes to a proxy that forwards nothing (the
    //    local server is loopback, which Chromium never sends through a proxy); it also
    //    sees Chromium's own service requests (updates, sign-in), which are no page's,
    //    so it is reported, not asserted on.
    let server = StaticServer::start(&site.dir);
    let proxy = Recorder::start();
    let origin = server.origin.clone();
    let urls = site.urls(&server.url);
    let count = urls.len();
    let args = vec![format!("--proxy-server=http://127.0.0.1:{}", proxy.port)];
    let in_pages = in_browser(&driver_path, args, true, async move |client, port| {
        let session = client
            .session_id()
            .await
            .ok()
            .flatten()
            .expect("a WebDriver session id");
        // chromedriver's window handle is the DevTools target id of the tab, which the
        // log gives as `webview`; other targets (Chromium's own pages) are not the site's.
        let tab = String::from(client.window().await.expect("the window handle"));
        // The tab starts on Chromium's new tab page, whose own loads may still arrive.
        within(STEP, "open about:blank", client.goto("about:blank"))
            .await
            .expect("open about:blank");
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut found = Vec::new();
        let mut requests = 0;
        for url in &urls {
            let _ = network_log(port, &session, &tab);
            within(STEP, "open a page", client.goto(url))
                .await
                .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
            let loaded = within(STEP, "list what a page loaded", async {
                client.execute_async(LOADED, vec![]).await
            })
            .await
            .unwrap_or_else(|e| panic!("cannot list what {url} loaded: {e}"));
            for name in loaded.as_array().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                if name != origin && !name.starts_with(&format!("{origin}/")) {
                    found.push(format!("{url} loaded {name}"));
                }
            }
            let sent = network_log(port, &session, &tab);
            assert!(
                sent.iter().any(|r| r == url),
                "no DevTools request event for the page itself ({url}): {sent:?}"
            );
            requests += sent.len();
            for request in sent {
                if !request.starts_with(&format!("{origin}/"))
                    && !["data:", "blob:", "about:"]
                        .iter()
                        .any(|s| request.starts_with(s))
                {
                    found.push(format!("{url} requested {request}"));
                }
            }
        }
        (found, requests)
    });
    let (in_pages, requests) = in_pages;
    let browser_own: std::collections::BTreeSet<String> = proxy
        .log
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter_map(|line| line.split_whitespace().nth(1))
        // `host:443` of a CONNECT, or the host of `http://host/…`.
        .map(|target| {
            let host = target.strip_prefix("http://").unwrap_or(target);
            host.split('/').next().unwrap_or(host).to_owned()
        })
        .collect();
    drop(server);
    assert!(
        on_disk.is_empty() && in_pages.is_empty(),
        "the site loads things from elsewhere:\n  {}",
        on_disk
            .iter()
            .chain(&in_pages)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n  ")
    );
    eprintln!(
        "{count} pages loaded with {requests} requests, none to another origin; \
         Chromium's own requests at the proxy: {browser_own:?}"
    );
}

/// The requests of the tab `tab` since the last call (reading chromedriver's
/// performance log empties it): `request.url` of each DevTools
/// `Network.requestWillBeSent` and the address of each WebSocket. fantoccini has no call
/// for logs, so this asks chromedriver directly.
fn network_log(port: u16, session: &str, tab: &str) -> Vec<String> {
    let url = format!("http://127.0.0.1:{port}/session/{session}/se/log");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(STEP))
        .build()
        .into();
    let body = agent
        .post(&url)
        .header("Content-Type", "application/json")
        .send(r#"{"type":"performance"}"#)
        .and_then(|mut r| r.body_mut().read_to_string())
        .unwrap_or_else(|e| panic!("cannot read chromedriver's performance log: {e}"));
    let entries: Value = serde_json::from_str(&body).expect("the log is JSON");
    let mut urls = Vec::new();
    for entry in entries["value"].as_array().into_iter().flatten() {
        let Some(message) = entry["message"].as_str() else {
            continue;
        };
        let Ok(event) = serde_json::from_str::<Value>(message) else {
            continue;
        };
        if event["webview"] != tab {
            continue;
        }
        let event = &event["message"];
        let found = match event["method"].as_str() {
            Some("Network.requestWillBeSent") => &event["params"]["request"]["url"],
            Some("Network.webSocketCreated") => &event["params"]["url"],
            _ => continue,
        };
        if let Some(found) = found.as_str() {
            urls.push(found.to_owned());
        }
    }
    urls
}

/// The page's address and everything it loaded, once its fonts are settled.
const LOADED: &str = "const done = arguments[arguments.length - 1];
    const list = () => done([location.href]
      .concat(performance.getEntriesByType('navigation').map(e => e.name))
      .concat(performance.getEntriesByType('resource').map(e => e.name)));
    (document.fonts ? document.fonts.ready : Promise.resolve())
      .then(() => setTimeout(list, 50), () => setTimeout(list, 50));";

/// Absolute (`http:`, `https:`, `//`) addresses in what a browser loads by itself:
/// `src`, `srcset`, `poster`, `data`, `<link>`s that fetch (stylesheet, icon, preload,
/// preconnect …), `url()` and `@import` in CSS and `style`, addresses in scripts.
/// Links the visitor follows (`<a>`, canonical, alternate) are not loads.
fn foreign_loads(dir: &Path) -> Vec<String> {
    const FETCHING_RELS: &[&str] = &[
        "stylesheet",
        "icon",
        "apple-touch-icon",
        "mask-icon",
        "manifest",
        "preload",
        "modulepreload",
        "prefetch",
        "prerender",
        "preconnect",
        "dns-prefetch",
    ];
    let mut found = Vec::new();
    let all = scraper::Selector::parse("*").expect("selector");
    for file in files_under(dir) {
        let rel = file
            .strip_prefix(dir)
            .unwrap_or(&file)
            .display()
            .to_string();
        let ext = file
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        match ext {
            "html" => {
                let doc = scraper::Html::parse_document(&text);
                for el in doc.select(&all) {
                    let element = el.value();
                    let mut targets: Vec<&str> = Vec::new();
                    for name in ["src", "poster", "data"] {
                        targets.extend(element.attr(name));
                    }
                    for set in ["srcset", "imagesrcset"] {
                        if let Some(set) = element.attr(set) {
                            targets
                                .extend(set.split(',').filter_map(|c| c.split_whitespace().next()));
                        }
                    }
                    if element.name() == "link" {
                        let rel = element.attr("rel").unwrap_or_default().to_ascii_lowercase();
                        if rel.split_whitespace().any(|r| FETCHING_RELS.contains(&r)) {
                            targets.extend(element.attr("href"));
                        }
                    }
                    for target in targets {
                        if is_absolute(target) {
                            found.push(format!("{rel}: <{}> loads {target}", element.name()));
                        }
                    }
                    if let Some(style) = element.attr("style") {
                        for target in css_loads(style) {
                            found.push(format!("{rel}: a style attribute loads {target}"));
                        }
                    }
                    if element.name() == "style" {
                        for target in css_loads(&el.text().collect::<String>()) {
                            found.push(format!("{rel}: <style> loads {target}"));
                        }
                    }
                }
            }
            "css" => {
                for target in css_loads(&text) {
                    found.push(format!("{rel}: loads {target}"));
                }
            }
            "js" | "mjs" => {
                for (i, line) in text.lines().enumerate() {
                    if line.contains("http://") || line.contains("https://") {
                        found.push(format!("{rel}:{}: an address in a script", i + 1));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

fn is_absolute(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    url.starts_with("http:") || url.starts_with("https:") || url.starts_with("//")
}

/// Absolute addresses of `url(…)` and `@import` in a style sheet.
fn css_loads(css: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = css.to_ascii_lowercase();
    for marker in ["url(", "@import"] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(marker) {
            let start = from + at + marker.len();
            let target: String = css[start..]
                .trim_start_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'')
                .trim_start_matches("url(")
                .trim_start_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'')
                .chars()
                .take_while(|c| !matches!(c, '"' | '\'' | ')' | ';') && !c.is_whitespace())
                .collect();
            if is_absolute(&target) {
                found.push(target);
            }
            from = start;
        }
    }
    found
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in
            std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("read_dir {}: {e}", dir.display()))
        {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Runs `body` with a fresh Chromium session (chromedriver in its own process group,
/// a fresh profile, `extra` flags, the network log if `network_log`); the session is
/// closed even when `body` panics, and the panic is passed on. `body` gets the session
/// and chromedriver's port.
fn in_browser<T: Send + 'static, F: Future<Output = T> + Send + 'static>(
    driver_path: &Path,
    extra: Vec<String>,
    network_log: bool,
    body: impl FnOnce(Client, u16) -> F,
) -> T {
    let driver = Driver::start(driver_path);
    let profile = tempfile::Builder::new()
        .prefix("partnerpress-chromium-")
        .tempdir()
        .expect("temp dir for the Chromium profile");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let outcome = runtime.block_on(async {
        let client = within(
            Duration::from_secs(60),
            "start a Chromium session",
            open_session(driver.port, profile.path(), &extra, network_log),
        )
        .await;
        let outcome = tokio::spawn(body(client.clone(), driver.port)).await;
        let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        outcome
    });
    drop(driver);
    outcome.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()))
}

/// The project's own site (the repository's `content/`), built in-process into a
/// temporary folder.
struct OwnSite {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    pages: Vec<SitePage>,
}

/// One HTML page of the built site.
struct SitePage {
    /// The file under the output folder (`en/partners/x/index.html`, `404.html`).
    file: String,
    /// Its address under the site root (`en/partners/x/`, `404.html`).
    route: String,
    kind: String,
    lang: String,
}

impl OwnSite {
    fn build() -> Self {
        let tmp = tempfile::Builder::new()
            .prefix("partnerpress-own-site-")
            .tempdir()
            .expect("temp dir");
        let dir = tmp.path().join("public");
        let report = partnerpress::Session::once(partnerpress::BuildOptions {
            root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            output: Some(dir.clone()),
            ..Default::default()
        })
        .run(partnerpress::Mode::Build)
        .unwrap_or_else(|e| panic!("cannot build the project's site: {e:#}"));
        assert!(
            !report.has_errors(),
            "the project's site does not build: {:#?}",
            report.diagnostics
        );
        let body = scraper::Selector::parse("body").expect("selector");
        let html = scraper::Selector::parse("html").expect("selector");
        let mut pages = Vec::new();
        for path in files_under(&dir) {
            if path.extension().and_then(|e| e.to_str()) != Some("html") {
                continue;
            }
            let file = path
                .strip_prefix(&dir)
                .expect("under the output")
                .to_string_lossy()
                .replace('\\', "/");
            let route = file.strip_suffix("index.html").unwrap_or(&file).to_owned();
            let doc = scraper::Html::parse_document(
                &std::fs::read_to_string(&path).expect("read a page"),
            );
            let kind = doc
                .select(&body)
                .next()
                .and_then(|b| b.value().classes().find_map(|c| c.strip_prefix("kind-")))
                .unwrap_or_else(|| panic!("{file}: no kind-… class on <body>"))
                .to_owned();
            let lang = doc
                .select(&html)
                .next()
                .and_then(|h| h.value().attr("lang"))
                .unwrap_or_default()
                .to_owned();
            pages.push(SitePage {
                file,
                route,
                kind,
                lang,
            });
        }
        let langs: std::collections::BTreeSet<&str> =
            pages.iter().map(|p| p.lang.as_str()).collect();
        assert!(langs.len() >= 2, "expected two languages, found {langs:?}");
        for lang in &langs {
            for kind in PAGE_KINDS.iter().filter(|k| **k != "404") {
                assert!(
                    pages.iter().any(|p| p.lang == *lang && p.kind == *kind),
                    "the project's site has no `{kind}` page in `{lang}`"
                );
            }
        }
        assert!(
            pages.iter().any(|p| p.kind == "404"),
            "the project's site has no 404 page"
        );
        Self {
            _tmp: tmp,
            dir,
            pages,
        }
    }

    /// Every page's address, plus two missing ones (one per language) for the 404 page.
    fn urls(&self, base: &str) -> Vec<String> {
        let mut urls: Vec<String> = self
            .pages
            .iter()
            .filter(|p| p.kind != "404")
            .map(|p| format!("{base}{}", p.route))
            .collect();
        urls.push(format!("{base}no-such-page/"));
        urls.push(format!("{base}en/no-such-page/"));
        urls
    }
}

/// A minimal static file server for a built site on a free loopback port: `index.html`
/// for folders, the site's `404.html` (status 404) for anything missing. It runs on
/// threads of the test process and stops accepting when dropped.
struct StaticServer {
    /// `http://127.0.0.1:PORT`
    origin: String,
    /// `http://127.0.0.1:PORT/`
    url: String,
    port: u16,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl StaticServer {
    fn start(root: &Path) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind the static server");
        let port = listener.local_addr().expect("local address").port();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let root = root.clone();
                    std::thread::spawn(move || serve_file(stream, &root));
                }
            }
        });
        let origin = format!("http://127.0.0.1:{port}");
        Self {
            url: format!("{origin}/"),
            origin,
            port,
            stop,
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        // Wakes the accepting thread, which then sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Reads a request's head; its first line, or `None` for a broken request.
fn request_line(stream: &TcpStream) -> Option<String> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    reader.read_line(&mut first).ok()?;
    let mut line = String::new();
    while reader.read_line(&mut line).ok()? > 2 {
        line.clear();
    }
    Some(first.trim_end().to_owned())
}

fn serve_file(mut stream: TcpStream, root: &Path) {
    use std::io::Write;
    let Some(first) = request_line(&stream) else {
        return;
    };
    let target = first.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let safe = path
        .split('/')
        .all(|part| part != ".." && !part.contains('\\'));
    let mut file = root.join(path.trim_start_matches('/'));
    let mut status = "200 OK";
    if safe && file.is_dir() {
        if !path.ends_with('/') {
            let _ = write!(
                stream,
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {path}/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            return;
        }
        file = file.join("index.html");
    }
    if !safe || !file.is_file() {
        status = "404 Not Found";
        file = root.join("404.html");
    }
    let body = std::fs::read(&file).unwrap_or_default();
    let kind = match file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// A proxy that forwards nothing: it writes down each request's first line (`CONNECT
/// host:443 …` or `GET http://host/… …`) and answers 403.
struct Recorder {
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Recorder {
    fn start() -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind the recording proxy");
        let port = listener.local_addr().expect("local address").port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (seen, stopped) = (log.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                let seen = seen.clone();
                std::thread::spawn(move || {
                    use std::io::Write;
                    if let Some(first) = request_line(&stream) {
                        seen.lock().unwrap_or_else(|e| e.into_inner()).push(first);
                    }
                    let _ = stream.write_all(
                        b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                });
            }
        });
        Self { port, log, stop }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}
