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
    /// Call after each batch, before rebuilding. Watches `content/` or `themes/` anew
    /// when it appeared or was replaced by another folder (deleted and restored, a sync
    /// tool, `git checkout`), and with native events also when the batch names the
    /// folder itself: notify drops the watch of a folder that is renamed away, and it
    /// is the same folder when it is renamed back. Without this, edits after such a
    /// change were never seen again.
    pub(crate) fn refresh(&mut self, changed: &[PathBuf]) -> notify::Result<()> {
        let native = matches!(self.backend, Backend::Native(_));
        for folder in &mut self.folders {
            let id = file_id::get_file_id(&folder.path)
                .ok()
                .filter(|_| folder.path.is_dir());
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
pub(crate) fn next_burst(rx: &Receiver<Vec<PathBuf>>, settle: Duration) -> Option<Vec<PathBuf>> {
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
