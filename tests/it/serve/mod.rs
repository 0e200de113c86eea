//! `serve` and `build --watch` as a user runs them: the binary in a child process on a
//! free port, real HTTP requests, edits made the way editors save files. Every test
//! copies its own fixture; a `Running` guard kills its child when the test ends, also
//! when it panics, so no server outlives a test. Waits poll with a deadline: the only
//! fixed waits are the quiet periods that show that something did *not* happen.
//!
//! This module holds the harness; the tests are in `http` (serving), `rebuild` (serve
//! rebuilding on edits), `watch` (`build --watch`) and `incremental` (the incremental
//! `Session` against clean renders of the same state).

mod http;
mod incremental;
mod media;
mod rebuild;
mod watch;

use crate::harness::{Fixture, SPEC_SITE, cli, tree};
use partnerpress::{BuildReport, Mode, Session};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStderr, ChildStdout, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The release the edit tests change, its title and its route under the base path.
pub(crate) const RELEASE: &str = "content/news/2024-05-06-amt-und-klinik.md";
pub(crate) const RELEASE_TITLE: &str = "Gesundheitsamt und Klinikum Südhöhe ziehen Bilanz";
pub(crate) const RELEASE_ROUTE: &str = "nachrichten/amt-und-klinik/";
/// Its date line, and an invalid date that breaks it.
pub(crate) const GOOD_DATE: &str = "date: 2024-05-06";
pub(crate) const BAD_DATE: &str = "date: 2024-13-45";
/// The spec-site's base path, which the server keeps.
pub(crate) const BASE_PATH: &str = "/sub/path/";
const SCRIPT_TAG: &str = "<script src=\"/__partnerpress/live.js\"";

/// Until the first build is done and the server listens (a debug build, tests in parallel).
pub(crate) const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Until an edit shows in the served page, the event stream or the output folder.
pub(crate) const CHANGE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long nothing must happen to count as "no rebuild".
pub(crate) const QUIET: Duration = Duration::from_millis(1000);
pub(crate) const POLL: Duration = Duration::from_millis(25);

/// Breaks the release's date in `fixture`; returns where the error must point: the date.
fn break_date(fixture: &Fixture) -> String {
    fixture.edit(RELEASE, GOOD_DATE, BAD_DATE);
    fixture.locate(RELEASE, BAD_DATE.trim_start_matches("date: "))
}

// ---------------------------------------------------------------------------------------
// The child process

/// A running `partnerpress` child with its output collected line by line; killed when
/// dropped.
pub(crate) struct Running {
    pub(crate) child: Child,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Running {
    pub(crate) fn spawn(args: &[OsString]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_partnerpress"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn partnerpress");
        let stdout = collect_lines(child.stdout.take().expect("piped stdout"));
        let stderr = collect_lines(child.stderr.take().expect("piped stderr"));
        Self {
            child,
            stdout,
            stderr,
        }
    }

    pub(crate) fn stdout(&self) -> Vec<String> {
        self.stdout.lock().expect("stdout lines").clone()
    }

    pub(crate) fn stderr(&self) -> Vec<String> {
        self.stderr.lock().expect("stderr lines").clone()
    }

    /// Both streams, for failure messages.
    pub(crate) fn transcript(&self) -> String {
        format!(
            "--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout().join("\n"),
            self.stderr().join("\n")
        )
    }

    /// Successful builds so far: the `built in … ms` lines.
    pub(crate) fn good_builds(&self) -> usize {
        self.stdout()
            .iter()
            .filter(|l| l.starts_with("built in "))
            .count()
    }

    /// Failed builds so far: the summaries that say the last good site stays.
    pub(crate) fn failed_builds(&self) -> usize {
        self.stderr()
            .iter()
            .filter(|l| l.contains("the last good site stays"))
            .count()
    }

    pub(crate) fn builds(&self) -> usize {
        self.good_builds() + self.failed_builds()
    }

    /// Waits until `done` holds; panics with the transcript (and stops waiting early)
    /// when the child exits first.
    pub(crate) fn wait_until(
        &mut self,
        what: &str,
        timeout: Duration,
        done: impl Fn(&Self) -> bool,
    ) {
        let deadline = Instant::now() + timeout;
        loop {
            if done(self) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the reader threads take the last lines.
                std::thread::sleep(Duration::from_millis(100));
                if done(self) {
                    return;
                }
                panic!(
                    "partnerpress exited ({status}) before {what}\n{}",
                    self.transcript()
                );
            }
            if Instant::now() > deadline {
                panic!("no {what} within {timeout:?}\n{}", self.transcript());
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits for more good builds than `before`.
    pub(crate) fn wait_for_good_build(&mut self, before: usize) {
        self.wait_until("`built in` line", CHANGE_TIMEOUT, |r| {
            r.good_builds() > before
        });
    }

    /// Waits `QUIET` and asserts that no build was reported meanwhile.
    pub(crate) fn assert_no_rebuild(&self, after: &str) {
        let before = self.builds();
        std::thread::sleep(QUIET);
        assert_eq!(
            self.builds(),
            before,
            "{after} caused a rebuild\n{}",
            self.transcript()
        );
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

trait Pipe: Read + Send + 'static {}
impl Pipe for ChildStdout {}
impl Pipe for ChildStderr {}

fn collect_lines(pipe: impl Pipe) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            sink.lock().expect("lines").push(line);
        }
    });
    lines
}

pub(crate) fn args(list: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    list.iter().map(|a| a.as_ref().to_owned()).collect()
}

/// `partnerpress build --watch` on a fixture into `out`, after its first good build.
pub(crate) fn build_watch(fixture: &Fixture, out: &Path) -> Running {
    build_watch_with(fixture, out, &[])
}

/// `build_watch` with more arguments.
pub(crate) fn build_watch_with(fixture: &Fixture, out: &Path, extra: &[&str]) -> Running {
    let mut list = args(&[
        &"build",
        &"--watch",
        &"--root",
        &fixture.root(),
        &"--output",
        &out,
    ]);
    list.extend(extra.iter().map(OsString::from));
    let mut watch = Running::spawn(&list);
    watch.wait_until("first build", START_TIMEOUT, |r| r.good_builds() > 0);
    watch
}

// ---------------------------------------------------------------------------------------
// The server

/// `partnerpress serve --port 0` on a fixture, after its first build.
pub(crate) struct Server {
    pub(crate) process: Running,
    /// The printed address, `http://127.0.0.1:PORT/sub/path/` for the spec-site.
    pub(crate) url: String,
    /// `127.0.0.1:PORT`.
    pub(crate) addr: String,
}

impl Server {
    pub(crate) fn start(fixture: &Fixture) -> Self {
        Self::start_with(fixture, &[])
    }

    pub(crate) fn start_with(fixture: &Fixture, extra: &[&str]) -> Self {
        let root = fixture.root();
        let mut list = args(&[&"serve", &"--root", &root, &"--port", &"0"]);
        list.extend(extra.iter().map(OsString::from));
        let mut process = Running::spawn(&list);
        process.wait_until("`serving at` line", START_TIMEOUT, |r| {
            r.stdout().iter().any(|l| l.starts_with("serving at "))
        });
        let line = process
            .stdout()
            .into_iter()
            .find(|l| l.starts_with("serving at "))
            .expect("serving line");
        let url = line["serving at ".len()..]
            .split_whitespace()
            .next()
            .expect("an address after `serving at`")
            .to_owned();
        let addr = url
            .strip_prefix("http://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("not an http address: {line}"))
            .to_owned();
        assert!(
            addr.starts_with("127.0.0.1:"),
            "serve must listen on loopback by default: {line}"
        );
        Self { process, url, addr }
    }

    /// The absolute URL of `path` (which starts with `/`).
    pub(crate) fn at(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The URL of a route of the site (`nachrichten/x/`), under the base path.
    pub(crate) fn page(&self, route: &str) -> String {
        self.at(&format!("{BASE_PATH}{route}"))
    }

    pub(crate) fn get(&self, route: &str) -> Reply {
        request("GET", &self.page(route))
    }

    /// Polls `route` until `done` holds; returns that reply.
    pub(crate) fn wait_for_page(
        &self,
        route: &str,
        what: &str,
        done: impl Fn(&Reply) -> bool,
    ) -> Reply {
        let deadline = Instant::now() + CHANGE_TIMEOUT;
        loop {
            let reply = self.get(route);
            if done(&reply) {
                return reply;
            }
            if Instant::now() > deadline {
                panic!(
                    "`{route}` did not show {what} within {CHANGE_TIMEOUT:?}: last reply {} with {} bytes\n{}",
                    reply.status,
                    reply.body.len(),
                    self.process.transcript()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the release page has `title` (and status 200).
    pub(crate) fn wait_for_title(&self, title: &str) -> Reply {
        self.wait_for_page(RELEASE_ROUTE, &format!("the title `{title}`"), |r| {
            r.status == 200 && r.body.contains(title)
        })
    }

    /// Opens the event stream; returns once the server has answered, so the stream
    /// sees every build from now on.
    pub(crate) fn events(&self) -> Events {
        Events::open(&self.at("/__partnerpress/events"))
    }
}

/// One HTTP answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: String,
    pub(crate) location: Option<String>,
    pub(crate) body: String,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

pub(crate) fn request(method: &str, url: &str) -> Reply {
    let agent = agent();
    let result = match method {
        "GET" => agent.get(url).call(),
        "HEAD" => agent.head(url).call(),
        "POST" => agent.post(url).send_empty(),
        "PUT" => agent.put(url).send_empty(),
        "DELETE" => agent.delete(url).call(),
        other => panic!("no helper for {other}"),
    };
    let response = result.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().expect("ASCII header").to_owned())
    };
    let status = response.status().as_u16();
    let content_type = header("content-type").unwrap_or_default();
    let location = header("location");
    let mut bytes = Vec::new();
    if method != "HEAD" {
        response
            .into_body()
            .into_reader()
            .read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("{method} {url}: reading the body: {e}"));
    }
    // Images too: their bytes as text, enough to check a signature.
    let body = String::from_utf8_lossy(&bytes).into_owned();
    Reply {
        status,
        content_type,
        location,
        body,
    }
}

/// A GET with the request target sent exactly as given (no client normalising `..`);
/// returns the status and everything after the status line.
pub(crate) fn raw_get(addr: &str, target: &str) -> (u16, String) {
    raw_request(
        addr,
        &format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `request` as it is (request line, headers and the empty line); returns the
/// status and everything after the status line.
pub(crate) fn raw_request(addr: &str, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("read timeout");
    stream.write_all(request.as_bytes()).expect("send request");
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status for {request:?}: {text:?}"));
    (status, text)
}

/// Server-sent events, `(event, data)`, read on a thread from a streaming GET.
pub(crate) struct Events {
    rx: Receiver<(String, String)>,
}

impl Events {
    pub(crate) fn open(url: &str) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(20)))
            .timeout_recv_response(Some(Duration::from_secs(20)))
            .build()
            .into();
        let response = agent
            .get(url)
            .call()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        assert_eq!(response.status(), 200, "the event stream answers 200");
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            content_type.starts_with("text/event-stream"),
            "event stream content type: {content_type}"
        );
        let reader = BufReader::new(response.into_body().into_reader());
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (String::new(), Vec::<String>::new());
            for line in reader.lines() {
                let Ok(line) = line else { break };
                if line.is_empty() {
                    if !name.is_empty() || !data.is_empty() {
                        let event = if name.is_empty() { "message" } else { &name };
                        if tx.send((event.to_owned(), data.join("\n"))).is_err() {
                            break;
                        }
                    }
                    (name, data) = (String::new(), Vec::new());
                } else if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim_start().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push(v.strip_prefix(' ').unwrap_or(v).to_owned());
                }
            }
        });
        Self { rx }
    }

    /// The next event within `timeout`.
    pub(crate) fn next(&self, timeout: Duration) -> Option<(String, String)> {
        self.rx.recv_timeout(timeout).ok()
    }

    /// Waits for a `reload` event; browsers drop events without data, so it must have some.
    pub(crate) fn wait_for_reload(&self) {
        let data = self.wait_for("reload");
        assert!(
            !data.is_empty(),
            "a `reload` event without data, which browsers never dispatch"
        );
    }

    /// The data of the next `name` event, skipping others; panics after `CHANGE_TIMEOUT`.
    pub(crate) fn wait_for(&self, name: &str) -> String {
        let deadline = Instant::now() + CHANGE_TIMEOUT;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((event, data)) if event == name => return data,
                Ok((event, _)) => seen.push(event),
                Err(_) => panic!("no `{name}` event within {CHANGE_TIMEOUT:?}; saw {seen:?}"),
            }
        }
    }
}

/// The diagnostics texts of a `failed` event's JSON data.
fn failure_texts(data: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(data)
        .unwrap_or_else(|e| panic!("`failed` data is not JSON ({e}): {data}"));
    let list = value
        .as_array()
        .unwrap_or_else(|| panic!("`failed` data is not a list: {data}"));
    list.iter()
        .map(|d| {
            d["text"]
                .as_str()
                .unwrap_or_else(|| panic!("a diagnostic without text: {data}"))
                .to_owned()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Editing like editors do

pub(crate) fn read(fixture: &Fixture, rel: &str) -> String {
    std::fs::read_to_string(fixture.root().join(rel)).expect("read site file")
}

/// `rel` with its release title replaced.
pub(crate) fn retitled(fixture: &Fixture, rel: &str, title: &str) -> String {
    let text = read(fixture, rel);
    let old = text
        .lines()
        .find(|l| l.starts_with("title: "))
        .expect("a title line")
        .to_owned();
    text.replacen(&old, &format!("title: {title}"), 1)
}

/// Saves like JetBrains IDEs and many others: a temporary file in the same folder,
/// renamed over the original.
pub(crate) fn save_by_rename(fixture: &Fixture, rel: &str, text: &str) {
    let path = fixture.root().join(rel);
    let name = path.file_name().expect("file name").to_string_lossy();
    let temporary = path.with_file_name(format!("{name}___jb_tmp___"));
    std::fs::write(&temporary, text).expect("write temporary file");
    std::fs::rename(&temporary, &path).expect("rename over the original");
}

/// Saves by deleting the file and creating it again.
pub(crate) fn save_by_delete_and_create(fixture: &Fixture, rel: &str, text: &str) {
    let path = fixture.root().join(rel);
    std::fs::remove_file(&path).expect("delete the original");
    std::fs::write(&path, text).expect("create it again");
}

/// Polls a file on disk until `done` holds for its text (a missing file counts as empty).
pub(crate) fn wait_for_file(path: &Path, what: &str, done: impl Fn(&str) -> bool) {
    let deadline = Instant::now() + CHANGE_TIMEOUT;
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if done(&text) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{} did not show {what} within {CHANGE_TIMEOUT:?}",
            path.display()
        );
        std::thread::sleep(POLL);
    }
}
