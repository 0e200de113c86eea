//! `build --watch`: the first build written with the usual atomic swap, each change
//! after it by replacing only the files that changed.

use super::*;

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
    let bad_location = break_date(&fixture);
    watch.wait_until("report of the failed build", CHANGE_TIMEOUT, |r| {
        r.failed_builds() > failed_before
    });
    assert!(
        watch.stderr().iter().any(|l| l.contains(&bad_location)),
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

/// `build --watch`'s first write is the site `build` writes, file for file, and the
/// next embargo is named.
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

    let (watched, built) = (tree(&out), built_reference(&fixture, now));
    assert!(built.len() > 50, "{} files", built.len());
    let differing = differing(&watched, &built);
    assert!(
        differing.is_empty(),
        "build --watch and build wrote different sites: {differing:?}"
    );
}

/// After a text edit, a title edit (a new share card) and a deleted release, the watched
/// output is what `build` writes, and a file no change touched was not written again.
#[test]
fn build_watch_writes_only_what_changed_and_ends_as_build_does() {
    let fixture = Fixture::copy(SPEC_SITE);
    let now = "2026-11-01T00:00:00Z";
    let out = fixture.output();
    let page = out.join(RELEASE_ROUTE).join("index.html");
    let mut watch = build_watch_with(&fixture, &out, &["--now", now]);
    let inode = |path: &Path| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).expect("metadata").ino()
    };
    let untouched = out.join("partner/institut-gefaessforschung/faktenblatt/index.html");
    let (page_inode, untouched_inode) = (inode(&page), inode(&untouched));

    let before = watch.good_builds();
    let text = read(&fixture, RELEASE).replace("ohne festen Vertrag", "mit neuem Vertrag");
    save_by_rename(&fixture, RELEASE, &text);
    wait_for_file(&page, "the edited text", |t| {
        t.contains("mit neuem Vertrag")
    });
    watch.wait_for_good_build(before);
    let before = watch.good_builds();
    save_by_rename(
        &fixture,
        RELEASE,
        &retitled(&fixture, RELEASE, "Bilanz neu gezogen"),
    );
    wait_for_file(&page, "the new title", |t| t.contains("Bilanz neu gezogen"));
    watch.wait_for_good_build(before);
    assert_ne!(
        inode(&page),
        page_inode,
        "the page was replaced, not written into"
    );
    assert_eq!(
        inode(&untouched),
        untouched_inode,
        "a page no edit changed was written again\n{}",
        watch.transcript()
    );

    let before = watch.good_builds();
    std::fs::remove_file(
        fixture
            .root()
            .join("content/news/2024-06-10-ohne-autolink.md"),
    )
    .expect("delete a release");
    watch.wait_for_good_build(before);
    let (watched, built) = (tree(&out), built_reference(&fixture, now));
    let differing = differing(&watched, &built);
    assert!(
        differing.is_empty(),
        "build --watch and build wrote different sites: {differing:?}\n{}",
        watch.transcript()
    );
    assert!(!out.join("nachrichten/ohne-autolink").exists());
}

/// What `build` writes for the fixture as it is now, at `now`.
fn built_reference(fixture: &Fixture, now: &str) -> BTreeMap<String, Vec<u8>> {
    let reference = fixture.root().with_file_name("reference");
    let report = Session::once(partnerpress::BuildOptions {
        output: Some(reference.clone()),
        now: Some(now.parse().expect("timestamp")),
        ..fixture.options()
    })
    .run(Mode::Build)
    .expect("build");
    assert!(report.published, "{:#?}", report.diagnostics);
    tree(&reference)
}

/// The paths whose files differ between two trees, or that only one has.
fn differing<'t>(
    a: &'t BTreeMap<String, Vec<u8>>,
    b: &'t BTreeMap<String, Vec<u8>>,
) -> Vec<&'t String> {
    (a.keys())
        .filter(|p| a.get(*p) != b.get(*p))
        .chain(b.keys().filter(|p| !a.contains_key(*p)))
        .collect()
}

pub(crate) fn read_file(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}
