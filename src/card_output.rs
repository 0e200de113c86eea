//! The build's share-card step, after the render: each card the pages link to made
//! into a PNG (in parallel, through `media::derived_cache`, so a warm build draws only
//! changed cards) and linked into the staging folder (`build`), or named by their
//! place in the cache for `serve`, which reads a card when it is asked for (11,427
//! cards of 31 KB were a quarter of a 10,000-release preview's memory). `check` makes none: the link check knows their paths from the render.

use crate::diagnostics::{Code, Diagnostic};
use crate::media::derived_cache::{Derived, DerivedCache};
use crate::output::Staging;
use crate::render::OutputFile;
use crate::render::cards::{self, Card};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;

/// What the card step made.
#[derive(Debug, Default)]
pub(crate) struct CardOutput {
    /// Every card linked into the staging folder (a build), only its path.
    pub(crate) files: Vec<OutputFile>,
    /// Without a staging folder (`serve`): every card's output path and its cache file.
    pub(crate) on_disk: Vec<(String, std::path::PathBuf)>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Cards drawn in this run, and taken from the cache.
    pub(crate) drawn: usize,
    pub(crate) reused: usize,
}

/// Makes every card of `cards` (or finds it in the cache) and hands it on: into
/// `staging` when given (listed in [`CardOutput::files`]), else named in
/// [`CardOutput::on_disk`]. A build that made every
/// card removes the cache's unused ones.
pub(crate) fn publish(root: &Path, cards: &[Card], staging: Option<&Staging>) -> CardOutput {
    let cache = DerivedCache::open(root, Derived::Card);
    let results: Vec<Result<(Made, bool), Diagnostic>> = cards
        .par_iter()
        .map(|card| {
            let draw = || cards::png(&card.svg()).map_err(std::io::Error::other);
            let cached = cache
                .get_or_make(&card.hash, draw)
                .map_err(|e| cache_error(card, &e))?;
            let drawn = cached.made;
            let file = match staging {
                Some(staging) => {
                    match cache.handle() {
                        Some(folder) => staging.link_from(&card.path, folder, &cached.name),
                        None => staging.link_file(&card.path, &cached.path),
                    }
                    Made::Linked(OutputFile {
                        path: card.path.clone(),
                        contents: bytes::Bytes::new(),
                    })
                }
                None => Made::InCache(card.path.clone(), cached.path),
            };
            Ok((file, drawn))
        })
        .collect();
    let mut output = CardOutput::default();
    for result in results {
        match result {
            Ok((file, drawn)) => {
                output.drawn += usize::from(drawn);
                output.reused += usize::from(!drawn);
                match file {
                    Made::Linked(file) => output.files.push(file),
                    Made::InCache(path, from) => output.on_disk.push((path, from)),
                }
            }
            Err(d) => output.diagnostics.push(d),
        }
    }
    if output.diagnostics.is_empty() && staging.is_some() {
        let used: BTreeSet<&str> = cards.iter().map(|c| c.hash.as_str()).collect();
        // Cards no page links to any more; a failure only leaves them for later.
        let _ = cache.prune(&used);
    }
    output
}

/// One card made: linked into the staging folder, or where it is in the cache.
enum Made {
    Linked(OutputFile),
    InCache(String, std::path::PathBuf),
}

fn cache_error(card: &Card, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::Io,
        format!("<output>/{}", card.path),
        format!("cannot make the share card (.partnerpress/cache/cards/): {e}"),
    )
    .with_help("check the disk space and the permissions of the site folder")
}
