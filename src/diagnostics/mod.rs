//! Problems in the user's site, as values.
//!
//! Every stage returns its findings as [`Diagnostic`]s instead of stopping at the first
//! one, so a build reports everything wrong with a site in one run. This module owns the
//! value, the byte-offset → line/column mapping and the terminal rendering; it never
//! decides whether a build goes on (the pipeline in `lib.rs` does).

mod code;

pub use code::Code;

use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops the build: nothing is published.
    Error,
    /// Reported; the build goes on.
    Warning,
}

/// One problem found in the user's site, located as precisely as the stage knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether the problem stops the build.
    pub severity: Severity,
    /// Which kind of problem, from the registry in [`Code`].
    pub code: Code,
    /// Path relative to the site root, as the user would type it.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// A suggestion ("did you mean `uk-magdeburg`?"), if one exists.
    pub help: Option<String>,
    /// The offending source line, for display under the location.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error in the file at `path` (relative to the site root), not yet located in
    /// it.
    pub fn error(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, path.into(), message.into())
    }

    /// A warning in the file at `path`, not yet located in it.
    pub fn warning(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, path.into(), message.into())
    }

    fn new(severity: Severity, code: Code, path: PathBuf, message: String) -> Self {
        Self {
            severity,
            code,
            path,
            line: 0,
            column: 0,
            message,
            help: None,
            source_line: None,
        }
    }

    /// Places the diagnostic at `offset` bytes into `source` (the whole file's text).
    pub fn at_offset(mut self, source: &str, offset: usize) -> Self {
        let (line, column) = line_column(source, offset);
        self.line = line;
        self.column = column;
        self.source_line = source.lines().nth(line - 1).map(str::to_owned);
        self
    }

    /// Places the diagnostic at a known 1-based line and column of `source`.
    pub fn at_line(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(str::to_owned);
        self
    }

    /// Adds the help line: how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether it stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column` as editors and terminals recognise it.
    pub fn location(&self) -> String {
        let path = self.path.display();
        match (self.line, self.column) {
            (0, _) => format!("{path}"),
            (l, 0) => format!("{path}:{l}"),
            (l, c) => format!("{path}:{l}:{c}"),
        }
    }

    /// The rustc-like report (location, offending line with a caret, help), plain.
    pub fn render(&self) -> String {
        self.render_with(false)
    }

    /// The report with ANSI colours when `colour` is set (only for a terminal).
    pub fn render_with(&self, colour: bool) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.path.display().to_string();
        let title = level
            .primary_title(self.message.as_str())
            .id(self.code.as_str());
        let mut group = Group::with_title(title);
        let shown_line = self.source_line.as_deref().map(visible_tabs);
        match &shown_line {
            Some(line) if self.line > 0 => {
                let span = token_span(line, self.column);
                group = group.element(
                    Snippet::source(line.as_ref())
                        .line_start(self.line)
                        .path(path)
                        .annotation(AnnotationKind::Primary.span(span)),
                );
            }
            _ => {
                let mut origin = Origin::path(path);
                if self.line > 0 {
                    origin = origin.line(self.line);
                }
                group = group.element(origin);
            }
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let renderer = if colour {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = renderer.render(&[group]);
        out.push('\n');
        out
    }
}

/// How a tab is shown in a source excerpt: one character, so columns stay true, and
/// visible, since a tab is often the problem (annotate-snippets would print spaces).
const SHOWN_TAB: char = '→';

fn visible_tabs(line: &str) -> std::borrow::Cow<'_, str> {
    if line.contains('\t') {
        line.replace('\t', &SHOWN_TAB.to_string()).into()
    } else {
        line.into()
    }
}

/// Byte range of the token at 1-based character `column` of `line`: up to the next
/// space or YAML punctuation, so the caret underlines the offending value (a shown tab
/// alone).
fn token_span(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    if rest.starts_with(SHOWN_TAB) {
        return start..start + SHOWN_TAB.len_utf8();
    }
    let len = rest
        .char_indices()
        .find(|&(i, c)| i > 0 && (c.is_whitespace() || matches!(c, ',' | ']' | '}' | ')')))
        .map_or(rest.len(), |(i, _)| i);
    start..start + len.max(rest.chars().next().map_or(0, char::len_utf8))
}

/// 1-based line and character column of a byte offset (clamped to the text).
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Sorts for display: by path, then line, then column; errors before warnings on a tie.
pub(crate) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
}

/// Turns every warning into an error (`--deny-warnings`): the build stops on it, and
/// its help says why it is an error.
pub(crate) fn deny_warnings(diagnostics: &mut [Diagnostic]) {
    const WHY: &str = "this warning is an error because of `--deny-warnings`";
    for d in diagnostics.iter_mut().filter(|d| !d.is_error()) {
        d.severity = Severity::Error;
        d.help = Some(match d.help.take() {
            Some(help) => format!("{help}\n{WHY}"),
            None => WHY.to_owned(),
        });
    }
}

/// "2 errors, 1 warning" — the closing line of a report.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// The nearest candidate to `wanted` (Jaro-Winkler ≥ 0.8 or a small edit distance).
pub(crate) fn nearest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wanted, c), c))
        .filter(|(score, c)| *score >= 0.8 || strsim::levenshtein(wanted, c) <= 2)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// `path` relative to `root` for display; unchanged if it is not under `root`.
pub(crate) fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let src = "a: 1\nname: Südhöhe x\n";
        let off = src.find('x').unwrap();
        assert_eq!(line_column(src, off), (2, 15));
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 10_000), (3, 1));
    }

    #[test]
    fn nearest_suggests_close_ids_only() {
        let ids = ["uk-magdeburg", "harzklinikum", "klinikum-dessau"];
        assert_eq!(nearest("uk-magdebrug", ids), Some("uk-magdeburg"));
        assert_eq!(nearest("harz-klinikum", ids), Some("harzklinikum"));
        assert_eq!(nearest("zzz", ids), None);
    }

    #[test]
    fn render_shows_location_line_caret_and_help() {
        let src = "---\npartners: [uk-magdebrug]\n---\n";
        let d = Diagnostic::error(
            Code::UnknownId,
            "content/x.md",
            "unknown institution `uk-magdebrug`",
        )
        .at_offset(src, src.find("uk-").unwrap())
        .with_help("did you mean `uk-magdeburg`?");
        let text = d.render();
        assert!(
            text.starts_with("error[unknown-id]: unknown institution `uk-magdebrug`"),
            "{text}"
        );
        assert!(text.contains("--> content/x.md:2:12"), "{text}");
        assert!(text.contains("2 | partners: [uk-magdebrug]"), "{text}");
        assert!(text.contains("  |            ^^^^^^^^^^^^\n"), "{text}");
        assert!(
            text.contains("help: did you mean `uk-magdeburg`?"),
            "{text}"
        );
    }

    #[test]
    fn render_shows_tabs_with_the_caret_under_the_tab() {
        let src = "---\na: 1\n\t\tb: 2\n---\n";
        let d = Diagnostic::error(Code::Yaml, "content/x.md", "tab")
            .at_offset(src, src.find("\tb").unwrap());
        let text = d.render();
        assert!(text.contains("3 | →→b: 2\n"), "{text}");
        assert!(text.contains("  |  ^\n"), "{text}");
    }
}
