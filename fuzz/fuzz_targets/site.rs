//! End-to-end fuzz target: arbitrary bytes become the content files of a tiny site,
//! which a `Session` in `Mode::Check` loads, resolves and renders in memory (no output is
//! written), exactly as `partnerpress check` does. Every diagnostic is also rendered
//! the way the binary prints it, and its position is checked against its file.
//!
//! Input format: pieces separated by a NUL byte. Each piece is one content file; its
//! first line is the path under `content/` (`institutions/a.md`, `news/x.en.md`, ...),
//! the rest is the file's bytes (front matter + Markdown). A piece whose first line is
//! not a safe path in one of the four content folders gets a default path by position,
//! so pieces without a header still land somewhere. `content/site.yaml` is fixed.

#![no_main]

use libfuzzer_sys::fuzz_target;
use partnerpress::{BuildOptions, Mode, Session};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const SITE_YAML: &str = "\
title: Fuzznetz
description: Eine Seite zum Fuzzen
base_url: https://example.org/sub/
languages: { default: de, others: [en] }
timezone: Europe/Berlin
markdown: { raw_html: false }
news_per_page: 2
translations:
  en:
    title: Fuzz network
";

const FOLDERS: [&str; 4] = ["institutions", "partnerships", "news", "pages"];

/// Where a piece without a usable header goes, by its position in the input.
const DEFAULT_PATHS: [&str; 8] = [
    "institutions/a.md",
    "institutions/b.md",
    "partnerships/p.md",
    "news/2024-01-02-n.md",
    "pages/s.md",
    "institutions/a.en.md",
    "partnerships/p.en.md",
    "news/2024-01-02-n.en.md",
];

const MAX_FILES: usize = 24;

/// One directory per process, on tmpfs when there is one; rewritten every run.
fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let root = base.join(format!("partnerpress-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content")).expect("create fuzz root");
        std::fs::write(root.join("content/site.yaml"), SITE_YAML).expect("write site.yaml");
        root
    })
}

/// `folder/name` with a name of safe characters only (no traversal, no sub-folders).
fn safe_path(header: &[u8]) -> Option<String> {
    let header = std::str::from_utf8(header).ok()?;
    let (folder, name) = header.split_once('/')?;
    let ok_name = !name.is_empty()
        && name.len() <= 64
        && name != "."
        && name != ".."
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-~#".contains(&b));
    (FOLDERS.contains(&folder) && ok_name).then(|| format!("{folder}/{name}"))
}

/// The files of the site: (path under `content/`, bytes).
fn files(data: &[u8]) -> Vec<(String, &[u8])> {
    data.split(|&b| b == 0)
        .take(MAX_FILES)
        .enumerate()
        .map(|(i, piece)| {
            let (header, rest) = match piece.iter().position(|&b| b == b'\n') {
                Some(n) => (&piece[..n], &piece[n + 1..]),
                None => (piece, &[][..]),
            };
            match safe_path(header) {
                Some(path) => (path, rest),
                None => (DEFAULT_PATHS[i % DEFAULT_PATHS.len()].to_owned(), piece),
            }
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let root = root();
    let content = root.join("content");
    for folder in FOLDERS {
        let _ = std::fs::remove_dir_all(content.join(folder));
        std::fs::create_dir_all(content.join(folder)).expect("create folder");
    }
    let files = files(data);
    for (path, bytes) in &files {
        std::fs::write(content.join(path), bytes).expect("write content file");
    }

    let report = Session::once(BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    })
    .run(Mode::Check)
    .expect("a check writes nothing, so it has no I/O failure");

    for d in &report.diagnostics {
        // What the binary prints must not panic either.
        let _ = d.render();
        let _ = d.render_with(true);
        // Positions are 1-based and inside the file they name.
        let Some(rel) = d.path.strip_prefix("content").ok() else {
            continue;
        };
        let Some((_, bytes)) = files.iter().rev().find(|(p, _)| Path::new(p) == rel) else {
            continue;
        };
        if d.line == 0 {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        let lines = text.split('\n').count();
        assert!(
            d.line <= lines,
            "{}: line {} but the file has {lines} lines\n{}",
            d.path.display(),
            d.line,
            d.render()
        );
        let width = text
            .split('\n')
            .nth(d.line - 1)
            .map_or(0, |l| l.chars().count());
        assert!(
            d.column <= width + 1,
            "{}:{}: column {} but the line has {width} characters\n{}",
            d.path.display(),
            d.line,
            d.column,
            d.render()
        );
    }
});
