//! Watching the site's sources: notify with notify-debouncer-full, so the many events
//! of one editor save (write to a temporary file, rename over the original, touch
//! metadata; or delete and re-create) arrive as one batch and cause one rebuild.

use notify::event::{MetadataKind, ModifyKind};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdMap, RecommendedCache, new_debouncer, new_debouncer_opt,
};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// How long the debouncer waits for more events of the same save.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// A running watcher; dropping it stops watching.
pub enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, FileIdMap>),
}

/// Watches `content/` and `themes/` under `root`; batches of relevant changed paths
/// arrive on the returned channel. `poll` uses a polling watcher (network and
/// container file systems without change events).
pub fn watch(
    root: &Path,
    output: &Path,
    poll: bool,
) -> anyhow::Result<(Watcher, Receiver<Vec<PathBuf>>)> {
    let (tx, rx) = channel::<Vec<PathBuf>>();
    let filter = Relevance::new(root, output);
    let handler = move |result: DebounceEventResult| {
        if let Ok(events) = result {
            let paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| changes_content(&e.kind))
                .flat_map(|e| e.paths.iter())
                .filter(|p| filter.matters(p))
                .cloned()
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
    };
    let mut watcher = if poll {
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(250))
            // mtimes are compared in whole seconds; two saves within one would be missed.
            .with_compare_contents(true);
        Watcher::Poll(new_debouncer_opt::<_, PollWatcher, FileIdMap>(
            DEBOUNCE,
            None,
            handler,
            FileIdMap::new(),
            config,
        )?)
    } else {
        Watcher::Native(new_debouncer(DEBOUNCE, None, handler)?)
    };
    for dir in [root.join("content"), root.join("themes")] {
        if dir.is_dir() {
            match &mut watcher {
                Watcher::Native(d) => d.watch(&dir, RecursiveMode::Recursive)?,
                Watcher::Poll(d) => d.watch(&dir, RecursiveMode::Recursive)?,
            }
        }
    }
    Ok((watcher, rx))
}

/// Whether an event can change what a file holds; reading files (as the rebuild does)
/// gives access events, which must not trigger another rebuild.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(_) | EventKind::Other => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
    }
}

/// Waits for the next batch and swallows the batches that follow within `settle`, so a
/// burst of saves (an editor's "save all", a `git checkout`) gives one rebuild.
pub fn next_burst(rx: &Receiver<Vec<PathBuf>>, settle: Duration) -> Option<Vec<PathBuf>> {
    let mut paths = rx.recv().ok()?;
    loop {
        match rx.recv_timeout(settle) {
            Ok(more) => paths.extend(more),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    paths.sort();
    paths.dedup();
    Some(paths)
}

/// Which changed paths can change the site.
struct Relevance {
    output: PathBuf,
}

impl Relevance {
    fn new(root: &Path, output: &Path) -> Self {
        let output = if output.is_absolute() {
            output.to_path_buf()
        } else {
            root.join(output)
        };
        Self {
            output: output.canonicalize().unwrap_or(output),
        }
    }

    fn matters(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) {
            return false;
        }
        let in_hidden_dir = path.components().any(|c| {
            let s = c.as_os_str().to_string_lossy();
            s == ".git" || s == ".hg" || s == ".svn" || s.starts_with(".public.partnerpress-")
        });
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        !in_hidden_dir && !crate::content::is_editor_temporary(&name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::is_editor_temporary;

    #[test]
    fn editor_temporaries_are_not_changes() {
        for name in [
            "4913",
            ".x.md.swp",
            "x.md~",
            ".#x.md",
            "#x.md#",
            "x.md___jb_tmp___",
            "x.md.tmp",
            ".x.md.tmp.1234",
        ] {
            assert!(is_editor_temporary(name), "{name}");
        }
        for name in ["x.md", "site.yaml", "style.css", "2024-07-23-x.en.md"] {
            assert!(!is_editor_temporary(name), "{name}");
        }
    }

    #[test]
    fn output_and_vcs_folders_are_ignored() {
        let r = Relevance::new(Path::new("/site"), Path::new("/site/public"));
        assert!(!r.matters(Path::new("/site/public/index.html")));
        assert!(!r.matters(Path::new("/site/content/.git/HEAD")));
        assert!(r.matters(Path::new("/site/content/news/2024-07-23-x.md")));
    }
}
