//! Caches of files the build derives from the site's text, one file per content hash,
//! written to a temporary name and renamed into place: share cards under
//! `<site root>/.partnerpress/cache/cards/<hash>.png` (the hash covers the renderer and
//! the SVG) and press kits under `…/kits/<hash>.zip` (the hash covers the kit's
//! entries). A warm build draws only the cards and zips only the kits that changed;
//! both are hard-linked into the output.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The last 12 bytes of every PNG: the empty `IEND` chunk with its CRC.
const PNG_END: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];

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

    /// The file's first bytes, and its last ones: a file cut short or edited in place
    /// (through the output's hard link) rarely keeps both.
    fn ends(self) -> (&'static [u8], &'static [u8]) {
        match self {
            Derived::Card => (b"\x89PNG\r\n\x1a\n", &PNG_END),
            // A local file header first; the end of central directory record (without
            // a comment, as `kit_output` writes it) 22 bytes before the end.
            Derived::Kit => (b"PK\x03\x04", b"PK\x05\x06"),
        }
    }
}

/// A file in a cache.
#[derive(Debug)]
pub(crate) struct Cached {
    pub(crate) path: PathBuf,
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
    next_temporary: AtomicU64,
}

impl DerivedCache {
    /// The cache of `kind` of the site at `site_root`; the folder is made with its
    /// first file.
    pub(crate) fn open(site_root: &Path, kind: Derived) -> Self {
        Self {
            kind,
            folder: site_root.join(kind.folder()),
            next_temporary: AtomicU64::new(0),
        }
    }

    /// The cached file `hash`, made with `make` when it is missing or damaged (cut
    /// short, or edited through the output's hard link).
    pub(crate) fn get_or_make(
        &self,
        hash: &str,
        make: impl FnOnce() -> io::Result<Vec<u8>>,
    ) -> io::Result<Cached> {
        let path = self
            .folder
            .join(format!("{hash}.{}", self.kind.extension()));
        if let Some(len) = self.whole_len(&path) {
            return Ok(Cached {
                path,
                len,
                made: false,
            });
        }
        let bytes = make()?;
        fs::create_dir_all(&self.folder)?;
        let n = self.next_temporary.fetch_add(1, Ordering::Relaxed);
        let temporary = self
            .folder
            .join(format!(".{hash}.{}.{n}.tmp", std::process::id()));
        fs::write(&temporary, &bytes)?;
        fs::rename(&temporary, &path)?;
        Ok(Cached {
            path,
            len: bytes.len() as u64,
            made: true,
        })
    }

    /// Removes every file not in `used` (and leftover temporary files); returns how
    /// many were removed. Call it after a build that made every file of its kind.
    pub(crate) fn prune(&self, used: &BTreeSet<&str>) -> io::Result<usize> {
        let entries = match fs::read_dir(&self.folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let suffix = format!(".{}", self.kind.extension());
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let hash = name
                .strip_suffix(suffix.as_str())
                .filter(|h| !h.starts_with('.'));
            if hash.is_none_or(|h| !used.contains(h)) {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// The length of the file at `path` when it is whole.
    fn whole_len(&self, path: &Path) -> Option<u64> {
        let (first, last) = self.kind.ends();
        let from_end: u64 = match self.kind {
            Derived::Card => PNG_END.len() as u64,
            Derived::Kit => 22,
        };
        let check = || -> io::Result<Option<u64>> {
            let mut file = fs::File::open(path)?;
            let mut start = [0u8; 8];
            let start = &mut start[..first.len()];
            file.read_exact(start)?;
            let end_at = file.seek(SeekFrom::End(0))?.checked_sub(from_end);
            let Some(end_at) = end_at.filter(|_| start == first) else {
                return Ok(None);
            };
            file.seek(SeekFrom::Start(end_at))?;
            let mut end = [0u8; 12];
            let end = &mut end[..last.len()];
            file.read_exact(end)?;
            Ok((end == last).then_some(end_at + from_end))
        };
        check().ok().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_made_once_and_a_damaged_one_again() {
        let root = tempfile::tempdir().unwrap();
        let cache = DerivedCache::open(root.path(), Derived::Card);
        let png = || {
            let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
            bytes.extend(PNG_END);
            Ok(bytes)
        };
        let first = cache.get_or_make("ab", png).unwrap();
        assert!(first.made);
        assert!(!cache.get_or_make("ab", png).unwrap().made);
        fs::write(&first.path, b"\x89PNG\r\n\x1a\ncut").unwrap();
        assert!(cache.get_or_make("ab", png).unwrap().made);
        assert_eq!(cache.prune(&BTreeSet::from(["ab"])).unwrap(), 0);
        assert_eq!(cache.prune(&BTreeSet::new()).unwrap(), 1);
    }

    #[test]
    fn a_kit_cut_short_is_made_again() {
        let root = tempfile::tempdir().unwrap();
        let cache = DerivedCache::open(root.path(), Derived::Kit);
        let zip = || {
            let mut bytes = b"PK\x03\x04 entries ".to_vec();
            bytes.extend(b"PK\x05\x06");
            bytes.extend([0; 18]);
            Ok(bytes)
        };
        let first = cache.get_or_make("cd", zip).unwrap();
        assert!(first.made && first.path.ends_with(".partnerpress/cache/kits/cd.zip"));
        let again = cache.get_or_make("cd", zip).unwrap();
        assert!(!again.made && again.len == first.len);
        let mut cut = fs::read(&first.path).unwrap();
        cut.truncate(cut.len() - 5);
        fs::write(&first.path, cut).unwrap();
        assert!(cache.get_or_make("cd", zip).unwrap().made);
    }
}
