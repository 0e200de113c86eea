//! Loading: the only code that reads the source tree.
//!
//! Finds `content/site.yaml`, the four content folders, `content/static/` and the theme
//! (the site's own `themes/<name>/` over the one embedded in the binary), reads every
//! file in parallel, splits front matter from body and parses the YAML into raw types.
//! Problems become diagnostics; a broken file is left out and the rest still loads, so
//! one run reports everything.

pub mod raw;
pub mod source;
pub mod yaml;

use crate::diagnostics::{Diagnostic, relative};
use crate::slug::{is_valid_id, slugify};
use include_dir::{Dir, include_dir};
use raw::*;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
pub use source::SourceFile;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The default theme's source, compiled into the binary so any folder builds.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// One parsed content file: its id, language (for translations) and front matter.
#[derive(Debug, Clone)]
pub struct RawDoc<T> {
    pub id: String,
    /// `Some("en")` for `<id>.en.md`, `None` for the original.
    pub lang: Option<String>,
    /// Shared with the model's bodies and with the loader's cache.
    pub source: std::sync::Arc<SourceFile>,
    pub front: T,
}

/// A file copied to the output as-is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path inside the output folder, with `/` separators.
    pub output_path: String,
    pub bytes: bytes::Bytes,
}

/// The theme's parts: templates by name, interface strings by language, static files.
#[derive(Debug, Clone, Default)]
pub struct RawTheme {
    pub name: String,
    /// Whether the site has its own `themes/<name>/` folder.
    pub in_site: bool,
    pub templates: BTreeMap<String, String>,
    /// Templates the site's theme folder provides (the rest are built in).
    pub site_templates: BTreeSet<String>,
    pub i18n: BTreeMap<String, RawI18n>,
    pub static_files: Vec<StaticFile>,
}

/// Everything the loader found, before any cross-file validation.
#[derive(Debug, Clone, Default)]
pub struct RawSite {
    pub config_source: Option<SourceFile>,
    pub config: RawConfig,
    pub institutions: Vec<RawDoc<RawInstitution>>,
    pub institution_translations: Vec<RawDoc<RawInstitutionTranslation>>,
    pub partnerships: Vec<RawDoc<RawPartnership>>,
    pub partnership_translations: Vec<RawDoc<RawPartnershipTranslation>>,
    pub releases: Vec<RawDoc<RawRelease>>,
    pub release_translations: Vec<RawDoc<RawReleaseTranslation>>,
    pub pages: Vec<RawDoc<RawPage>>,
    pub page_translations: Vec<RawDoc<RawPageTranslation>>,
    pub static_files: Vec<StaticFile>,
    pub theme: RawTheme,
    /// Content files (`folder/id`) that exist but could not be read or parsed; their
    /// own errors are reported, references to them are not reported again.
    pub broken: BTreeSet<String>,
    /// `site.yaml` exists but did not parse (its error is reported; resolution stops
    /// without adding "missing field" errors for what it could not read).
    pub config_broken: bool,
}

/// Reads the site under `root`. Never fails: what cannot be read is a diagnostic.
pub fn load(root: &Path) -> (RawSite, Vec<Diagnostic>) {
    load_cached(root, &mut FileCache::default())
}

/// Content files parsed by earlier loads, reused while a file is unchanged (same
/// modification time, size and inode), so a rebuild after one edit parses one file.
#[derive(Debug, Default)]
pub struct FileCache {
    files: HashMap<PathBuf, (Option<Stamp>, Parsed)>,
}

/// What identifies a version of a file without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            modified: meta.modified().ok(),
            len: meta.len(),
            inode,
        })
    }
}

/// One content file after reading and parsing, ready to join its list in `RawSite`.
#[derive(Debug, Clone)]
enum Parsed {
    Institution(RawDoc<RawInstitution>),
    InstitutionTranslation(RawDoc<RawInstitutionTranslation>),
    Partnership(RawDoc<RawPartnership>),
    PartnershipTranslation(RawDoc<RawPartnershipTranslation>),
    Release(RawDoc<RawRelease>),
    ReleaseTranslation(RawDoc<RawReleaseTranslation>),
    Page(RawDoc<RawPage>),
    PageTranslation(RawDoc<RawPageTranslation>),
    Failed(Box<Diagnostic>),
}

impl Parsed {
    fn source(&self) -> Option<&SourceFile> {
        Some(match self {
            Parsed::Institution(d) => &d.source,
            Parsed::InstitutionTranslation(d) => &d.source,
            Parsed::Partnership(d) => &d.source,
            Parsed::PartnershipTranslation(d) => &d.source,
            Parsed::Release(d) => &d.source,
            Parsed::ReleaseTranslation(d) => &d.source,
            Parsed::Page(d) => &d.source,
            Parsed::PageTranslation(d) => &d.source,
            Parsed::Failed(_) => return None,
        })
    }
}

impl RawSite {
    /// Adds a parsed file to its list; false (and its diagnostic) when it failed.
    fn add(&mut self, parsed: Parsed, diags: &mut Vec<Diagnostic>) -> bool {
        match parsed {
            Parsed::Institution(d) => self.institutions.push(d),
            Parsed::InstitutionTranslation(d) => self.institution_translations.push(d),
            Parsed::Partnership(d) => self.partnerships.push(d),
            Parsed::PartnershipTranslation(d) => self.partnership_translations.push(d),
            Parsed::Release(d) => self.releases.push(d),
            Parsed::ReleaseTranslation(d) => self.release_translations.push(d),
            Parsed::Page(d) => self.pages.push(d),
            Parsed::PageTranslation(d) => self.page_translations.push(d),
            Parsed::Failed(d) => {
                diags.push(*d);
                return false;
            }
        }
        true
    }
}

/// Like [`load`], reusing and refreshing `cache`.
pub fn load_cached(root: &Path, cache: &mut FileCache) -> (RawSite, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut site = RawSite::default();
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                "no-content",
                "content",
                format!("no `content/` folder in {}", root.display()),
            )
            .with_help("run partnerpress in a site folder or pass `--root DIR`"),
        );
        return (site, diags);
    }
    load_config(root, &mut site, &mut diags);
    let theme_name = site
        .config
        .theme
        .clone()
        .unwrap_or_else(|| "default".to_owned());
    // A theme is a name under `themes/`, never a path: `theme: /proc/self` must not
    // be read. `resolve` reports the invalid name.
    site.theme = if is_valid_id(&theme_name) {
        load_theme(root, &theme_name, &mut diags)
    } else {
        RawTheme {
            name: theme_name.clone(),
            ..load_theme(root, "default", &mut diags)
        }
    };

    let files = discover(root, &content, &mut diags);
    let previous = std::mem::take(&mut cache.files);
    let parsed: Vec<(Option<Stamp>, Parsed)> = files
        .par_iter()
        .map(|f| {
            let stamp = Stamp::of(&f.path);
            match previous.get(&f.path) {
                Some((s, p)) if stamp.is_some() && *s == stamp => (stamp, p.clone()),
                _ => (stamp, f.kind.parse(f, read_source(root, f))),
            }
        })
        .collect();
    for (file, (stamp, parsed)) in files.iter().zip(parsed) {
        diags.extend(parsed.source().and_then(blanked_warning));
        if !site.add(parsed.clone(), &mut diags) && file.lang.is_none() {
            site.broken
                .insert(format!("{}/{}", file.kind.folder(), file.id));
        }
        cache.files.insert(file.path.clone(), (stamp, parsed));
    }
    site.static_files = read_static_tree(&content.join("static"), root, &mut diags);
    (site, diags)
}

fn load_config(root: &Path, site: &mut RawSite, diags: &mut Vec<Diagnostic>) {
    let path = root.join("content/site.yaml");
    let rel = relative(root, &path);
    let mut text = match read_text(&path, &rel) {
        Ok(t) => t,
        Err(d) => {
            diags.push(*d);
            site.config_broken = true;
            return;
        }
    };
    let blanked = blank_controls(&mut text);
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let source = SourceFile {
        blanked,
        front_matter: bom..text.len(),
        body_start: text.len(),
        path: rel.clone(),
        text,
    };
    diags.extend(blanked_warning(&source));
    match yaml::parse::<RawConfig>(&rel, &source.text, source.yaml(), bom) {
        Ok(c) => site.config = c,
        Err(d) => {
            diags.push(*d);
            site.config_broken = true;
        }
    }
    site.config_source = Some(source);
}

/// Ids of the institutions and partnerships that exist, for `partnerpress new`.
pub fn known_ids(root: &Path) -> crate::scaffold::KnownIds {
    let ids = |folder: &str| -> Vec<String> {
        let mut ids: Vec<String> = WalkDir::new(root.join("content").join(folder))
            .min_depth(1)
            .max_depth(1)
            .into_iter()
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_suffix(".md")
                    .map(str::to_owned)
            })
            .filter(|stem| !stem.contains('.'))
            .collect();
        ids.sort();
        ids
    };
    crate::scaffold::KnownIds {
        institutions: ids("institutions"),
        partnerships: ids("partnerships"),
        languages: site_languages(root),
    }
}

/// The languages `site.yaml` names (`de` when it names none, as resolve assumes);
/// none when it cannot be read, which the next build reports.
fn site_languages(root: &Path) -> Vec<String> {
    let path = root.join("content/site.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Vec::new();
    };
    match yaml::parse::<RawConfig>(&path, &text, &text, 0) {
        Ok(RawConfig {
            languages: Some(l), ..
        }) => std::iter::once(l.default).chain(l.others).collect(),
        Ok(_) => vec!["de".to_owned()],
        Err(_) => Vec::new(),
    }
}

/// The four content folders and what their files are.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Institution,
    Partnership,
    Release,
    Page,
}

const KINDS: [Kind; 4] = [
    Kind::Institution,
    Kind::Partnership,
    Kind::Release,
    Kind::Page,
];

struct FoundFile {
    kind: Kind,
    path: PathBuf,
    id: String,
    lang: Option<String>,
}

impl Kind {
    fn folder(self) -> &'static str {
        match self {
            Kind::Institution => "institutions",
            Kind::Partnership => "partnerships",
            Kind::Release => "news",
            Kind::Page => "pages",
        }
    }

    /// Parses a file's text into the raw type of its folder.
    fn parse(self, file: &FoundFile, source: Result<SourceFile, Box<Diagnostic>>) -> Parsed {
        let source = match source {
            Ok(s) => s,
            Err(d) => return Parsed::Failed(d),
        };
        let translated = file.lang.is_some();
        let result = match (self, translated) {
            (Kind::Institution, false) => doc(file, source).map(Parsed::Institution),
            (Kind::Institution, true) => doc(file, source).map(Parsed::InstitutionTranslation),
            (Kind::Partnership, false) => doc(file, source).map(Parsed::Partnership),
            (Kind::Partnership, true) => doc(file, source).map(Parsed::PartnershipTranslation),
            (Kind::Release, false) => doc(file, source).map(Parsed::Release),
            (Kind::Release, true) => doc(file, source).map(Parsed::ReleaseTranslation),
            (Kind::Page, false) => doc(file, source).map(Parsed::Page),
            (Kind::Page, true) => doc(file, source).map(Parsed::PageTranslation),
        };
        result.unwrap_or_else(Parsed::Failed)
    }
}

fn doc<T: DeserializeOwned + Default>(
    file: &FoundFile,
    source: SourceFile,
) -> Result<RawDoc<T>, Box<Diagnostic>> {
    let front = yaml::parse::<T>(
        &source.path,
        &source.text,
        source.yaml(),
        source.front_matter.start,
    )?;
    Ok(RawDoc {
        id: file.id.clone(),
        lang: file.lang.clone(),
        source: std::sync::Arc::new(source),
        front,
    })
}

/// Lists the Markdown files of the content folders in a stable order, checking names.
fn discover(root: &Path, content: &Path, diags: &mut Vec<Diagnostic>) -> Vec<FoundFile> {
    let mut found = Vec::new();
    for kind in KINDS {
        let folder = kind.folder();
        let dir = content.join(folder);
        if !dir.is_dir() {
            if dir.exists() || dir.is_symlink() {
                diags.push(
                    Diagnostic::error(
                        "not-a-folder",
                        relative(root, &dir),
                        format!("`content/{folder}` is not a folder, so nothing in it is read"),
                    )
                    .with_help(format!(
                        "rename or remove the file, and create a folder `content/{folder}/`"
                    )),
                );
            }
            continue;
        }
        for entry in WalkDir::new(&dir)
            .min_depth(1)
            .follow_links(true)
            .sort_by_file_name()
        {
            let Some(entry) = walked(entry, root, &dir, diags) else {
                continue;
            };
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_dir() || is_ignored(&name) {
                continue;
            }
            let rel = relative(root, entry.path());
            if !entry.file_type().is_file() {
                diags.push(special_file_warning(rel));
                continue;
            }
            let Some(stem) = name.strip_suffix(".md") else {
                diags.push(
                    Diagnostic::warning("ignored-file", rel, "not a Markdown file; ignored")
                        .with_help("put images and documents into `content/static/`"),
                );
                continue;
            };
            if entry.depth() > 1 {
                diags.push(Diagnostic::warning(
                    "ignored-file",
                    rel,
                    format!("sub-folders of `content/{folder}/` are not read; ignored"),
                ));
                continue;
            }
            let (id, lang) = match stem.rsplit_once('.') {
                Some((id, lang)) => (id.to_owned(), Some(lang.to_owned())),
                None => (stem.to_owned(), None),
            };
            if !is_valid_id(&id) {
                diags.push(
                    Diagnostic::error(
                        "invalid-id",
                        rel,
                        format!("`{id}` is not a valid id: use lowercase letters, digits and `-`"),
                    )
                    .with_help(format!("rename the file to `{}.md`", slugify(&id))),
                );
                continue;
            }
            found.push(FoundFile {
                kind,
                path: entry.path().to_path_buf(),
                id,
                lang,
            });
        }
    }
    found
}

/// An entry of a walk that follows symbolic links; a link that points nowhere or into
/// a loop is a warning naming it (the rest of the folder is still read), other
/// failures an I/O error.
fn walked(
    entry: walkdir::Result<walkdir::DirEntry>,
    root: &Path,
    dir: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<walkdir::DirEntry> {
    let err = match entry {
        Ok(e) => return Some(e),
        Err(e) => e,
    };
    let path = err.path().unwrap_or(dir);
    let rel = relative(root, path);
    if err.loop_ancestor().is_some() {
        diags.push(
            Diagnostic::warning(
                "symlink",
                rel,
                "this symbolic link leads into a loop; ignored",
            )
            .with_help("point the link at a folder outside its own parent folders"),
        );
    } else if path.is_symlink() && !path.exists() {
        diags.push(
            Diagnostic::warning("symlink", rel, "this symbolic link points nowhere; ignored")
                .with_help("fix or remove the link"),
        );
    } else {
        diags.push(Diagnostic::error("io", rel, format!("cannot read: {err}")));
    }
    None
}

fn special_file_warning(rel: PathBuf) -> Diagnostic {
    Diagnostic::warning(
        "ignored-file",
        rel,
        "not a regular file (a pipe, socket or device); ignored",
    )
    .with_help("content and static files must be ordinary files")
}

/// Editor backups, swap files and hidden files never count as content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || is_editor_temporary(name)
}

/// Files editors write while saving (vim, emacs, JetBrains, helix, kate, …).
pub fn is_editor_temporary(name: &str) -> bool {
    name.is_empty()
        || name == "4913"
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with('~')
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".bak",
            ".kate-swp",
            "___jb_tmp___",
            "___jb_old___",
            ".crswap",
        ]
        .iter()
        .any(|s| name.ends_with(s))
        || (name.starts_with('.') && name.contains(".tmp"))
}

fn read_source(root: &Path, file: &FoundFile) -> Result<SourceFile, Box<Diagnostic>> {
    let rel = relative(root, &file.path);
    let mut text = read_text(&file.path, &rel)?;
    let blanked = blank_controls(&mut text);
    let mut source = SourceFile::split(rel, text)?;
    source.blanked = blanked;
    Ok(source)
}

/// Characters that HTML forbids in text and XML 1.0 (feeds, sitemaps, SVG) and iCalendar
/// cannot carry: C0 controls but tab, line feed and carriage return; DEL; C1 controls;
/// U+FFFE and U+FFFF. They come from copy and paste, invisible in an editor.
pub(crate) fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// Replaces every forbidden character by as many spaces as it has bytes, so every
/// later position in the file stays right; returns the first one's offset and the count.
fn blank_controls(text: &mut String) -> Option<(usize, usize)> {
    let first = text.find(is_forbidden_char)?;
    let mut count = 0;
    let cleaned: String = text
        .chars()
        .flat_map(|c| {
            let n = if is_forbidden_char(c) {
                count += 1;
                c.len_utf8()
            } else {
                0
            };
            let keep = (n == 0).then_some(c);
            keep.into_iter().chain(std::iter::repeat_n(' ', n))
        })
        .collect();
    *text = cleaned;
    Some((first, count))
}

/// The warning for characters `blank_controls` replaced in `source`.
fn blanked_warning(source: &SourceFile) -> Option<Diagnostic> {
    let (at, count) = source.blanked?;
    let more = match count {
        1 => String::new(),
        n => format!(" (and {} more in this file)", n - 1),
    };
    Some(
        source
            .warning_at(
                "control-character",
                at,
                format!("invisible control character replaced by a space{more}"),
            )
            .with_help(
                "delete it: it would make feeds invalid XML and shows as garbage in some readers",
            ),
    )
}

/// The largest Markdown or YAML file read: a press release is kilobytes; a file of
/// this size is a mistake (a video renamed `.md`), and reading it would hold the whole
/// thing in memory several times over.
const MAX_TEXT_FILE: u64 = 32 * 1024 * 1024;

/// Reads a UTF-8 file; invalid UTF-8 is located at its first bad byte.
fn read_text(path: &Path, rel: &Path) -> Result<String, Box<Diagnostic>> {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > MAX_TEXT_FILE
    {
        return Err(Box::new(
            Diagnostic::error(
                "too-large",
                rel.to_path_buf(),
                format!(
                    "the file has {} MiB; a text file may have at most {} MiB",
                    meta.len() / (1024 * 1024),
                    MAX_TEXT_FILE / (1024 * 1024)
                ),
            )
            .with_help("put large documents into `content/static/` and link them"),
        ));
    }
    let bytes = read_regular(path).map_err(|e| {
        Box::new(Diagnostic::error(
            "io",
            rel.to_path_buf(),
            format!("cannot read: {e}"),
        ))
    })?;
    decode_utf8(bytes, rel)
}

/// A file's text; invalid UTF-8 is an error located at its first bad byte.
fn decode_utf8(bytes: Vec<u8>, rel: &Path) -> Result<String, Box<Diagnostic>> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        // The lossy text equals the file up to the bad byte, and shows its line.
        let shown = String::from_utf8_lossy(&bytes);
        Box::new(
            Diagnostic::error("not-utf8", rel.to_path_buf(), "the file is not valid UTF-8")
                .at_offset(&shown, valid)
                .with_help("save the file as UTF-8"),
        )
    })
}

/// Reads a regular file (following symbolic links); a FIFO, socket or device is refused
/// before it is opened, since reading one can block forever or never end.
fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a pipe, socket or device)",
        ));
    }
    std::fs::read(path)
}

fn read_static_tree(dir: &Path, root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<StaticFile> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .follow_links(true)
        .sort_by_file_name()
    {
        let Some(entry) = walked(entry, root, dir, diags) else {
            continue;
        };
        if entry.file_type().is_dir() {
            continue;
        }
        if !entry.file_type().is_file() {
            diags.push(special_file_warning(relative(root, entry.path())));
            continue;
        }
        let output_path = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match read_regular(entry.path()) {
            Ok(bytes) => files.push(StaticFile {
                output_path,
                bytes: bytes.into(),
            }),
            Err(e) => diags.push(Diagnostic::error(
                "io",
                relative(root, entry.path()),
                format!("cannot read: {e}"),
            )),
        }
    }
    files
}

/// The embedded default theme, with the site's `themes/<name>/` files laid over it.
fn load_theme(root: &Path, name: &str, diags: &mut Vec<Diagnostic>) -> RawTheme {
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
        for entry in WalkDir::new(&dir)
            .min_depth(1)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !entry.file_type().is_file() || is_ignored(&entry.file_name().to_string_lossy()) {
                continue;
            }
            let path = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let path = path
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            match std::fs::read(entry.path()) {
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
                    "io",
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
    pub fn template_path(&self, name: &str) -> PathBuf {
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
                .warning_at("missing-string", at, message)
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
                "invalid-value",
                source.locate_value("months"),
                format!("`months` has {} names, not 12", i18n.months.len()),
            )
            .with_help("list the twelve month names, January first"),
    );
}

fn empty_i18n(file: &I18nSource, has_built_in: bool) -> Diagnostic {
    if has_built_in {
        Diagnostic::warning(
            "empty-file",
            file.path.clone(),
            "the file is empty; the built-in theme's strings are used",
        )
        .with_help("delete the file, or copy the built-in one and change what differs")
    } else {
        Diagnostic::error(
            "empty-file",
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
