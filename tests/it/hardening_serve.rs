//! Issue 11, serve and watch: the preview answers only this machine's host names and
//! local pages (DNS rebinding); `build --watch` survives a failed write; the watchers
//! follow `content/` and `themes/` when they are deleted, restored or created later.
//! The binary runs as a child process with the helpers of `serve.rs`.

use crate::harness::{Fixture, SPEC_SITE, copy_dir};
use crate::serve::{
    BASE_PATH, CHANGE_TIMEOUT, RELEASE, RELEASE_ROUTE, RELEASE_TITLE, Running, Server, build_watch,
    raw_request, retitled, save_by_rename, wait_for_file,
};

const EVENTS: &str = "/__partnerpress/events";
const LIVE_JS: &str = "/__partnerpress/live.js";

/// A GET of `target` with `headers` (`Name: value` lines) sent as given.
fn get_with(server: &Server, target: &str, headers: &[String]) -> (u16, String) {
    let mut request = format!("GET {target} HTTP/1.1\r\n");
    for header in headers {
        request.push_str(header);
        request.push_str("\r\n");
    }
    request.push_str("Connection: close\r\n\r\n");
    raw_request(&server.addr, &request)
}

fn port(server: &Server) -> &str {
    server.addr.rsplit(':').next().expect("a port")
}

fn release_target() -> String {
    format!("{BASE_PATH}{RELEASE_ROUTE}")
}

/// The routes a page of another site would read: a page, the event stream (it carries
/// the build errors, with file names and lines), the script and the root redirect.
fn every_kind_of_route() -> Vec<String> {
    vec![
        release_target(),
        EVENTS.to_owned(),
        LIVE_JS.to_owned(),
        "/".to_owned(),
    ]
}

fn assert_refused(status: u16, text: &str, what: &str) {
    assert_eq!(status, 403, "{what} was answered:\n{text}");
    assert!(
        !text.contains(RELEASE_TITLE) && !text.contains("<html"),
        "the refusal of {what} carries page content:\n{text}"
    );
    assert!(
        text.to_ascii_lowercase()
            .contains("content-type: text/plain"),
        "the refusal of {what} is not plain text:\n{text}"
    );
}

// ---------------------------------------------------------------------------------------
// Host and Origin (DNS rebinding)

#[test]
fn a_foreign_host_name_is_refused_with_403_and_no_page_content() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    let port = port(&server);
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("192.168.1.5:{port}"),
    ] {
        for target in every_kind_of_route() {
            let (status, text) = get_with(&server, &target, &[format!("Host: {host}")]);
            assert_refused(status, &text, &format!("`{target}` for Host `{host}`"));
            assert!(
                text.contains("DNS rebinding"),
                "the refusal does not say why:\n{text}"
            );
        }
    }
}

#[test]
fn loopback_host_names_are_answered_with_and_without_port() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    let port = port(&server);
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("preview.localhost:{port}"),
        "localhost".to_owned(),
        "[::1]".to_owned(),
    ] {
        let (status, text) = get_with(&server, &release_target(), &[format!("Host: {host}")]);
        assert_eq!(status, 200, "Host `{host}` refused:\n{text}");
        assert!(text.contains(RELEASE_TITLE), "Host `{host}`: not the page");
    }
}

#[test]
fn a_request_target_naming_another_host_is_refused() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    let (status, text) = get_with(
        &server,
        &format!("http://evil.example{}", release_target()),
        &[format!("Host: {}", server.addr)],
    );
    assert_refused(status, &text, "an absolute-form target for evil.example");
}

#[test]
fn a_request_without_host_is_answered() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    let (status, text) = raw_request(
        &server.addr,
        &format!("GET {} HTTP/1.0\r\n\r\n", release_target()),
    );
    assert_eq!(status, 200, "an HTTP/1.0 request without Host:\n{text}");
    assert!(text.contains(RELEASE_TITLE));
}

#[test]
fn a_cross_site_origin_is_refused_on_every_route_including_the_event_stream() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start(&fixture);
    let host = format!("Host: {}", server.addr);
    for origin in [
        "https://evil.example",
        "http://localhost.evil.example",
        "null",
    ] {
        for target in every_kind_of_route() {
            let (status, text) = get_with(
                &server,
                &target,
                &[host.clone(), format!("Origin: {origin}")],
            );
            assert_refused(status, &text, &format!("`{target}` from Origin `{origin}`"));
        }
    }
    for origin in [
        format!("http://{}", server.addr),
        format!("http://localhost:{}", port(&server)),
        "http://localhost:5173".to_owned(),
    ] {
        let (status, text) = get_with(
            &server,
            &release_target(),
            &[host.clone(), format!("Origin: {origin}")],
        );
        assert_eq!(status, 200, "local Origin `{origin}` refused:\n{text}");
    }
}

#[test]
fn bound_to_all_interfaces_ip_addresses_are_answered_but_names_are_not() {
    let fixture = Fixture::copy(SPEC_SITE);
    let server = Server::start_with(&fixture, &["--bind", "0.0.0.0"]);
    let port = port(&server);
    let (status, text) = get_with(
        &server,
        &release_target(),
        &[format!("Host: 192.0.2.7:{port}")],
    );
    assert_eq!(
        status, 200,
        "an IP address refused with --bind 0.0.0.0:\n{text}"
    );
    let (status, text) = get_with(
        &server,
        &release_target(),
        &[format!("Host: evil.example:{port}")],
    );
    assert_refused(status, &text, "a host name with --bind 0.0.0.0");
}

// ---------------------------------------------------------------------------------------
// build --watch and failed writes

#[test]
fn build_watch_reports_a_failed_write_keeps_watching_and_writes_after_the_fix() {
    let fixture = Fixture::copy(SPEC_SITE);
    let folder = fixture.output().with_file_name("deploy");
    let out = folder.join("public");
    let page = out.join(RELEASE_ROUTE).join("index.html");
    let mut watch = build_watch(&fixture, &out);

    // The output's folder becomes a plain file: no write can succeed, as root neither.
    let moved = folder.with_file_name("deploy.moved");
    std::fs::rename(&folder, &moved).expect("move the output's folder away");
    std::fs::write(&folder, "not a folder").expect("a file in its place");
    let failed_before = watch.failed_builds();
    save_by_rename(
        &fixture,
        RELEASE,
        &retitled(&fixture, RELEASE, "Nicht schreibbar"),
    );
    watch.wait_until("report of the failed write", CHANGE_TIMEOUT, |r| {
        r.failed_builds() > failed_before
    });
    assert!(
        watch.child.try_wait().expect("child status").is_none(),
        "build --watch quit after a failed write\n{}",
        watch.transcript()
    );
    let folder_name = folder.display().to_string();
    assert!(
        watch
            .stderr()
            .iter()
            .any(|l| l.contains("cannot write the site") && l.contains(&folder_name)),
        "the failed write is not reported with the path\n{}",
        watch.transcript()
    );

    // Fixed: the next change writes the site.
    std::fs::remove_file(&folder).expect("remove the file");
    std::fs::rename(&moved, &folder).expect("move the output's folder back");
    let before = watch.good_builds();
    save_by_rename(
        &fixture,
        RELEASE,
        &retitled(&fixture, RELEASE, "Wieder schreibbar"),
    );
    wait_for_file(&page, "the title written after the fix", |text| {
        text.contains("Wieder schreibbar")
    });
    watch.wait_for_good_build(before);
}

#[test]
fn build_watch_never_replaces_a_file_put_where_the_output_was() {
    let fixture = Fixture::copy(SPEC_SITE);
    let out = fixture.output();
    let mut watch = build_watch(&fixture, &out);
    std::fs::remove_dir_all(&out).expect("remove the output");
    std::fs::write(&out, "the user's notes").expect("a file in its place");
    let failed_before = watch.failed_builds();
    save_by_rename(&fixture, RELEASE, &retitled(&fixture, RELEASE, "Neu"));
    watch.wait_until("refusal", CHANGE_TIMEOUT, |r| {
        r.failed_builds() > failed_before
    });
    assert_eq!(
        std::fs::read_to_string(&out).expect("the file is still there"),
        "the user's notes",
        "{}",
        watch.transcript()
    );
    assert!(
        watch.stderr().iter().any(|l| l.contains("refusing")),
        "{}",
        watch.transcript()
    );
}

// ---------------------------------------------------------------------------------------
// Watching content/ and themes/ when they go, come back or appear

/// A theme override of the partners page (see `theme.rs`), with `marker` in it.
fn partners_override(marker: &str) -> String {
    format!("{{% extends \"base.html\" %}}{{% block main %}}<h1>{marker}</h1>{{% endblock main %}}")
}

const PARTNERS_TEMPLATE: &str = "themes/default/templates/partners.html";

/// Removes `content/` and restores it from a copy, waiting in between until the server
/// has rebuilt without it.
fn delete_and_restore_content(fixture: &Fixture, process: &mut Running) {
    let content = fixture.root().join("content");
    let backup = fixture.root().with_file_name("content.backup");
    copy_dir(&content, &backup);
    let before = process.builds();
    std::fs::remove_dir_all(&content).expect("delete content/");
    process.wait_until("a rebuild without content/", CHANGE_TIMEOUT, |r| {
        r.builds() > before
    });
    let before = process.good_builds();
    copy_dir(&backup, &content);
    process.wait_until(
        "a good rebuild after content/ came back",
        CHANGE_TIMEOUT,
        |r| r.good_builds() > before,
    );
}

fn serve_sees_edits_after_content_is_deleted_and_restored_with(options: &[&str]) {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut server = Server::start_with(&fixture, options);
    delete_and_restore_content(&fixture, &mut server.process);
    let title = "Nach dem Wiederherstellen";
    save_by_rename(&fixture, RELEASE, &retitled(&fixture, RELEASE, title));
    server.wait_for_title(title);
}

#[test]
fn serve_sees_edits_after_content_is_deleted_and_restored() {
    serve_sees_edits_after_content_is_deleted_and_restored_with(&[]);
}

#[test]
fn a_polling_server_sees_edits_after_content_is_deleted_and_restored() {
    serve_sees_edits_after_content_is_deleted_and_restored_with(&["--poll"]);
}

#[test]
fn serve_sees_edits_after_content_is_renamed_away_and_back() {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut server = Server::start(&fixture);
    let content = fixture.root().join("content");
    let away = fixture.root().join("content.away");
    let before = server.process.builds();
    std::fs::rename(&content, &away).expect("rename content/ away");
    server
        .process
        .wait_until("a rebuild without content/", CHANGE_TIMEOUT, |r| {
            r.builds() > before
        });
    let before = server.process.good_builds();
    std::fs::rename(&away, &content).expect("rename content/ back");
    server.process.wait_for_good_build(before);
    let title = "Nach dem Zurueckbenennen";
    save_by_rename(&fixture, RELEASE, &retitled(&fixture, RELEASE, title));
    server.wait_for_title(title);
}

#[test]
fn build_watch_sees_edits_after_content_is_deleted_and_restored() {
    let fixture = Fixture::copy(SPEC_SITE);
    let out = fixture.output();
    let page = out.join(RELEASE_ROUTE).join("index.html");
    let mut watch = build_watch(&fixture, &out);
    delete_and_restore_content(&fixture, &mut watch);
    let title = "Beobachtet nach dem Wiederherstellen";
    save_by_rename(&fixture, RELEASE, &retitled(&fixture, RELEASE, title));
    wait_for_file(&page, "the title of the edit", |text| text.contains(title));
}

#[test]
fn a_themes_folder_created_after_serve_started_is_watched() {
    a_themes_folder_created_after_start_is_watched_with(&[]);
}

#[test]
fn a_themes_folder_created_after_a_polling_server_started_is_watched() {
    a_themes_folder_created_after_start_is_watched_with(&["--poll"]);
}

fn a_themes_folder_created_after_start_is_watched_with(options: &[&str]) {
    let fixture = Fixture::copy(SPEC_SITE);
    assert!(!fixture.root().join("themes").exists());
    let server = Server::start_with(&fixture, options);
    fixture.write(
        PARTNERS_TEMPLATE,
        &partners_override("EIGENE-PARTNER-SEITE"),
    );
    server.wait_for_page("partner/", "the new theme's template", |r| {
        r.status == 200 && r.body.contains("EIGENE-PARTNER-SEITE")
    });
    // And its files are watched from then on.
    fixture.write(
        PARTNERS_TEMPLATE,
        &partners_override("GEAENDERTE-PARTNER-SEITE"),
    );
    server.wait_for_page("partner/", "the edited template", |r| {
        r.status == 200 && r.body.contains("GEAENDERTE-PARTNER-SEITE")
    });
}

#[test]
fn a_themes_folder_deleted_and_created_again_is_watched() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.write(PARTNERS_TEMPLATE, &partners_override("ERSTE-PARTNER-SEITE"));
    let server = Server::start(&fixture);
    assert!(server.get("partner/").body.contains("ERSTE-PARTNER-SEITE"));
    std::fs::remove_dir_all(fixture.root().join("themes")).expect("delete themes/");
    server.wait_for_page("partner/", "the built-in template", |r| {
        r.status == 200 && !r.body.contains("ERSTE-PARTNER-SEITE")
    });
    fixture.write(
        PARTNERS_TEMPLATE,
        &partners_override("ZWEITE-PARTNER-SEITE"),
    );
    server.wait_for_page("partner/", "the re-created theme", |r| {
        r.body.contains("ZWEITE-PARTNER-SEITE")
    });
    fixture.write(
        PARTNERS_TEMPLATE,
        &partners_override("DRITTE-PARTNER-SEITE"),
    );
    server.wait_for_page("partner/", "an edit in the re-created theme", |r| {
        r.body.contains("DRITTE-PARTNER-SEITE")
    });
}
