//! Fuzz target for what a site's author controls besides content: `site.yaml` and the
//! theme's templates. A fixed small site (the `drei-partner` seed of the `site` target:
//! institutions, partnerships, releases, translations) is checked with
//! a `Session` in `Mode::Check`, exactly as `partnerpress check` does, with the fuzzed
//! `site.yaml` and templates. Besides "no panic, no abort, no hang" (Tera's recursion,
//! includes and loops are bounded by the renderer) it checks that every diagnostic that
//! names `site.yaml` or a template points at a line and column inside it.
//!
//! Input format: pieces separated by a NUL byte. The first piece is `content/site.yaml`.
//! Each further piece is a template of `themes/default/templates/`: its first line is the
//! template's name (`partners.html`, `partials/x.html`), the rest its text; a piece
//! whose first line is not a safe name gets a name by position (`base.html`,
//! `index.html`, …), so pieces without a header still override a template.

#![no_main]

use libfuzzer_sys::fuzz_target;
use partnerpress::{BuildOptions, Mode, Session};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The content: pieces separated by NUL, each `path\nbytes`.
const CONTENT: &[u8] = include_bytes!("../seeds/site/drei-partner");

/// Names of built-in templates, by position, for pieces without a usable header.
const DEFAULT_NAMES: [&str; 8] = [
    "base.html",
    "index.html",
    "partners.html",
    "partials/release_card.html",
    "release.html",
    "partner.html",
    "page.html",
    "atom.xml",
];

const MAX_TEMPLATES: usize = 16;

/// One directory per process, on tmpfs when there is one, with the fixed content.
fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let root = base.join(format!("partnerpress-fuzz-theme-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for piece in CONTENT.split(|&b| b == 0) {
            let Some(n) = piece.iter().position(|&b| b == b'\n') else {
                continue;
            };
            let path = std::str::from_utf8(&piece[..n]).expect("seed paths are UTF-8");
            let path = root.join("content").join(path.trim());
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("create folder");
            std::fs::write(path, &piece[n + 1..]).expect("write content file");
        }
        root
    })
}

/// A relative template name of safe characters (no traversal, no hidden files).
fn safe_name(header: &[u8]) -> Option<&str> {
    let name = std::str::from_utf8(header).ok()?;
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        });
    ok.then_some(name)
}

/// The templates of the input: (name, bytes).
fn templates(pieces: &[&[u8]]) -> Vec<(String, Vec<u8>)> {
    pieces
        .iter()
        .take(MAX_TEMPLATES)
        .enumerate()
        .map(|(i, piece)| {
            let (header, rest) = match piece.iter().position(|&b| b == b'\n') {
                Some(n) => (&piece[..n], &piece[n + 1..]),
                None => (*piece, &[][..]),
            };
            match safe_name(header) {
                Some(name) => (name.to_owned(), rest.to_vec()),
                None => (DEFAULT_NAMES[i % DEFAULT_NAMES.len()].to_owned(), piece.to_vec()),
            }
        })
        .collect()
}

/// `d`'s line and column lie inside `text` (1-based; column one past the end allowed).
fn assert_inside(d: &partnerpress::diagnostics::Diagnostic, text: &[u8]) {
    if d.line == 0 {
        return;
    }
    let text = String::from_utf8_lossy(text);
    let lines = text.split('\n').count();
    assert!(
        d.line <= lines,
        "line {} but the file has {lines} lines\n{}",
        d.line,
        d.render()
    );
    let width = text
        .split('\n')
        .nth(d.line - 1)
        .map_or(0, |l| l.chars().count());
    assert!(
        d.column <= width + 1,
        "column {} but line {} has {width} characters\n{}",
        d.column,
        d.line,
        d.render()
    );
}

fuzz_target!(|data: &[u8]| {
    let root = root();
    let mut pieces: Vec<&[u8]> = data.split(|&b| b == 0).collect();
    let site_yaml = pieces.remove(0);
    let templates = templates(&pieces);

    let theme = root.join("themes");
    let _ = std::fs::remove_dir_all(&theme);
    let dir = theme.join("default/templates");
    for (name, bytes) in &templates {
        let path = dir.join(name);
        // A name that is also a folder of another name (`a` and `a/b`) is skipped.
        if std::fs::create_dir_all(path.parent().expect("a folder")).is_ok() {
            let _ = std::fs::write(&path, bytes);
        }
    }
    std::fs::write(root.join("content/site.yaml"), site_yaml).expect("write site.yaml");

    let report = Session::once(BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    })
    .run(Mode::Check)
    .expect("a check writes nothing, so it has no I/O failure");

    for d in &report.diagnostics {
        let _ = d.render();
        let _ = d.render_with(true);
        if d.path == Path::new("content/site.yaml") {
            assert_inside(d, site_yaml);
        } else if let Ok(name) = d.path.strip_prefix("themes/default/templates") {
            if let Some((_, bytes)) = templates.iter().rev().find(|(n, _)| Path::new(n) == name) {
                assert_inside(d, bytes);
            }
        }
    }
});
