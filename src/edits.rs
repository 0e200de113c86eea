//! A `serve` rebuild after edits of release texts, titles and summaries only, in time
//! proportional to the edit: the watcher's paths name the files, which are read again
//! alone; when each is a published release (or its translation) whose front matter is
//! as it was but for `title:` and `summary:`, the last run's model stays, with the new
//! texts, titles and summaries, and `render::patch` makes again only what shows them.
//! Anything else, or anything unexpected (a path it cannot place, a new or removed
//! file, another changed front-matter field or `@/media/` link, a diagnostic before or
//! after, an embargo that lifted, a new day), takes the full rebuild, which is always
//! right.

use crate::content::yaml::{self, NewValue};
use crate::content::{Reread, SourceFile};
use crate::kit_output::KitWriter;
use crate::media::derived_cache::{Derived, DerivedCache};
use crate::model::{Body, Localized, ReleaseId, Site};
use crate::render::BodyOf;
use crate::render::patch::{Refusal, Remade, Retitled, Shown};
use crate::render::{OutputFile, RenderedSite};
use crate::{BuildReport, Session};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// The last run of a `serve` session that published a site without any diagnostic:
/// what a patch starts from.
#[derive(Debug)]
pub(crate) struct LastRun {
    site: Site,
    /// The whole site as served, with each page's links and content file.
    rendered: RenderedSite,
    /// The media files, which press kits read their photos from.
    media: Vec<OutputFile>,
    /// The press kits' cache, listed by the run.
    kit_cache: Option<DerivedCache>,
    /// What the report of a run says that a patch does not change.
    report: BuildReport,
}

impl LastRun {
    pub(crate) fn new(
        site: Site,
        rendered: RenderedSite,
        (media, kit_cache): (Vec<OutputFile>, DerivedCache),
        report: &BuildReport,
    ) -> Self {
        let report = unpatched(report);
        Self {
            site,
            rendered,
            media,
            kit_cache: Some(kit_cache),
            report,
        }
    }

    /// The site for the server: the files (their bytes shared), without the links and
    /// sources kept for the next patch.
    pub(crate) fn served(&self) -> RenderedSite {
        RenderedSite {
            files: self.rendered.files.clone(),
            on_disk: self.rendered.on_disk.clone(),
            counts: self.rendered.counts.clone(),
            base_url: self.rendered.base_url.clone(),
            base_path: self.rendered.base_path.clone(),
            ..RenderedSite::default()
        }
    }
}

/// Either a patched run's report, or why the full rebuild runs.
pub(crate) type Patched = Result<BuildReport, Refusal>;

impl Session {
    /// Patches the last run after an edit of `changed` (absolute paths from the
    /// watcher), or says why not; the session's last run is gone either way until
    /// the run that follows keeps one again.
    pub(crate) fn patch_edits(&mut self, changed: &[PathBuf], check_links: bool) -> Patched {
        let start = Instant::now();
        let mut last = self.last.take().ok_or("no last run without diagnostics")?;
        let tz = &last.site.config.timezone;
        let now = (self.opts.now)
            .and_then(|n| n.moment(tz).ok())
            .unwrap_or_else(jiff::Timestamp::now);
        if last
            .site
            .next_embargo
            .as_ref()
            .is_some_and(|(_, at)| *at <= now)
        {
            return Err("an embargo lifted".into());
        }
        let today = now
            .to_zoned_datetime(last.site.config.timezone.clone())
            .date();
        if last.site.today.is_some_and(|d| d != today) {
            return Err("a new day began (the timelines' today)".into());
        }
        let load = Instant::now();
        let (edited, retitled, reads) = edited_texts(&self.opts.root, &mut last.site, changed)?;
        let loaded = load.elapsed();
        let kit_cache = (last.kit_cache.take())
            .unwrap_or_else(|| DerivedCache::open(&self.opts.root, Derived::Kit));
        let kit_writer = KitWriter::with_cache(kit_cache, None, &last.media);
        let write_kit = |kit: &crate::render::PressKit| kit_writer.write(kit);
        let root = &self.opts.root;
        let draw_cards = |cards: &[crate::render::cards::Card]| {
            let made = crate::card_output::publish(root, cards, None);
            match made.diagnostics.is_empty() {
                true => Ok(made.on_disk),
                false => Err(Refusal::from(
                    "a share card could not be made (a diagnostic)",
                )),
            }
        };
        let (stats, remade) = crate::render::patch::edited_texts(
            &last.site,
            &mut self.cache,
            &mut last.rendered,
            (&edited, &retitled),
            (Some(&write_kit), Some(&draw_cards), check_links),
        )?;
        let (kits_in_cache, kit_cache) = kit_writer.into_cache_files();
        last.kit_cache = Some(kit_cache);
        for (path, in_cache) in kits_in_cache {
            if let Some(slot) = (last.rendered.on_disk.iter_mut()).find(|(p, _)| *p == path) {
                slot.1 = in_cache;
            }
        }
        let mut report = std::mem::take(&mut last.report);
        report.timings.stages.push(("load", loaded));
        report.timings.extend(stats.timings);
        report.pages_rendered = stats.pages_rendered;
        report.pages_reused = stats.pages_reused;
        report.remade = remade
            .into_iter()
            .map(|Remade { path, why }| format!("{path}: {why}"))
            .collect();
        report.site = Some(last.served());
        report.published = true;
        last.report = unpatched(&report);
        self.last = Some(last);
        self.files.note_patched(reads);
        report.elapsed = start.elapsed();
        Ok(report)
    }
}

/// The texts whose files changed, each with its file, the releases whose title or
/// summary changed, and the files as read.
type EditedTexts = (Vec<(BodyOf, String)>, Vec<Retitled>, Vec<Reread>);

/// Reads each changed file again and puts its text into `site`: each must be the
/// file of a release's text (original or translation) whose `@/media/` links are the
/// same (they decide which media are published) and whose front matter is as it was
/// but for its `title:` and `summary:` (`displayed`). The edited releases with their
/// files, and those whose title or summary changed with what they showed before.
fn edited_texts(root: &Path, site: &mut Site, changed: &[PathBuf]) -> Result<EditedTexts, Refusal> {
    let canonical = root.canonicalize().map_err(|_| "the site root moved")?;
    let mut edited: Vec<(BodyOf, String)> = Vec::new();
    let mut retitled: Vec<Retitled> = Vec::new();
    let mut reads = Vec::new();
    let mut paths: Vec<&PathBuf> = changed.iter().collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        let rel = path
            .strip_prefix(&canonical)
            .map_err(|_| format!("{} is outside the site", path.display()))?;
        let gone = || format!("{} is not the text of published content", rel.display());
        let (of, lang, old) = text_of(site, rel).ok_or_else(gone)?;
        if !path.is_file() {
            return Err(format!("{} was deleted or moved", rel.display()).into());
        }
        let (new, read) = crate::content::reread(root, rel)
            .ok_or_else(|| format!("{} cannot be read without a diagnostic", rel.display()))?;
        reads.push(read);
        let links = crate::model::body_media_links;
        if links(old.body()) != links(new.body()) {
            return Err(format!("the media links of {} changed", rel.display()).into());
        }
        let file = rel.display().to_string();
        if old.text[..old.body_start] != new.text[..new.body_start] {
            match of {
                BodyOf::Release(i) => {
                    let id = ReleaseId(i);
                    if let Some(before) = displayed(site, id, lang.as_deref(), (&old, &new))? {
                        retitled.push(Retitled {
                            release: id,
                            file: file.clone(),
                            before,
                        });
                    }
                }
                _ => {
                    let changes = yaml::changed_fields(old.yaml(), new.yaml());
                    if changes.is_none_or(|c| !c.is_empty()) {
                        let why = format!("the front matter of {} changed", rel.display());
                        return Err(why.into());
                    }
                }
            }
        }
        body_mut(site, of, lang.as_deref()).ok_or_else(gone)?.source = Arc::new(new);
        edited.push((of, file));
    }
    if edited.is_empty() {
        return Err("nothing changed".into());
    }
    edited.sort_by_key(|(of, _)| *of);
    edited.dedup_by_key(|(of, _)| *of);
    Ok((edited, retitled, reads))
}

/// Whose text the file `rel` is, in which translation (`None`: the original), and the
/// text as the last run read it.
fn text_of(site: &Site, rel: &Path) -> Option<(BodyOf, Option<String>, Arc<SourceFile>)> {
    let find = |texts: &Localized<Body>| {
        let (lang, body) = std::iter::once((None, &texts.base))
            .chain(texts.translations.iter().map(|(l, b)| (Some(l), b)))
            .find(|(_, b)| b.source.path == rel)?;
        Some((lang.cloned(), body.source.clone()))
    };
    let releases = (site.releases.iter().enumerate()).map(|(i, r)| (BodyOf::Release(i), &r.body));
    let institutions =
        (site.institutions.iter().enumerate()).map(|(i, x)| (BodyOf::Institution(i), &x.profile));
    let partnerships =
        (site.partnerships.iter().enumerate()).map(|(i, x)| (BodyOf::Partnership(i), &x.body));
    let pages = (site.pages.iter().enumerate()).map(|(i, x)| (BodyOf::Page(i), &x.body));
    releases
        .chain(institutions)
        .chain(partnerships)
        .chain(pages)
        .find_map(|(of, texts)| {
            let (lang, source) = find(texts)?;
            Some((of, lang, source))
        })
}

/// The text of `of` in translation `lang` (`None`: the original), to put an edited one
/// in.
fn body_mut<'s>(site: &'s mut Site, of: BodyOf, lang: Option<&str>) -> Option<&'s mut Body> {
    let texts = match of {
        BodyOf::Release(i) => &mut site.releases[i].body,
        BodyOf::Institution(i) => &mut site.institutions[i].profile,
        BodyOf::Partnership(i) => &mut site.partnerships[i].body,
        BodyOf::Page(i) => &mut site.pages[i].body,
    };
    match lang {
        None => Some(&mut texts.base),
        Some(l) => texts.translations.get_mut(l),
    }
}

/// Puts the new title and summary of a release's front matter (`lang`'s translation,
/// or the original) into `site`, as resolve reads them: a translation without a title
/// shows the original's, one without a summary has a copy of it. What each language
/// showed before, where it changed; `Err` when anything else of the front matter
/// changed or the new values would be a diagnostic.
fn displayed(
    site: &mut Site,
    id: ReleaseId,
    lang: Option<&str>,
    (old, new): (&SourceFile, &SourceFile),
) -> Result<Option<Vec<(String, Shown)>>, Refusal> {
    let beyond = || format!("the front matter of {} changed", new.path.display());
    let changes = yaml::changed_fields(old.yaml(), new.yaml()).ok_or_else(beyond)?;
    if changes.is_empty() {
        return Ok(None);
    }
    if changes.keys().any(|k| k != "title" && k != "summary") {
        return Err(format!("{} beyond its title and summary", beyond()).into());
    }
    let languages = site.config.languages.clone();
    let shown = |site: &Site| -> Vec<Shown> {
        let r = &site.releases[id.0];
        (languages.iter())
            .map(|l| Shown {
                title: r.title.get(l).clone(),
                summary: r.summary.get(l).clone(),
            })
            .collect()
    };
    let before = shown(site);
    let mut inheriting: Vec<String> = Vec::new();
    if lang.is_none() {
        for (l, t) in &site.releases[id.0].body.translations {
            match yaml::has_value(t.source.yaml(), "summary") {
                Some(false) => inheriting.push(l.clone()),
                Some(true) => {}
                None => return Err(beyond().into()),
            }
        }
    }
    put_shown(&mut site.releases[id.0], lang, &changes, inheriting).ok_or_else(|| {
        format!(
            "the title or summary of {} is not a text",
            new.path.display()
        )
    })?;
    let after = shown(site);
    let changed: Vec<(String, Shown)> = (languages.into_iter().zip(before).zip(&after))
        .filter(|((_, b), a)| b != *a)
        .map(|((l, b), _)| (l, b))
        .collect();
    Ok((!changed.is_empty()).then_some(changed))
}

/// Puts the changed title and summary into `r` (from `lang`'s file, or the original's,
/// whose summary the translations `inheriting` copy); `None` when a value is not one
/// resolve would take without a diagnostic (a blank title, the original's removed).
fn put_shown(
    r: &mut crate::model::Release,
    lang: Option<&str>,
    changes: &std::collections::BTreeMap<String, NewValue>,
    inheriting: Vec<String>,
) -> Option<()> {
    match (changes.get("title"), lang) {
        (None, _) => {}
        (Some(NewValue::Text(t)), None) if !t.trim().is_empty() => r.title.base = t.clone(),
        (Some(NewValue::Text(t)), Some(l)) if !t.trim().is_empty() => {
            r.title.translations.insert(l.to_owned(), t.clone());
        }
        (Some(NewValue::Absent), Some(l)) => {
            r.title.translations.remove(l);
        }
        _ => return None,
    }
    let summary = match changes.get("summary") {
        None => return Some(()),
        Some(NewValue::Text(s)) => Some(s.clone()),
        Some(NewValue::Absent) => None,
        Some(NewValue::Other) => return None,
    };
    match lang {
        None => {
            for l in inheriting {
                r.summary.translations.insert(l, summary.clone());
            }
            r.summary.base = summary;
        }
        Some(l) => {
            let summary = summary.or_else(|| r.summary.base.clone());
            r.summary.translations.insert(l.to_owned(), summary);
        }
    }
    Some(())
}

/// What a run's report says that a patch leaves as it was, for the patch's report.
fn unpatched(report: &BuildReport) -> BuildReport {
    BuildReport {
        counts: report.counts.clone(),
        files: report.files,
        hidden: report.hidden,
        language: report.language.clone(),
        next_embargo: report.next_embargo.clone(),
        ..BuildReport::default()
    }
}
