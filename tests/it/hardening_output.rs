//! Issue 11, items 5–7: no `--output` can destroy the sources or anything that is not an
//! earlier build; concurrent builds into one output wait for each other; a build killed
//! while swapping loses nothing, even when the next build fails.

use crate::harness::{Fixture, SPEC_SITE, cli, tree};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `partnerpress build` in the site root with the given extra arguments.
fn build_in(root: &Path, args: &[&str]) -> Output {
    cli()
        .current_dir(root)
        .arg("build")
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file and folder under `dir` (relative, `/`-separated, folders with a trailing
/// `/`) with the bytes of the files: empty folders count too.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = tree(dir);
    for entry in walk(dir) {
        if entry.is_dir() {
            let rel = entry.strip_prefix(dir).unwrap().to_string_lossy();
            all.insert(format!("{}/", rel.replace('\\', "/")), Vec::new());
        }
    }
    all
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && !path.is_symlink() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}

/// Asserts that `build --output <output>` (run in the site root) exits 2 with a message
/// naming the output and the reason, and leaves the whole temporary folder unchanged.
fn assert_refused(fixture: &Fixture, output: &str, reason: &str) {
    let everything = fixture.root().parent().unwrap().to_path_buf();
    let before = snapshot(&everything);
    let out = build_in(&fixture.root(), &["--output", output]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "--output {output}: {err}");
    assert!(
        err.contains(&format!("refusing to write the site to `{output}`")) && err.contains(reason),
        "--output {output}: the message lacks the output or `{reason}`: {err}"
    );
    assert!(err.contains("help:"), "no help: {err}");
    assert!(
        snapshot(&everything) == before,
        "--output {output} changed files"
    );
}

#[test]
fn an_output_inside_or_around_the_sources_is_refused_and_nothing_is_touched() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.write("themes/eigen/templates/x.html", "x");
    for output in [
        "content/news",
        "content/news/neu",
        "content/site.yaml",
        "content/institutions/../pages",
        "content",
        "themes",
        "themes/eigen",
        "themes/eigen/static",
        "public/../content/news",
    ] {
        assert_refused(&fixture, output, "sources");
    }
    for output in [".", "..", "../.."] {
        assert_refused(&fixture, output, "holds the site");
    }
}

#[test]
#[cfg(unix)]
fn an_existing_file_a_link_a_repository_or_a_foreign_folder_is_refused() {
    let fixture = Fixture::copy(SPEC_SITE);
    let root = fixture.root();
    fixture.write("README.md", "# the site\n");
    assert_refused(&fixture, "README.md", "it is a file");
    fixture.write("docs/plan.odt", "plan");
    assert_refused(&fixture, "docs", "no built site");
    fixture.write("gh-pages/index.html", "<h1>old</h1>");
    fixture.write("gh-pages/.git/HEAD", "ref: refs/heads/gh-pages\n");
    assert_refused(&fixture, "gh-pages", "repository");
    // A symbolic link to a folder would be replaced by a folder.
    std::fs::create_dir(root.join("www")).unwrap();
    std::os::unix::fs::symlink(root.join("www"), root.join("public")).unwrap();
    assert_refused(&fixture, "public", "symbolic link");
}

#[test]
#[cfg(unix)]
fn an_output_reached_through_symbolic_links_is_compared_as_resolved() {
    let fixture = Fixture::copy(SPEC_SITE);
    let root = fixture.root();
    let everything = root.parent().unwrap().to_path_buf();
    let link = everything.join("link");
    std::os::unix::fs::symlink(&root, &link).unwrap();
    let before = snapshot(&root);
    // The root given through a link, the output the real site folder, and the reverse.
    for (root_arg, output) in [
        (&link, &root),
        (&root, &link),
        (&link, &link.join("content")),
    ] {
        let out = cli()
            .arg("build")
            .arg("--root")
            .arg(root_arg)
            .arg("--output")
            .arg(output)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("refusing"), "{}", stderr(&out));
        assert!(snapshot(&root) == before, "the site changed");
    }
    // A folder linked into `content/` is a source folder too.
    let shared = everything.join("shared-static");
    std::fs::create_dir_all(shared.join("img")).unwrap();
    std::fs::write(shared.join("img/logo.svg"), "<svg/>").unwrap();
    std::os::unix::fs::symlink(&shared, root.join("content/static")).unwrap();
    let out = build_in(&root, &["--output", "../shared-static/img"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(shared.join("img/logo.svg")).unwrap(),
        "<svg/>"
    );
}

#[test]
fn build_watch_refuses_the_same_outputs() {
    let fixture = Fixture::copy(SPEC_SITE);
    let out = build_in(&fixture.root(), &["--watch", "--output", "content/news"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(fixture.root().join("content/news").is_dir());
}

#[test]
fn a_new_an_empty_or_an_earlier_build_folder_is_accepted() {
    let fixture = Fixture::copy(SPEC_SITE);
    let root = fixture.root();
    std::fs::create_dir(root.join("empty")).unwrap();
    for output in ["public", "public", "empty", "../elsewhere/new"] {
        let out = build_in(&root, &["--output", output]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "--output {output}: {}",
            stderr(&out)
        );
        assert!(root.join(output).join("index.html").is_file());
    }
    let beside: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // `.partnerpress/` is the site's cache (photos, share cards), not the output's.
        .filter(|n| n.starts_with('.') && n != ".partnerpress")
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
}

/// A fixture's output as one single build writes it: its list of files.
fn files_of_one_build(fixture: &Fixture) -> Vec<String> {
    let out = build_in(&fixture.root(), &["--output", "../single"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    tree(&fixture.root().join("../single"))
        .into_keys()
        .collect()
}

/// Names beside the output that are neither the site, the output nor the single build.
fn leftovers(fixture: &Fixture) -> Vec<String> {
    std::fs::read_dir(fixture.root().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !["site", "public", "single"].contains(&n.as_str()))
        .collect()
}

fn spawn_build(fixture: &Fixture) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_partnerpress"))
        .arg("build")
        .arg("--root")
        .arg(fixture.root())
        .arg("--output")
        .arg(fixture.output())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn concurrent_builds_into_one_output_publish_the_complete_site() {
    let fixture = Fixture::copy("fifty");
    let expected = files_of_one_build(&fixture);
    // The second build starts while the first renders and writes (about a second in a
    // debug build): its start-up used to delete the first one's staging folder.
    for round in 0..4u64 {
        let first = spawn_build(&fixture);
        std::thread::sleep(Duration::from_millis(100 + 200 * round));
        let builds = [first, spawn_build(&fixture)];
        for build in builds {
            let out = build.wait_with_output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "round {round}: {}",
                stderr(&out)
            );
        }
        let published: Vec<String> = tree(&fixture.output()).into_keys().collect();
        assert!(
            published == expected,
            "round {round}: {} files published, {} expected; missing: {:?}",
            published.len(),
            expected.len(),
            expected
                .iter()
                .filter(|f| !published.contains(f))
                .take(5)
                .collect::<Vec<_>>()
        );
        assert!(leftovers(&fixture).is_empty(), "{:?}", leftovers(&fixture));
    }
}

#[test]
fn a_second_build_waits_for_the_first_and_keeps_its_staging_folder() {
    let fixture = Fixture::copy(SPEC_SITE);
    let first = partnerpress::output::Staging::new(&fixture.output()).unwrap();
    first.write_file(&partnerpress::render::OutputFile {
        path: "index.html".into(),
        contents: b"first".to_vec().into(),
    });
    let mut second = spawn_build(&fixture);
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) {
        assert!(
            second.try_wait().unwrap().is_none(),
            "the second build did not wait for the first"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The second build's start-up did not delete the first one's pages.
    first.commit().unwrap();
    assert_eq!(
        std::fs::read_to_string(fixture.output().join("index.html")).unwrap(),
        "first"
    );
    let out = second.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let expected = format!(
        "waiting for another build of `{}` to finish (process {})",
        fixture.output().display(),
        std::process::id()
    );
    assert!(err.contains(&expected), "stderr lacks `{expected}`: {err}");
    assert!(fixture.output().join("nachrichten/index.html").is_file());
    assert!(leftovers(&fixture).is_empty(), "{:?}", leftovers(&fixture));
}

/// Builds `fixture` into `dir` (a complete site) with a marker in its home page.
fn complete_site(fixture: &Fixture, dir: &Path, marker: &str) {
    let out = build_in(&fixture.root(), &["--output", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(dir.join("marker.txt"), marker).unwrap();
}

fn break_the_site(fixture: &Fixture) {
    fixture.edit(
        "content/news/2024-05-06-amt-und-klinik.md",
        "partners: [gesundheitsamt-tannenfeld, klinikum-suedhoehe]",
        "partners: [gesundheitsamt-tannenfeld, klinikum-suedhoeh]",
    );
}

fn beside(fixture: &Fixture, kind: &str, pid: u32) -> PathBuf {
    fixture
        .root()
        .parent()
        .unwrap()
        .join(format!(".public.partnerpress-{kind}-{pid}"))
}

#[test]
fn a_build_killed_between_the_renames_loses_nothing_even_if_the_next_fails() {
    // Killed after moving the output aside and before moving the new site in: the old
    // site is `old`, the complete new one `ready`, and there is no output. The next
    // build fails on a content error; the new site must be published all the same.
    let fixture = Fixture::copy(SPEC_SITE);
    complete_site(&fixture, &beside(&fixture, "old", 4242), "old");
    complete_site(&fixture, &beside(&fixture, "ready", 4242), "new");
    let new_site = tree(&beside(&fixture, "ready", 4242));
    break_the_site(&fixture);
    let out = build_in(&fixture.root(), &["--output", "../public"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        tree(&fixture.output()) == new_site,
        "the complete new site was not published"
    );
    assert!(leftovers(&fixture).is_empty(), "{:?}", leftovers(&fixture));
}

#[test]
fn an_interrupted_swap_without_a_complete_new_site_restores_the_old_one() {
    // Killed the same way by an earlier version, or while the new site was still being
    // written: only `old` is complete.
    let fixture = Fixture::copy(SPEC_SITE);
    complete_site(&fixture, &beside(&fixture, "old", 4242), "old");
    let old_site = tree(&beside(&fixture, "old", 4242));
    std::fs::create_dir_all(beside(&fixture, "new", 4242).join("news")).unwrap();
    std::fs::write(beside(&fixture, "new", 4242).join("news/x.html"), "half").unwrap();
    break_the_site(&fixture);
    let out = build_in(&fixture.root(), &["--output", "../public"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        tree(&fixture.output()) == old_site,
        "the old site was not restored"
    );
    assert!(leftovers(&fixture).is_empty(), "{:?}", leftovers(&fixture));
}

#[test]
fn leftovers_beside_a_present_output_are_removed_and_the_output_kept() {
    // Killed after the swap (the old site not yet removed) or before it (the new site
    // complete but not published): the output is what was published last.
    let fixture = Fixture::copy(SPEC_SITE);
    complete_site(&fixture, &fixture.output(), "published");
    let published = tree(&fixture.output());
    complete_site(&fixture, &beside(&fixture, "old", 4242), "old");
    complete_site(&fixture, &beside(&fixture, "ready", 4343), "ready");
    break_the_site(&fixture);
    let out = build_in(&fixture.root(), &["--output", "../public"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(tree(&fixture.output()) == published, "the output changed");
    assert!(leftovers(&fixture).is_empty(), "{:?}", leftovers(&fixture));
}

#[test]
fn builds_killed_at_random_moments_always_leave_a_complete_output() {
    let fixture = Fixture::copy("fifty");
    let expected = files_of_one_build(&fixture);
    assert!(spawn_build(&fixture).wait().unwrap().success());
    for round in 0..8u64 {
        let mut build = spawn_build(&fixture);
        // Spread the kills over the build (about a second in a debug build).
        std::thread::sleep(Duration::from_millis(150 + round * 97 % 1100));
        let _ = build.kill();
        let _ = build.wait();
        let published: Vec<String> = tree(&fixture.output()).into_keys().collect();
        assert!(
            published == expected,
            "round {round}: the output is missing or incomplete ({} of {} files)",
            published.len(),
            expected.len()
        );
    }
    let out = build_in(&fixture.root(), &["--output", "../public"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(leftovers(&fixture).is_empty(), "{:?}", leftovers(&fixture));
}
