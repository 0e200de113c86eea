//! The default theme is embedded with `include_dir!`, which cargo cannot see through:
//! tell it to rebuild whenever a file under `themes/default/` changes.
//!
//! `partnerpress --version` names the commit it was built from, so a press office can
//! say which build it runs; a build outside a git checkout (a crate tarball) names none.
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-env-changed=PARTNERPRESS_COMMIT");
    let commit = std::env::var("PARTNERPRESS_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short=10", "HEAD"]));
    let version = env!("CARGO_PKG_VERSION");
    match commit {
        Some(commit) => println!("cargo:rustc-env=PARTNERPRESS_VERSION={version} ({commit})"),
        None => println!("cargo:rustc-env=PARTNERPRESS_VERSION={version}"),
    }
    // A new commit changes HEAD or the branch it points to (loose or packed).
    for name in ["HEAD", "packed-refs"] {
        watch_git_path(name);
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch_git_path(&branch);
    }
}

/// Reruns this script when the file changes; only existing files (cargo reruns on
/// every build for a path that does not exist).
fn watch_git_path(name: &str) {
    if let Some(path) = git(&["rev-parse", "--git-path", name])
        && std::path::Path::new(&path).exists()
    {
        println!("cargo:rerun-if-changed={path}");
    }
}

/// One line of git's output, or `None` without git or outside a repository.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let line = text.trim();
    (out.status.success() && !line.is_empty()).then(|| line.to_owned())
}
