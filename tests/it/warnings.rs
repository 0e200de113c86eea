//! Warnings that do not hide (issue 13, item 7): with many warnings a build shows the
//! first few and says how to see them all; `--deny-warnings` turns them into errors.

use crate::harness::{Fixture, cli};

const WITHOUT_PARTNERS: &str = "invalid-release-without-partners";
const RELEASE: &str = "content/news/2024-05-06-allgemein.md";

/// The fixture with `n` releases that name no institution: `n` warnings.
fn with_warnings(n: usize) -> Fixture {
    let fixture = Fixture::copy(WITHOUT_PARTNERS);
    for i in 1..n {
        fixture.write(
            &format!("content/news/2024-05-{:02}-meldung-{i}.md", i + 6),
            &format!(
                "---\ntitle: Meldung {i} ohne Einrichtung\ndate: 2024-05-{:02}\n---\n\nText.\n",
                i + 6
            ),
        );
    }
    fixture
}

#[test]
fn many_warnings_show_the_first_five_and_say_how_to_see_them_all() {
    let fixture = with_warnings(12);
    let (code, stderr) = fixture.build_cli(&[]);
    assert_eq!(code, 0, "{stderr}");
    let shown = stderr.matches("warning[no-institution]").count();
    assert_eq!(shown, 5, "{stderr}");
    assert!(
        stderr.contains("… and 7 more warnings: run with `-v` to see every warning"),
        "{stderr}"
    );

    let (code, stderr) = fixture.build_cli(&["-v"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr.matches("warning[no-institution]").count(),
        12,
        "{stderr}"
    );
    assert!(!stderr.contains("more warning"), "{stderr}");
}

#[test]
fn a_few_warnings_are_all_shown() {
    let fixture = with_warnings(3);
    let (code, stderr) = fixture.build_cli(&[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr.matches("warning[no-institution]").count(),
        3,
        "{stderr}"
    );
}

#[test]
fn deny_warnings_stops_the_build_at_the_warning_and_publishes_nothing() {
    let fixture = Fixture::copy(WITHOUT_PARTNERS);
    let (code, stderr) = fixture.build_cli(&["--deny-warnings"]);
    assert_eq!(code, 1, "{stderr}");
    let at = fixture.locate(RELEASE, "title:");
    assert!(stderr.contains("error[no-institution]"), "{stderr}");
    assert!(stderr.contains(&format!("--> {at}\n")), "{stderr}");
    assert!(
        stderr.contains("this warning is an error because of `--deny-warnings`"),
        "{stderr}"
    );
    assert!(
        !fixture.output().exists(),
        "a site with a denied warning was published"
    );

    let (code, stderr) = fixture.build_cli(&[]);
    assert_eq!(code, 0, "without the flag it builds: {stderr}");
    assert!(fixture.output().join("index.html").is_file());
}

#[test]
fn deny_warnings_applies_to_check_too() {
    let fixture = Fixture::copy(WITHOUT_PARTNERS);
    let out = cli()
        .args(["check", "--deny-warnings", "--root"])
        .arg(fixture.root())
        .output()
        .expect("run partnerpress");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[no-institution]"), "{stderr}");
}
