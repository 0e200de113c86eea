//! Caches of files the build derives from the site's text, one file per content hash,
//! written to a temporary name and renamed into place: share cards under
//! `<site root>/.partnerpress/cache/cards/` (the hash covers the renderer, the colours
//! and the text) and press kits under `…/kits/` (the hash covers the kit's inputs). A
//! warm build draws only the cards and zips only the kits that changed; both are
//! hard-linked into the output.
//!
//! A file is named `<hash>.<size>.<extension>`: the folder is listed once, and one
//! `stat` then tells whether a file is still whole. A file cut short or edited in place
//! through the output's hard link (its size changed) is made again.

use crate::output::folder::Folder;
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// What a cache holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derived {
    /// Share cards (PNG).
    Card,
    /// Press kits (ZIP).
    Kit,
}

impl Derived {
    /// The cache's folder under the site root.
    pub(crate) fn folder(self) -> &'static str {
        match self {
            Derived::Card => ".partnerpress/cache/cards",
            Derived::Kit => ".partnerpress/cache/kits",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Derived::Card => "png",
            Derived::Kit => "zip",
        }
    }
}

/// A file in a cache.
#[derive(Debug)]
pub(crate) struct Cached {
    pub(crate) path: PathBuf,
    /// Its name in the cache's folder.
    pub(crate) name: String,
    /// Its size in bytes.
    pub(crate) len: u64,
    /// Whether it was made in this call (else it was in the cache).
    pub(crate) made: bool,
}

/// One of the site's caches of derived files.
#[derive(Debug)]
pub(crate) struct DerivedCache {
    kind: Derived,
    folder: PathBuf,
    /// The size each hash's file had when it was written, read from the file names
    /// at the first lookup.
    listed: OnceLock<HashMap<String, u64>>,
    /// The folder, open once it was listed (when it exists): files are looked at and
    /// linked by their name in it.
    handle: OnceLock<Option<Folder>>,
}

/// The number of the next temporary file, for the whole process: two builds of one
/// site at once (a `serve` beside a `build`, tests) write the same hash's file under
/// different temporary names, so neither renames the other's away.
static NEXT_TEMPORARY: AtomicU64 = AtomicU64::new(0);

/// A temporary file younger than this may be another build's, still being written:
/// `prune` leaves it.
const TEMPORARY_IN_USE: std::time::Duration = std::time::Duration::from_secs(600);

impl DerivedCache {
    /// The cache of `kind` of the site at `site_root`; the folder is made with its
    /// first file.
    pub(crate) fn open(site_root: &Path, kind: Derived) -> Self {
        Self {
            kind,
            folder: site_root.join(kind.folder()),
            listed: OnceLock::new(),
            handle: OnceLock::new(),
        }
    }

    /// The cached file `hash`, made with `make` when it is missing or damaged (cut
    /// short, or edited through the output's hard link).
    pub(crate) fn get_or_make(
        &self,
        hash: &str,
        make: impl FnOnce() -> io::Result<Vec<u8>>,
    ) -> io::Result<Cached> {
        let listed = self.listed.get_or_init(|| self.list());
        if let Some(&len) = listed.get(hash) {
            let name = self.name(hash, len);
            let found = match self.handle() {
                Some(folder) => folder.file_len(&name),
                None => (fs::metadata(self.folder.join(&name)).ok())
                    .and_then(|m| m.is_file().then_some(m.len())),
            };
            if found == Some(len) {
                return Ok(Cached {
                    path: self.folder.join(&name),
                    name,
                    len,
                    made: false,
                });
            }
            // Damaged: the new file gets its own name (the size may differ).
            let _ = fs::remove_file(self.folder.join(&name));
        }
        let bytes = make()?;
        fs::create_dir_all(&self.folder)?;
        let n = NEXT_TEMPORARY.fetch_add(1, Ordering::Relaxed);
        let temporary = self
            .folder
            .join(format!(".{hash}.{}.{n}.tmp", std::process::id()));
        let len = bytes.len() as u64;
        let name = self.name(hash, len);
        let path = self.folder.join(&name);
        fs::write(&temporary, &bytes)?;
        fs::rename(&temporary, &path)?;
        Ok(Cached {
            path,
            name,
            len,
            made: true,
        })
    }

    fn name(&self, hash: &str, len: u64) -> String {
        format!("{hash}.{len}.{}", self.kind.extension())
    }

    /// The open folder, once it was listed; `None` where it could not be opened (or
    /// did not exist then).
    pub(crate) fn handle(&self) -> Option<&Folder> {
        self.handle
            .get_or_init(|| Folder::open(&self.folder).ok())
            .as_ref()
    }

    /// The folder's files by hash, with the size their names record.
    fn list(&self) -> HashMap<String, u64> {
        let Ok(entries) = fs::read_dir(&self.folder) else {
            return HashMap::new();
        };
        entries
            .filter_map(|entry| {
                let name = entry.ok()?.file_name();
                let (hash, len) = self.parse(name.to_str()?)?;
                Some((hash.to_owned(), len))
            })
            .collect()
    }

    /// `<hash>.<size>.<extension>` → the hash and the size; `None` for temporary and
    /// other files.
    fn parse<'n>(&self, name: &'n str) -> Option<(&'n str, u64)> {
        let stem = name
            .strip_suffix(self.kind.extension())?
            .strip_suffix('.')?;
        let (hash, len) = stem.rsplit_once('.')?;
        let len = len.parse().ok()?;
        (!hash.is_empty() && !hash.starts_with('.')).then_some((hash, len))
    }

    /// Removes every file not in `used` (and leftover temporary files, not those of the
    /// last ten minutes, which another build may be writing); returns how many were
    /// removed. Call it after a build that made every file of its kind.
    pub(crate) fn prune(&self, used: &BTreeSet<&str>) -> io::Result<usize> {
        let entries = match fs::read_dir(&self.folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let hash = name.to_str().and_then(|n| self.parse(n)).map(|(h, _)| h);
            let writing = name.to_str().is_some_and(|n| n.ends_with(".tmp"))
                && (entry.metadata().ok())
                    .and_then(|m| m.modified().ok())
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age < TEMPORARY_IN_USE);
            if !writing && hash.is_none_or(|h| !used.contains(h)) {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_made_once_and_a_damaged_one_again() {
        let root = tempfile::tempdir().unwrap();
        let open = || DerivedCache::open(root.path(), Derived::Card);
        let png = || Ok(b"\x89PNG\r\n\x1a\n drawing".to_vec());
        let first = open().get_or_make("ab", png).unwrap();
        assert!(first.made && first.path.ends_with("cards/ab.16.png"));
        assert!(!open().get_or_make("ab", png).unwrap().made);
        fs::write(&first.path, b"\x89PNG\r\n\x1a\ncut").unwrap();
        assert!(open().get_or_make("ab", png).unwrap().made);
        let cache = open();
        assert_eq!(cache.prune(&BTreeSet::from(["ab"])).unwrap(), 0);
        assert_eq!(cache.prune(&BTreeSet::new()).unwrap(), 1);
    }

    #[test]
    fn a_kit_cut_short_is_made_again() {
        let root = tempfile::tempdir().unwrap();
        let open = || DerivedCache::open(root.path(), Derived::Kit);
        let zip = || Ok(b"PK\x03\x04 entries PK\x05\x06".to_vec());
        let first = open().get_or_make("cd", zip).unwrap();
        assert!(first.made && first.path.ends_with(".partnerpress/cache/kits/cd.17.zip"));
        let again = open().get_or_make("cd", zip).unwrap();
        assert!(!again.made && again.len == first.len && again.path == first.path);
        let mut cut = fs::read(&first.path).unwrap();
        cut.truncate(cut.len() - 5);
        fs::write(&first.path, cut).unwrap();
        let remade = open().get_or_make("cd", zip).unwrap();
        assert!(remade.made && fs::read(&remade.path).unwrap().len() == 17);
    }

    #[test]
    fn two_builds_of_one_site_make_the_same_file_at_once() {
        let root = tempfile::tempdir().unwrap();
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    let cache = DerivedCache::open(root.path(), Derived::Kit);
                    let zip = || Ok(b"PK\x03\x04 same kit PK\x05\x06".to_vec());
                    let made = cache
                        .get_or_make("ef", zip)
                        .expect("each build gets the kit");
                    assert_eq!(fs::read(&made.path).unwrap().len(), 18);
                });
            }
        });
    }

    #[test]
    fn pruning_leaves_a_temporary_file_another_build_may_be_writing() {
        let root = tempfile::tempdir().unwrap();
        let cache = DerivedCache::open(root.path(), Derived::Card);
        let png = || Ok(b"\x89PNG\r\n\x1a\n drawing".to_vec());
        cache.get_or_make("ab", png).unwrap();
        let folder = root.path().join(Derived::Card.folder());
        let (fresh, old) = (folder.join(".cd.1.0.tmp"), folder.join(".ef.1.1.tmp"));
        fs::write(&fresh, b"half").unwrap();
        fs::write(&old, b"left").unwrap();
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
        assert_eq!(cache.prune(&BTreeSet::from(["ab"])).unwrap(), 1);
        assert!(fresh.exists() && !old.exists());
    }
}
