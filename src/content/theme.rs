//! The theme: the default one embedded in the binary, with the site's own
//! `themes/<name>/` files laid over it one file at a time; templates, interface strings
//! per language (a missing string falls back to the built-in one) and static files.

use super::files::{decode_utf8, read_regular, slash_path, user_files};
use super::raw::RawI18n;
use super::{SourceFile, StaticFile, yaml};
use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, relative};
use include_dir::{Dir, include_dir};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The default theme's source, compiled into the binary so any folder builds.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The theme's parts: templates by name, interface strings by language, static files.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawTheme {
    pub name: String,
    /// Whether the site has its own `themes/<name>/` folder.
    pub in_site: bool,
    pub templates: BTreeMap<String, String>,
    /// Templates the site's theme folder provides (the rest are built in).
    pub site_templates: BTreeSet<String>,
    pub i18n: BTreeMap<String, RawI18n>,
    pub static_files: Vec<StaticFile>,
}

/// The embedded default theme, with the site's `themes/<name>/` files laid over it.
pub(super) fn load_theme(root: &Path, name: &str, diags: &mut Vec<Diagnostic>) -> RawTheme {
    let mut theme = RawTheme {
        name: name.to_owned(),
        ..RawTheme::default()
    };
    let mut i18n: BTreeMap<String, I18nSources> = BTreeMap::new();
    for file in embedded_files(&DEFAULT_THEME) {
        let path = file.path().to_string_lossy().replace('\\', "/");
        let shown = PathBuf::from(format!("{BUILT_IN_THEME}/{path}"));
        let file = ThemeFile {
            path: &path,
            bytes: file.contents().to_vec(),
            shown,
            in_site: false,
        };
        add_theme_file(&mut theme, &mut i18n, file, diags);
    }
    let dir = root.join("themes").join(name);
    theme.in_site = dir.is_dir();
    if theme.in_site {
        for entry in user_files(&dir, root, diags) {
            let path = slash_path(entry.path(), &dir);
            match read_regular(entry.path()) {
                Ok(bytes) => {
                    let file = ThemeFile {
                        path: &path,
                        bytes,
                        shown: relative(root, entry.path()),
                        in_site: true,
                    };
                    add_theme_file(&mut theme, &mut i18n, file, diags);
                }
                Err(e) => diags.push(Diagnostic::error(
                    Code::Io,
                    relative(root, entry.path()),
                    format!("cannot read: {e}"),
                )),
            }
        }
    }
    theme.i18n = parse_i18n(i18n, diags);
    theme
}

/// How diagnostics name a file of the theme compiled into the binary.
const BUILT_IN_THEME: &str = "<built-in theme>";

impl RawTheme {
    /// Where template `name` comes from, as diagnostics show it: the site's
    /// `themes/<theme>/templates/<name>` when the site has its own copy, else the built-in
    /// theme's (a path in the site would name a file that does not exist).
    pub(crate) fn template_path(&self, name: &str) -> PathBuf {
        if self.site_templates.contains(name) {
            PathBuf::from(format!("themes/{}/templates/{name}", self.name))
        } else {
            PathBuf::from(format!("{BUILT_IN_THEME}/templates/{name}"))
        }
    }
}

/// One file of the theme as read: its path inside the theme folder, its bytes, the
/// path diagnostics show, and whether the site's theme folder holds it.
struct ThemeFile<'a> {
    path: &'a str,
    bytes: Vec<u8>,
    shown: PathBuf,
    in_site: bool,
}

/// One `i18n/<lang>.yaml` as read, before parsing.
struct I18nSource {
    path: PathBuf,
    text: String,
}

/// A language's i18n files: the built-in theme's and the site's own.
#[derive(Default)]
struct I18nSources {
    built_in: Option<I18nSource>,
    site: Option<I18nSource>,
}

fn add_theme_file(
    theme: &mut RawTheme,
    i18n: &mut BTreeMap<String, I18nSources>,
    file: ThemeFile,
    diags: &mut Vec<Diagnostic>,
) {
    let ThemeFile {
        path,
        bytes,
        shown,
        in_site,
    } = file;
    if let Some(name) = path.strip_prefix("templates/") {
        match decode_utf8(bytes, &shown) {
            Ok(text) => {
                // A byte-order mark would land in the middle of every page that
                // includes the template.
                let text = match text.strip_prefix('\u{feff}') {
                    Some(rest) => rest.to_owned(),
                    None => text,
                };
                theme.templates.insert(name.to_owned(), text);
                if in_site {
                    theme.site_templates.insert(name.to_owned());
                }
            }
            Err(d) => diags.push(*d),
        }
    } else if let Some(file) = path.strip_prefix("i18n/") {
        let Some(lang) = file.strip_suffix(".yaml") else {
            return;
        };
        match decode_utf8(bytes, &shown) {
            Ok(text) => {
                let source = I18nSource { path: shown, text };
                let slot = i18n.entry(lang.to_owned()).or_default();
                if in_site {
                    slot.site = Some(source);
                } else {
                    slot.built_in = Some(source);
                }
            }
            Err(d) => diags.push(*d),
        }
    } else if let Some(rest) = path.strip_prefix("static/") {
        theme.static_files.retain(|f| f.output_path != rest);
        theme.static_files.push(StaticFile {
            output_path: rest.to_owned(),
            bytes: bytes.into(),
        });
    }
}

/// Parses every language's strings. A site's file replaces the built-in one of its
/// language, and the strings it lacks fall back to the built-in file's (or, for a
/// language the built-in theme lacks, to the key), each with a warning: a partial or
/// outdated copy still builds, and the gap is named. A site file that cannot be parsed
/// is an error, and the built-in strings stand in for it so that the language is not
/// also reported as missing.
fn parse_i18n(
    sources: BTreeMap<String, I18nSources>,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, RawI18n> {
    let mut built_in: BTreeMap<String, RawI18n> = BTreeMap::new();
    let mut own = Vec::new();
    for (lang, files) in sources {
        if let Some(file) = &files.built_in
            && let Ok(Some(i18n)) = parse_i18n_file(file)
        {
            built_in.insert(lang.clone(), i18n);
        }
        if let Some(file) = files.site {
            let parsed = parse_i18n_file(&file);
            own.push((lang, file, parsed));
        }
    }
    let keys: BTreeSet<String> = built_in
        .values()
        .chain(own.iter().filter_map(|(_, _, p)| p.as_ref().ok()?.as_ref()))
        .flat_map(|i| i.strings.keys().cloned())
        .collect();
    let stand_in = built_in.values().next().cloned();
    let mut out = built_in.clone();
    for (lang, file, parsed) in own {
        let fallback = built_in.get(&lang);
        let i18n = match parsed {
            Ok(Some(mut i18n)) => {
                fill_missing_strings(&mut i18n, fallback, &keys, &file, diags);
                // A site's i18n file need not repeat the URL words it keeps.
                for (key, word) in fallback.iter().flat_map(|b| &b.segments) {
                    i18n.segments
                        .entry(key.clone())
                        .or_insert_with(|| word.clone());
                }
                check_months(&i18n, &file, diags);
                Some(i18n)
            }
            Ok(None) => {
                diags.push(empty_i18n(&file, fallback.is_some()));
                fallback.or(stand_in.as_ref()).cloned()
            }
            Err(d) => {
                diags.push(*d);
                fallback.or(stand_in.as_ref()).cloned()
            }
        };
        if let Some(i18n) = i18n {
            out.insert(lang, i18n);
        }
    }
    out
}

fn parse_i18n_file(file: &I18nSource) -> Result<Option<RawI18n>, Box<Diagnostic>> {
    yaml::parse::<RawI18nOrDefault>(&file.path, &file.text, &file.text, 0).map(|r| r.0)
}

/// `file` as a `SourceFile` whose front matter is the whole text, to locate its keys.
fn i18n_source(file: &I18nSource) -> SourceFile {
    SourceFile {
        blanked: None,
        path: file.path.clone(),
        text: file.text.clone(),
        front_matter: 0..file.text.len(),
        body_start: file.text.len(),
    }
}

/// Adds every string some i18n file has and `i18n` lacks: the built-in theme's string
/// for the language, else the key itself (what the page then shows).
fn fill_missing_strings(
    i18n: &mut RawI18n,
    built_in: Option<&RawI18n>,
    keys: &BTreeSet<String>,
    file: &I18nSource,
    diags: &mut Vec<Diagnostic>,
) {
    let missing: Vec<&String> = keys
        .iter()
        .filter(|k| !i18n.strings.contains_key(*k))
        .collect();
    if missing.is_empty() {
        return;
    }
    let source = i18n_source(file);
    let at = source.locate_key("strings");
    for key in missing {
        let (value, message) = match built_in.and_then(|b| b.strings.get(key)) {
            Some(v) => (
                v.clone(),
                format!("string `{key}` is missing; the built-in theme's \"{v}\" is used"),
            ),
            None => (
                key.clone(),
                format!("string `{key}` is missing; pages show the key `{key}` instead"),
            ),
        };
        diags.push(
            source
                .warning_at(Code::MissingString, at, message)
                .with_help(format!("add `\"{key}\": …` under `strings:`")),
        );
        i18n.strings.insert(key.clone(), value);
    }
}

/// Dates need all twelve month names; with fewer a date would read "?".
fn check_months(i18n: &RawI18n, file: &I18nSource, diags: &mut Vec<Diagnostic>) {
    if i18n.months.len() == 12 {
        return;
    }
    let source = i18n_source(file);
    diags.push(
        source
            .error_at(
                Code::InvalidValue,
                source.locate_value("months"),
                format!("`months` has {} names, not 12", i18n.months.len()),
            )
            .with_help("list the twelve month names, January first"),
    );
}

fn empty_i18n(file: &I18nSource, has_built_in: bool) -> Diagnostic {
    if has_built_in {
        Diagnostic::warning(
            Code::EmptyFile,
            file.path.clone(),
            "the file is empty; the built-in theme's strings are used",
        )
        .with_help("delete the file, or copy the built-in one and change what differs")
    } else {
        Diagnostic::error(
            Code::EmptyFile,
            file.path.clone(),
            "the file is empty: the language has no interface strings",
        )
        .with_help(
            "copy a built-in file (e.g. `i18n/en.yaml` of the default theme) and translate it",
        )
    }
}

/// `RawI18n` has required fields; this lets the generic YAML parser treat an empty file
/// as "no strings" without giving `RawI18n` a meaningless default.
#[derive(Default)]
struct RawI18nOrDefault(Option<RawI18n>);

impl<'de> serde::Deserialize<'de> for RawI18nOrDefault {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RawI18n::deserialize(d).map(|i| RawI18nOrDefault(Some(i)))
    }
}

fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut out: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        out.extend(embedded_files(sub));
    }
    out.sort_by_key(|f| f.path());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_languages_have_the_same_strings_and_no_problems() {
        let mut diags = Vec::new();
        let theme = load_theme(Path::new("/nonexistent-site"), "default", &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let keys = |lang: &str| theme.i18n[lang].strings.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys("de"), keys("en"));
        assert!(theme.site_templates.is_empty());
        assert_eq!(
            theme.template_path("page.html"),
            PathBuf::from("<built-in theme>/templates/page.html")
        );
    }
}
