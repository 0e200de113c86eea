//! `serve` rebuilding on edits the way editors save, keeping the last good site when one breaks.

use super::*;

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

    let bad_location = break_date(&fixture);
    let data = events.wait_for("failed");
    let texts = failure_texts(&data);
    assert!(
        texts.iter().any(|t| t.contains(&bad_location)),
        "the `failed` event does not name {bad_location}: {texts:?}"
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
            .any(|l| l.contains(&bad_location)),
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
                    .any(|t| t.contains(&bad_location)),
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
    let bad_location = break_date(&fixture);
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
            reply.body.contains(&bad_location),
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
