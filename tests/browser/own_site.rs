//! The project's own site, built in-process and served by a small static server, for the print, width and privacy tests.

use super::*;

// ---- the project's own site: print, screen widths, privacy ----------------------------

/// What provides the browser test's tools, for the skip and failure messages.
pub(crate) const BROWSER_PACKAGES: &str = "apt-get install chromium chromium-driver poppler-utils";

/// Every page kind (`kind-…` on `<body>`, `page.kind` in templates); the site must have
/// each in every language (the 404 page is one file, shown for missing paths of both).
pub(crate) const PAGE_KINDS: &[&str] = &[
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
pub(crate) const WIDTHS: &[u32] = &[390, 1280];

/// `found`, or `None` after printing why the test is skipped; a failure instead when
/// `PARTNERPRESS_REQUIRE_BROWSER` is set (CI).
pub(crate) fn require<T>(what: &str, found: Result<T, String>, install: &str) -> Option<T> {
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
pub(crate) fn chromium() -> Result<PathBuf, String> {
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

pub(crate) fn on_path(name: &str) -> Result<PathBuf, String> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
        .ok_or_else(|| format!("`{name}` is not on PATH"))
}

/// Runs `body` with a fresh Chromium session (chromedriver in its own process group,
/// a fresh profile, `extra` flags, the network log if `network_log`); the session is
/// closed even when `body` panics, and the panic is passed on. `body` gets the session
/// and chromedriver's port.
pub(crate) fn in_browser<T: Send + 'static, F: Future<Output = T> + Send + 'static>(
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
pub(crate) struct OwnSite {
    pub(crate) _tmp: tempfile::TempDir,
    pub(crate) dir: PathBuf,
    pub(crate) pages: Vec<SitePage>,
}

/// One HTML page of the built site.
pub(crate) struct SitePage {
    /// The file under the output folder (`en/partners/x/index.html`, `404.html`).
    pub(crate) file: String,
    /// Its address under the site root (`en/partners/x/`, `404.html`).
    pub(crate) route: String,
    pub(crate) kind: String,
    pub(crate) lang: String,
}

impl OwnSite {
    pub(crate) fn build() -> Self {
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
            let text = std::fs::read_to_string(&path).expect("read a page");
            // Redirect pages from old addresses (`former_segments:`) are no page of a kind.
            if text.contains("<meta http-equiv=\"refresh\"") {
                continue;
            }
            let doc = scraper::Html::parse_document(&text);
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
    pub(crate) fn urls(&self, base: &str) -> Vec<String> {
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
pub(crate) struct StaticServer {
    /// `http://127.0.0.1:PORT`
    pub(crate) origin: String,
    /// `http://127.0.0.1:PORT/`
    pub(crate) url: String,
    pub(crate) port: u16,
    pub(crate) stop: Arc<std::sync::atomic::AtomicBool>,
}

impl StaticServer {
    pub(crate) fn start(root: &Path) -> Self {
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
pub(crate) fn request_line(stream: &TcpStream) -> Option<String> {
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

pub(crate) fn serve_file(mut stream: TcpStream, root: &Path) {
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
pub(crate) struct Recorder {
    pub(crate) port: u16,
    pub(crate) log: Arc<Mutex<Vec<String>>>,
    pub(crate) stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Recorder {
    pub(crate) fn start() -> Self {
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
