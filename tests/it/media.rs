//! Photos, logos and graphics (`content/media/`): a file is published only when
//! published content uses it; one used only by an embargoed or draft release is in no
//! output until the release is (or with `--drafts`); `check` sees the same files
//! without writing any. The fixture's graphics are SVG (published as they are).

use crate::harness::{Fixture, Site};
use partnerpress::{BuildOptions, Mode, Session};

const CASE: &str = "media";
/// Before the fixture's embargo (2030-01-01T10:00+01:00) and after it.
const BEFORE: &str = "2026-01-01T00:00:00Z";
const AFTER: &str = "2030-01-02T00:00:00Z";
const EMBARGOED_RELEASE: &str = "content/news/2025-07-01-neubau.md";

fn options(fixture: &Fixture, now: &str, drafts: bool) -> BuildOptions {
    BuildOptions {
        now: Some(now.parse().expect("timestamp")),
        drafts,
        ..fixture.options()
    }
}

fn build(now: &str, drafts: bool) -> Site {
    let fixture = Fixture::copy(CASE);
    let opts = options(&fixture, now, drafts);
    fixture.build_with(&opts)
}

/// The output's files under `media/`, without the media library's page.
fn media_files(site: &Site) -> Vec<String> {
    let files = site.files().into_iter();
    files
        .filter(|f| f.starts_with("media/") && f != "medien/index.html")
        .collect()
}

#[test]
fn only_files_that_published_content_uses_are_published() {
    let site = build(BEFORE, false);
    assert_eq!(
        media_files(&site),
        ["media/grafiken/netzwerk.svg", "media/logos/suedhoehe.svg"],
        "the embargoed release's, the draft's and the unused graphic are left out"
    );
    let original = std::fs::read(site.file("media/grafiken/netzwerk.svg")).expect("read");
    assert!(String::from_utf8_lossy(&original).contains("#2a7"));
}

#[test]
fn an_embargoed_release_s_graphic_is_published_when_the_embargo_lifts() {
    let site = build(AFTER, false);
    assert!(
        site.exists("media/grafiken/neubau.svg"),
        "{:?}",
        media_files(&site)
    );
    assert!(!site.exists("media/grafiken/entwurf.svg"));
}

#[test]
fn drafts_publish_the_files_of_drafts_and_embargoed_releases() {
    let site = build(BEFORE, true);
    assert!(site.exists("media/grafiken/neubau.svg"));
    assert!(site.exists("media/grafiken/entwurf.svg"));
}

#[test]
fn an_embargoed_release_with_a_photo_leaves_the_output_file_set_as_without_the_photo() {
    let with_photo = build(BEFORE, false).files();
    let fixture = Fixture::copy(CASE);
    fixture.edit(EMBARGOED_RELEASE, "image: grafiken/neubau.svg\n", "");
    let opts = options(&fixture, BEFORE, false);
    let without_photo = fixture.build_with(&opts).files();
    assert_eq!(with_photo, without_photo);
}

#[test]
fn check_knows_the_media_files_and_writes_none() {
    let fixture = Fixture::copy(CASE);
    let opts = options(&fixture, BEFORE, false);
    let report = Session::once(opts).run(Mode::Check).expect("check");
    assert!(
        !report.has_errors(),
        "{:?}",
        report
            .diagnostics
            .iter()
            .map(|d| d.render())
            .collect::<Vec<_>>()
    );
    assert_eq!(report.counts.get("media files"), Some(&2));
    assert!(!fixture.output().exists());
    assert!(!fixture.root().join(".partnerpress").exists());
}

#[test]
fn a_session_s_rebuild_makes_only_the_changed_file_again() {
    let fixture = Fixture::copy(CASE);
    let mut session = Session::new(options(&fixture, BEFORE, false));
    let first = session.run(Mode::Serve).expect("first run");
    assert_eq!((first.media_processed, first.media_reused), (2, 0));
    let second = session.run(Mode::Serve).expect("second run");
    assert_eq!((second.media_processed, second.media_reused), (0, 2));
    let graphic = "content/media/grafiken/netzwerk.svg";
    fixture.edit(graphic, "#2a7", "#c03");
    let third = session.run(Mode::Serve).expect("third run");
    assert_eq!((third.media_processed, third.media_reused), (1, 1));
    let site = third.site.expect("served site");
    let served = site
        .files
        .iter()
        .find(|f| f.path == "media/grafiken/netzwerk.svg")
        .expect("the graphic is served");
    assert!(String::from_utf8_lossy(&served.contents).contains("#c03"));
}

#[test]
fn a_sidecar_in_a_language_the_site_does_not_publish_is_a_warning() {
    let fixture = Fixture::copy(CASE);
    fixture.write("content/media/logos/suedhoehe.fr.yaml", "alt: Logo\n");
    let report = fixture.build_report(&options(&fixture, BEFORE, false));
    let [warning] = &report.diagnostics[..] else {
        panic!("one warning: {:?}", report.diagnostics)
    };
    assert_eq!(warning.code, "unknown-language");
    assert_eq!(
        warning.path.to_string_lossy(),
        "content/media/logos/suedhoehe.fr.yaml"
    );
    assert!(report.published);
}

#[test]
fn a_session_does_not_read_an_unchanged_file_again() {
    let fixture = Fixture::copy(CASE);
    let mut session = Session::new(options(&fixture, BEFORE, false));
    assert!(session.run(Mode::Serve).expect("first run").published);
    // Same inode, size and modification time, other bytes: only a read would notice.
    let path = fixture.root().join("content/media/grafiken/netzwerk.svg");
    let modified = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    let text = std::fs::read_to_string(&path).expect("read");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    std::io::Write::write_all(&mut &file, text.replace("#2a7", "#c03").as_bytes()).expect("write");
    file.set_modified(modified).expect("keep mtime");
    drop(file);
    let second = session.run(Mode::Serve).expect("second run");
    assert!(second.published, "{:?}", second.diagnostics);
    assert_eq!((second.media_processed, second.media_reused), (0, 2));
}
