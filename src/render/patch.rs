//! A patch render for `serve`: after an edit of release texts only (the front matter
//! as it was, so the model is the last one with new bodies), only what shows those
//! texts is made again and put in place in the last rendered site. What reads a
//! release's text (the dependency list is in ARCHITECTURE.md): its bodies in every
//! language, its page and press kit in every language, the site's feed when it is
//! among the newest, the search index when its first words changed, and the link
//! check of the pages made again. Anything that would reach further (changed heading
//! ids, a diagnostic) refuses the patch, and the session renders the whole site.

use super::pages::{LangViews, Renderer};
use super::search::EditedText;
use super::{Bodies, KitSink, OutputFile, RenderCache, RenderStats, RenderedSite, Routes};
use crate::model::{ReleaseId, Site};
use crate::timings::Timings;

/// Why a patch was refused: said by `serve --timings` before the full rebuild.
pub(crate) type Refusal = std::borrow::Cow<'static, str>;

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

/// Makes again what shows the texts of `edited` (each release with the file that
/// changed) in `rendered`, the last complete render of the site before the edit, which
/// `site` is with the new texts. On `Err` the caller renders the whole site: `cache`
/// then has no kept render, and `rendered` may be half patched.
pub(crate) fn edited_texts(
    site: &Site,
    cache: &mut RenderCache,
    rendered: &mut RenderedSite,
    edited: &[(ReleaseId, String)],
    (kits, check_links): (Option<KitSink>, bool),
) -> Result<(RenderStats, Vec<Remade>), Refusal> {
    let mut kept = cache.kept.take().ok_or("no complete render to patch")?;
    let mut timings = Timings::default();
    let routes = Routes::of_site(&site.config);
    let languages = super::languages(site);
    let before: Vec<Vec<std::sync::Arc<str>>> = (edited.iter())
        .map(|(r, _)| {
            kept.bodies
                .releases
                .iter()
                .map(|l| l[r.0].clone())
                .collect()
        })
        .collect();
    let ids: Vec<usize> = edited.iter().map(|(r, _)| r.0).collect();
    timings.time("markdown", || {
        (kept.bodies).rerender_releases((site, &routes, &languages), &ids, &mut cache.bodies)
    })?;
    let pages_took = std::time::Instant::now();
    let shared = Renderer::kept_views(&languages, std::mem::take(&mut kept.langs), &cache.pages);
    let renderer = Renderer::new(
        site,
        &routes,
        &kept.tera,
        &kept.bodies,
        shared,
        (true, kits),
    );
    let made = super::templates::on_render_threads(|| renderer.render_edited(edited, check_links));
    let (fresh, langs, mut stats) = renderer.into_leftovers();
    let made = made.map_err(|_| "a page of the edited release failed to render")?;
    timings.stages.push(("pages", pages_took.elapsed()));
    let (paths, mut remade) = put_in_place(rendered, made, edited)?;
    // The texts whose first words, which the search index reads, changed.
    let texts: Vec<EditedText> = (edited.iter().zip(&before))
        .flat_map(|((r, _), before)| {
            let after = kept.bodies.releases.iter().map(|l| &*l[r.0]);
            (before.iter().zip(after).enumerate())
                .filter(|(_, (b, a))| !super::search::same_words(b, a))
                .map(|(lang, (before, after))| EditedText {
                    release: *r,
                    lang,
                    before,
                    after,
                })
        })
        .collect();
    if !texts.is_empty() {
        let patched = timings.time("search index", || {
            super::search::patched_files(site, &routes, &languages, rendered, &texts)
        });
        match patched {
            Some(files) => {
                let why = format!("first words of {}", file_list(edited));
                for file in files {
                    remade.push(Remade {
                        path: file.path.clone(),
                        why: why.clone(),
                    });
                    replace(rendered, file)?;
                }
            }
            None => {
                let index = timings.time("search index", || {
                    super::search::files(site, &routes, &languages, &kept.bodies)
                });
                remade.push(search_index(site, &routes, rendered, index, edited));
            }
        }
    }
    if check_links {
        let broken = timings.time("link check", || {
            crate::linkcheck::check_pages(rendered, &site.theme, &paths)
        });
        if !broken.is_empty() {
            return Err("a link of a page made again is broken (a diagnostic)".into());
        }
    }
    cache.pages.merge(fresh);
    kept.langs = langs;
    cache.kept = Some(kept);
    stats.timings = timings;
    Ok((stats, remade))
}

/// Puts a patch render's pages and press kits in place of the last site's, with their
/// links and content files; refused when a page's ids changed (other pages' anchors
/// point at them) or a file or share card is new. The paths of the pages, and what was
/// made again.
fn put_in_place(
    rendered: &mut RenderedSite,
    made: super::pages::PatchedPages,
    edited: &[(ReleaseId, String)],
) -> Result<(Vec<String>, Vec<Remade>), Refusal> {
    let files: Vec<&str> = edited.iter().map(|(_, f)| f.as_str()).collect();
    let files = files.join(", ");
    let mut remade = Vec::new();
    let mut paths = Vec::new();
    for page in made.pages {
        let old = rendered.links.get(&page.file.path);
        if let (Some(old), Some(new)) = (old, &page.links)
            && !old.ids().eq(new.ids())
        {
            return Err(format!("the ids of {} changed", page.file.path).into());
        }
        replace(rendered, page.file.clone())?;
        if let Some(links) = page.links {
            rendered.links.insert(page.file.path.clone(), links);
        }
        if let Some(source) = page.source {
            rendered.sources.insert(page.file.path.clone(), source);
        }
        paths.push(page.file.path.clone());
        remade.push(Remade {
            path: page.file.path,
            why: page.why,
        });
    }
    for kit in made.kits {
        let why = format!("press kit with the text of {files}");
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
    for card in &made.cards {
        let known = |path: &str| {
            (rendered.files.iter().any(|f| f.path == path))
                || rendered.on_disk.iter().any(|(p, _)| p == path)
        };
        if !known(&card.path) {
            return Err(format!("the share card {} is new", card.path).into());
        }
    }
    Ok((paths, remade))
}

/// The edited files, for the reasons `serve --timings` gives.
fn file_list(edited: &[(ReleaseId, String)]) -> String {
    let files: Vec<&str> = edited.iter().map(|(_, f)| f.as_str()).collect();
    files.join(", ")
}

/// Puts `file` in place of the file at its path, which the site must have.
fn replace(rendered: &mut RenderedSite, file: OutputFile) -> Result<(), Refusal> {
    let slot = (rendered.files.iter_mut())
        .find(|f| f.path == file.path)
        .ok_or_else(|| format!("{} is a new file", file.path))?;
    *slot = file;
    Ok(())
}

/// Replaces every language's search index by `index`, made again because an edited
/// text's first words changed.
fn search_index(
    site: &Site,
    routes: &Routes,
    rendered: &mut RenderedSite,
    index: Vec<OutputFile>,
    edited: &[(ReleaseId, String)],
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
        why: format!("first words of {}", file_list(edited)),
    };
    rendered.files.extend(index);
    remade
}
