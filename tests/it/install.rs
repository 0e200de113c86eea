//! `cargo install --locked --path .` as the README says, into a temporary root, and the
//! installed binary used as a press office would: `init`, `check`, `build`. Slow (a
//! release build), so ignored by `cargo test`; `.ci/run` runs it once after its release
//! build, whose target folder it reuses.

use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "a release build: .ci/run runs it with --ignored"]
fn cargo_install_gives_a_binary_that_makes_and_builds_a_site() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let install_root = dir.path().join("install");
    let target =
        std::env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| manifest.join("target").into());
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["install", "--locked", "--path"])
        .arg(manifest)
        .arg("--root")
        .arg(&install_root)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .unwrap();
    assert!(status.success(), "cargo install failed");
    let bin = install_root.join("bin/partnerpress");
    let run = |args: &[&str], cwd: &Path| {
        let out = Command::new(&bin)
            .args(args)
            .current_dir(cwd)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "partnerpress {args:?}: {text}");
        text
    };
    let version = run(&["--version"], dir.path());
    assert!(
        version.starts_with(&format!("partnerpress {}", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    run(&["init", "newsroom"], dir.path());
    let site = dir.path().join("newsroom");
    run(&["check", "--deny-warnings"], &site);
    let built = run(&["build", "--deny-warnings"], &site);
    assert!(built.contains("2 releases"), "{built}");
    assert!(site.join("public/index.html").is_file());
}
