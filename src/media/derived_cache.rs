//! The cache of share cards: `<site root>/.partnerpress/cache/cards/<hash>.png`, one
//! PNG per drawing (the hash covers the renderer and the SVG), written to a temporary
//! name and renamed into place. A warm build draws only the cards whose text changed.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

pub(crate) const CARD_FOLDER: &str = ".partnerpress/cache/cards";

/// The last 12 bytes of every PNG: the empty `IEND` chunk with its CRC.
const PNG_END: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];

/// The site's card cache.
#[derive(Debug)]
pub(crate) struct CardCache {
    folder: PathBuf,
    next_temporary: AtomicU64,
}

impl CardCache {
    /// The cache of the site at `site_root`; the folder is made with its first card.
    pub(crate) fn open(site_root: &Path) -> Self {
        Self {
            folder: site_root.join(CARD_FOLDER),
            next_temporary: AtomicU64::new(0),
        }
    }

    /// The cached PNG of the card `hash`, made with `make` when it is missing or
    /// damaged (cut short, or edited through the output's hard link); with whether it
    /// was made now.
    pub(crate) fn get_or_make(
        &self,
        hash: &str,
        make: impl FnOnce() -> io::Result<Vec<u8>>,
    ) -> io::Result<(PathBuf, bool)> {
        let path = self.folder.join(format!("{hash}.png"));
        if is_whole_png(&path) {
            return Ok((path, false));
        }
        let png = make()?;
        fs::create_dir_all(&self.folder)?;
        let n = self.next_temporary.fetch_add(1, Ordering::Relaxed);
        let temporary = self
            .folder
            .join(format!(".{hash}.{}.{n}.tmp", std::process::id()));
        fs::write(&temporary, &png)?;
        fs::rename(&temporary, &path)?;
        Ok((path, true))
    }

    /// Removes every card not in `used` (and leftover temporary files); returns how
    /// many were removed. Call it after a build that made every card of the site.
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
            let name = name.to_string_lossy();
            let hash = name.strip_suffix(".png").filter(|h| !h.starts_with('.'));
            if hash.is_none_or(|h| !used.contains(h)) {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

fn is_whole_png(path: &Path) -> bool {
    let check = || -> io::Result<bool> {
        let mut file = fs::File::open(path)?;
        let mut start = [0u8; 8];
        file.read_exact(&mut start)?;
        file.seek(SeekFrom::End(-12))?;
        let mut end = [0u8; 12];
        file.read_exact(&mut end)?;
        Ok(&start == b"\x89PNG\r\n\x1a\n" && end == PNG_END)
    };
    check().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_is_made_once_and_a_damaged_one_again() {
        let root = tempfile::tempdir().unwrap();
        let cache = CardCache::open(root.path());
        let png = || {
            let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
            bytes.extend(PNG_END);
            Ok(bytes)
        };
        let (path, made) = cache.get_or_make("ab", png).unwrap();
        assert!(made);
        assert!(!cache.get_or_make("ab", png).unwrap().1);
        fs::write(&path, b"\x89PNG\r\n\x1a\ncut").unwrap();
        assert!(cache.get_or_make("ab", png).unwrap().1);
        assert_eq!(cache.prune(&BTreeSet::from(["ab"])).unwrap(), 0);
        assert_eq!(cache.prune(&BTreeSet::new()).unwrap(), 1);
    }
}
