//! Why a rebuild made a page again, for `--timings`: the release whose card or
//! timeline item the page shows differently, or one it now shows or no longer shows,
//! found by comparing the page's shared values with the previous build's.

use super::kind::Job;
use super::shared::LangViews;
use super::{CachedPage, Renderer, fingerprint::Shows};
use crate::content::SourceFile;
use crate::model::Site;
use std::path::Path;
use std::sync::Arc;

/// The releases of the previous build (by their files, shared with its model) and per
/// language what each one's card and timeline items hashed to.
#[derive(Debug, Default)]
pub(super) struct ShownBefore {
    files: Vec<Arc<SourceFile>>,
    by_lang: Vec<Vec<u128>>,
}

impl ShownBefore {
    pub(super) fn of(site: &Site, langs: &[LangViews]) -> Self {
        ShownBefore {
            files: (site.releases.iter())
                .map(|r| r.body.base.source.clone())
                .collect(),
            by_lang: langs.iter().map(|l| l.release_hashes.clone()).collect(),
        }
    }

    /// For each release of `site`, its number in the previous build (`None`: a new
    /// release): a new date or a new file renumbers the releases, whose numbers a
    /// cached page's [`Shows`] holds.
    pub(super) fn numbers_in(&self, site: &Site) -> Vec<Option<u32>> {
        let same = self.files.len() == site.releases.len()
            && (self.files.iter().zip(&site.releases)).all(|(f, r)| f.path == path_of(r));
        if same {
            return (0..site.releases.len())
                .map(|i| u32::try_from(i).ok())
                .collect();
        }
        let before: rustc_hash::FxHashMap<&Path, u32> = (self.files.iter().enumerate())
            .filter_map(|(i, f)| Some((f.path.as_path(), u32::try_from(i).ok()?)))
            .collect();
        (site.releases.iter())
            .map(|r| before.get(path_of(r)).copied())
            .collect()
    }

    /// Takes the hashes of a patch render's views (`render::patch`), whose releases'
    /// cards it made again.
    pub(in crate::render) fn note_patched(&mut self, langs: &[LangViews]) {
        self.by_lang = langs.iter().map(|l| l.release_hashes.clone()).collect();
    }
}

fn path_of(release: &crate::model::Release) -> &Path {
    &release.body.base.source.path
}

fn file_of(release: &crate::model::Release) -> String {
    path_of(release).display().to_string()
}

impl Renderer<'_> {
    /// Why the page `prev` was made again, now showing the releases `shows`.
    pub(super) fn why_remade(&self, prev: &CachedPage, shows: &Shows, job: Option<Job>) -> String {
        let generic = || "what it shows changed".to_owned();
        let Some(lang) = job.map(|j| j.lang().0) else {
            return generic();
        };
        let (Some(before), Some(now)) = (
            self.previous.shown.by_lang.get(lang),
            self.langs.get(lang).map(|l| &l.release_hashes),
        ) else {
            return generic();
        };
        let numbers =
            (self.previous_numbers).get_or_init(|| self.previous.shown.numbers_in(self.site));
        let then = |r: u32| numbers.get(r as usize).copied().flatten();
        let showed = |p: u32| prev.shows.binary_search(&p).is_ok();
        let hash = |hashes: &[u128], r: u32| hashes.get(r as usize).copied();
        let changed: Vec<u32> = (shows.iter().copied())
            .filter(|&r| then(r).is_some_and(|p| showed(p) && hash(before, p) != hash(now, r)))
            .collect();
        let entered: Vec<u32> = (shows.iter().copied())
            .filter(|&r| !then(r).is_some_and(showed))
            .collect();
        let mut still: Vec<u32> = shows.iter().filter_map(|&r| then(r)).collect();
        still.sort_unstable();
        let left: Vec<String> = (prev.shows.iter())
            .filter(|p| still.binary_search(p).is_err())
            .filter_map(|&p| self.previous.shown.files.get(p as usize))
            .map(|f| f.path.display().to_string())
            .collect();
        let name = |r: &u32| self.site.releases.get(*r as usize).map(file_of);
        let named = |rs: &[u32]| rs.iter().filter_map(name).collect::<Vec<_>>();
        if let Some(text) = naming(&named(&changed), "the card of", " changed") {
            return text;
        }
        if let Some(text) = naming(&named(&entered), "it now shows", "") {
            return text;
        }
        if let Some(text) = naming(&left, "it no longer shows", "") {
            return text;
        }
        match job.and_then(|j| match j {
            Job::Release { release, .. } => self.site.releases.get(release.0),
            _ => None,
        }) {
            Some(r) => format!("{} or a name it shows changed", file_of(r)),
            None => generic(),
        }
    }
}

/// "`lead` <first file> (and N more)`tail`", when there are files.
fn naming<S: AsRef<str>>(files: &[S], lead: &str, tail: &str) -> Option<String> {
    let first = files.first()?.as_ref();
    let more = match files.len() - 1 {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Some(format!("{lead} {first}{more}{tail}"))
}
