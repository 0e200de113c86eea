//! Hostile content (issue 11): script addresses in URL fields, spreadsheet formulas in
//! the open data, bad `base_url`s, files that block, themes given as paths, control
//! characters, figures and coordinates that cannot be published, topics without an
//! address, spurious follow-up errors, symbolic links and embargo edge cases.
//!
//! Each test breaks a copy of the spec-site and runs the binary (exit code and what it
//! prints) or builds in-process (what is published).

use crate::harness::{Fixture, SPEC_SITE, cli};
use std::time::Duration;

pub(crate) const SAALESTADT: &str = "content/institutions/uniklinik-saalestadt.md";
pub(crate) const SUEDHOEHE: &str = "content/institutions/klinikum-suedhoehe.md";
pub(crate) const SCHALTJAHR: &str = "content/news/2024-02-29-register-schaltjahr.md";
pub(crate) const DREI: &str = "content/partnerships/drei-partner.md";
pub(crate) const SITE_YAML: &str = "content/site.yaml";

pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    pub(crate) fn assert_refused(&self, location: &str, phrase: &str) {
        assert_eq!(self.code, 1, "exit code; stderr:\n{}", self.stderr);
        // `file:6:` matches any column of line 6; a full position must match exactly.
        let arrow = if location.ends_with(':') {
            format!("--> {location}")
        } else {
            format!("--> {location}\n")
        };
        assert!(
            self.stderr.contains(&arrow),
            "stderr lacks `{}`:\n{}",
            arrow.trim_end(),
            self.stderr
        );
        assert!(
            self.stderr.contains(phrase),
            "stderr lacks `{phrase}`:\n{}",
            self.stderr
        );
    }
}

/// `partnerpress <args> --root <site>`, stopped after 60 s so a hang fails the test.
pub(crate) fn run(fixture: &Fixture, args: &[&str]) -> Run {
    let mut cmd = cli();
    cmd.args(args).arg("--root").arg(fixture.root());
    if args.first() == Some(&"build") {
        cmd.arg("--output").arg(fixture.output());
    }
    cmd.timeout(Duration::from_secs(60));
    let out = cmd.output().expect("run partnerpress");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `file:line:` of `needle` in the copy: for errors whose column a test leaves open.
fn line_of(fixture: &Fixture, file: &str, needle: &str) -> String {
    let at = fixture.locate(file, needle);
    let (line, _column) = at.rsplit_once(':').expect("a column");
    format!("{line}:")
}

pub(crate) fn broken(change: impl FnOnce(&Fixture)) -> (Fixture, Run) {
    let fixture = Fixture::copy(SPEC_SITE);
    change(&fixture);
    let run = run(&fixture, &["build"]);
    (fixture, run)
}

// --- 1. URL fields -------------------------------------------------------------------

#[test]
fn script_addresses_in_url_fields_are_located_errors_and_nothing_is_published() {
    // Each case: the file, the line replaced, its replacement, and where in it the error
    // points (the value; for a value with an escape, whose characters do not map to the
    // file one to one, the line's start).
    let cases: [(&str, &str, &str, &str); 8] = [
        (
            SUEDHOEHE,
            "website: https://example.org/kliniken/suedhoehe/",
            "website: javascript:alert(1)",
            "javascript:",
        ),
        (
            SUEDHOEHE,
            "website: https://example.org/kliniken/suedhoehe/",
            "website: \" JaVaScRiPt:alert(1)\"",
            " JaVaScRiPt:",
        ),
        (
            SUEDHOEHE,
            "website: https://example.org/kliniken/suedhoehe/",
            "website: \"java\\tscript:alert(1)\"",
            "website: \"java",
        ),
        (
            SCHALTJAHR,
            "url: https://example.org/presse/gefaessnetz-2024-02-29",
            "url: \"data:text/html;base64,PHNjcmlwdD4=\"",
            "data:",
        ),
        (
            SAALESTADT,
            "source: https://example.org/quellen/saalestadt-chronik",
            "source: vbscript:msgbox(1)",
            "vbscript:",
        ),
        (
            SUEDHOEHE,
            "role: Ärztlicher Direktor }",
            "role: Ärztlicher Direktor, email: \"javascript:alert(1)//@x.de\" }",
            "javascript:alert(1)//@x.de",
        ),
        (
            SUEDHOEHE,
            "role: Pflegedirektorin }",
            "role: Pflegedirektorin, phone: \"javascript:alert(1)\" }",
            "javascript:alert(1)\" }",
        ),
        (
            SUEDHOEHE,
            "  farbe: \"#2a6f97\"",
            "  farbe: \"#2a6f97\"\n  video_url: \"//evil.example/x\"\n  hinweis: \"javascript:alert(document.cookie)\"",
            "//evil.example/x",
        ),
    ];
    for (file, from, to, value) in cases {
        let (fixture, run) = broken(|f| f.edit(file, from, to));
        let at = fixture.locate(file, value);
        assert_eq!(run.code, 1, "{to}: exit code\n{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("--> {at}\n")),
            "{to}: not located at {at}:\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("invalid-url"), "{}", run.stderr);
        assert!(!fixture.output().exists(), "{to}: a site was published");
    }
}

#[test]
fn extra_values_under_link_keys_and_script_text_anywhere_are_checked() {
    let (fixture, run) = broken(|f| {
        f.edit(
            SUEDHOEHE,
            "  farbe: \"#2a6f97\"",
            "  farbe: \"#2a6f97\"\n  links: [{ href: \"file:///etc/passwd\" }]",
        )
    });
    run.assert_refused(&fixture.locate(SUEDHOEHE, "file:///"), "`extra.href`");
    // Ordinary text with a colon stays text.
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        SUEDHOEHE,
        "  farbe: \"#2a6f97\"",
        "  farbe: \"#2a6f97\"\n  hinweis: \"Achtung: Baustelle\"\n  quelle: \"Data: Statistisches Landesamt\"\n  homepage_url: /kontakt/",
    );
    fixture.build();
}

// --- 2. CSV formulas -----------------------------------------------------------------

#[test]
fn spreadsheet_formulas_in_facts_csv_are_neutralised_and_numbers_kept() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        SAALESTADT,
        "name: Universitätsklinikum Saalestadt",
        "name: \"=HYPERLINK(\\\"https://evil.example\\\",\\\"x\\\")\"",
    );
    fixture.edit(
        SAALESTADT,
        "  - { key: trainees, value: über 150,",
        "  - { key: deficit, label: \"@SUM(1+1)\", value: -2500, unit: \"+cmd|' /C calc'!A0\", as_of: 2024, source: 2024-02-29-register-schaltjahr }\n  - { key: trainees, value: \"-1+1\",",
    );
    let site = fixture.build();
    let text = site.read("api/facts.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut saw_name = false;
    for record in reader.records() {
        let record = record.expect("csv row");
        for cell in record.iter() {
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "a cell a spreadsheet would run: {cell:?}");
        }
        if &record[1] == "uniklinik-saalestadt" {
            saw_name = true;
            assert!(record[2].starts_with("'=HYPERLINK"), "{:?}", &record[2]);
            if &record[3] == "deficit" {
                assert_eq!(&record[4], "'@SUM(1+1)");
                assert_eq!(&record[5], "-2500", "a negative number stays a number");
                assert!(record[8].starts_with("'+cmd"));
            }
            if &record[3] == "trainees" {
                assert_eq!(&record[5], "'-1+1");
            }
        }
    }
    assert!(saw_name);
}

// --- 4. base_url ---------------------------------------------------------------------

#[test]
fn base_urls_that_cannot_prefix_links_are_refused_in_site_yaml() {
    for bad in [
        "https://example.org//evil.example/",
        "https://example.org/sub/?preview=1",
        "https://example.org/sub/#top",
        "\"https://example.org/sub/\\nDisallow: /\"",
        "\"https://example.org/a\\\"b/\"",
        "ftp://example.org/",
        "https://user:pw@example.org/",
    ] {
        let (fixture, run) = broken(|f| {
            f.edit(
                SITE_YAML,
                "base_url: https://example.org/sub/path/",
                &format!("base_url: {bad}"),
            )
        });
        if bad.contains("a\\\"b") {
            // A quote is percent-encoded by the URL parser, so it cannot reach JSON.
            assert_eq!(run.code, 0, "{bad}: {}", run.stderr);
            continue;
        }
        run.assert_refused(&fixture.locate(SITE_YAML, bad), "`base_url`");
        assert!(!run.stderr.contains("missing"), "{}", run.stderr);
    }
}

#[test]
fn a_bad_base_url_option_is_a_usage_error_blamed_on_the_option() {
    let fixture = Fixture::copy(SPEC_SITE);
    for bad in [
        "https://example.org//evil.example/",
        "https://example.org/x?y",
        "https://example.org/\nx",
        "example.org",
    ] {
        for command in ["build", "check"] {
            let run = run(&fixture, &[command, "--base-url", bad]);
            assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
            assert!(run.stderr.contains("--base-url"), "{}", run.stderr);
            assert!(!run.stderr.contains("site.yaml"), "{}", run.stderr);
        }
    }
    assert!(!fixture.output().exists());
}

#[test]
fn an_uppercase_scheme_is_accepted_and_normalised_everywhere() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        SITE_YAML,
        "base_url: https://example.org/sub/path/",
        "base_url: HTTPS://Example.ORG/sub/path",
    );
    let site = fixture.build();
    let robots = site.read("robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.org/sub/path/sitemap.xml"),
        "{robots}"
    );
    assert_eq!(robots.lines().count(), robots.trim_end().lines().count());
    let schema = site.read("api/schema/news.schema.json");
    serde_json::from_str::<serde_json::Value>(&schema).expect("schema parses");
}

// --- 9. files that block ---------------------------------------------------------------

// --- 11. themes are names ----------------------------------------------------------------

// --- 15. control characters --------------------------------------------------------------

// --- 16. figures, coordinates, dates, people ---------------------------------------------

#[test]
fn figures_that_cannot_be_published_are_located_errors() {
    for value in [".nan", ".inf", "-.inf", "2e19", "18446744073709551615"] {
        let (fixture, run) =
            broken(|f| f.edit(SAALESTADT, "value: 1200,", &format!("value: {value},")));
        let line = line_of(&fixture, SAALESTADT, &format!("value: {value},"));
        assert_eq!(run.code, 1, "{value}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("--> {line}")),
            "{value}: {}",
            run.stderr
        );
    }
}

#[test]
fn coordinates_off_the_globe_are_located_errors() {
    for (lat, lon) in [
        ("95", "11.59"),
        (".nan", "11.59"),
        ("50.93", "-181"),
        ("50.93", ".inf"),
    ] {
        let coordinates = format!("lat: {lat}, lon: {lon}");
        let (fixture, run) = broken(|f| f.edit(SAALESTADT, "lat: 50.93, lon: 11.59", &coordinates));
        let line = line_of(&fixture, SAALESTADT, &coordinates);
        assert_eq!(run.code, 1, "{lat},{lon}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("--> {line}")),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("not a coordinate"), "{}", run.stderr);
    }
}

#[test]
fn an_end_before_the_signing_is_a_located_error() {
    let (fixture, run) = broken(|f| {
        f.edit(
            DREI,
            "signed: 2019-05-15",
            "signed: 2019-05-15\nended: 2018-01-01",
        )
    });
    run.assert_refused(&fixture.locate(DREI, "2018-01-01"), "before `signed`");
}

#[test]
fn two_people_with_the_same_name_are_a_located_error() {
    let (fixture, run) = broken(|f| {
        f.edit(
            SUEDHOEHE,
            "  - { name: Ümran Öztürk, role: Pflegedirektorin }",
            "  - { name: Ümran Öztürk, role: Pflegedirektorin }\n  - { name: Ümran Öztürk, role: Stellvertreterin }",
        )
    });
    // The second of the two.
    let twice = fixture.locate(SUEDHOEHE, "Ümran Öztürk, role: Stellvertreterin");
    run.assert_refused(&twice, "listed twice");
}

// --- 17. topics ---------------------------------------------------------------------------

#[test]
fn topics_without_letters_or_sharing_an_address_are_located_errors() {
    for bad in ["\"???\"", "\"!!!\"", "\"🏥\"", "\"\""] {
        let (fixture, run) =
            broken(|f| f.edit(SCHALTJAHR, "Qualitätsberichte]", &format!("{bad}]")));
        let line = line_of(&fixture, SCHALTJAHR, &format!("{bad}]"));
        run.assert_refused(&line, "no letters or digits");
    }
    let (_, run) = broken(|f| {
        f.edit(DREI, "Künstliche Intelligenz]", "C++]");
        f.edit(SCHALTJAHR, "Qualitätsberichte]", "C]");
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("`themen/c/`"), "{}", run.stderr);
}

#[test]
fn spelling_variants_of_one_topic_still_share_its_page() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(DREI, "Künstliche Intelligenz]", "Stroke Unit]");
    fixture.edit(SCHALTJAHR, "Qualitätsberichte]", "stroke-unit]");
    let site = fixture.build();
    assert!(site.exists("themen/stroke-unit/"));
}

// --- 19. no spurious follow-up errors -------------------------------------------------------

#[test]
fn a_yaml_error_in_site_yaml_is_the_only_error() {
    let (_, run) = broken(|f| f.edit(SITE_YAML, "news_per_page: 2", "news_per_page: [2"));
    assert_eq!(run.code, 1);
    assert!(
        !run.stderr.contains("missing required field"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("\nerror").count() + usize::from(run.stderr.starts_with("error")),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn a_broken_institution_gives_no_unknown_person_error() {
    let (_, run) = broken(|f| {
        f.edit(
            SCHALTJAHR,
            "topics: [",
            "contacts: [klinikum-suedhoehe/uemran-oeztuerk]\ntopics: [",
        );
        f.edit(SUEDHOEHE, "kind: hospital", "kind: [hospital");
    });
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("unknown person"), "{}", run.stderr);
}

// --- 22. smaller -----------------------------------------------------------------------------

#[test]
fn embargo_offsets_beyond_real_time_zones_and_far_years_are_clear_errors() {
    for (value, phrase) in [
        ("2026-12-01T10:00:00+25:00", "between -12:00 and +14:00"),
        ("2026-12-01T10:00:00-13:00", "between -12:00 and +14:00"),
        ("9999-12-31T23:59:59Z", "too far in the future"),
        ("9999-12-31", "too far in the future"),
    ] {
        let (fixture, run) = broken(|f| {
            f.edit(
                SCHALTJAHR,
                "date: 2024-02-29",
                &format!("date: 2024-02-29\nembargo: {value}"),
            )
        });
        let at = fixture.locate(SCHALTJAHR, &format!("{value}\n"));
        run.assert_refused(&at, phrase);
    }
}

#[test]
fn a_link_to_an_embargoed_release_says_embargo_not_draft() {
    let (_, run) = broken(|f| {
        f.edit(
            SCHALTJAHR,
            "date: 2024-02-29",
            "date: 2024-02-29\nembargo: 2099-01-01T10:00:00+01:00",
        );
        f.write(
            "content/pages/verweis.md",
            "---\ntitle: Verweis\n---\n\n[Register](@/news/2024-02-29-register-schaltjahr.md)\n",
        );
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("embargo"), "{}", run.stderr);
    assert!(!run.stderr.contains("draft: true"), "{}", run.stderr);
}

#[test]
fn an_empty_or_blank_title_is_a_located_error() {
    for blank in ["\"\"", "\"   \"", "''"] {
        let (fixture, run) = broken(|f| {
            f.edit(
                SCHALTJAHR,
                "title: Gefäßnetz Süd wertet Register am Schalttag aus",
                &format!("title: {blank}"),
            )
        });
        // The key: an empty value has no characters to point at.
        let at = fixture.locate(SCHALTJAHR, &format!("title: {blank}"));
        run.assert_refused(&at, "`title` is empty");
    }
}

#[test]
fn a_file_that_cannot_be_read_is_an_io_error_exit_2() {
    // Permissions do not stop root (CI runs as root), so the unreadable file is a
    // folder where site.yaml should be.
    let (fixture, run) = broken(|f| {
        let path = f.root().join(SITE_YAML);
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
    });
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
    assert!(!fixture.output().exists());
}

#[test]
fn a_blank_translated_title_or_topic_is_a_located_error() {
    const EN: &str = "content/news/2024-02-29-register-schaltjahr.en.md";
    let (fixture, run) = broken(|f| {
        let text = std::fs::read_to_string(f.root().join(EN)).unwrap();
        let title = text
            .lines()
            .find(|l| l.starts_with("title:"))
            .unwrap()
            .to_owned();
        f.edit(EN, &title, "title: \" \"");
        f.edit(EN, "Quality reports]", "\"\"]");
    });
    run.assert_refused(&fixture.locate(EN, "title: \" \""), "`title` is empty");
    assert!(
        run.stderr
            .contains("a translated topic under `topics` is empty"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_release_file_with_a_date_but_no_name_gets_a_useful_suggestion() {
    let (_, run) = broken(|f| {
        f.write(
            "content/news/2024-07-23-.md",
            "---\ntitle: Neue Partnerschaft\ndate: 2024-07-23\n---\nText.\n",
        )
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("has a date but no name after it"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`2024-07-23-neue-partnerschaft.md`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_base_url_does_not_hide_the_contents_errors() {
    let (fixture, run) = broken(|f| {
        f.edit(
            SITE_YAML,
            "base_url: https://example.org/sub/path/",
            "base_url: https://example.org//evil.example/",
        );
        f.edit(SCHALTJAHR, "date: 2024-02-29", "date: 2024-02-30");
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "--> {}\n",
            fixture.locate(SITE_YAML, "https://example.org//evil")
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "--> {}",
            line_of(&fixture, SCHALTJAHR, "date: 2024-02-30")
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_broken_partnership_gives_no_unknown_person_error() {
    let (_, run) = broken(|f| {
        f.edit(
            SCHALTJAHR,
            "topics: [",
            "contacts: [klinikum-suedhoehe/uemran-oeztuerk]\ntopics: [",
        );
        f.edit(DREI, "kind: network", "kind: [network");
    });
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!("--> {DREI}:")),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("unknown person"), "{}", run.stderr);
}
