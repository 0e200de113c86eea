//! `serve` and `build --watch` as a user runs them: the binary in a child process on a
//! free port, real HTTP requests, edits made the way editors save files. Every test
//! copies its own fixture; a `Running` guard kills its child when the test ends, also
//! when it panics, so no server outlives a test. Waits poll with a deadline: the only
//! fixed waits are the quiet periods that show that something did *not* happen.
//!
//! At the end, the incremental `Session` against clean renders of the same state.

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
pub(crate) const RELEASE_ROUTE: &str = "news/amt-und-klinik/";
/// Its date line, and an invalid date that breaks it at line 3, column 7.
pub(crate) const GOOD_DATE: &str = "date: 2024-05-06";
pub(crate) const BAD_DATE: &str = "date: 2024-13-45";
const BAD_LOCATION: &str = "content/news/2024-05-06-amt-und-klinik.md:3:7";
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

    /// The URL of a route of the site (`news/x/`), under the base path.
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
    let mut body = String::new();
    if method != "HEAD" {
        response
            .into_body()
            .into_reader()
            .read_to_string(&mut body)
            .unwrap_or_else(|e| panic!("{method} {url}: reading the body: {e}"));
    }
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

// ---------------------------------------------------------------------------------------
// Serving

#[test]
fn pages_and_files_are_served_with_their_mime_types() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    assert!(
        server.url.ends_with(BASE_PATH),
        "the served site keeps the base path: {}",
        server.url
    );

    for (route, expected) in [
        ("", "text/html; charset=utf-8"),
        (RELEASE_ROUTE, "text/html; charset=utf-8"),
        ("en/news/", "text/html; charset=utf-8"),
        ("style.css", "text/css"),
        ("api/news.json", "application/json"),
        ("robots.txt", "text/plain"),
    ] {
        let reply = server.get(route);
        assert_eq!(reply.status, 200, "GET {route}");
        assert!(
            reply.content_type.starts_with(expected),
            "GET {route}: content type `{}`, expected `{expected}`",
            reply.content_type
        );
    }
    for route in ["atom.xml", "en/atom.xml", "sitemap.xml"] {
        let reply = server.get(route);
        assert_eq!(reply.status, 200, "GET {route}");
        assert!(
            reply.content_type.contains("xml"),
            "GET {route}: content type `{}` is not an XML type",
            reply.content_type
        );
        assert!(
            reply.body.starts_with("<?xml"),
            "GET {route}: {}",
            reply.body
        );
    }
    let news: serde_json::Value =
        serde_json::from_str(&server.get("api/news.json").body).expect("api/news.json parses");
    assert!(news.is_array() || news.is_object(), "api/news.json: {news}");

    let page = server.get(RELEASE_ROUTE);
    assert!(page.body.contains(RELEASE_TITLE), "{}", page.body);
    // Links point at the server, on the base path, not at example.org.
    assert!(
        page.body
            .contains(&format!("{}{}", server.at(BASE_PATH), RELEASE_ROUTE))
            || page
                .body
                .contains(&format!("\"{BASE_PATH}{RELEASE_ROUTE}\"")),
        "the page does not link to itself on the server"
    );
}

#[test]
fn a_directory_is_served_from_its_index_html() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    for route in ["", "news/", RELEASE_ROUTE, "en/partners/"] {
        let directory = server.get(route);
        let index = server.get(&format!("{route}index.html"));
        assert_eq!(directory.status, 200, "GET {route}");
        assert_eq!(index.status, 200, "GET {route}index.html");
        assert_eq!(
            directory.body, index.body,
            "`{route}` and `{route}index.html` differ"
        );
    }
}

#[test]
fn a_directory_without_its_slash_redirects_to_it() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    for route in [
        "news",
        "news/amt-und-klinik",
        "en/partners/uniklinik-saalestadt",
    ] {
        let reply = server.get(route);
        assert!(
            matches!(reply.status, 301 | 308),
            "GET {route}: status {}, expected a permanent redirect",
            reply.status
        );
        let location = reply.location.unwrap_or_default();
        let target = format!("{BASE_PATH}{route}/");
        assert!(
            location == target || location == server.at(&target),
            "GET {route}: redirects to `{location}`, expected `{target}`"
        );
    }
    // The server's root leads to the site on its base path.
    let root = request("GET", &server.at("/"));
    assert!(
        (300..400).contains(&root.status),
        "GET /: status {}",
        root.status
    );
    let location = root.location.unwrap_or_default();
    assert!(
        location == BASE_PATH || location == server.url,
        "GET / redirects to `{location}`"
    );
}

#[test]
fn a_missing_page_gets_the_sites_404_page_with_status_404() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    let not_found_page = server.get("404.html");
    assert_eq!(not_found_page.status, 200);
    for route in ["gibt-es-nicht/", "news/gibt-es-nicht/", "gibt-es-nicht.css"] {
        let reply = server.get(route);
        assert_eq!(reply.status, 404, "GET {route}");
        assert!(
            reply.content_type.starts_with("text/html"),
            "GET {route}: content type `{}`",
            reply.content_type
        );
        assert_eq!(
            reply.body, not_found_page.body,
            "GET {route} does not answer with the site's 404.html"
        );
    }
    assert!(not_found_page.body.contains("Seite nicht gefunden"));
    // Outside the base path too.
    assert_eq!(request("GET", &server.at("/anderswo/")).status, 404);
}

#[test]
fn only_get_and_head_are_allowed() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    let url = server.page(RELEASE_ROUTE);
    let get = request("GET", &url);
    let head = request("HEAD", &url);
    assert_eq!(head.status, 200, "HEAD");
    assert_eq!(head.content_type, get.content_type, "HEAD content type");
    assert!(head.body.is_empty());
    for method in ["POST", "PUT", "DELETE"] {
        assert_eq!(request(method, &url).status, 405, "{method} {url}");
    }
}

#[test]
fn no_path_reaches_a_file_outside_the_output() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    let site_yaml = read(&fixture, "content/site.yaml");
    // From the served site, three levels up is the temporary folder's parent; more `..`
    // reach `/`, so `etc/passwd` is there to be found by a server that follows them.
    for target in [
        "/../",
        "/%2e%2e/",
        "/..%2f..%2fetc/passwd",
        "/sub/path/..%2f..%2fCargo.toml",
        "/../../../../../../../../etc/passwd",
        "/sub/path/../../../../../../../../etc/passwd",
        "/sub/path/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/sub/path/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/sub/path/..%5c..%5c..%5cCargo.toml",
        "/sub/path/../site/content/site.yaml",
        "/sub/path/%2e%2e/site/content/site.yaml",
        "/sub/path/%2e%2e/content/site.yaml",
        "/sub/path/news/..%2f..%2f..%2fsite%2fcontent%2fsite.yaml",
        "/sub/path/%00../etc/passwd",
    ] {
        let (status, response) = raw_get(&server.addr, target);
        assert!(
            status == 400 || status == 404,
            "GET {target}: status {status}, expected 400 or 404"
        );
        for secret in [
            "root:x:0:0",
            "[package]",
            site_yaml.lines().next().unwrap_or("title:"),
        ] {
            assert!(
                !response.contains(secret),
                "GET {target} returned a file from outside the output (it contains `{secret}`)"
            );
        }
    }
}

#[test]
fn a_taken_port_is_a_clear_error_with_exit_code_2() {
    let fixture = Fixture::copy(SPEC_SITE);
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let port = taken
        .local_addr()
        .expect("local address")
        .port()
        .to_string();
    let output = cli()
        .args(["serve", "--port", &port, "--root"])
        .arg(fixture.root())
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run partnerpress serve");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(2),
        "exit code\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}"
    );
    assert!(
        stderr.starts_with("error: ") && stderr.contains(&port) && stderr.contains("port"),
        "the error names the port: {stderr}"
    );
    assert!(
        !stdout.contains("serving at"),
        "it says it serves on a port it could not take: {stdout}"
    );
    drop(taken);
}

#[test]
fn served_html_has_the_live_script_and_the_built_site_does_not() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    for route in ["", RELEASE_ROUTE, "en/", "404.html", "gibt-es-nicht/"] {
        let body = server.get(route).body;
        assert_eq!(
            body.matches(SCRIPT_TAG).count(),
            1,
            "GET {route}: the live-reload script once"
        );
        let script = body.find(SCRIPT_TAG).expect("script");
        assert!(
            body[script..].contains("</body>"),
            "GET {route}: the script goes inside <body>"
        );
    }
    for route in ["style.css", "api/news.json", "atom.xml"] {
        assert!(
            !server.get(route).body.contains("__partnerpress"),
            "GET {route}: the script goes into HTML only"
        );
    }
    let script = request("GET", &server.at("/__partnerpress/live.js"));
    assert_eq!(script.status, 200);
    assert!(
        script.content_type.contains("javascript"),
        "live.js content type: {}",
        script.content_type
    );
    assert!(script.body.contains("/__partnerpress/events"));

    // `build` of the same site: nothing of the preview on disk.
    cli()
        .args(["build", "--root"])
        .arg(fixture.root())
        .arg("--output")
        .arg(fixture.output())
        .assert()
        .success();
    let files = tree(&fixture.output());
    assert!(files.len() > 50, "the build wrote {} files", files.len());
    let leaking: Vec<&String> = files
        .iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains("__partnerpress"))
        .map(|(path, _)| path)
        .collect();
    assert!(
        leaking.is_empty(),
        "built files with the preview script: {leaking:?}"
    );
    assert!(
        !fixture.root().join("public").exists(),
        "serve wrote an output folder"
    );
}

// ---------------------------------------------------------------------------------------
// Rebuilding on edits

#[test]
fn a_save_by_rename_changes_the_served_page() {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut server = Server::start(&fixture);
    server.wait_for_title(RELEASE_TITLE);
    let before = server.process.good_builds();
    save_by_rename(
        &fixture,
        RELEASE,
        &retitled(&fixture, RELEASE, "Umbenannt gespeichert"),
    );
    server.wait_for_title("Umbenannt gespeichert");
    server.process.wait_for_good_build(before);
    assert!(
        !server.get(RELEASE_ROUTE).body.contains(RELEASE_TITLE),
        "the old title is still there"
    );
}

#[test]
fn a_save_by_delete_and_create_changes_the_served_page() {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut server = Server::start(&fixture);
    server.wait_for_title(RELEASE_TITLE);
    let before = server.process.good_builds();
    save_by_delete_and_create(
        &fixture,
        RELEASE,
        &retitled(&fixture, RELEASE, "Neu angelegt gespeichert"),
    );
    server.wait_for_title("Neu angelegt gespeichert");
    server.process.wait_for_good_build(before);
    // Once more, with the editor taking a moment between deleting and creating.
    let text = retitled(&fixture, RELEASE, "Zweimal neu angelegt");
    std::fs::remove_file(fixture.root().join(RELEASE)).expect("delete");
    std::thread::sleep(Duration::from_millis(200));
    std::fs::write(fixture.root().join(RELEASE), text).expect("create");
    server.wait_for_title("Zweimal neu angelegt");
}

#[test]
fn a_burst_of_saves_gives_one_rebuild_or_two() {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut server = Server::start(&fixture);
    server.wait_for_title(RELEASE_TITLE);
    let before = server.process.builds();
    for i in 1..=5 {
        let text = retitled(&fixture, RELEASE, &format!("Schnell gespeichert {i}"));
        std::fs::write(fixture.root().join(RELEASE), text).expect("save");
        std::thread::sleep(Duration::from_millis(5));
    }
    server.wait_for_title("Schnell gespeichert 5");
    server.process.wait_for_good_build(before);
    std::thread::sleep(QUIET);
    let rebuilds = server.process.builds() - before;
    assert!(
        rebuilds <= 2,
        "5 quick saves of one file gave {rebuilds} rebuilds\n{}",
        server.process.transcript()
    );
}

#[test]
fn a_broken_file_keeps_the_last_good_site_and_the_event_stream_says_where() {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut server = Server::start(&fixture);
    let events = server.events();
    let failed_before = server.process.failed_builds();

    fixture.edit(RELEASE, GOOD_DATE, BAD_DATE);
    let data = events.wait_for("failed");
    let texts = failure_texts(&data);
    assert!(
        texts.iter().any(|t| t.contains(BAD_LOCATION)),
        "the `failed` event does not name {BAD_LOCATION}: {texts:?}"
    );
    server
        .process
        .wait_until("report of the failed build", CHANGE_TIMEOUT, |r| {
            r.failed_builds() > failed_before
        });
    assert!(
        server
            .process
            .stderr()
            .iter()
            .any(|l| l.contains(BAD_LOCATION)),
        "the terminal does not show where\n{}",
        server.process.transcript()
    );

    // The last good version stays.
    let page = server.get(RELEASE_ROUTE);
    assert_eq!(page.status, 200, "the broken release's page");
    assert!(page.body.contains(RELEASE_TITLE), "the old content is gone");
    assert_eq!(server.get("").status, 200, "the home page");

    // A page opened now learns of the failure at once.
    let late = server.events();
    match late.next(Duration::from_secs(2)) {
        Some((event, data)) => {
            assert_eq!(event, "failed", "the first event of a new connection");
            assert!(
                failure_texts(&data)
                    .iter()
                    .any(|t| t.contains(BAD_LOCATION)),
                "{data}"
            );
        }
        None => panic!("a new connection did not get the `failed` event"),
    }

    // Fixed (with a new title, to see the new version): reload, and the page shows it.
    let fixed = retitled(&fixture, RELEASE, "Wieder repariert").replacen(BAD_DATE, GOOD_DATE, 1);
    std::fs::write(fixture.root().join(RELEASE), fixed).expect("fix");
    events.wait_for_reload();
    let page = server.get(RELEASE_ROUTE);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Wieder repariert"),
        "after `reload` the page still shows the old version"
    );
    late.wait_for_reload();
}

#[test]
fn the_server_starts_when_the_first_build_fails() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(RELEASE, GOOD_DATE, BAD_DATE);
    let server = Server::start(&fixture);
    for url in [
        server.url.clone(),
        server.at("/"),
        server.page(RELEASE_ROUTE),
    ] {
        let reply = request("GET", &url);
        assert_eq!(reply.status, 503, "GET {url} before the first good build");
        assert!(
            reply.content_type.starts_with("text/html"),
            "GET {url}: {}",
            reply.content_type
        );
        assert!(
            reply.body.contains(BAD_LOCATION),
            "GET {url}: the page does not list the error: {}",
            reply.body
        );
        assert!(
            reply.body.contains(SCRIPT_TAG),
            "GET {url}: the page has no live-reload script"
        );
    }
    let events = server.events();
    match events.next(Duration::from_secs(2)) {
        Some((event, _)) => assert_eq!(event, "failed"),
        None => panic!("no `failed` event for a site that never built"),
    }

    fixture.edit(RELEASE, BAD_DATE, GOOD_DATE);
    events.wait_for_reload();
    server.wait_for_title(RELEASE_TITLE);
    assert_eq!(server.get("").status, 200);
    assert_eq!(server.get("gibt-es-nicht/").status, 404);
}

#[test]
fn editor_temporaries_and_output_writes_do_not_rebuild() {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut server = Server::start(&fixture);
    let news = fixture.root().join("content/news");
    std::fs::write(news.join(".x.md.swp"), "vim swap").expect("swap file");
    std::fs::write(news.join("4913"), "").expect("vim probe");
    std::fs::write(news.join("x.md~"), "backup").expect("backup");
    std::fs::remove_file(news.join("4913")).expect("vim removes its probe");
    server.process.assert_no_rebuild("editor temporary files");

    let output = fixture.root().join("public");
    std::fs::create_dir_all(output.join("news")).expect("output folder");
    std::fs::write(output.join("index.html"), "<p>written by hand</p>").expect("output file");
    std::fs::write(output.join("news/x.html"), "x").expect("output file");
    server
        .process
        .assert_no_rebuild("writing into the output folder");

    // The watcher was alive all along: a real save rebuilds.
    let before = server.process.good_builds();
    fixture.write(RELEASE, &retitled(&fixture, RELEASE, "Echte Aenderung"));
    server.wait_for_title("Echte Aenderung");
    server.process.wait_for_good_build(before);
}

/// The modification time of a site file.
fn modified(fixture: &Fixture, rel: &str) -> SystemTime {
    std::fs::metadata(fixture.root().join(rel))
        .and_then(|m| m.modified())
        .expect("modification time")
}

/// Whole seconds since the epoch.
fn second_of(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

#[test]
fn a_polling_server_sees_a_save() {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut server = Server::start_with(&fixture, &["--poll"]);
    server.wait_for_title(RELEASE_TITLE);
    // A save in a later second than the file's last change (see the next test for
    // one in the same second).
    // (File times come from a coarser clock that can lag `now` by a few milliseconds.)
    let previous = second_of(modified(&fixture, RELEASE));
    while second_of(SystemTime::now() - Duration::from_millis(100)) <= previous {
        std::thread::sleep(POLL);
    }
    let before = server.process.good_builds();
    save_by_rename(
        &fixture,
        RELEASE,
        &retitled(&fixture, RELEASE, "Abgefragt gespeichert"),
    );
    assert!(second_of(modified(&fixture, RELEASE)) > previous);
    server.wait_for_title("Abgefragt gespeichert");
    server.process.wait_for_good_build(before);
    server
        .process
        .assert_no_rebuild("polling an unchanged site");
}

#[test]
fn a_polling_server_sees_a_save_in_the_same_second_as_the_last_change() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start_with(&fixture, &["--poll"]);
    server.wait_for_title(RELEASE_TITLE);
    // Two saves within one second (a quick fix of a typo, a formatter running on save),
    // written in place like VS Code does, so the folder does not change, only the
    // file: its new modification time is in the same whole second as the old one's.
    // The time is set explicitly (the last nanosecond of that second: later than the
    // old version, same second) so that the test does not depend on the clock.
    let previous = modified(&fixture, RELEASE);
    let same_second =
        UNIX_EPOCH + Duration::from_secs(second_of(previous)) + Duration::from_nanos(999_999_999);
    let text = retitled(&fixture, RELEASE, "In derselben Sekunde");
    let mut file = std::fs::File::options()
        .write(true)
        .truncate(true)
        .open(fixture.root().join(RELEASE))
        .expect("open for saving");
    file.write_all(text.as_bytes()).expect("save");
    file.set_modified(same_second)
        .expect("set the modification time");
    drop(file);
    assert_eq!(second_of(modified(&fixture, RELEASE)), second_of(previous));
    server.wait_for_title("In derselben Sekunde");
}

// ---------------------------------------------------------------------------------------
// build --watch

#[test]
fn build_watch_writes_each_change_and_keeps_the_output_when_broken() {
    let fixture = Fixture::copy(SPEC_SITE);
    let out = fixture.output();
    let page = out.join(RELEASE_ROUTE).join("index.html");
    let mut watch = build_watch(&fixture, &out);
    assert!(
        page.is_file(),
        "the first build wrote no {}",
        page.display()
    );
    assert!(read_file(&page).contains(RELEASE_TITLE));
    watch.assert_no_rebuild("writing the output");

    let before = watch.good_builds();
    save_by_rename(
        &fixture,
        RELEASE,
        &retitled(&fixture, RELEASE, "Beobachtet gebaut"),
    );
    wait_for_file(&page, "the new title", |text| {
        text.contains("Beobachtet gebaut")
    });
    watch.wait_for_good_build(before);
    assert!(
        !tree(&out)
            .values()
            .any(|bytes| String::from_utf8_lossy(bytes).contains("__partnerpress")),
        "build --watch wrote the preview script"
    );

    // Broken: reported, and the output stays as it was, whole.
    let good = tree(&out);
    let failed_before = watch.failed_builds();
    fixture.edit(RELEASE, GOOD_DATE, BAD_DATE);
    watch.wait_until("report of the failed build", CHANGE_TIMEOUT, |r| {
        r.failed_builds() > failed_before
    });
    assert!(
        watch.stderr().iter().any(|l| l.contains(BAD_LOCATION)),
        "the error is not located\n{}",
        watch.transcript()
    );
    assert!(tree(&out) == good, "a failed build changed the output");

    // Fixed: written again.
    let fixed =
        retitled(&fixture, RELEASE, "Beobachtet repariert").replacen(BAD_DATE, GOOD_DATE, 1);
    std::fs::write(fixture.root().join(RELEASE), fixed).expect("fix");
    wait_for_file(&page, "the fixed title", |text| {
        text.contains("Beobachtet repariert")
    });
}

/// `build --watch` runs the same build as `build`: every page (handed to the streaming
/// writer while rendering) is written, and the next embargo is named.
#[test]
fn build_watch_writes_what_build_writes_and_names_the_next_embargo() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.write(
        "content/news/2026-11-30-geheime-fusion.md",
        "---\ntitle: Klinikum Südhöhe fusioniert\ndate: 2026-11-30\n\
         partners: [klinikum-suedhoehe]\nembargo: 2026-12-01T10:00:00+01:00\n---\n",
    );
    let now = "2026-11-01T00:00:00Z";
    let out = fixture.output();
    let mut watch = build_watch_with(&fixture, &out, &["--now", now]);
    let notice = "next embargo: 2026-11-30-geheime-fusion at 2026-12-01T10:00:00+01:00";
    watch.wait_until("the next-embargo notice", CHANGE_TIMEOUT, |r| {
        r.stdout().iter().any(|l| l == notice)
    });

    let reference = fixture.root().with_file_name("reference");
    let report = Session::once(partnerpress::BuildOptions {
        output: Some(reference.clone()),
        now: Some(now.parse().expect("timestamp")),
        ..fixture.options()
    })
    .run(Mode::Build)
    .expect("build");
    assert!(report.published, "{:#?}", report.diagnostics);
    let (watched, built) = (tree(&out), tree(&reference));
    assert!(built.len() > 50, "{} files", built.len());
    assert!(
        watched == built,
        "build --watch and build wrote different sites: {:?}",
        watched
            .keys()
            .filter(|p| watched.get(*p) != built.get(*p))
            .chain(built.keys().filter(|p| !watched.contains_key(*p)))
            .take(5)
            .collect::<Vec<_>>()
    );
}

pub(crate) fn read_file(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
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

// ---------------------------------------------------------------------------------------
// Incremental rebuilds in the library

/// What one render gave: every file, or the rendered errors when there is no site.
#[derive(PartialEq)]
enum Rendered {
    Site(BTreeMap<String, Vec<u8>>),
    Failed(Vec<String>),
}

fn rendered(report: BuildReport) -> Rendered {
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render())
        .collect();
    match report.site {
        Some(site) if errors.is_empty() => {
            let mut files = BTreeMap::new();
            for file in site.files {
                let path = file.path.clone();
                assert!(
                    files.insert(file.path, file.contents.to_vec()).is_none(),
                    "`{path}` rendered twice"
                );
            }
            Rendered::Site(files)
        }
        _ => Rendered::Failed(errors),
    }
}

/// Why two renders differ, in a few lines.
fn explain(incremental: &Rendered, clean: &Rendered) -> String {
    match (incremental, clean) {
        (Rendered::Site(a), Rendered::Site(b)) => {
            let mut lines = Vec::new();
            for (path, bytes) in a {
                match b.get(path) {
                    None => lines.push(format!("only incremental: {path}")),
                    Some(other) if other != bytes => {
                        let (a, b) = (
                            String::from_utf8_lossy(bytes),
                            String::from_utf8_lossy(other),
                        );
                        let at = a
                            .bytes()
                            .zip(b.bytes())
                            .position(|(x, y)| x != y)
                            .unwrap_or(a.len().min(b.len()));
                        lines.push(format!(
                            "differs: {path}\n  incremental: …{}…\n  clean:       …{}…",
                            around(&a, at),
                            around(&b, at)
                        ));
                    }
                    Some(_) => {}
                }
            }
            lines.extend(
                b.keys()
                    .filter(|p| !a.contains_key(*p))
                    .map(|p| format!("only clean: {p}")),
            );
            lines.truncate(12);
            lines.join("\n")
        }
        (Rendered::Failed(a), Rendered::Failed(b)) => {
            format!(
                "incremental errors:\n{}\nclean errors:\n{}",
                a.join("\n"),
                b.join("\n")
            )
        }
        (Rendered::Site(_), Rendered::Failed(e)) => {
            format!("incremental built a site, clean failed:\n{}", e.join("\n"))
        }
        (Rendered::Failed(e), Rendered::Site(_)) => {
            format!("clean built a site, incremental failed:\n{}", e.join("\n"))
        }
    }
}

/// Up to 60 bytes either side of byte `at` of `text`, cut at character boundaries.
fn around(text: &str, at: usize) -> &str {
    let boundary = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    &text[boundary(at.saturating_sub(60))..boundary(at + 60)]
}

/// One step of the edit sequence.
type Edit = Box<dyn Fn(&Fixture)>;

#[test]
fn incremental_rebuilds_equal_clean_builds_after_every_edit() {
    let fixture = Fixture::copy(SPEC_SITE);
    let opts = fixture.options();
    let mut session = Session::new(opts.clone());
    let new_release = "content/news/2024-08-01-neue-meldung.md";
    let steps: Vec<(&str, Edit)> = vec![
        ("the first render", Box::new(|_| {})),
        (
            "a release title",
            Box::new(|f| f.write(RELEASE, &retitled(f, RELEASE, "Inkrementell neuer Titel"))),
        ),
        (
            "an institution's name, on many pages",
            Box::new(|f| {
                f.edit(
                    "content/institutions/uniklinik-saalestadt.md",
                    "name: Universitätsklinikum Saalestadt",
                    "name: Universitätsklinikum Neu-Saalestadt",
                )
            }),
        ),
        (
            "a new release",
            Box::new(move |f| {
                f.write(
                    new_release,
                    "---\ntitle: Eine ganz neue Meldung\ndate: 2024-08-01\n\
                     partners: [uniklinik-saalestadt, klinikum-suedhoehe]\n\
                     summary: Neu hinzugefügt.\ntopics: [Übergangspflege]\n---\n\n\
                     Das Universitätsklinikum Saalestadt meldet etwas Neues.\n",
                )
            }),
        ),
        (
            "a deleted release",
            Box::new(|f| {
                std::fs::remove_file(f.root().join("content/news/2024-06-10-ohne-autolink.md"))
                    .expect("delete a release")
            }),
        ),
        (
            "the site title",
            Box::new(|f| {
                f.edit(
                    "content/site.yaml",
                    "title: Testnetz Klinikpartnerschaften",
                    "title: Testnetz der Klinikpartnerschaften",
                )
            }),
        ),
        (
            "a broken release",
            Box::new(|f| f.edit(RELEASE, GOOD_DATE, BAD_DATE)),
        ),
        (
            "the fixed release",
            Box::new(|f| f.edit(RELEASE, BAD_DATE, GOOD_DATE)),
        ),
        (
            "the new release, deleted again",
            Box::new(move |f| {
                std::fs::remove_file(f.root().join(new_release)).expect("delete the new release")
            }),
        ),
    ];
    for (step, edit) in steps {
        edit(&fixture);
        let incremental = rendered(session.run(Mode::Serve).expect("incremental render"));
        let clean = rendered(
            Session::once(opts.clone())
                .run(Mode::Serve)
                .expect("clean render"),
        );
        assert!(
            incremental == clean,
            "after {step}, the incremental render differs from a clean one:\n{}",
            explain(&incremental, &clean)
        );
        let expect_failure = step == "a broken release";
        assert_eq!(
            matches!(clean, Rendered::Failed(_)),
            expect_failure,
            "after {step}: {}",
            match &clean {
                Rendered::Failed(e) => e.join("\n"),
                Rendered::Site(_) => "a site".to_owned(),
            }
        );
    }
}

#[test]
fn a_title_edit_renders_few_pages_again() {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut session = Session::new(fixture.options());
    let mut render = || {
        let report = session.run(Mode::Serve).expect("render in memory");
        assert!(report.site.is_some(), "{:#?}", report.diagnostics);
        (report.pages_rendered, report.pages_reused)
    };
    let (rendered, reused) = render();
    let total = rendered + reused;
    assert_eq!(reused, 0, "the first render reused {reused} pages");
    assert!(total > 50, "{total} pages");

    fixture.write(RELEASE, &retitled(&fixture, RELEASE, "Nur der Titel"));
    let (rendered, reused) = render();
    assert_eq!(rendered + reused, total, "the page count changed");
    assert!(
        rendered >= 1 && rendered * 3 <= total,
        "a title edit rendered {rendered} of {total} pages again"
    );

    // Nothing changed: nothing rendered.
    let (rendered, _) = render();
    assert_eq!(rendered, 0, "an unchanged site rendered pages");
}
