//! Hostile files (issue 11): pipes, themes given as paths, control characters, byte-order
//! marks, folders that are files, symbolic links (broken, looping, into system files) and
//! huge files. The helpers are `hardening.rs`'s.

use crate::hardening::*;
use crate::harness::{Fixture, SPEC_SITE};

fn mkfifo(path: &std::path::Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_fifo_among_the_content_is_skipped_with_a_warning_not_read() {
    let fixture = Fixture::copy(SPEC_SITE);
    for rel in ["content/news/2024-09-01-pipe.md", "content/static/pipe.pdf"] {
        let path = fixture.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if !mkfifo(&path) {
            eprintln!("skipped: no mkfifo");
            return;
        }
    }
    let run = run(&fixture, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("not a regular file") || run.stdout.contains("warning"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(!fixture.output().join("pipe.pdf").exists());
}

#[test]
fn a_fifo_as_site_yaml_is_an_error_not_a_hang() {
    let fixture = Fixture::copy(SPEC_SITE);
    let path = fixture.root().join(SITE_YAML);
    std::fs::remove_file(&path).unwrap();
    if !mkfifo(&path) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    let run = run(&fixture, &["build"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    assert!(!run.stderr.contains("missing field"), "{}", run.stderr);
}

#[test]
fn a_theme_given_as_a_path_is_refused_without_reading_it() {
    for bad in ["/proc/self", "../../etc", "/tmp", "Default", "themes/x"] {
        let (fixture, run) = broken(|f| {
            f.edit(SITE_YAML, "theme: default", &format!("theme: {bad}"));
        });
        run.assert_refused(&fixture.locate(SITE_YAML, bad), "is not a theme name");
        assert!(!fixture.output().exists());
    }
}

#[test]
fn control_characters_are_replaced_with_a_warning_and_feeds_stay_xml() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        SCHALTJAHR,
        "title: Gefäßnetz Süd wertet",
        "title: Gefäßnetz\u{1} Süd\u{1b}[31m wertet\u{85}",
    );
    fixture.edit(
        SCHALTJAHR,
        "Das Klinikum",
        "Das\u{7f} Klinikum\u{c} &#1; &#x85; `&#7;`",
    );
    let opts = fixture.options();
    let report = fixture.build_report(&opts);
    let warning = report
        .diagnostics
        .iter()
        .find(|d| d.code == "control-character")
        .expect("a warning");
    // At the first of the five.
    assert_eq!(
        warning.location(),
        fixture.locate(SCHALTJAHR, "\u{1}"),
        "{}",
        warning.render()
    );
    assert!(warning.message.contains("4 more"), "{}", warning.message);
    for feed in [
        "atom.xml",
        "en/atom.xml",
        "sitemap.xml",
        "nachrichten/register-schaltjahr/index.html",
    ] {
        let text = std::fs::read_to_string(fixture.output().join(feed)).unwrap();
        if feed.ends_with(".xml") {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{feed}: {e}"));
        }
        assert!(!text.contains(['\u{1}', '\u{1b}', '\u{7f}', '\u{85}', '\u{c}']));
    }
    let ics = std::fs::read_to_string(fixture.output().join("timeline.ics")).unwrap();
    assert!(!ics.contains(|c: char| c.is_control() && c != '\r' && c != '\n'));
}

#[test]
fn control_characters_written_as_yaml_escapes_are_located_errors() {
    let (fixture, run) = broken(|f| {
        f.edit(
            SCHALTJAHR,
            "title: Gefäßnetz Süd wertet Register am Schalttag aus",
            "title: \"Gefäßnetz \\x07 Süd\"",
        )
    });
    run.assert_refused(&fixture.locate(SCHALTJAHR, "\\x07"), "control character");
}

#[test]
fn a_byte_order_mark_is_accepted_in_site_yaml_and_content() {
    let fixture = Fixture::copy(SPEC_SITE);
    for rel in [SITE_YAML, SCHALTJAHR] {
        let path = fixture.root().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
    }
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for rel in ["i18n/de.yaml", "templates/partials/release_card.html"] {
        let text = std::fs::read_to_string(theme.join(rel)).unwrap();
        fixture.write(&format!("themes/default/{rel}"), &format!("\u{feff}{text}"));
    }
    let site = fixture.build();
    let news = site.read("nachrichten/");
    assert!(!news.contains('\u{feff}'), "a byte-order mark in the page");
}

#[test]
fn a_content_folder_that_is_a_file_is_an_error() {
    let (_, run) = broken(|f| {
        let news = f.root().join("content/news");
        std::fs::remove_dir_all(&news).unwrap();
        std::fs::write(&news, "not a folder").unwrap();
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("is not a folder"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_everywhere_and_broken_ones_named() {
    use std::os::unix::fs::symlink;
    let fixture = Fixture::copy(SPEC_SITE);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("flyer.pdf"), "%PDF-1.4").unwrap();
    let stat = fixture.root().join("content/static");
    std::fs::create_dir_all(&stat).unwrap();
    symlink(outside.path().join("flyer.pdf"), stat.join("flyer.pdf")).unwrap();
    symlink(outside.path().join("missing.pdf"), stat.join("missing.pdf")).unwrap();
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let card = std::fs::read_to_string(theme.join("templates/partials/release_card.html"))
        .unwrap()
        .replacen("<h", "<!-- LINKEDCARD --><h", 1);
    std::fs::write(outside.path().join("card.html"), card).unwrap();
    let partials = fixture.root().join("themes/default/templates/partials");
    std::fs::create_dir_all(&partials).unwrap();
    symlink(
        outside.path().join("card.html"),
        partials.join("release_card.html"),
    )
    .unwrap();
    let run = run(&fixture, &["build", "-v"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fixture.output().join("flyer.pdf").is_file());
    let news = std::fs::read_to_string(fixture.output().join("nachrichten/index.html")).unwrap();
    assert!(news.contains("LINKEDCARD"), "a linked template is used");
    assert!(
        run.stderr.contains("content/static/missing.pdf") && run.stderr.contains("points nowhere"),
        "{}",
        run.stderr
    );
}

#[cfg(target_os = "linux")]
#[test]
fn links_into_the_systems_pseudo_files_are_not_followed() {
    let fixture = Fixture::copy(SPEC_SITE);
    // /proc/kmsg would block and /proc/self/mem fails: both look like regular files.
    std::os::unix::fs::symlink(
        "/proc/self/mem",
        fixture.root().join("content/news/2024-09-01-mem.md"),
    )
    .unwrap();
    std::fs::create_dir_all(fixture.root().join("content/static")).unwrap();
    std::os::unix::fs::symlink("/proc/self", fixture.root().join("content/static/self")).unwrap();
    let run = run(&fixture, &["build", "-v"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("pseudo files"), "{}", run.stderr);
    assert!(!fixture.output().join("self").exists());
}

#[test]
fn a_huge_content_file_is_refused_before_it_is_read() {
    let (_, run) = broken(|f| {
        let file =
            std::fs::File::create(f.root().join("content/news/2024-09-01-gross.md")).unwrap();
        // Sparse: takes no disk space, but is 64 MiB long.
        file.set_len(64 * 1024 * 1024).unwrap();
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/news/2024-09-01-gross.md")
            && run.stderr.contains("at most 32 MiB"),
        "{}",
        run.stderr
    );
}
