//! Bad input: every class of problem in a site is reported with its `path:line:column`
//! (relative to the whole file), a message and, where one exists, a suggestion; content
//! errors exit 1, usage and I/O failures exit 2; warnings do not stop the build.
//!
//! Each test runs the binary on a site with one problem: a small `invalid-<what>`
//! fixture that holds it (its position can be read off the fixture's file), or a copy of
//! the spec-site with one thing broken by text the test writes. The column is that of
//! the offending value (for a link: its target), not of the key; columns count
//! characters, and the fixtures put umlauts before the problem to show it.

use crate::harness::{Fixture, SPEC_SITE, cli};

mod addresses;
mod media;
mod slips;

/// What one run of the binary printed.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `partnerpress <command> --root <site>` (`build` also gets `--output`).
fn run(fixture: &Fixture, command: &str) -> Run {
    let mut cmd = cli();
    cmd.arg(command).arg("--root").arg(fixture.root());
    if command == "build" {
        cmd.arg("--output").arg(fixture.output());
    }
    let out = cmd.output().expect("run partnerpress");
    let run = Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("\x1b["),
        "colour codes although stderr is not a terminal:\n{}",
        run.stderr
    );
    run
}

/// Builds `tests/fixtures/<case>/`, a small site with one problem, with the binary;
/// asserts that the problem is the only one, so the fixture holds one scenario.
fn build_case(case: &str) -> Run {
    let run = run(&Fixture::copy(case), "build");
    let last = run.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("1 error, 0 warnings"),
        "`{case}` has more than its one problem:\n{}",
        run.stderr
    );
    run
}

/// Builds `tests/fixtures/<case>/`, a small site whose one problem is a warning, with
/// the binary (`Run::assert_warning` checks that it is the only one).
fn warn_case(case: &str) -> Run {
    run(&Fixture::copy(case), "build")
}

/// Copies the spec-site, lets `change` break it, and builds it with the binary.
fn build_broken(change: impl FnOnce(&Fixture)) -> Run {
    let fixture = Fixture::copy(SPEC_SITE);
    change(&fixture);
    run(&fixture, "build")
}

impl Run {
    /// Exit code 1, `location` printed as the `-->` line of a diagnostic (exactly, so
    /// `x.md:2:1` does not match `x.md:2:14`), `phrase` in the output, and a last line
    /// that counts the problems.
    fn assert_error(&self, location: &str, phrase: &str) -> &Self {
        assert_eq!(self.code, 1, "exit code; stderr:\n{}", self.stderr);
        self.assert_located(location, phrase);
        let last = self.stderr.lines().last().unwrap_or_default();
        assert!(
            last.contains(" error") && last.contains(" warning"),
            "stderr does not end with a count of errors and warnings:\n{}",
            self.stderr
        );
        self
    }

    fn assert_located(&self, location: &str, phrase: &str) -> &Self {
        let arrow = format!("--> {location}\n");
        assert!(
            self.stderr.contains(&arrow),
            "stderr lacks `{}`:\n{}",
            arrow.trim_end(),
            self.stderr
        );
        self.assert_says(phrase)
    }

    fn assert_says(&self, phrase: &str) -> &Self {
        assert!(
            self.stderr.contains(phrase),
            "stderr lacks `{phrase}`:\n{}",
            self.stderr
        );
        self
    }

    /// Exit code 0, the warning shown in full at `location`, and the count printed.
    fn assert_warning(&self, location: &str, phrase: &str, count: &str) -> &Self {
        assert_eq!(self.code, 0, "exit code; stderr:\n{}", self.stderr);
        assert!(self.stderr.contains("warning"), "stderr:\n{}", self.stderr);
        self.assert_located(location, phrase);
        let last = self.stdout.lines().last().unwrap_or_default();
        assert_eq!(last, count, "stdout:\n{}", self.stdout);
        self
    }
}

// ---- front matter ------------------------------------------------------------------

#[test]
fn yaml_syntax_error_is_located() {
    let run = build_broken(|f| {
        f.edit(
            "content/pages/hinweise.md",
            "title: Hinweise zu Größen & Maßen",
            "title: Größen: Maßen",
        )
    });
    // Line 2 of the file (line 1 of the YAML); the second `:` is character 14.
    run.assert_error(
        "content/pages/hinweise.md:2:14",
        "which YAML reads as the start of another field",
    );
    insta::assert_snapshot!("error_yaml_syntax", run.stderr);
}

#[test]
fn wrong_type_is_located() {
    build_case("invalid-field-type").assert_error("content/pages/hinweise.md:3:9", "zwei");
}

#[test]
fn missing_required_field_is_located() {
    // The start of the front matter: there is no value to point at.
    build_case("invalid-missing-title").assert_error(
        "content/news/2024-05-06-ohne-titel.md:2:1",
        "missing required field `title`",
    );
}

#[test]
fn unknown_field_suggests_the_nearest_and_extra_is_free() {
    // The key itself is the problem, so the column is that of the key.
    build_case("invalid-unknown-field")
        .assert_error(
            "content/news/2024-05-06-bilanz.md:5:1",
            "unknown field `sumary`",
        )
        .assert_says("did you mean `summary`?");

    let free = Fixture::copy("invalid-unknown-field");
    free.edit(
        "content/news/2024-05-06-bilanz.md",
        "sumary:",
        "extra: { beliebig: [1, { tief: ja }], titel: frei }\nsummary:",
    );
    let free = run(&free, "build");
    assert_eq!(free.code, 0, "`extra` is not free:\n{}", free.stderr);
}

// ---- dates -------------------------------------------------------------------------

#[test]
fn day_that_does_not_exist_is_located() {
    build_case("invalid-date")
        .assert_error("content/news/2024-02-29-schalttag.md:3:7", "`2024-02-30`");
}

#[test]
fn month_that_does_not_exist_is_located() {
    build_case("invalid-month")
        .assert_error("content/partnerships/sued-nord.md:6:9", "`2025-13-01`");
}

#[test]
fn partial_date_where_a_full_date_is_required_is_located() {
    build_case("invalid-partial-date").assert_error(
        "content/news/2024-07-01-geplant.md:3:7",
        "`2024-07` is not a full date",
    );
}

#[test]
fn leap_day_is_accepted_only_in_a_leap_year() {
    build_case("invalid-leap-day")
        .assert_error("content/partnerships/sued-nord.md:6:9", "`2023-02-29`");
    let leap = Fixture::copy("invalid-leap-day");
    leap.edit(
        "content/partnerships/sued-nord.md",
        "signed: 2023-02-29",
        "signed: 2024-02-29",
    );
    let leap = run(&leap, "build");
    assert_eq!(leap.code, 0, "2024-02-29 refused:\n{}", leap.stderr);
}

#[test]
fn an_embargo_time_the_clocks_skip_is_located() {
    // Europe/Berlin goes from 02:00 to 03:00 on 29 March 2026.
    build_case("invalid-embargo-gap")
        .assert_error(
            "content/news/2026-03-29-zeitumstellung.md:5:10",
            "`2026-03-29 02:30` does not exist in Europe/Berlin",
        )
        .assert_says("`2026-03-29T02:30:00+01:00` (before the change)");
}

#[test]
fn an_embargo_time_the_clocks_show_twice_is_located() {
    // Europe/Berlin goes from 03:00 back to 02:00 on 25 October 2026.
    build_case("invalid-embargo-fold")
        .assert_error(
            "content/news/2026-10-25-zeitumstellung.md:5:10",
            "`2026-10-25T02:30` exists twice in Europe/Berlin",
        )
        .assert_says("`2026-10-25T02:30:00+02:00` (the first, before the change)");
}

// ---- whole files -------------------------------------------------------------------

#[test]
fn missing_front_matter_is_located() {
    build_broken(|f| f.write("content/pages/ohne.md", "Nur Text, kein Kopf.\n"))
        .assert_error("content/pages/ohne.md:1:1", "missing front matter");
}

#[test]
fn unterminated_front_matter_is_located() {
    build_broken(|f| f.write("content/pages/offen.md", "---\ntitle: Offen\n\nText.\n"))
        .assert_error("content/pages/offen.md:1:1", "never closed");
}

#[test]
fn empty_file_is_reported() {
    // Nothing to point into: the location is the file itself.
    let run = build_broken(|f| f.write("content/pages/leer.md", ""));
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_says("--> content/pages/leer.md")
        .assert_says("empty");
}

#[test]
fn non_utf8_file_is_located_at_the_bad_byte() {
    let run = build_broken(|f| {
        // `ü` in Latin-1 (0xFC) on line 2, after `title: Gr` (9 characters).
        std::fs::write(
            f.root().join("content/pages/latin1.md"),
            b"---\ntitle: Gr\xfcn\n---\n\nText.\n",
        )
        .unwrap();
    });
    run.assert_error("content/pages/latin1.md:2:10", "not valid UTF-8");
}

// ---- ids and URLs ------------------------------------------------------------------

#[test]
fn invalid_id_proposes_a_valid_one() {
    let run = build_broken(|f| {
        f.write(
            "content/institutions/UK_Magdeburg.md",
            "---\nname: Universitätsklinikum Magdeburg\n---\n",
        )
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_says("--> content/institutions/UK_Magdeburg.md")
        .assert_says("`UK_Magdeburg`")
        .assert_says("uk-magdeburg");
}

#[test]
fn two_files_with_the_same_id_are_an_error() {
    // `kontakt.de.md` is a second file for page `kontakt` in the default language `de`.
    let run = build_broken(|f| {
        f.write(
            "content/pages/kontakt.de.md",
            "---\ntitle: Kontakt, noch einmal\n---\n\nText.\n",
        )
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_says("--> content/pages/kontakt.de.md")
        .assert_says("`kontakt`");
}

#[test]
fn two_releases_with_the_same_url_are_an_error() {
    let release = |date: &str| {
        format!(
            "---\ntitle: X am {date}\ndate: {date}\npartners: [klinikum-suedhoehe]\n---\n\nText.\n"
        )
    };
    let run = build_broken(|f| {
        f.write("content/news/2024-01-01-x.md", &release("2024-01-01"));
        f.write("content/news/2024-02-01-x.md", &release("2024-02-01"));
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_says("--> content/news/2024-0")
        .assert_says("/nachrichten/x/")
        .assert_says("2024-01-01-x")
        .assert_says("2024-02-01-x");
}

#[test]
fn partnership_with_one_partner_is_located() {
    // The offending value is the list.
    build_case("invalid-partnership-partners").assert_error(
        "content/partnerships/allein.md:3:11",
        "at least two partners",
    );
}

// An unknown institution id is `output::cli_content_error_exits_1_with_path_line_column`.

#[test]
fn unknown_partnership_suggests_the_nearest_id() {
    let run = build_broken(|f| {
        f.edit(
            "content/news/2023-12-20-vereinbarung-endet.md",
            "partnership: tannenfeld-beendet",
            "partnership: tannenfeld-beendt",
        )
    });
    run.assert_error(
        "content/news/2023-12-20-vereinbarung-endet.md:4:14",
        "`tannenfeld-beendt`",
    )
    .assert_says("tannenfeld-beendet`?");
    insta::assert_snapshot!("error_unknown_partnership", run.stderr);
}

#[test]
fn unknown_fact_source_suggests_the_nearest_release() {
    build_case("invalid-fact-source")
        .assert_error(
            "content/institutions/klinikum-suedhoehe.md:4:60",
            "`2024-02-29-registr`",
        )
        .assert_says("2024-02-29-register`?");
}

// ---- links in the Markdown body ----------------------------------------------------

#[test]
fn broken_at_link_is_located_in_the_body() {
    build_case("invalid-at-link")
        .assert_error(
            "content/news/2024-05-06-bilanz.md:7:30",
            "@/institutions/klinikum-suedhohe.md",
        )
        .assert_says("did you mean `@/institutions/klinikum-suedhoehe.md`?");
}

#[test]
fn at_link_to_a_missing_anchor_is_located_in_the_body() {
    build_case("invalid-anchor")
        .assert_error("content/news/2024-06-10-plan.md:7:31", "#naechste-schrite")
        .assert_says("did you mean `#naechste-schritte`?");
}

#[test]
fn build_and_check_find_broken_plain_links() {
    let fixture = Fixture::copy("invalid-plain-links");
    for command in ["build", "check"] {
        run(&fixture, command)
            .assert_error("content/pages/hinweise.md:5:16", "#nope")
            .assert_located("content/pages/hinweise.md:5:35", "/sub/path/partners/nope/");
    }
}

// ---- site.yaml ---------------------------------------------------------------------

#[test]
fn missing_theme_is_located_in_site_yaml() {
    build_case("invalid-site-theme").assert_error("content/site.yaml:4:8", "`fancy`");
}

#[test]
fn unknown_language_is_located_in_site_yaml() {
    build_case("invalid-site-language").assert_error("content/site.yaml:3:40", "`fr`");
}

// ---- warnings ----------------------------------------------------------------------

#[test]
fn translation_without_original_warns() {
    build_broken(|f| {
        f.write(
            "content/pages/impressum.en.md",
            "---\ntitle: Imprint\n---\n\nText.\n",
        )
    })
    .assert_warning(
        "content/pages/impressum.en.md",
        "without an original",
        "0 errors, 1 warning",
    );
}

#[test]
fn fact_without_source_warns() {
    // The warning points at the fact's key, `physicians`.
    warn_case("invalid-fact-without-source").assert_warning(
        "content/institutions/klinikum-suedhoehe.md:4:12",
        "`physicians` has no `source`",
        "0 errors, 1 warning",
    );
}

#[test]
fn release_about_no_institution_warns() {
    // The start of the front matter: no `partners` to point at.
    warn_case("invalid-release-without-partners").assert_warning(
        "content/news/2024-05-06-allgemein.md:2:1",
        "concerns no institution",
        "0 errors, 1 warning",
    );
}

#[test]
fn many_warnings_are_counted_and_shown_in_full_only_with_verbose() {
    let fixture = Fixture::copy(SPEC_SITE);
    for i in 1..=11 {
        fixture.write(
            &format!("content/pages/waise-{i}.en.md"),
            "---\ntitle: Orphan\n---\n",
        );
    }
    let quiet = run(&fixture, "build");
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert_eq!(
        quiet.stderr.matches("without an original").count(),
        5,
        "the first five in full: {}",
        quiet.stderr
    );
    assert!(
        quiet
            .stderr
            .contains("… and 6 more warnings: run with `-v`"),
        "{}",
        quiet.stderr
    );
    assert_eq!(quiet.stdout.lines().last(), Some("0 errors, 11 warnings"));
    let verbose = cli()
        .args(["build", "-v", "--root"])
        .arg(fixture.root())
        .arg("--output")
        .arg(fixture.output())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    assert_eq!(
        stderr.matches("without an original").count(),
        11,
        "{stderr}"
    );
}

#[test]
fn raw_html_is_dropped_with_one_warning_per_build() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit("content/pages/hinweise.md", "Umlaute.", "<b>Umlaute</b>.");
    fixture.edit(
        "content/pages/kontakt.md",
        "niemand antworten.",
        "niemand <i>antworten</i>.",
    );
    let report = fixture.build_report(&fixture.options());
    let html: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "raw-html-dropped")
        .collect();
    assert_eq!(html.len(), 1, "{:#?}", report.diagnostics);
    assert!(!html[0].is_error());
    assert!(report.published, "{:#?}", report.diagnostics);
    let page = std::fs::read_to_string(fixture.output().join("hinweise/index.html")).unwrap();
    assert!(!page.contains("<b>"), "raw HTML was published");

    let run = run(&fixture, "build");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches("raw HTML").count(), 1, "{}", run.stderr);
}

#[test]
fn javascript_links_are_neutralised() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        "content/pages/hinweise.md",
        "Umlaute.",
        "Umlaute. [Klick](javascript:alert(1)) [Auch]( JaVaScRiPt:alert(2))",
    );
    let run = run(&fixture, "build");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(fixture.output().join("hinweise/index.html")).unwrap();
    assert!(page.contains(">Klick</a>"), "the link text is gone");
    assert!(
        !page.to_ascii_lowercase().contains("javascript:"),
        "a script URL was published"
    );
}

// ---- several problems, exit codes ---------------------------------------------------

#[test]
fn three_defects_in_three_files_are_reported_in_one_run_sorted_by_path() {
    let run = build_broken(|f| {
        f.edit("content/pages/hinweise.md", "weight: 2", "weight: zwei");
        f.edit(
            "content/news/2024-06-10-ohne-autolink.md",
            "date: 2024-06-10",
            "date: 2024-02-30",
        );
        f.edit(
            "content/institutions/klinikum-suedhoehe.md",
            "as_of: 2024-02, source: 2024-02-29-register-schaltjahr }",
            "as_of: 2024-02, source: 2024-02-29-register-schaltjar }",
        );
    });
    let locations = [
        "content/institutions/klinikum-suedhoehe.md:15:72",
        "content/news/2024-06-10-ohne-autolink.md:3:7",
        "content/pages/hinweise.md:3:9",
    ];
    let positions: Vec<usize> = locations
        .iter()
        .map(|l| {
            run.assert_error(l, "error");
            run.stderr.find(&format!("--> {l}\n")).unwrap()
        })
        .collect();
    assert!(positions.is_sorted(), "not sorted by path:\n{}", run.stderr);
    assert_eq!(run.stderr.matches("error[").count(), 3, "{}", run.stderr);
    let last = run.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("3 errors, 0 warnings"),
        "last line: {last}"
    );
    insta::assert_snapshot!("error_three_files", run.stderr);
}

#[test]
fn a_broken_file_causes_no_follow_on_problems_elsewhere() {
    // A file with a YAML error is left out; the ids, links and translations that refer
    // to it must not add "unknown institution", "no such content file" or "translation
    // without an original": the file exists, it is broken, and that is reported once.
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        "content/institutions/klinikum-suedhoehe.md",
        "short_name: Südhöhe",
        "short_name: Südhöhe: KSW",
    );
    fixture.edit(
        "content/news/2024-05-06-amt-und-klinik.md",
        "summary: Eine Meldung",
        "summary: Eine: Meldung",
    );
    let report = fixture.build_report(&fixture.options());
    let shown: Vec<String> = report.diagnostics.iter().map(|d| d.render()).collect();
    let files: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| d.path.to_string_lossy().replace('\\', "/"))
        .collect();
    assert_eq!(
        files,
        [
            "content/institutions/klinikum-suedhoehe.md",
            "content/news/2024-05-06-amt-und-klinik.md"
        ],
        "follow-on problems:\n{}",
        shown.join("\n")
    );
}

#[test]
fn unwritable_output_exits_2() {
    let fixture = Fixture::copy(SPEC_SITE);
    let blocker = fixture.output().with_file_name("blocker");
    std::fs::write(&blocker, "a file, not a folder").unwrap();
    let out = cli()
        .arg("build")
        .arg("--root")
        .arg(fixture.root())
        .arg("--output")
        .arg(blocker.join("public"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn missing_root_folder_exits_2() {
    let fixture = Fixture::copy(SPEC_SITE);
    let out = cli()
        .arg("build")
        .arg("--root")
        .arg(fixture.root().join("no-such-folder"))
        .arg("--output")
        .arg(fixture.output())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_translation_repeating_a_field_with_another_value_is_located() {
    let run = build_broken(|f| {
        f.edit(
            "content/news/2024-02-29-register-schaltjahr.en.md",
            "---\ntitle:",
            "---\ndate: 2024-03-01\ntitle:",
        )
    });
    run.assert_error(
        "content/news/2024-02-29-register-schaltjahr.en.md:2:1",
        "`date: 2024-03-01` differs from the original's `2024-02-29` (content/news/2024-02-29-register-schaltjahr.md)",
    )
    .assert_says("a translation takes `date` from the original: remove the line");
    let last = run.stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("1 error"), "{}", run.stderr);
}

/// An event's date is the original's too: a different one is located at its value.
#[test]
fn a_translated_event_with_another_date_is_located() {
    let file = "content/partnerships/drei-partner.en.md";
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        file,
        "  - { title: First joint registry goes live }\n  - { title: Analysis",
        "  - { date: 2020-02-29, title: First joint registry goes live }\n  - { date: 2022, title: Analysis",
    );
    let run = run(&fixture, "build");
    run.assert_error(
        &fixture.locate(file, "2022, title: Analysis"),
        "`date: 2022` differs from the original's `2021` (content/partnerships/drei-partner.md)",
    );
    let last = run.stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("1 error"), "{}", run.stderr);
}

#[test]
fn a_translation_adding_a_language_independent_field_is_located() {
    let run = build_broken(|f| {
        f.edit(
            "content/pages/kontakt.en.md",
            "summary:",
            "weight: 2\nsummary:",
        );
        f.edit(
            "content/news/2024-02-29-register-schaltjahr.en.md",
            "---\ntitle:",
            "---\nembargo: 2026-12-01 10:00\ntitle:",
        );
    });
    run.assert_error(
        "content/pages/kontakt.en.md:3:1",
        "`weight: 2` differs from the original's `1` (content/pages/kontakt.md)",
    )
    .assert_error(
        "content/news/2024-02-29-register-schaltjahr.en.md:2:1",
        "`embargo: 2026-12-01 10:00` is not in the original (content/news/2024-02-29-register-schaltjahr.md)",
    )
    .assert_says("remove the line (or add it to the original)");
    let last = run.stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("2 errors"), "{}", run.stderr);
}
