//! Loading: the only code that reads the source tree.
//!
//! Finds `content/site.yaml`, the four content folders, `content/static/` and the theme
//! (the site's own `themes/<name>/` over the one embedded in the binary), reads every
//! file in parallel, splits front matter from body and parses the YAML into raw types.
//! Problems become diagnostics; a broken file is left out and the rest still loads, so
//! one run reports everything.

mod files;
mod key;
mod media;
pub(crate) mod raw;
mod slips;
pub(crate) mod source;
mod theme;
pub(crate) mod yaml;

use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, relative};
use crate::slug::{is_valid_id, slugify};
use files::{
    blank_controls, blanked_warning, read_regular, read_text, slash_path, special_file_warning,
    user_files, walk,
};
pub(crate) use files::{is_forbidden_char, may_have_forbidden_char};
pub(crate) use key::{ContentKey, ContentKind};
#[allow(unused_imports)] // read_media: until the build processes media
pub(crate) use media::{MEDIA_FOLDER, RawMedia, RawMediaFile, is_image_name, read_media};
use raw::*;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
pub(crate) use source::SourceFile;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
pub(crate) use theme::RawTheme;
use theme::load_theme;
use walkdir::WalkDir;

/// One parsed content file: its id, language (for translations) and front matter.
#[derive(Debug, Clone)]
pub(crate) struct RawDoc<T> {
    pub(crate) id: String,
    /// `Some("en")` for `<id>.en.md`, `None` for the original.
    pub(crate) lang: Option<String>,
    /// Shared with the model's bodies and with the loader's cache.
    pub(crate) source: std::sync::Arc<SourceFile>,
    pub(crate) front: T,
}

/// A file copied to the output as-is.
#[derive(Debug, Clone)]
pub(crate) struct StaticFile {
    /// Path inside the output folder, with `/` separators.
    pub(crate) output_path: String,
    pub(crate) bytes: bytes::Bytes,
}

/// Everything the loader found, before any cross-file validation.
#[derive(Debug, Clone, Default)]
pub struct RawSite {
    pub(crate) config_source: Option<SourceFile>,
    pub(crate) config: RawConfig,
    pub(crate) institutions: Vec<RawDoc<RawInstitution>>,
    pub(crate) institution_translations: Vec<RawDoc<RawInstitutionTranslation>>,
    pub(crate) partnerships: Vec<RawDoc<RawPartnership>>,
    pub(crate) partnership_translations: Vec<RawDoc<RawPartnershipTranslation>>,
    pub(crate) releases: Vec<RawDoc<RawRelease>>,
    pub(crate) release_translations: Vec<RawDoc<RawReleaseTranslation>>,
    pub(crate) pages: Vec<RawDoc<RawPage>>,
    pub(crate) page_translations: Vec<RawDoc<RawPageTranslation>>,
    pub(crate) static_files: Vec<StaticFile>,
    /// `content/media/`: files (without their bytes) and sidecars.
    pub(crate) media: RawMedia,
    pub(crate) theme: RawTheme,
    /// Content files that exist but could not be read or parsed; their own errors are
    /// reported, references to them are not reported again.
    pub(crate) broken: BTreeSet<ContentKey>,
    /// `site.yaml` exists but did not parse (its error is reported; resolution stops
    /// without adding "missing field" errors for what it could not read).
    pub(crate) config_broken: bool,
}

/// Reads the site under `root`. Never fails: what cannot be read is a diagnostic.
pub fn load(root: &Path) -> (RawSite, Vec<Diagnostic>) {
    load_cached(root, &mut FileCache::once())
}

/// Content files parsed by earlier loads, reused while a file is unchanged (same
/// modification time, size and inode), so a rebuild after one edit parses one file.
#[derive(Debug)]
pub(crate) struct FileCache {
    files: HashMap<PathBuf, (Option<Stamp>, Parsed)>,
    /// Files a `serve` patch read again since the last load (`edits.rs`), with their
    /// stamps taken before: a late report of such a save is as read too.
    patched: HashMap<PathBuf, Stamp>,
    /// Media files as inspected, so an unchanged photo is not read again.
    media: HashMap<PathBuf, (Stamp, RawMediaFile)>,
    /// Whether loads fill the cache of parsed content files: a one-off build skips
    /// copying every parsed file into it (a deep copy of all front matter, 10 % of the
    /// load at 10,000 releases).
    keep: bool,
}

impl Default for FileCache {
    fn default() -> Self {
        Self {
            files: HashMap::new(),
            patched: HashMap::new(),
            media: HashMap::new(),
            keep: true,
        }
    }
}

impl FileCache {
    /// A cache for a single load, which keeps no parsed content file.
    pub(crate) fn once() -> Self {
        Self {
            keep: false,
            ..Self::default()
        }
    }
}

impl FileCache {
    /// Whether each of `paths` (absolute, under the canonical `root`) is a content file
    /// this cache holds as read, and still is: the same modification time, size and
    /// inode. False for an empty list, a folder, a file of another kind, and when the
    /// cache keeps nothing.
    pub(crate) fn all_as_read(&self, root: &Path, paths: &[PathBuf]) -> bool {
        let Ok(canonical) = root.canonicalize() else {
            return false;
        };
        !paths.is_empty()
            && paths.iter().all(|path| {
                let Ok(rel) = path.strip_prefix(&canonical) else {
                    return false;
                };
                let key = root.join(rel);
                let seen = match self.files.get(&key) {
                    Some((Some(stamp), _)) => self.patched.get(&key).or(Some(stamp)),
                    _ => self.patched.get(&key),
                };
                seen.is_some_and(|seen| Stamp::of(&key).as_ref() == Some(seen))
            })
    }

    /// Notes the files a patch read again (`reread`) and built, so that a late report
    /// of their save rebuilds nothing; forgotten at the next load, which reads them.
    pub(crate) fn note_patched(&mut self, read: Vec<Reread>) {
        self.patched
            .extend(read.into_iter().map(|r| (r.key, r.stamp)));
    }
}

/// A file as `reread` read it: its path and its stamp from just before the read (a
/// save during the read gives the file another stamp, so it is not taken as read).
#[derive(Debug)]
pub(crate) struct Reread {
    key: PathBuf,
    stamp: Stamp,
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
pub(crate) fn load_cached(root: &Path, cache: &mut FileCache) -> (RawSite, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut site = RawSite::default();
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                Code::NoContent,
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
    cache.patched.clear();
    let previous = std::mem::take(&mut cache.files);
    let keep = cache.keep;
    let parsed: Vec<(Option<Stamp>, Parsed)> = files
        .par_iter()
        .map(|f| {
            let stamp = keep.then(|| Stamp::of(&f.path)).flatten();
            match previous.get(&f.path) {
                Some((s, p)) if stamp.is_some() && *s == stamp => (stamp, p.clone()),
                _ => (stamp, f.parse(read_source(root, f))),
            }
        })
        .collect();
    for (file, (stamp, parsed)) in files.into_iter().zip(parsed) {
        diags.extend(parsed.source().and_then(blanked_warning));
        let kept = cache.keep.then(|| parsed.clone());
        if !site.add(parsed, &mut diags) && file.lang.is_none() {
            site.broken.insert(ContentKey::new(file.kind, file.id));
        }
        if let Some(parsed) = kept {
            cache.files.insert(file.path, (stamp, parsed));
        }
    }
    site.static_files = read_static_tree(&content.join("static"), root, &mut diags);
    let languages = match &site.config.languages {
        Some(l) => std::iter::once(l.default.clone())
            .chain(l.others.iter().cloned())
            .collect(),
        None => vec!["de".to_owned()],
    };
    site.media = media::load_media(root, &languages, &mut cache.media, &mut diags);
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
pub(crate) fn known_ids(root: &Path) -> crate::scaffold::KnownIds {
    let ids = |kind: ContentKind| -> Vec<String> {
        let mut ids: Vec<String> = WalkDir::new(root.join("content").join(kind.folder()))
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
    let (languages, segments) = site_languages(root);
    crate::scaffold::KnownIds {
        institutions: ids(ContentKind::Institution),
        partnerships: ids(ContentKind::Partnership),
        releases: ids(ContentKind::Release),
        pages: ids(ContentKind::Page),
        languages,
        segments,
    }
}

/// The languages `site.yaml` names (`de` when it names none, as resolve assumes) and
/// their URL segments (the theme's, `segments:` over them); none when it cannot be
/// read, which the next build reports.
fn site_languages(root: &Path) -> (Vec<String>, Vec<crate::model::segments::Segments>) {
    let path = root.join("content/site.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (Vec::new(), Vec::new());
    };
    let Ok(config) = yaml::parse::<RawConfig>(&path, &text, &text, 0) else {
        return (Vec::new(), Vec::new());
    };
    let languages: Vec<String> = match &config.languages {
        Some(l) => std::iter::once(l.default.clone())
            .chain(l.others.iter().cloned())
            .collect(),
        None => vec!["de".to_owned()],
    };
    let name = config.theme.as_deref().unwrap_or("default");
    let theme = load_theme(root, name, &mut Vec::new());
    let theme_words = theme
        .i18n
        .into_iter()
        .map(|(lang, i18n)| (lang, i18n.segments))
        .collect();
    let segments =
        crate::model::segments::site_segments(&languages, &theme_words, &config.segments);
    (languages, segments.into_values().collect())
}

/// A content file found by `discover`, before it is read.
struct FoundFile {
    kind: ContentKind,
    path: PathBuf,
    id: String,
    lang: Option<String>,
}

impl FoundFile {
    /// Parses a file's text into the raw type of its folder.
    fn parse(&self, source: Result<SourceFile, Box<Diagnostic>>) -> Parsed {
        let source = match source {
            Ok(s) => s,
            Err(d) => return Parsed::Failed(d),
        };
        let translated = self.lang.is_some();
        let result = match (self.kind, translated) {
            (ContentKind::Institution, false) => doc(self, source).map(Parsed::Institution),
            (ContentKind::Institution, true) => {
                doc(self, source).map(Parsed::InstitutionTranslation)
            }
            (ContentKind::Partnership, false) => doc(self, source).map(Parsed::Partnership),
            (ContentKind::Partnership, true) => {
                doc(self, source).map(Parsed::PartnershipTranslation)
            }
            (ContentKind::Release, false) => doc(self, source).map(Parsed::Release),
            (ContentKind::Release, true) => doc(self, source).map(Parsed::ReleaseTranslation),
            (ContentKind::Page, false) => doc(self, source).map(Parsed::Page),
            (ContentKind::Page, true) => doc(self, source).map(Parsed::PageTranslation),
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
    for kind in ContentKind::ALL {
        let folder = kind.folder();
        let dir = content.join(folder);
        if !dir.is_dir() {
            if dir.exists() || dir.is_symlink() {
                diags.push(
                    Diagnostic::error(
                        Code::NotAFolder,
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
        for entry in user_files(&dir, root, diags) {
            let name = entry.file_name().to_string_lossy();
            let rel = relative(root, entry.path());
            let Some(stem) = name.strip_suffix(".md") else {
                diags.push(
                    Diagnostic::warning(Code::IgnoredFile, rel, "not a Markdown file; ignored")
                        .with_help("put images and documents into `content/static/`"),
                );
                continue;
            };
            if entry.depth() > 1 {
                diags.push(Diagnostic::warning(
                    Code::IgnoredFile,
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
                        Code::InvalidId,
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

/// Editor backups, swap files and hidden files never count as content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || is_editor_temporary(name)
}

/// Files editors write while saving (vim, emacs, JetBrains, helix, kate, …).
pub(crate) fn is_editor_temporary(name: &str) -> bool {
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

/// A content file read again as a load reads it (`rel` under `root`), for a rebuild
/// that trusts the watcher's paths (`edits.rs`); `None` when it cannot be read or a
/// load would warn about it (control characters blanked).
pub(crate) fn reread(root: &Path, rel: &Path) -> Option<(SourceFile, Reread)> {
    let path = root.join(rel);
    let stamp = Stamp::of(&path)?;
    let mut text = read_text(&path, &relative(root, &path)).ok()?;
    if blank_controls(&mut text).is_some() {
        return None;
    }
    let source = SourceFile::split(relative(root, &path), text).ok()?;
    Some((source, Reread { key: path, stamp }))
}

fn read_source(root: &Path, file: &FoundFile) -> Result<SourceFile, Box<Diagnostic>> {
    let rel = relative(root, &file.path);
    let mut text = read_text(&file.path, &rel)?;
    let blanked = blank_controls(&mut text);
    let mut source = SourceFile::split(rel, text)?;
    source.blanked = blanked;
    Ok(source)
}

fn read_static_tree(dir: &Path, root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<StaticFile> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walk(dir, root, diags) {
        if entry.file_type().is_dir() {
            continue;
        }
        if !entry.file_type().is_file() {
            diags.push(special_file_warning(relative(root, entry.path())));
            continue;
        }
        let output_path = slash_path(entry.path(), dir);
        match read_regular(entry.path()) {
            Ok(bytes) => files.push(StaticFile {
                output_path,
                bytes: bytes.into(),
            }),
            Err(e) => diags.push(Diagnostic::error(
                Code::Io,
                relative(root, entry.path()),
                format!("cannot read: {e}"),
            )),
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_as_read_until_it_changes() {
        let site = tempfile::tempdir().expect("temporary folder");
        let root = site.path();
        let news = root.join("content/news");
        std::fs::create_dir_all(&news).expect("create content/news");
        let release = news.join("2024-05-06-x.md");
        std::fs::write(&release, "---\ntitle: X\ndate: 2024-05-06\n---\nText.\n").expect("write");
        let mut cache = FileCache::default();
        load_cached(root, &mut cache);
        let canonical = root.canonicalize().expect("canonical root");
        let seen = canonical.join("content/news/2024-05-06-x.md");
        assert!(cache.all_as_read(root, std::slice::from_ref(&seen)));
        assert!(!cache.all_as_read(root, &[]));
        assert!(!cache.all_as_read(root, &[canonical.join("content/news")]));
        assert!(!cache.all_as_read(root, &[seen.clone(), canonical.join("content/site.yaml")]));
        std::fs::write(
            &release,
            "---\ntitle: Changed\ndate: 2024-05-06\n---\nText.\n",
        )
        .expect("save");
        assert!(!cache.all_as_read(root, std::slice::from_ref(&seen)));
        // Read again by a patch: as read, until the next save.
        let (_, read) = reread(root, Path::new("content/news/2024-05-06-x.md")).expect("reread");
        cache.note_patched(vec![read]);
        assert!(cache.all_as_read(root, std::slice::from_ref(&seen)));
        std::fs::write(
            &release,
            "---\ntitle: Again\ndate: 2024-05-06\n---\nText.\n",
        )
        .expect("save again");
        assert!(!cache.all_as_read(root, &[seen]));
    }
}
