//! Media: the sidecars of `content/media/` (rights and default texts, checked once),
//! each `image:`/`logo:` use with the sidecar's defaults applied and checked (a known
//! file that is a readable image, alt text that describes, a credit for a photo), and
//! which files published content uses.

use super::*;
use crate::content::{RawMedia, RawMediaFile};
use crate::model::media::looks_like_file_name;

/// The files and sidecars of `content/media/`, and what of them is already reported.
#[derive(Debug, Default)]
pub(super) struct MediaIndex {
    pub(super) files: BTreeMap<String, RawMediaFile>,
    /// Each stem's sidecar texts (`2025/unterzeichnung` for `2025/unterzeichnung.jpg`).
    rights: HashMap<String, MediaRights>,
    /// Stems whose sidecar's alt text (or whole sidecar) has a reported problem: a use
    /// lacking alt text is not reported again.
    reported_alt: HashSet<String>,
    /// The same for the credit.
    reported_credit: HashSet<String>,
    /// Files whose inspection problem is reported (once, at the file).
    pub(super) refused: BTreeSet<MediaId>,
    /// Uses (file, field) reported as unusable: their translations say nothing more.
    failed_uses: HashSet<(std::path::PathBuf, String)>,
}

/// Which field a use is in: `logo:` uses need no credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UseKind {
    Image,
    Logo,
}

const ALT_HELP: &str = "describe what the picture shows for readers who cannot see it, e.g. `alt: Zwei Personen unterzeichnen einen Vertrag an einem Tisch`";

/// What is wrong with an alt text, if anything: `(message, help)`.
fn alt_problem(text: &str) -> Option<String> {
    if text.trim().is_empty() {
        Some("the alt text is empty".to_owned())
    } else if looks_like_file_name(text) {
        Some(format!(
            "the alt text `{}` is a file name, not a description",
            text.trim()
        ))
    } else {
        None
    }
}

/// Offset of `sub:` inside the value of `field:` (a key of a use's map), else of
/// `field:` itself.
fn locate_sub(src: &SourceFile, field: &str, sub: &str) -> usize {
    let at = src.locate_key(field);
    let rest = &src.text[at..src.front_matter.end.max(at)];
    let needle = format!("{sub}:");
    rest.find(&needle).filter(|&i| i > 0).map_or(at, |i| at + i)
}

/// Offset of `text` as written under `sub:` in the value of `field:`.
fn locate_text(src: &SourceFile, field: &str, sub: &str, text: &str) -> usize {
    let at = locate_sub(src, field, sub);
    let rest = &src.text[at..src.front_matter.end.max(at)];
    match rest.find(text.trim()) {
        Some(i) if !text.trim().is_empty() => at + i,
        _ => at,
    }
}

impl Resolver<'_> {
    /// Indexes `content/media/` and checks its sidecars, once each.
    pub(super) fn media_index(&mut self, raw: RawMedia) {
        let files: BTreeMap<String, RawMediaFile> =
            raw.files.into_iter().map(|f| (f.path.clone(), f)).collect();
        let stems: BTreeSet<String> = files
            .keys()
            .map(|p| MediaId(p.clone()).stem().to_owned())
            .collect();
        self.media.files = files;
        self.media.reported_alt = raw.broken_sidecars.iter().cloned().collect();
        self.media.reported_credit = raw.broken_sidecars.into_iter().collect();
        for doc in raw.sidecars {
            if !self.sidecar_has_file(&doc.source, &doc.id, &stems) {
                continue;
            }
            let f = doc.front;
            let alt = self.sidecar_alt(&doc.source, &doc.id, f.alt);
            let credit = f.credit.filter(|c| {
                let blank = c.trim().is_empty();
                if blank {
                    let at = doc.source.locate_key("credit");
                    let msg = "the credit is empty";
                    let help = "name the author, e.g. `credit: \"Foto: Universitätsmedizin Magdeburg / Max Muster\"`, or remove the line";
                    self.error(&doc.source, Code::MissingCredit, at, msg, Some(help.into()));
                    self.media.reported_credit.insert(doc.id.clone());
                }
                !blank
            });
            let rights = self.media.rights.entry(doc.id).or_default();
            rights.alt.base = alt;
            rights.caption.base = f.caption;
            rights.credit = credit;
            rights.license.base = f.license;
        }
        for doc in raw.sidecar_translations {
            if !self.sidecar_has_file(&doc.source, &doc.id, &stems) {
                continue;
            }
            let lang = doc.lang.clone().unwrap_or_default();
            let f = doc.front;
            let alt = self.sidecar_alt(&doc.source, &doc.id, f.alt);
            let rights = self.media.rights.entry(doc.id).or_default();
            let put = |texts: &mut Localized<Option<String>>, text: Option<String>| {
                if text.is_some() {
                    texts.translations.insert(lang.clone(), text);
                }
            };
            put(&mut rights.alt, alt);
            put(&mut rights.caption, f.caption);
            put(&mut rights.license, f.license);
        }
    }

    /// A sidecar names an existing stem; else an error with the nearest one.
    fn sidecar_has_file(&mut self, src: &SourceFile, stem: &str, stems: &BTreeSet<String>) -> bool {
        if stems.contains(stem) {
            return true;
        }
        if let Some((base, lang)) = stem.rsplit_once('.')
            && stems.contains(base)
            && (2..=3).contains(&lang.len())
            && lang.bytes().all(|b| b.is_ascii_lowercase())
        {
            self.diags.push(
                Diagnostic::warning(
                    Code::UnknownLanguage,
                    src.path.clone(),
                    format!("a sidecar in `{lang}`, which the site does not publish; ignored"),
                )
                .with_help(
                    "add the language under `languages.others` in site.yaml, or delete the file",
                ),
            );
            return false;
        }
        let help = nearest(stem, stems.iter().map(String::as_str)).map_or_else(
            || format!("put the file `{stem}.jpg` (or .png, .svg, …) beside it, or delete the sidecar"),
            |n| format!("did you mean `{n}.yaml`? A sidecar is named like its file, with `.yaml` instead of the extension"),
        );
        self.diags.push(
            Diagnostic::error(
                Code::OrphanSidecar,
                src.path.clone(),
                format!("a sidecar without its file: `content/media/` has no file `{stem}.*`"),
            )
            .with_help(help),
        );
        false
    }

    /// A sidecar's alt text, unless it is a file name or empty (reported at it).
    fn sidecar_alt(&mut self, src: &SourceFile, stem: &str, alt: Option<String>) -> Option<String> {
        let text = alt?;
        let Some(problem) = alt_problem(&text) else {
            return Some(text);
        };
        let at = src.locate("alt", text.trim());
        self.error(src, Code::MissingAlt, at, problem, Some(ALT_HELP.into()));
        self.media.reported_alt.insert(stem.to_owned());
        None
    }

    /// One `image:` or `logo:` use in `src`, under `field`, with the sidecar's
    /// defaults; `None` after reporting why it cannot be published.
    pub(super) fn image_use(
        &mut self,
        src: &SourceFile,
        field: &str,
        raw: &RawImage,
        kind: UseKind,
    ) -> Option<ImageUse> {
        let used = self.checked_use(src, field, raw, kind);
        if used.is_none() {
            let failed = (src.path.clone(), field.to_owned());
            self.media.failed_uses.insert(failed);
        }
        used
    }

    fn checked_use(
        &mut self,
        src: &SourceFile,
        field: &str,
        raw: &RawImage,
        kind: UseKind,
    ) -> Option<ImageUse> {
        let Some(path) = raw.src.as_deref() else {
            let at = src.locate_key(field);
            let msg = format!("`{field}` names no file");
            let help = format!(
                "add `src:` with the file's path under content/media/, e.g. `{field}: {{ src: unterzeichnung.jpg }}`"
            );
            self.error(src, Code::MissingField, at, msg, Some(help));
            return None;
        };
        let at = src.locate(field, path.trim());
        let (id, format) = self.used_image(src, at, path.trim())?;
        let role = match kind {
            UseKind::Logo => MediaRole::Logo,
            UseKind::Image if format == crate::media::MediaFormat::Svg => MediaRole::Graphic,
            UseKind::Image => MediaRole::Photo,
        };
        let stem = id.stem().to_owned();
        let rights = self.media.rights.get(&stem).cloned().unwrap_or_default();
        let reported = self.media.reported_alt.contains(&stem);
        let alt = match &raw.alt {
            Some(text) => match alt_problem(text) {
                None => Some(Localized::new(text.clone())),
                Some(problem) => {
                    let at = locate_text(src, field, "alt", text);
                    self.error(src, Code::MissingAlt, at, problem, Some(ALT_HELP.into()));
                    None
                }
            },
            None => match rights.alt.base.clone() {
                Some(base) => Some(Localized {
                    base,
                    translations: (rights.alt.translations.iter())
                        .filter_map(|(l, t)| Some((l.clone(), t.clone()?)))
                        .collect(),
                }),
                None => {
                    if !reported {
                        let msg = format!("`{id}` has no alt text");
                        let help = format!(
                            "write what it shows as `alt:` here (`{field}: {{ src: {id}, alt: … }}`) or in `content/media/{stem}.yaml`"
                        );
                        self.error(src, Code::MissingAlt, at, msg, Some(help));
                    }
                    None
                }
            },
        };
        let reported = self.media.reported_credit.contains(&stem);
        let credit = self.use_credit(src, field, raw, &rights, role, &id, at, reported);
        let pick = |given: &Option<String>, default: &Localized<Option<String>>| match given {
            Some(text) => Localized::new(Some(text.clone())),
            None => default.clone(),
        };
        Some(ImageUse {
            role,
            alt: alt?,
            caption: pick(&raw.caption, &rights.caption),
            credit: credit?,
            license: pick(&raw.license, &rights.license),
            media: id,
        })
    }

    /// The credit of a use: given there or in the sidecar; required for a photo.
    /// `Some(None)`: none, and none needed.
    #[allow(clippy::too_many_arguments)]
    fn use_credit(
        &mut self,
        src: &SourceFile,
        field: &str,
        raw: &RawImage,
        rights: &MediaRights,
        role: MediaRole,
        id: &MediaId,
        at: usize,
        reported: bool,
    ) -> Option<Option<String>> {
        if let Some(given) = &raw.credit {
            if given.trim().is_empty() {
                let at = locate_sub(src, field, "credit");
                let help = "name the author, e.g. `credit: \"Foto: Universitätsmedizin Magdeburg / Max Muster\"`";
                self.error(
                    src,
                    Code::MissingCredit,
                    at,
                    "the credit is empty",
                    Some(help.into()),
                );
                return None;
            }
            return Some(Some(given.clone()));
        }
        if rights.credit.is_some() || !role.needs_credit() {
            return Some(rights.credit.clone());
        }
        if !reported {
            let msg = format!("the photo `{id}` has no credit");
            let help = format!(
                "name the photographer or rights holder as `credit:` here or in `content/media/{}.yaml`, e.g. `credit: \"Foto: Universitätsmedizin Magdeburg / Max Muster\"`",
                id.stem()
            );
            self.error(src, Code::MissingCredit, at, msg, Some(help));
        }
        None
    }

    /// The image `path` names (at `at` in `src`), with its format; `None` after
    /// reporting an unknown file, a document, or (once, at the file) a refused one.
    fn used_image(
        &mut self,
        src: &SourceFile,
        at: usize,
        path: &str,
    ) -> Option<(MediaId, crate::media::MediaFormat)> {
        let Some(file) = self.media.files.get(path) else {
            let help = self.media_suggestion(path);
            let msg = format!("unknown media file `{path}`: there is no `content/media/{path}`");
            self.error(src, Code::UnknownMedia, at, msg, help);
            return None;
        };
        let id = MediaId(file.path.clone());
        match &file.scan {
            None => {
                let msg = format!("`{path}` is not an image");
                let help = format!(
                    "use a JPEG, PNG, WebP or SVG file here; link documents in the text with `@/media/{path}`"
                );
                self.error(src, Code::InvalidMedia, at, msg, Some(help));
                None
            }
            Some(Ok(scan)) => Some((id, scan.info.format)),
            Some(Err(_)) => {
                self.report_refused(&id);
                None
            }
        }
    }

    /// Reports a file `media::inspect` refused, once, naming the file.
    pub(super) fn report_refused(&mut self, id: &MediaId) {
        let Some(RawMediaFile {
            scan: Some(Err(problem)),
            ..
        }) = self.media.files.get(id.as_str())
        else {
            return;
        };
        if self.media.refused.insert(id.clone()) {
            let path = format!("content/{}/{id}", crate::content::MEDIA_FOLDER);
            self.diags.push(
                Diagnostic::error(Code::InvalidMedia, path, problem.message.clone())
                    .with_help(problem.help.clone()),
            );
        }
    }

    /// Did-you-mean for an unknown media path: the same path written with a prefix,
    /// a file of that name in a sub-folder, or the nearest path.
    fn media_suggestion(&self, path: &str) -> Option<String> {
        let known = |p: &str| self.media.files.contains_key(p);
        for prefix in ["content/media/", "@/media/", "/media/", "media/", "/"] {
            if let Some(rest) = path.strip_prefix(prefix)
                && known(rest)
            {
                return Some(format!("write the path under content/media/: `{rest}`"));
            }
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        let same_name = self
            .media
            .files
            .keys()
            .find(|p| p.rsplit('/').next() == Some(name));
        if let Some(p) = same_name {
            return Some(format!("did you mean `{p}`?"));
        }
        nearest(path, self.media.files.keys().map(String::as_str))
            .map(|n| format!("did you mean `{n}`?"))
    }

    /// A translation's texts for its original's use (`image: { alt, caption }`);
    /// `src` and `credit` are the same in every language and may only be repeated.
    pub(super) fn translate_image(
        &mut self,
        original: &mut Option<ImageUse>,
        src: &SourceFile,
        field: &str,
        raw: Option<&RawImage>,
        (original_path, lang): (&std::path::Path, &str),
    ) {
        let Some(raw) = raw else { return };
        let Some(used) = original else {
            if self
                .media
                .failed_uses
                .contains(&(original_path.to_path_buf(), field.to_owned()))
            {
                return;
            }
            let at = src.locate_key(field);
            let msg = format!(
                "`{field}` in a translation, but the original has none (or one with errors)"
            );
            let help = format!(
                "give the `{field}:` in the original; a translation may only translate its texts"
            );
            self.error(src, Code::TranslationMismatch, at, msg, Some(help));
            return;
        };
        let repeated = [
            ("src", &raw.src, Some(used.media.as_str())),
            ("credit", &raw.credit, used.credit.as_deref()),
        ];
        for (sub, given, original) in repeated {
            if let Some(given) = given
                && Some(given.trim()) != original.map(str::trim)
            {
                let at = locate_text(src, field, sub, given);
                let msg = format!("the translation's `{sub}` differs from the original's");
                let help = match original {
                    Some(o) => format!(
                        "`{sub}` is the same in every language: write `{o}` or remove it here"
                    ),
                    None => {
                        format!("`{sub}` is the same in every language: give it in the original")
                    }
                };
                self.error(src, Code::TranslationMismatch, at, msg, Some(help));
            }
        }
        if let Some(text) = &raw.alt {
            match alt_problem(text) {
                None => {
                    used.alt.translations.insert(lang.to_owned(), text.clone());
                }
                Some(problem) => {
                    let at = locate_text(src, field, "alt", text);
                    self.error(src, Code::MissingAlt, at, problem, Some(ALT_HELP.into()));
                }
            }
        }
        for (given, texts) in [
            (&raw.caption, &mut used.caption),
            (&raw.license, &mut used.license),
        ] {
            if given.is_some() {
                texts.translations.insert(lang.to_owned(), given.clone());
            }
        }
    }
}

impl Resolver<'_> {
    /// The model's record of a listed image that inspected well.
    pub(super) fn media_file(&self, id: &MediaId) -> Option<MediaFile> {
        let file = self.media.files.get(id.as_str())?;
        let Some(Ok(scan)) = &file.scan else {
            return None;
        };
        Some(MediaFile {
            id: id.clone(),
            info: scan.info,
            bytes: file.len,
            hash: scan.hash.clone(),
            sidecar: self
                .media
                .rights
                .get(id.stem())
                .cloned()
                .unwrap_or_default(),
        })
    }
}
