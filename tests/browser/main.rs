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
//! One more (`graphics.rs`) builds the project's site and two fixtures and measures the
//! names of the network and the map at 390 and 1280 px: their size and their overlaps.
//!
//! A separate test binary, so its WebDriver dependencies do not slow the other tests.

mod graphics;
mod own_site;
mod page;
mod print;
mod screen;
mod search;

use own_site::*;
use page::*;
use screen::*;

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "../support/tree.rs"]
mod tree;
use tree::copy_dir;

/// The release the test edits, its page under the spec-site's base path, and its lines.
pub(crate) const RELEASE_FILE: &str = "content/news/2024-06-10-ohne-autolink.md";
pub(crate) const RELEASE_ROUTE: &str = "nachrichten/ohne-autolink/";
pub(crate) const TITLE: &str = "Übergangspflege mit Künstlicher Intelligenz geplant";
pub(crate) const EDITED_TITLE: &str = "Übergangspflege mit Künstlicher Intelligenz beschlossen";
pub(crate) const FIXED_TITLE: &str =
    "Übergangspflege mit Künstlicher Intelligenz endgültig beschlossen";
pub(crate) const GOOD_DATE: &str = "date: 2024-06-10";
pub(crate) const BAD_DATE: &str = "date: 2024-02-30";

/// Where the build reports the bad date: the line of `date:` in the fixture's release,
/// at the value's column (read from the file, so editing the fixture cannot break it).
pub(crate) fn bad_date_at() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/spec-site")
        .join(RELEASE_FILE);
    let text = std::fs::read_to_string(&path).expect("read the fixture release");
    let line = text
        .lines()
        .position(|l| l == GOOD_DATE)
        .expect("the fixture release has `date: 2024-06-10`");
    format!("{RELEASE_FILE}:{}:{}", line + 1, "date: ".len() + 1)
}

/// How long any one expected change in the page may take.
pub(crate) const STEP: Duration = Duration::from_secs(10);
/// Set on `window` after a load; gone once the page has reloaded.
pub(crate) const MARKER: &str = "__partnerpressBrowserTest";

/// Flags without which Chromium hangs on a machine without network (it waits on
/// connections that never open); the profile is a fresh `--user-data-dir` per run.
pub(crate) const CHROMIUM_ARGS: &[&str] = &[
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
pub(crate) fn an_open_page_reloads_after_an_edit_and_shows_then_clears_the_error_overlay() {
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

pub(crate) async fn scenario(client: Client, page_url: String, editor: Editor, log: Log) {
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
    let bad_date_at = bad_date_at();
    assert!(
        overlay.contains(&bad_date_at),
        "the overlay does not locate the error at `{bad_date_at}`:\n{overlay}"
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

// ---- processes -----------------------------------------------------------------------

/// The driver to use: `$PARTNERPRESS_CHROMEDRIVER` if set (and nothing else, so a
/// missing path there tests the skip), else `/usr/bin/chromedriver`, else `chromedriver`
/// on `PATH`. The error says where it looked.
pub(crate) fn chromedriver() -> Result<PathBuf, String> {
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
pub(crate) struct Log(pub(crate) Arc<Mutex<String>>);

impl Log {
    pub(crate) fn push(&self, line: &str) {
        let mut text = self.0.lock().unwrap_or_else(|e| e.into_inner());
        text.push_str(line);
        text.push('\n');
    }

    pub(crate) fn text(&self) -> String {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// `partnerpress serve --port 0`, killed when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    /// `http://127.0.0.1:PORT/sub/path/`, as printed.
    pub(crate) url: String,
    pub(crate) log: Log,
}

impl Server {
    pub(crate) fn start(root: &Path) -> Self {
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
pub(crate) struct Driver {
    pub(crate) group: Group,
    pub(crate) port: u16,
}

impl Driver {
    pub(crate) fn start(path: &Path) -> Self {
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
pub(crate) struct Group {
    pub(crate) child: Child,
}

impl Group {
    pub(crate) fn spawn(mut command: Command) -> Self {
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", command.get_program()));
        Self { child }
    }

    /// Waits for the process to exit; `None` after `limit` (the group is killed on drop).
    pub(crate) fn wait(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
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

pub(crate) fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}
