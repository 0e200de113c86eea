//! The one place that calls serde_yaml, so a maintained fork can replace it in one edit.
//!
//! Errors come back as diagnostics located in the whole file (not the YAML block), with
//! a did-you-mean for unknown fields and common syntax slips in plain words
//! ([`super::slips`]).

use super::slips;
use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, nearest};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parses `yaml`, which starts `offset` bytes into `file_text`, as `T`.
pub(crate) fn parse<T: DeserializeOwned + Default>(
    path: &Path,
    file_text: &str,
    yaml: &str,
    offset: usize,
) -> Result<T, Box<Diagnostic>> {
    // A byte-order mark (Windows editors write one) is not part of the YAML.
    let (yaml, offset) = match yaml.strip_prefix('\u{feff}') {
        Some(rest) => (rest, offset + 3),
        None => (yaml, offset),
    };
    if yaml.trim().is_empty() {
        return Ok(T::default());
    }
    if yaml.contains('\\')
        && let Some(diag) = escaped_control(path, file_text, yaml, offset)
    {
        return Err(Box::new(diag));
    }
    serde_yaml::from_str::<T>(yaml).map_err(|err| {
        let at = err.location().map_or(0, |l| l.index());
        let message = clean_message(&err.to_string());
        if is_syntax_error(&message)
            && let Some(slip) = slips::explain(yaml, at, &message)
        {
            return Box::new(
                Diagnostic::error(Code::Yaml, path.to_path_buf(), slip.message)
                    .at_offset(file_text, offset + slip.at)
                    .with_help(slip.help),
            );
        }
        let mut diag = Diagnostic::error(Code::Yaml, path.to_path_buf(), message.clone())
            .at_offset(file_text, offset + at);
        if let Some(help) = unknown_field_help(&message) {
            diag = diag.with_help(help);
        } else if message.contains("missing field") {
            // The same parser reads `site.yaml`, media sidecars and i18n files, which
            // are YAML throughout.
            let place = match path.extension().is_some_and(|e| e == "md") {
                true => "the front matter",
                false => "the file",
            };
            diag = diag.with_help(format!("add the field to {place}"));
        } else if message.contains("expected a list") {
            diag = diag.with_help("write a list, e.g. `[uk-magdeburg, harzklinikum]`");
        } else if message.contains("expected a boolean") {
            diag = diag.with_help("write `true` or `false`");
        } else if is_syntax_error(&message) {
            diag = diag.with_help(
                "write `key: value` lines, lists as `- item` or `[a, b]`; put text with `: ` or `#` in quotes",
            );
        }
        Box::new(diag)
    })
}

/// The new value of a top-level front-matter field that changed (`changed_fields`).
#[derive(Debug, PartialEq)]
pub(crate) enum NewValue {
    /// A text without control characters.
    Text(String),
    /// The field is gone, or empty (`null`), which the raw types read alike.
    Absent,
    /// Anything else: a list, a number, a text with a control character.
    Other,
}

/// The top-level fields whose values differ between two front matters (`a: 1` and
/// `a: "1"` differ), each with its new value; `None` when either is not a mapping that
/// parses. For `serve`'s patch of a release's title or summary (`edits.rs`), which
/// must know that nothing else changed.
pub(crate) fn changed_fields(
    before: &str,
    after: &str,
) -> Option<std::collections::BTreeMap<String, NewValue>> {
    use serde_yaml::{Mapping, Value};
    let parse = |yaml: &str| -> Option<Mapping> {
        let yaml = yaml.strip_prefix('\u{feff}').unwrap_or(yaml);
        match serde_yaml::from_str::<Value>(yaml).ok()? {
            Value::Mapping(map) => Some(map),
            Value::Null => Some(Mapping::new()),
            _ => None,
        }
    };
    let (before, after) = (parse(before)?, parse(after)?);
    let absent = Value::Null;
    let keys = before.keys().chain(after.keys());
    let mut changed = std::collections::BTreeMap::new();
    for key in keys {
        let key_text = key.as_str()?;
        let (old, new) = (before.get(key), after.get(key));
        if old.unwrap_or(&absent) == new.unwrap_or(&absent) {
            continue;
        }
        let value = match new.unwrap_or(&absent) {
            Value::Null => NewValue::Absent,
            Value::String(s) if !s.chars().any(super::is_forbidden_char) => {
                NewValue::Text(s.clone())
            }
            _ => NewValue::Other,
        };
        changed.insert(key_text.to_owned(), value);
    }
    Some(changed)
}

/// Whether front matter `yaml` gives `key` a value (not empty); `None` when it is not
/// a mapping that parses.
pub(crate) fn has_value(yaml: &str, key: &str) -> Option<bool> {
    let changes = changed_fields("", yaml)?;
    Some(changes.contains_key(key))
}

/// A control character written as an escape in a double-quoted string (`"\x01"`,
/// `"\u0007"`): the loader replaces raw ones, but escapes only exist after parsing.
/// They would make feeds ill-formed XML, so they are an error at the escape.
fn escaped_control(path: &Path, file_text: &str, yaml: &str, offset: usize) -> Option<Diagnostic> {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).ok()?;
    let bad = first_control(&value)?;
    let at = find_escape(yaml).unwrap_or(0);
    Some(
        Diagnostic::error(
            Code::ControlCharacter,
            path.to_path_buf(),
            format!(
                "an escape in a quoted text makes the control character {}",
                bad.escape_unicode()
            ),
        )
        .at_offset(file_text, offset + at)
        .with_help("remove the escape: control characters cannot be published in feeds and pages"),
    )
}

fn first_control(value: &serde_yaml::Value) -> Option<char> {
    match value {
        serde_yaml::Value::String(s) => s.chars().find(|&c| super::is_forbidden_char(c)),
        serde_yaml::Value::Sequence(items) => items.iter().find_map(first_control),
        serde_yaml::Value::Mapping(map) => map
            .iter()
            .find_map(|(k, v)| first_control(k).or_else(|| first_control(v))),
        serde_yaml::Value::Tagged(t) => first_control(&t.value),
        _ => None,
    }
}

/// Offset of the first backslash escape that can make a control character.
fn find_escape(yaml: &str) -> Option<usize> {
    let bytes = yaml.as_bytes();
    (0..bytes.len().saturating_sub(1)).find(|&i| {
        bytes[i] == b'\\'
            && match bytes[i + 1] {
                b'0' | b'a' | b'b' | b'e' | b'f' | b'v' => true,
                b'x' | b'u' | b'U' => {
                    let hex: String = yaml[i + 2..]
                        .chars()
                        .take(match bytes[i + 1] {
                            b'x' => 2,
                            b'u' => 4,
                            _ => 8,
                        })
                        .collect();
                    u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .is_some_and(super::is_forbidden_char)
                }
                _ => false,
            }
    })
}

/// Whether libyaml could not read the text at all (as opposed to a value of the wrong
/// type or field): its scanner and parser messages.
fn is_syntax_error(message: &str) -> bool {
    [
        "while scanning",
        "while parsing",
        "cannot start any token",
        "mapping values are not allowed",
        "did not find expected",
        "could not find expected",
        "found unexpected end of stream",
        "tab character",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// serde_yaml writes " at line L column C" (at the end or before libyaml's context),
/// which is wrong relative to the file, and names Rust types; say what to write instead.
fn clean_message(message: &str) -> String {
    let message = without_yaml_position(message);
    let message = message.as_str();
    [
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected usize", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected a list"),
        ("invalid type: sequence", "invalid type: list"),
        ("invalid type: map", "invalid type: mapping"),
        ("expected a string", "expected a text"),
    ]
    .iter()
    .fold(message.to_owned(), |m, (from, to)| m.replace(from, to))
}

/// `message` without its " at line L column C" parts.
fn without_yaml_position(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " at line ".len()..];
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let line_digits = digits(tail);
        let after_line = &tail[line_digits..];
        rest = match after_line.strip_prefix(" column ") {
            Some(col) if line_digits > 0 => &col[digits(col)..],
            _ => {
                out.push_str(" at line ");
                tail
            }
        };
    }
    out.push_str(rest);
    out
}

/// For "unknown field `titel`, expected one of `title`, `date`": "did you mean `title`?".
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (field, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    // Sidecars and other maps without `extra` get no advice to use it.
    let extra = if candidates.contains(&"extra") {
        "free-form values go under `extra`"
    } else {
        ""
    };
    match (nearest(field, candidates.iter().copied()), extra) {
        (Some(best), "") => Some(format!("did you mean `{best}`?")),
        (Some(best), extra) => Some(format!("did you mean `{best}`? ({extra})")),
        (None, "") => Some(format!("known fields: {}", candidates.join(", "))),
        (None, extra) => Some(format!("known fields: {}; {extra}", candidates.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::raw::RawRelease;

    #[test]
    fn a_missing_field_is_added_to_the_front_matter_or_to_a_yaml_file() {
        #[derive(serde::Deserialize, Default, Debug)]
        #[allow(dead_code)]
        struct Named {
            name: String,
        }
        let help = |path: &str| {
            let err = parse::<Named>(Path::new(path), "other: 1\n", "other: 1\n", 0).unwrap_err();
            err.help.unwrap_or_default()
        };
        assert_eq!(help("news/x.md"), "add the field to the front matter");
        assert_eq!(
            help("themes/default/i18n/de.yaml"),
            "add the field to the file"
        );
    }

    #[test]
    fn unknown_field_suggests_the_nearest_known_one() {
        let text = "---\ntitel: A\n---\n";
        let err = parse::<RawRelease>(Path::new("x.md"), text, "titel: A\n", 4).unwrap_err();
        assert!(
            err.message.contains("unknown field `titel`"),
            "{}",
            err.message
        );
        assert_eq!(err.line, 2);
        assert!(
            err.help
                .as_deref()
                .unwrap()
                .contains("did you mean `title`?")
        );
    }

    #[test]
    fn syntax_errors_are_located_in_the_file() {
        let text = "---\ntitle: A\ndate: [\n---\n";
        let err =
            parse::<RawRelease>(Path::new("x.md"), text, "title: A\ndate: [\n", 4).unwrap_err();
        assert!(err.line >= 3, "{err:?}");
    }

    #[test]
    fn changed_fields_name_each_changed_field_with_its_new_value() {
        let before = "title: Alt\ndate: 2024-05-06\nsummary: Kurz\ntopics: [a, b]\n";
        let changes = |after: &str| changed_fields(before, after).expect("both parse");
        assert!(changes("date: 2024-05-06\ntitle: Alt\ntopics: [a, b]\nsummary: Kurz").is_empty());
        assert_eq!(
            changes("title: \"Neu: jetzt\"\ndate: 2024-05-06\nsummary: Kurz\ntopics: [a, b]"),
            [("title".to_owned(), NewValue::Text("Neu: jetzt".into()))].into()
        );
        assert_eq!(
            changes("title: Alt\ndate: 2024-05-06\nsummary:\ntopics: [a]"),
            [
                ("summary".to_owned(), NewValue::Absent),
                ("topics".to_owned(), NewValue::Other)
            ]
            .into()
        );
        // A number and a text differ, as the raw types may read them differently.
        assert_eq!(
            changes("title: 2024\ndate: 2024-05-06\nsummary: Kurz\ntopics: [a, b]")["title"],
            NewValue::Other
        );
        assert_eq!(
            changes("title: \"A\\x01\"\ndate: 2024-05-06\nsummary: Kurz\ntopics: [a, b]")["title"],
            NewValue::Other
        );
        assert!(changed_fields(before, "title: [").is_none());
        assert!(changed_fields(before, "- a list").is_none());
    }
}
