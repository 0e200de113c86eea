//! A patch render for `serve`: after an edit of release texts, titles and summaries
//! only (the rest of the front matter as it was, so the model is the last one with new
//! bodies and the new titles and summaries put in by `edits.rs`), only what shows
//! them is made again and put in place in the last rendered site. What reads a
//! release's text (the dependency list is in ARCHITECTURE.md): its bodies in every
//! language, its page and press kit in every language, the site's feed when it is
//! among the newest, the search index when its first words changed, and the link
//! check of the pages made again. Its title and summary also reach its card and
//! timeline items, the pages that show them (noted per page when the page cache
//! hashed its context), its share card, the feeds of its partners, partnership and
//! topics, its search entry and, in the default language, `news.json` and
//! `timeline.ics`. Anything that would reach further (changed heading ids, a
//! diagnostic) refuses the patch, and the session renders the whole site.

use super::bodies::BodyOf;
use super::cards::Card;
use super::pages::{LangIdx, LangViews, Renderer};
use super::search::EditedText;
use super::{Bodies, KitSink, OutputFile, RenderCache, RenderStats, RenderedSite, Routes};
use crate::model::{ReleaseId, Site};
use crate::timings::Timings;
use std::path::PathBuf;
use std::sync::Arc;

/// Why a patch was refused: said by `serve --timings` before the full rebuild.
pub(crate) type Refusal = std::borrow::Cow<'static, str>;

/// Makes a patch's new share cards (I/O, so the caller's): each card's output path and
/// the file it is served from.
pub(crate) type CardSink<'s> =
    &'s (dyn Fn(&[Card]) -> Result<Vec<(String, PathBuf)>, Refusal> + Sync);

/// A release whose title or summary changed, with the file that changed and what each
/// language whose title or summary changed showed before (by language code).
#[derive(Debug)]
pub(crate) struct Retitled {
    pub release: ReleaseId,
    pub file: String,
    pub before: Vec<(String, Shown)>,
}

/// A release's title and summary as one language shows them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shown {
    pub title: String,
    pub summary: Option<String>,
}

/// What the last complete render leaves a patch render: the rendered bodies, the views
/// shared by many pages and the compiled templates.
pub(crate) struct Kept {
    bodies: Bodies,
    langs: Vec<LangViews>,
    tera: tera::Tera,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Kept")
    }
}

impl Kept {
    pub(super) fn new(bodies: Bodies, langs: Vec<LangViews>, tera: tera::Tera) -> Self {
        Self {
            bodies,
            langs,
            tera,
        }
    }
}

/// One file made again by a patch, and the change it shows.
#[derive(Debug, Clone)]
pub(crate) struct Remade {
    pub path: String,
    pub why: String,
}

/// The edits a patch makes again: each text whose file changed (with the file), and the
/// releases among them whose title or summary changed.
pub(crate) type Edits<'e> = (&'e [(BodyOf, String)], &'e [Retitled]);

/// Where a patch hands its press kits and new share cards, and whether it checks the
/// links of the pages it makes.
pub(crate) type Sinks<'s> = (Option<KitSink<'s>>, Option<CardSink<'s>>, bool);

/// Makes again what shows the texts, titles and summaries of `edits` in `rendered`,
/// the last complete render of the site before the edit, which `site` is with the new
/// texts. On `Err` the caller renders the whole site: `cache` then has no kept render,
/// and `rendered` may be half patched.
pub(crate) fn edited_texts(
    site: &Site,
    cache: &mut RenderCache,
    rendered: &mut RenderedSite,
    (edited, retitled): Edits,
    (kits, cards, check_links): Sinks,
) -> Result<(RenderStats, Vec<Remade>), Refusal> {
    let mut kept = cache.kept.take().ok_or("no complete render to patch")?;
    let mut timings = Timings::default();
    let routes = Routes::of_site(&site.config);
    let languages = super::languages(site);
    let before: Vec<Vec<Arc<str>>> = (edited.iter())
        .map(|&(of, _)| {
            (0..languages.len())
                .map(|li| kept.bodies.get(li, of).clone())
                .collect()
        })
        .collect();
    let ofs: Vec<BodyOf> = edited.iter().map(|&(of, _)| of).collect();
    timings.time("markdown", || {
        (kept.bodies).rerender((site, &routes, &languages), &ofs, &mut cache.bodies)
    })?;
    let pages_took = std::time::Instant::now();
    let shown = shown_in(&languages, retitled);
    for &(release, lang, _) in &shown {
        kept.langs[lang.0].remake_release(site, &routes, release);
    }
    let shared = Renderer::kept_views(&languages, std::mem::take(&mut kept.langs), &cache.pages);
    let renderer = Renderer::new(
        site,
        &routes,
        &kept.tera,
        &kept.bodies,
        shared,
        (true, kits),
    );
    let made =
        super::templates::on_render_threads(|| renderer.render_edited(edited, &shown, check_links));
    let (fresh, langs, mut stats) = renderer.into_leftovers();
    let made = made.map_err(|_| "a page of the edited text failed to render")?;
    timings.stages.push(("pages", pages_took.elapsed()));
    let (paths, mut remade, new_cards) = put_in_place(rendered, made, edited)?;
    // A new share card is drawn while the data files are patched and the links checked
    // (no page's links name a card).
    let ((drawn, cards_took), (rest, rest_timings)) = rayon::join(
        || super::timed(|| draw_cards(&new_cards, cards)),
        || {
            let mut timings = Timings::default();
            let data = (site, &routes, languages.as_slice());
            let bodies = (&before[..], &kept.bodies);
            let rest = patch_data_files(data, rendered, (edited, retitled), bodies, &mut timings)
                .and_then(|remade| {
                    let broken = check_links.then(|| {
                        timings.time("link check", || {
                            crate::linkcheck::check_pages(rendered, &site.theme, &paths)
                        })
                    });
                    match broken.is_some_and(|b| !b.is_empty()) {
                        true => Err("a link of a page made again is broken (a diagnostic)".into()),
                        false => Ok(remade),
                    }
                });
            (rest, timings)
        },
    );
    timings.extend(rest_timings);
    remade.extend(rest?);
    if !new_cards.is_empty() {
        timings.alongside("share cards", cards_took);
    }
    remade.extend(put_cards(rendered, drawn?));
    cache.pages.merge(fresh, &langs);
    kept.langs = langs;
    cache.kept = Some(kept);
    stats.timings = timings;
    remade.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((stats, remade))
}

/// The search entries and open data files an edit changes, patched in `rendered`; what
/// was made again.
fn patch_data_files(
    (site, routes, languages): (&Site, &Routes, &[super::i18n::Language]),
    rendered: &mut RenderedSite,
    (edited, retitled): Edits,
    (before, bodies): (&[Vec<Arc<str>>], &Bodies),
    timings: &mut Timings,
) -> Result<Vec<Remade>, Refusal> {
    let mut remade = Vec::new();
    let texts = edited_entries(bodies, edited, before, (languages, retitled));
    if !texts.is_empty() {
        let why = format!("search entry of {}", file_list(edited));
        remade.extend(timings.time("search index", || {
            patch_search(site, routes, languages, rendered, (&texts, bodies), why)
        })?);
    }
    let default_language = &site.config.default_language;
    let in_open_data: Vec<(ReleaseId, &Shown)> = (retitled.iter())
        .filter_map(|r| {
            let (_, shown) = r.before.iter().find(|(l, _)| l == default_language)?;
            Some((r.release, shown))
        })
        .collect();
    if !in_open_data.is_empty() {
        let files = timings.time("open data", || {
            patched_open_data(site, routes, rendered, &in_open_data)
                .unwrap_or_else(|| super::api::release_files(site, routes))
        });
        remade.extend(changed_files(
            rendered,
            files,
            "title or summary",
            retitled,
        )?);
    }
    Ok(remade)
}

/// Each retitled release in each language (its index among `languages`) whose title
/// or summary changed, with its file.
fn shown_in<'r>(
    languages: &[super::i18n::Language],
    retitled: &'r [Retitled],
) -> Vec<(ReleaseId, LangIdx, &'r str)> {
    let mut shown = Vec::new();
    for r in retitled {
        for (code, _) in &r.before {
            if let Some(i) = languages.iter().position(|l| l.code == *code) {
                shown.push((r.release, LangIdx(i), r.file.as_str()));
            }
        }
    }
    shown
}

/// The search entries an edit changes: each edited text in each language whose first
/// words changed, or whose title or summary changed (a release's).
fn edited_entries<'a>(
    bodies: &'a Bodies,
    edited: &[(BodyOf, String)],
    before: &'a [Vec<Arc<str>>],
    (languages, retitled): (&[super::i18n::Language], &'a [Retitled]),
) -> Vec<EditedText<'a>> {
    // A release edited in two files (original and translation) has an entry for each,
    // in the order they were put into the model: the first to name a language has
    // what it showed before the edit.
    let shown_before = |of: BodyOf, lang: usize| {
        let code = &languages.get(lang)?.code;
        (retitled.iter())
            .filter(|x| BodyOf::Release(x.release.0) == of)
            .find_map(|x| {
                x.before
                    .iter()
                    .find_map(|(l, shown)| (l == code).then_some(shown))
            })
    };
    (edited.iter().zip(before))
        .flat_map(|(&(of, _), before)| {
            let after = (0..before.len()).map(move |li| &**bodies.get(li, of));
            (before.iter().zip(after).enumerate())
                .map(move |(lang, (before, after))| EditedText {
                    of,
                    lang,
                    before,
                    after,
                    shown_before: shown_before(of, lang),
                })
                .filter(|e| {
                    e.shown_before.is_some() || !super::search::same_words(e.before, e.after)
                })
        })
        .collect()
}

/// The search index patched for `texts`, or made again when the patch cannot be (a
/// word that opens or empties a shard); what was made again.
fn patch_search(
    site: &Site,
    routes: &Routes,
    languages: &[super::i18n::Language],
    rendered: &mut RenderedSite,
    (texts, bodies): (&[EditedText], &Bodies),
    why: String,
) -> Result<Vec<Remade>, Refusal> {
    let Some(patched) = super::search::patched_files(site, routes, languages, rendered, texts)
    else {
        let (index, _) = super::search::files(site, routes, languages, (bodies, None));
        return Ok(vec![search_index(site, routes, rendered, index, why)]);
    };
    let mut remade = Vec::new();
    for file in patched {
        remade.push(Remade {
            path: file.path.clone(),
            why: why.clone(),
        });
        replace(rendered, file)?;
    }
    Ok(remade)
}

/// `news.json` and `timeline.ics` with the records and events of `releases` (each with
/// what it showed before) patched in place; `None` when one is not found, and the
/// caller makes them again.
fn patched_open_data(
    site: &Site,
    routes: &Routes,
    rendered: &RenderedSite,
    releases: &[(ReleaseId, &Shown)],
) -> Option<Vec<OutputFile>> {
    let file = |path: String| {
        let file = rendered.files.iter().find(|f| f.path == path)?;
        Some((path, file.contents.clone()))
    };
    let (news_path, mut news) = file(Routes::api_data("news"))?;
    let (ics_path, mut ics) = file(Routes::timeline_ics())?;
    for &(id, before) in releases {
        news = super::api::patched_news(site, routes, &news, (id, before))?.into();
        ics = super::opendata::patched_ics(site, routes, &ics, (id, &before.title))?.into();
    }
    Some(vec![
        OutputFile {
            path: news_path,
            contents: news,
        },
        OutputFile {
            path: ics_path,
            contents: ics,
        },
    ])
}

/// Puts each of `files` that differs from the site's in its place; what changed.
fn changed_files(
    rendered: &mut RenderedSite,
    files: Vec<OutputFile>,
    what: &str,
    retitled: &[Retitled],
) -> Result<Vec<Remade>, Refusal> {
    let names: Vec<&str> = retitled.iter().map(|r| r.file.as_str()).collect();
    let why = format!("{what} of {}", names.join(", "));
    let mut remade = Vec::new();
    for file in files {
        let path = file.path.clone();
        if replace_changed(rendered, file)? {
            remade.push(Remade {
                path,
                why: why.clone(),
            });
        }
    }
    Ok(remade)
}

/// The paths of the pages a patch put in place, what it made again, and its new share
/// cards, still to draw.
type InPlace = (Vec<String>, Vec<Remade>, Vec<Card>);

/// Puts a patch render's pages and press kits in place of the last site's, with their
/// links and content files; refused when a page's ids changed (other pages' anchors
/// point at them) or a file is new. A page made again as it was is left out. The paths
/// of the pages, what was made again, and the share cards the site does not have yet
/// (a page's title changed).
fn put_in_place(
    rendered: &mut RenderedSite,
    made: super::pages::PatchedPages,
    edited: &[(BodyOf, String)],
) -> Result<InPlace, Refusal> {
    let mut remade = Vec::new();
    let mut paths = Vec::new();
    for page in made.pages {
        let path = page.file.path.clone();
        let old = rendered.links.get(&path);
        if let (Some(old), Some(new)) = (old, &page.links)
            && !old.ids().eq(new.ids())
        {
            return Err(format!("the ids of {path} changed").into());
        }
        if !replace_changed(rendered, page.file)? {
            continue;
        }
        if let Some(links) = page.links {
            rendered.links.insert(path.clone(), links);
        }
        if let Some(source) = page.source {
            rendered.sources.insert(path.clone(), source);
        }
        paths.push(path.clone());
        remade.push(Remade {
            path,
            why: page.why,
        });
    }
    for kit in made.kits {
        let why = format!("press kit of {}", file_list(edited));
        remade.push(Remade {
            path: kit.path.clone(),
            why,
        });
        if kit.contents.is_empty() {
            // Served from the kit cache (`serve`): `edits.rs` points it at the new file.
            if !rendered.on_disk.iter().any(|(p, _)| *p == kit.path) {
                return Err(format!("the press kit {} is new", kit.path).into());
            }
        } else {
            replace(rendered, kit)?;
        }
    }
    let known = |path: &str| {
        (rendered.files.iter().any(|f| f.path == path))
            || rendered.on_disk.iter().any(|(p, _)| p == path)
    };
    let new_cards = (made.cards.into_iter())
        .filter(|c| !known(&c.path))
        .collect();
    Ok((paths, remade, new_cards))
}

/// Draws `new` share cards through `sink`: their paths and files.
fn draw_cards(new: &[Card], sink: Option<CardSink>) -> Result<Vec<(String, PathBuf)>, Refusal> {
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let sink = sink.ok_or_else(|| format!("the share card {} is new", new[0].path))?;
    sink(new)
}

/// Puts drawn share cards in place of their pages' old cards.
fn put_cards(rendered: &mut RenderedSite, drawn: Vec<(String, PathBuf)>) -> Vec<Remade> {
    let mut remade = Vec::new();
    for (path, file) in drawn {
        let folder = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        let old_card = |p: &str| {
            p.strip_prefix(folder).is_some_and(|name| {
                name.starts_with("share.") && name.ends_with(".png") && !name.contains('/')
            })
        };
        rendered.on_disk.retain(|(p, _)| !old_card(p));
        rendered.files.retain(|f| !old_card(&f.path));
        remade.push(Remade {
            path: path.clone(),
            why: "the share card of a page whose title changed".into(),
        });
        rendered.on_disk.push((path, file));
    }
    remade
}

/// The edited files, for the reasons `serve --timings` gives.
fn file_list(edited: &[(BodyOf, String)]) -> String {
    let files: Vec<&str> = edited.iter().map(|(_, f)| f.as_str()).collect();
    files.join(", ")
}

/// Puts `file` in place of the file at its path, which the site must have.
fn replace(rendered: &mut RenderedSite, file: OutputFile) -> Result<(), Refusal> {
    replace_changed(rendered, file).map(|_| ())
}

/// Puts `file` in place of the file at its path, which the site must have, unless it
/// is the same; whether it changed.
fn replace_changed(rendered: &mut RenderedSite, file: OutputFile) -> Result<bool, Refusal> {
    let slot = (rendered.files.iter_mut())
        .find(|f| f.path == file.path)
        .ok_or_else(|| format!("{} is a new file", file.path))?;
    let changed = slot.contents != file.contents;
    if changed {
        *slot = file;
    }
    Ok(changed)
}

/// Replaces every language's search index by `index`, made again because an edit
/// would open or empty a shard.
fn search_index(
    site: &Site,
    routes: &Routes,
    rendered: &mut RenderedSite,
    index: Vec<OutputFile>,
    why: String,
) -> Remade {
    let folders: Vec<String> = (site.config.languages.iter())
        .map(|l| Routes::file(&routes.search_file(l, "")))
        .map(|f| f.trim_end_matches("index.html").to_owned())
        .collect();
    let statics: std::collections::HashSet<&str> = (site.static_files.iter())
        .chain(&site.theme.static_files)
        .map(|f| f.output_path.as_str())
        .collect();
    rendered.files.retain(|f| {
        statics.contains(f.path.as_str())
            || !(f.path.ends_with(".json") && folders.iter().any(|d| f.path.starts_with(d)))
    });
    let remade = Remade {
        path: format!("{} ({} files)", folders.join(", "), index.len()),
        why,
    };
    rendered.files.extend(index);
    remade
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_data_patched_in_place_equals_open_data_made_again() {
        let mut site = crate::render::pages::tests::fixture_site("spec-site");
        let routes = Routes::of_site(&site.config);
        let files = super::super::api::release_files(&site, &routes);
        let rendered = RenderedSite {
            files: files.clone(),
            ..RenderedSite::default()
        };
        for id in (0..site.releases.len()).map(ReleaseId) {
            let r = &mut site.releases[id.0];
            let before = Shown {
                title: r.title.base.clone(),
                summary: r.summary.base.clone(),
            };
            // Long enough to be folded in the calendar, with characters it escapes.
            r.title.base = format!(
                "{}; neu, mit \"Zeichen\" und Umbruch: {}",
                r.title.base,
                "x".repeat(80)
            );
            r.summary.base = None;
            let patched = patched_open_data(&site, &routes, &rendered, &[(id, &before)])
                .expect("each record and event found by its old text");
            let again = super::super::api::release_files(&site, &routes);
            assert_eq!(patched.len(), again.len());
            for (p, a) in patched.iter().zip(&again) {
                assert_eq!(p.path, a.path);
                assert_eq!(
                    std::str::from_utf8(&p.contents),
                    std::str::from_utf8(&a.contents),
                    "{}",
                    p.path
                );
                let old = files.iter().find(|f| f.path == p.path).expect("same files");
                assert_ne!(old.contents, p.contents, "{} shows the edit", p.path);
            }
            let r = &mut site.releases[id.0];
            (r.title.base, r.summary.base) = (before.title, before.summary);
        }
    }
}
