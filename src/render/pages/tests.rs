//! Test helpers: the renderer of a fixture site, built in-process.

use super::*;

/// Runs `f` with a renderer of the spec fixture (`tests/fixtures/spec-site`),
/// built in-process without writing anything.
pub(crate) fn with_spec_site(f: impl FnOnce(&Renderer)) {
    with_fixture("spec-site", f);
}

/// The model of `tests/fixtures/<name>`, loaded and resolved (at a fixed moment).
pub(crate) fn fixture_site(name: &str) -> Site {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let (raw, _) = crate::content::load(&root);
    let opts = crate::model::ResolveOptions {
        drafts: false,
        base_url: None,
        local_origin: None,
        now: "2026-11-30T11:00:00Z".parse().ok(),
    };
    let (site, diags) = crate::model::resolve(raw, &opts);
    site.unwrap_or_else(|| panic!("{diags:?}"))
}

/// The routes, languages and rendered bodies of `site`.
pub(crate) fn rendered_bodies(site: &Site) -> (Routes, Vec<Language>, Bodies) {
    let routes = Routes::of_site(&site.config);
    let languages = super::super::languages(site);
    let mut diags = Vec::new();
    let mut cache = super::super::BodyCache::default();
    let bodies = Bodies::render(site, &routes, &languages, &mut diags, &mut cache);
    (routes, languages, bodies)
}

/// Runs `f` with a renderer of `tests/fixtures/<name>`, loaded and resolved
/// in-process; nothing is rendered or written.
pub(crate) fn with_fixture(name: &str, f: impl FnOnce(&Renderer)) {
    let site = fixture_site(name);
    let (routes, languages, bodies) = rendered_bodies(&site);
    let tera = Tera::default();
    let cache = PageCache::default();
    let shared = Renderer::shared_views(&site, &routes, &languages, &cache);
    let renderer = Renderer::new(&site, &routes, &tera, &bodies, shared, (false, None));
    f(&renderer);
}
