//! `serve` answering requests: MIME types, indexes, redirects, 404, methods, paths, ports, the live script.

use super::*;

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
    // Its share card, read from the site's card cache when asked for.
    let at = page
        .body
        .find("share.")
        .expect("the page names its share card");
    let card = format!(
        "{RELEASE_ROUTE}{}",
        &page.body[at..at + "share.12345678.png".len()]
    );
    let reply = server.get(&card);
    assert_eq!(reply.status, 200, "GET {card}");
    assert_eq!(reply.content_type, "image/png", "GET {card}");
    assert!(
        reply.body.starts_with("\u{fffd}PNG"),
        "GET {card}: not a PNG"
    );
    // Its press kit, read from the site's kit cache too.
    let end = page
        .body
        .find(".zip\"")
        .expect("the page links its press kit")
        + 4;
    let start = page.body[..end].rfind('"').expect("a quoted link") + 1;
    let kit = page.body[start..end].to_owned();
    let route = kit
        .trim_start_matches(&server.at(""))
        .trim_start_matches(BASE_PATH);
    let reply = server.get(route);
    assert_eq!(reply.status, 200, "GET {kit}");
    assert_eq!(reply.content_type, "application/zip", "GET {kit}");
    assert!(
        reply.body.starts_with("PK\u{3}\u{4}"),
        "GET {kit}: not a ZIP"
    );
}

#[test]
fn a_directory_is_served_from_its_index_html() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    for route in ["", "nachrichten/", RELEASE_ROUTE, "en/partners/"] {
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
        "nachrichten",
        "nachrichten/amt-und-klinik",
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
    for route in [
        "gibt-es-nicht/",
        "nachrichten/gibt-es-nicht/",
        "gibt-es-nicht.css",
    ] {
        let reply = server.get(route);
        assert_eq!(reply.status, 404, "GET {route}");
        assert!(
            reply.content_type.starts_with("text/html"),
            "GET {route}: content type `{}`",
            reply.content_type
        );
        // The preview adds a note on the drafts it hides after `<main …>`; the rest is
        // the site's 404.html.
        let body = match reply.body.find("<p class=\"preview-note\"") {
            Some(start) => {
                let end = start + reply.body[start..].find("</p>").unwrap() + "</p>".len();
                // The spec-site is German: the preview speaks its default language.
                let note = &reply.body[start..end];
                assert!(
                    note.contains("Vorschau: ")
                        && note.contains("ausgeblendet (mit --drafts sichtbar)"),
                    "{note}"
                );
                format!("{}{}", &reply.body[..start], &reply.body[end..])
            }
            None => reply.body.clone(),
        };
        assert_eq!(
            body, not_found_page.body,
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
        "/sub/path/nachrichten/..%2f..%2f..%2fsite%2fcontent%2fsite.yaml",
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
