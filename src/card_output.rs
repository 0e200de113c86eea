//! The build's share-card step, after the render: each card the pages link to made
//! into a PNG (in parallel, through `media::derived_cache`, so a warm build draws only
//! changed cards) and linked into the staging folder (`build`) or read into memory
//! (`serve`). `check` makes none: the link check knows their paths from the render.

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
    /// Every card: with its bytes without a staging folder (`serve`), else only its path.
    pub(crate) files: Vec<OutputFile>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Cards drawn in this run, and taken from the cache.
    pub(crate) drawn: usize,
    pub(crate) reused: usize,
}

/// Makes every card of `cards` (or finds it in the cache) and hands it on: into
/// `staging` when given, else into [`CardOutput::files`]. A build that made every
/// card removes the cache's unused ones.
pub(crate) fn publish(root: &Path, cards: &[Card], staging: Option<&Staging>) -> CardOutput {
    let cache = DerivedCache::open(root, Derived::Card);
    let results: Vec<Result<(OutputFile, bool), Diagnostic>> = cards
        .par_iter()
        .map(|card| {
            let draw = || cards::png(&card.svg()).map_err(std::io::Error::other);
            let cached = cache
                .get_or_make(&card.hash, draw)
                .map_err(|e| cache_error(card, &e))?;
            let (from, drawn) = (cached.path, cached.made);
            let file = match staging {
                Some(staging) => {
                    staging.link_file(&card.path, &from);
                    OutputFile {
                        path: card.path.clone(),
                        contents: bytes::Bytes::new(),
                    }
                }
                None => OutputFile {
                    path: card.path.clone(),
                    contents: std::fs::read(&from)
                        .map_err(|e| cache_error(card, &e))?
                        .into(),
                },
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
                output.files.push(file);
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

fn cache_error(card: &Card, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::Io,
        format!("<output>/{}", card.path),
        format!("cannot make the share card (.partnerpress/cache/cards/): {e}"),
    )
    .with_help("check the disk space and the permissions of the site folder")
}
