//! Watching the site's sources: notify with notify-debouncer-full, so the many events
//! of one editor save (write to a temporary file, rename over the original, touch
//! metadata; or delete and re-create) arrive as one batch and cause one rebuild.

use file_id::FileId;
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

/// How often a polling watcher checks whether `content/` or `themes/` is another folder
/// than the one it watches ([`Watcher::replaced`]).
const FOLDER_CHECK: Duration = Duration::from_secs(1);

/// A running watcher; dropping it stops watching.
pub(crate) struct Watcher {
    backend: Backend,
    /// `content/` and `themes/`, each with the identity it had when it was watched.
    folders: Vec<Watched>,
}

enum Backend {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, FileIdMap>),
}

struct Watched {
    path: PathBuf,
    /// `None` while the folder does not exist (or is not a folder).
    id: Option<FileId>,
}

/// Watches `content/` and `themes/` under `root`, and `root` itself without its
/// subfolders, so that [`Watcher::refresh`] learns when either folder appears, goes or
/// is replaced. Batches of relevant changed paths arrive on the returned channel.
/// `poll` uses a polling watcher (network and container file systems without change
/// events).
pub(crate) fn watch(
    root: &Path,
    output: &Path,
    poll: bool,
) -> anyhow::Result<(Watcher, Receiver<Vec<PathBuf>>)> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let sources = [root.join("content"), root.join("themes")];
    let (tx, rx) = channel::<Vec<PathBuf>>();
    let filter = Relevance::new(&root, output);
    let rescan = sources.to_vec();
    let handler = move |result: DebounceEventResult| {
        if let Ok(events) = result {
            let mut paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| changes_content(&e.kind))
                .flat_map(|e| e.paths.iter())
                .filter(|p| filter.matters(p))
                .cloned()
                .collect();
            // Events were lost (the kernel's queue overflowed): anything may have changed.
            if events.iter().any(|e| e.need_rescan()) {
                paths.extend(rescan.iter().cloned());
            }
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
    };
    let backend = if poll {
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(250))
            // mtimes are compared in whole seconds; two saves within one would be missed.
            .with_compare_contents(true);
        Backend::Poll(new_debouncer_opt::<_, PollWatcher, FileIdMap>(
            DEBOUNCE,
            None,
            handler,
            FileIdMap::new(),
            config,
        )?)
    } else {
        Backend::Native(new_debouncer(DEBOUNCE, None, handler)?)
    };
    let mut watcher = Watcher {
        backend,
        folders: sources
            .into_iter()
            .map(|path| Watched { path, id: None })
            .collect(),
    };
    watcher.backend.watch(&root, RecursiveMode::NonRecursive)?;
    watcher.refresh(&[])?;
    Ok((watcher, rx))
}

impl Watcher {
    /// `content/` and `themes/` where another folder (or none) is than the one watched.
    /// notify's poller compares a folder's modification time in whole seconds, so a
    /// folder deleted and restored (by a sync tool, a script, a test) within a second
    /// may show it no event at all; once [`Watcher::refresh`] saw it gone, nothing was
    /// watched there any more, and no edit was seen again.
    pub(crate) fn replaced(&self) -> Vec<PathBuf> {
        (self.folders.iter())
            .filter(|folder| folder_id(&folder.path) != folder.id)
            .map(|folder| folder.path.clone())
            .collect()
    }

    /// Call after each batch, before rebuilding. Watches `content/` or `themes/` anew
    /// when it appeared or was replaced by another folder (deleted and restored, a sync
    /// tool, `git checkout`), and with native events also when the batch names the
    /// folder itself: notify drops the watch of a folder that is renamed away, and it
    /// is the same folder when it is renamed back. Without this, edits after such a
    /// change were never seen again.
    pub(crate) fn refresh(&mut self, changed: &[PathBuf]) -> notify::Result<()> {
        let native = matches!(self.backend, Backend::Native(_));
        for folder in &mut self.folders {
            let id = folder_id(&folder.path);
            let named = native && changed.contains(&folder.path);
            if id == folder.id && !named {
                continue;
            }
            if folder.id.is_some() {
                // Already gone when notify saw the folder deleted or renamed away.
                let _ = self.backend.unwatch(&folder.path);
            }
            if id.is_some() {
                self.backend.watch(&folder.path, RecursiveMode::Recursive)?;
            }
            folder.id = id;
        }
        Ok(())
    }
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Self::Native(d) => d.watch(path, mode),
            Self::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Self::Native(d) => d.unwatch(path),
            Self::Poll(d) => d.unwatch(path),
        }
    }
}

/// The identity of the folder at `path`; `None` when there is none.
fn folder_id(path: &Path) -> Option<FileId> {
    file_id::get_file_id(path).ok().filter(|_| path.is_dir())
}

/// Waits for the next burst of changes ([`next_burst`]). A polling watcher also checks
/// every second whether `content/` or `themes/` was replaced without an event
/// ([`Watcher::replaced`]), and gives such a folder as the change.
pub(crate) fn next_change(
    watcher: &Watcher,
    rx: &Receiver<Vec<PathBuf>>,
    settle: Duration,
) -> Option<Vec<PathBuf>> {
    if matches!(watcher.backend, Backend::Native(_)) {
        return next_burst(rx, settle);
    }
    loop {
        match rx.recv_timeout(FOLDER_CHECK) {
            Ok(first) => return Some(burst(first, rx, settle)),
            Err(RecvTimeoutError::Disconnected) => return None,
            Err(RecvTimeoutError::Timeout) => {
                let replaced = watcher.replaced();
                if !replaced.is_empty() {
                    return Some(replaced);
                }
            }
        }
    }
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
fn next_burst(rx: &Receiver<Vec<PathBuf>>, settle: Duration) -> Option<Vec<PathBuf>> {
    Some(burst(rx.recv().ok()?, rx, settle))
}

/// `paths` and the batches that follow within `settle`, sorted, each path once.
fn burst(mut paths: Vec<PathBuf>, rx: &Receiver<Vec<PathBuf>>, settle: Duration) -> Vec<PathBuf> {
    loop {
        match rx.recv_timeout(settle) {
            Ok(more) => paths.extend(more),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    paths.sort();
    paths.dedup();
    paths
}

/// Which changed paths can change the site: those in `content/` and `themes/` (the
/// root is watched too, for the folders themselves), except the output, version
/// control folders and editor temporaries.
struct Relevance {
    sources: [PathBuf; 2],
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
            sources: [root.join("content"), root.join("themes")],
            output: output.canonicalize().unwrap_or(output),
        }
    }

    fn matters(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) || !self.sources.iter().any(|s| path.starts_with(s)) {
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
    fn a_polling_watcher_finds_content_replaced_without_an_event() {
        let site = tempfile::tempdir().expect("temporary folder");
        let root = site.path().canonicalize().expect("canonical path");
        let content = root.join("content");
        std::fs::create_dir(&content).expect("create content/");
        std::fs::write(content.join("site.yaml"), "title: Newsroom\n").expect("write");
        let (watcher, changes) = watch(&root, &root.join("public"), true).expect("watch");
        assert!(watcher.replaced().is_empty());
        std::fs::rename(&content, root.join("content.old")).expect("move content/ away");
        std::fs::create_dir(&content).expect("create content/ again");
        assert_eq!(watcher.replaced(), vec![content.clone()]);
        // From the check, or from the poller's events when it happened to see the change.
        let changed = next_change(&watcher, &changes, Duration::from_millis(50));
        assert!(
            changed
                .as_ref()
                .is_some_and(|c| c.iter().all(|p| p.starts_with(&content))),
            "{changed:?}"
        );
    }

    #[test]
    fn output_and_vcs_folders_are_ignored() {
        let r = Relevance::new(Path::new("/site"), Path::new("/site/public"));
        assert!(!r.matters(Path::new("/site/public/index.html")));
        assert!(!r.matters(Path::new("/site/README.md")));
        assert!(!r.matters(Path::new("/site/.public.partnerpress-new-1")));
        assert!(r.matters(Path::new("/site/content")));
        assert!(r.matters(Path::new("/site/themes/default/templates/base.html")));
        assert!(!r.matters(Path::new("/site/content/.git/HEAD")));
        assert!(r.matters(Path::new("/site/content/news/2024-07-23-x.md")));
        assert!(r.matters(Path::new("/site/content/media/2025/foto.jpg")));
        assert!(!r.matters(Path::new("/site/.partnerpress/cache/media/ab/cd")));
    }
}
