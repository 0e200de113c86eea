//! The harness: copies a fixture from `tests/fixtures/<case>/` into a fresh temporary
//! folder, builds it in-process with a `Session` in `Mode::Build` and hands back the output
//! with a few readers. Every test gets its own copy, so tests may edit their site and
//! run in parallel.

use partnerpress::{BuildOptions, BuildReport, Mode, Session};
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

#[path = "../support/tree.rs"]
mod tree;
pub(crate) use tree::copy_dir;

/// The fictional bilingual site most tests use (see its `content/site.yaml`).
pub const SPEC_SITE: &str = "spec-site";
/// `base_url` of the spec-site; every internal link must start with its path, `/sub/path/`.
pub const SPEC_BASE_URL: &str = "https://example.org/sub/path/";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A site root in a temporary folder, removed when dropped. The output goes to
/// `public/` beside the root, inside the same temporary folder.
pub struct Fixture {
    dir: TempDir,
}

impl Fixture {
    /// A copy of `tests/fixtures/<case>/`.
    pub fn copy(case: &str) -> Self {
        let fixture = Self::empty();
        let from = manifest_dir().join("tests/fixtures").join(case);
        assert!(from.is_dir(), "no fixture `{}`", from.display());
        copy_dir(&from, &fixture.root());
        fixture
    }

    /// A copy of the project's own site: its `content/` only (the theme is built in).
    pub fn project_site() -> Self {
        let fixture = Self::empty();
        copy_dir(
            &manifest_dir().join("content"),
            &fixture.root().join("content"),
        );
        fixture
    }

    /// A site made by `partnerpress init` (in-process) with these languages.
    pub fn init(languages: &[&str]) -> Self {
        let fixture = Self::empty();
        let opts = partnerpress::init::InitOptions {
            title: None,
            languages: languages.iter().map(|l| l.to_string()).collect(),
            base_url: "https://presse.example.org/newsroom/".into(),
            timezone: "Europe/Berlin".into(),
            today: jiff::civil::date(2026, 3, 2),
        };
        partnerpress::init(&fixture.root(), &opts, false).expect("init");
        fixture
    }

    fn empty() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("partnerpress-it-")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir(dir.path().join("site")).expect("create site folder");
        Self { dir }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn output(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    /// Build options for this fixture: root and output set, nothing else.
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root(),
            output: Some(self.output()),
            ..BuildOptions::default()
        }
    }

    /// Replaces `from` with `to` in the site file `rel` (relative to the root); panics if
    /// `from` is not there, so a fixture change cannot silently void a test.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.root().join(rel);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        assert!(text.contains(from), "`{rel}` does not contain `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write fixture file");
    }

    /// `rel:line:column` of the first `needle` in the site file `rel`, as a diagnostic
    /// names it (both from 1, the column in characters): a test that writes broken text
    /// into a fixture it did not make finds where it went instead of counting by hand.
    pub fn locate(&self, rel: &str, needle: &str) -> String {
        let path = self.root().join(rel);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let at = text
            .find(needle)
            .unwrap_or_else(|| panic!("`{rel}` does not contain `{needle}`"));
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let line = text[..at].matches('\n').count() + 1;
        let column = text[line_start..at].chars().count() + 1;
        format!("{rel}:{line}:{column}")
    }

    /// Writes `text` to the site file `rel` (relative to the root), creating folders.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("file in a folder")).expect("create folders");
        std::fs::write(&path, text).expect("write site file");
    }

    /// Runs the binary: `partnerpress build --root <site> --output <output> <extra>`;
    /// returns the exit code and stderr.
    pub fn build_cli(&self, extra: &[&str]) -> (i32, String) {
        let out = cli()
            .arg("build")
            .arg("--root")
            .arg(self.root())
            .arg("--output")
            .arg(self.output())
            .args(extra)
            .output()
            .expect("run partnerpress");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code().expect("exit code"), stderr)
    }

    /// Builds with `opts`; returns the report whatever it says.
    pub fn build_report(&self, opts: &BuildOptions) -> BuildReport {
        Session::once(opts.clone())
            .run(Mode::Build)
            .unwrap_or_else(|e| panic!("build failed with an I/O error: {e:#}"))
    }

    /// Checks the site (`partnerpress check`): renders in memory, follows every link.
    pub fn check_report(&self) -> BuildReport {
        Session::once(self.options())
            .run(Mode::Check)
            .unwrap_or_else(|e| panic!("check failed with an I/O error: {e:#}"))
    }

    /// Builds with `opts` and asserts that it succeeded.
    pub fn build_with(self, opts: &BuildOptions) -> Site {
        let report = self.build_report(opts);
        let errors: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render())
            .collect();
        assert!(
            errors.is_empty(),
            "the build reported errors:\n{}",
            errors.join("\n")
        );
        assert!(report.published, "the build wrote nothing");
        let out = opts.output_dir();
        Site {
            _fixture: self,
            out,
            report,
        }
    }

    /// Builds with the default options and asserts that it succeeded.
    pub fn build(self) -> Site {
        let opts = self.options();
        self.build_with(&opts)
    }
}

/// Copies `fixture` and builds it with the default options.
/// The one error of `report` (a site with one mistake gives one error); fails the
/// test, listing them, when there are none or several.
pub fn only_error(report: &BuildReport) -> &partnerpress::diagnostics::Diagnostic {
    let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
    let [error] = errors[..] else {
        panic!("one error, not {}: {errors:#?}", errors.len())
    };
    error
}

pub fn build(case: &str) -> Site {
    Fixture::copy(case).build()
}

/// Copies `fixture` and builds it with options changed by `change`.
pub fn build_with(case: &str, change: impl FnOnce(&mut BuildOptions)) -> Site {
    let fixture = Fixture::copy(case);
    let mut opts = fixture.options();
    change(&mut opts);
    fixture.build_with(&opts)
}

/// A built site: the output folder and the report of the build.
pub struct Site {
    _fixture: Fixture,
    pub out: PathBuf,
    pub report: BuildReport,
}

impl Site {
    /// The output file of `route`: `nachrichten/x/` and `` mean `nachrichten/x/index.html` and
    /// `index.html`; anything else is a file path.
    pub fn file(&self, route: &str) -> PathBuf {
        self.out.join(route_file(route))
    }

    pub fn exists(&self, route: &str) -> bool {
        self.file(route).is_file()
    }

    pub fn read(&self, route: &str) -> String {
        let path = self.file(route);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read `{route}` ({}): {e}", path.display()))
    }

    pub fn html(&self, route: &str) -> Html {
        Html::parse_document(&self.read(route))
    }

    /// The page's `<main>` element exactly as written (from `<main` to `</main>`), so
    /// snapshots and `contains` checks see the output's bytes, not a re-serialisation.
    pub fn main(&self, route: &str) -> String {
        let html = self.read(route);
        main_of(&html)
            .unwrap_or_else(|| panic!("`{route}` has not exactly one <main>"))
            .to_owned()
    }

    /// Every output file, `/`-separated and relative to the output folder, sorted.
    pub fn files(&self) -> Vec<String> {
        tree(&self.out).into_keys().collect()
    }

    /// Every output file and its bytes.
    pub fn tree(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.out)
    }
}

/// `news/x/` → `news/x/index.html`, `` → `index.html`, files unchanged.
pub fn route_file(route: &str) -> String {
    if route.is_empty() || route.ends_with('/') {
        format!("{route}index.html")
    } else {
        route.to_owned()
    }
}

/// The German words of the built-in theme's addresses and their English ones.
const SEGMENT_WORDS: [(&str, &str); 10] = [
    ("nachrichten", "news"),
    ("partner", "partners"),
    ("partnerschaften", "partnerships"),
    ("themen", "topics"),
    ("chronik", "timeline"),
    ("suche", "search"),
    ("medien", "media"),
    ("presse", "press"),
    ("seite", "page"),
    ("faktenblatt", "factsheet"),
];

/// A route of a German-default site (`nachrichten/x/`) in the language of `prefix`
/// (`""` or `"en/"`): English words under `en/` (`en/news/x/`).
pub fn in_lang(prefix: &str, route: &str) -> String {
    if prefix.is_empty() {
        return route.to_owned();
    }
    let words: Vec<&str> = route
        .split('/')
        .map(|part| {
            SEGMENT_WORDS
                .iter()
                .find(|(de, _)| *de == part)
                .map_or(part, |(_, en)| en)
        })
        .collect();
    format!("{prefix}{}", words.join("/"))
}

/// The source text of the one `<main>…</main>` of a page; `None` unless there is exactly one.
pub fn main_of(html: &str) -> Option<&str> {
    let opens: Vec<usize> = html
        .match_indices("<main")
        .filter(|(i, _)| matches!(html.as_bytes().get(i + 5), Some(b' ' | b'>')))
        .map(|(i, _)| i)
        .collect();
    let [start] = opens.as_slice() else {
        return None;
    };
    let end = html[*start..].find("</main>")? + start + "</main>".len();
    Some(&html[*start..end])
}

pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector `{css}`: {e}"))
}

/// Every file under `dir` with its bytes, keyed by its `/`-separated relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files);
    files
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read_dir {}: {e}", dir.display()))
    {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path.strip_prefix(base).expect("under base");
            let key = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.insert(key, std::fs::read(&path).expect("read output file"));
        }
    }
}

/// The `partnerpress` binary, for exit-code and terminal-output tests.
pub fn cli() -> assert_cmd::Command {
    assert_cmd::cargo::cargo_bin_cmd!("partnerpress")
}
