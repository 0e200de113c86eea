//! One content file in memory: its text and where front matter and body lie in it.
//!
//! Positions reported to the user are always relative to the whole file, so every
//! stage that finds a problem inside front matter or body maps it back through here.

use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use std::path::PathBuf;

/// A content file's text with the byte ranges of its parts.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root (`content/news/2024-07-23-x.md`).
    pub path: PathBuf,
    pub text: String,
    /// Byte range of the YAML between the `---` lines.
    pub front_matter: std::ops::Range<usize>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// Control characters the loader replaced by spaces: the first one's byte offset
    /// and how many there were (see `content::blank_controls`).
    pub blanked: Option<(usize, usize)>,
}

impl SourceFile {
    /// Splits `text` into front matter and body; a file without a complete `---` block
    /// is a diagnostic pointing at where the block should start or end.
    pub fn split(path: PathBuf, text: String) -> Result<Self, Box<Diagnostic>> {
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let rest = &text[bom..];
        if rest.trim().is_empty() {
            return Err(Box::new(
                Diagnostic::error(Code::EmptyFile, path, "the file is empty")
                    .with_help("start it with a front matter block between two `---` lines"),
            ));
        }
        let Some(after_open) = rest
            .strip_prefix("---\n")
            .or_else(|| rest.strip_prefix("---\r\n"))
        else {
            return Err(Box::new(
                Diagnostic::error(Code::MissingFrontMatter, path, "missing front matter")
                    .at_line(&text, 1, 1)
                    .with_help("the file must start with a line `---`, then YAML, then `---`"),
            ));
        };
        let yaml_start = text.len() - after_open.len();
        let mut offset = yaml_start;
        for line in after_open.split_inclusive('\n') {
            if line.trim_end_matches(['\n', '\r']) == "---" {
                return Ok(SourceFile {
                    blanked: None,
                    front_matter: yaml_start..offset,
                    body_start: offset + line.len(),
                    path,
                    text,
                });
            }
            offset += line.len();
        }
        Err(Box::new(
            Diagnostic::error(
                Code::UnterminatedFrontMatter,
                path,
                "front matter is never closed",
            )
            .at_line(&text, 1, 1)
            .with_help("add a line `---` after the last YAML line"),
        ))
    }

    pub fn yaml(&self) -> &str {
        &self.text[self.front_matter.clone()]
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// An error located at `offset` bytes into the file.
    pub fn error_at(&self, code: Code, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, self.path.clone(), message).at_offset(&self.text, offset)
    }

    /// A warning located at `offset` bytes into the file.
    pub fn warning_at(&self, code: Code, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(code, self.path.clone(), message).at_offset(&self.text, offset)
    }

    /// Byte offset of `value` as written under `key` in the front matter, so a problem
    /// with a value that parsed fine (an unknown id) points at the value itself. Falls
    /// back to the key, then to the start of the front matter.
    pub fn locate(&self, key: &str, value: &str) -> usize {
        let yaml = self.yaml();
        let key_pos = find_key(yaml, key);
        if let Some(k) = key_pos {
            if !value.is_empty()
                && let Some(v) = yaml[k..].find(value)
            {
                return self.front_matter.start + k + v;
            }
            return self.front_matter.start + k;
        }
        if !value.is_empty()
            && let Some(v) = yaml.find(value)
        {
            return self.front_matter.start + v;
        }
        self.front_matter.start
    }

    /// Byte offset of the value written after `key:` (its first non-blank character,
    /// on the next line for block lists), else of the key.
    pub fn locate_value(&self, key: &str) -> usize {
        let at = self.locate_key(key);
        let after = &self.text[at..self.front_matter.end];
        match after.find(':') {
            Some(colon) => {
                let rest = &after[colon + 1..];
                let skip = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r', '-']).len();
                let skip = if rest[..skip].contains('\n') {
                    rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len()
                } else {
                    skip
                };
                at + colon + 1 + skip
            }
            None => at,
        }
    }

    /// Byte offset of the value under nested keys (`segments` → `de` → `news`), block
    /// or flow style; else of the deepest key found.
    pub(crate) fn locate_path(&self, keys: &[&str]) -> usize {
        let Some((first, rest)) = keys.split_first() else {
            return self.front_matter.start;
        };
        let mut at = self.locate_key(first);
        let mut key_len = first.len();
        for key in rest {
            let from = at + key_len + 1;
            match find_key(&self.text[from..self.front_matter.end], key) {
                Some(i) => {
                    at = from + i;
                    key_len = key.len();
                }
                None => return at,
            }
        }
        let value = &self.text[at + key_len + 1..self.front_matter.end];
        at + key_len + 1 + (value.len() - value.trim_start_matches([' ', '\t']).len())
    }

    /// Byte offset of `key:` in the front matter (start of the front matter if absent).
    pub fn locate_key(&self, key: &str) -> usize {
        self.front_matter.start + find_key(self.yaml(), key).unwrap_or(0)
    }
}

/// Position of `key:` at the start of a line or after `{`/`,` in flow style.
fn find_key(yaml: &str, key: &str) -> Option<usize> {
    let needle = format!("{key}:");
    let mut from = 0;
    while let Some(i) = yaml[from..].find(&needle) {
        let at = from + i;
        let before = yaml[..at].trim_end_matches([' ', '\t', '-']).chars().last();
        if matches!(before, None | Some('\n' | '{' | ',')) {
            return Some(at);
        }
        from = at + needle.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Result<SourceFile, Box<Diagnostic>> {
        SourceFile::split("content/x.md".into(), text.to_owned())
    }

    #[test]
    fn splits_front_matter_and_body() {
        let f = split("---\ntitle: A\n---\n\nBody\n").unwrap();
        assert_eq!(f.yaml(), "title: A\n");
        assert_eq!(f.body(), "\nBody\n");
    }

    #[test]
    fn accepts_crlf_and_empty_front_matter() {
        let f = split("---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!(f.yaml(), "title: A\r\n");
        assert_eq!(f.body(), "Body");
        assert_eq!(split("---\n---\n").unwrap().yaml(), "");
    }

    #[test]
    fn reports_missing_unterminated_and_empty() {
        assert_eq!(
            split("title: A\n").unwrap_err().code,
            Code::MissingFrontMatter
        );
        assert_eq!(
            split("---\ntitle: A\n").unwrap_err().code,
            Code::UnterminatedFrontMatter
        );
        assert_eq!(split(" \n").unwrap_err().code, Code::EmptyFile);
    }

    #[test]
    fn locates_values_under_their_key() {
        let f = split("---\ntitle: uk\npartners: [a, uk-x]\n---\n").unwrap();
        let at = f.locate("partners", "uk-x");
        assert_eq!(&f.text[at..at + 4], "uk-x");
        let at = f.locate_key("partners");
        assert!(f.text[at..].starts_with("partners:"));
        let at = f.locate_value("partners");
        assert!(f.text[at..].starts_with("[a, uk-x]"));
    }
}
