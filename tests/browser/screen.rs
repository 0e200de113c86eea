//! No page scrolls sideways at 390 or 1280 px, none requests anything from another origin,
//! and on a phone the header leaves the first screen to the page.

use super::*;

#[test]
pub(crate) fn no_page_overflows_sideways_at_390_or_1280_px_and_phone_headers_stay_small() {
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
                if width == PHONE_WIDTH {
                    let header = within(STEP, "measure the header", client.execute(HEADER, vec![]))
                        .await
                        .unwrap_or_else(|e| panic!("cannot measure {url}: {e}"));
                    let height = header.as_f64().unwrap_or(f64::MAX);
                    if height > MAX_PHONE_HEADER {
                        problems.push(format!(
                            "{width} px: {url}: the header is {height:.0} px high, more than \
                             {MAX_PHONE_HEADER:.0} px (15 % of an 844 px phone screen)"
                        ));
                    }
                }
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

/// The phone width at which the header's height is measured.
const PHONE_WIDTH: u32 = 390;
/// 15 % of an 844 px high phone screen (issue 15).
const MAX_PHONE_HEADER: f64 = 844.0 * 0.15;
/// The site header's height in CSS pixels.
const HEADER: &str =
    "return document.querySelector('.site-header').getBoundingClientRect().height;";

/// Whether the page scrolls sideways, and the outermost elements that stick out.
pub(crate) const OVERFLOW: &str = "const inner = window.innerWidth;
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
pub(crate) async fn set_viewport_width(client: &Client, width: u32) {
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
pub(crate) fn no_page_requests_anything_from_another_origin() {
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
pub(crate) fn network_log(port: u16, session: &str, tab: &str) -> Vec<String> {
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
pub(crate) const LOADED: &str = "const done = arguments[arguments.length - 1];
    const list = () => done([location.href]
      .concat(performance.getEntriesByType('navigation').map(e => e.name))
      .concat(performance.getEntriesByType('resource').map(e => e.name)));
    (document.fonts ? document.fonts.ready : Promise.resolve())
      .then(() => setTimeout(list, 50), () => setTimeout(list, 50));";

/// Absolute (`http:`, `https:`, `//`) addresses in what a browser loads by itself:
/// `src`, `srcset`, `poster`, `data`, `<link>`s that fetch (stylesheet, icon, preload,
/// preconnect …), `url()` and `@import` in CSS and `style`, addresses in scripts.
/// Links the visitor follows (`<a>`, canonical, alternate) are not loads.
pub(crate) fn foreign_loads(dir: &Path) -> Vec<String> {
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

pub(crate) fn is_absolute(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    url.starts_with("http:") || url.starts_with("https:") || url.starts_with("//")
}

/// Absolute addresses of `url(…)` and `@import` in a style sheet.
pub(crate) fn css_loads(css: &str) -> Vec<String> {
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

pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
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
