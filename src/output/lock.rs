//! The lock that lets one build at a time write an output folder.

use super::Beside;
use anyhow::{Context, Result};
use std::fs::File;
use std::path::{Path, PathBuf};

/// The lock of one output: `.<output>.partnerpress-lock` beside it, locked (an advisory
/// lock, released by the system when the process ends, however it ends) while a build
/// writes, swaps or cleans up. While it is held, every staging folder of the output
/// belongs to an interrupted build. The file is removed when the lock is released.
#[derive(Debug)]
pub(super) struct OutputLock {
    file: File,
    path: PathBuf,
}

impl OutputLock {
    pub(super) fn acquire(beside: &Beside, on_wait: &dyn Fn(&str)) -> Result<Self> {
        let path = beside
            .parent
            .join(format!(".{}.partnerpress-lock", beside.name));
        let mut waited = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .with_context(|| format!("cannot create the lock file `{}`", path.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    if !waited {
                        waited = true;
                        on_wait(std::fs::read_to_string(&path).unwrap_or_default().trim());
                    }
                    file.lock()
                        .with_context(|| format!("cannot lock `{}`", path.display()))?;
                }
                // A file system without locks (some network mounts) builds as before
                // locks existed rather than not at all.
                Err(std::fs::TryLockError::Error(_)) => {}
            }
            // The previous holder removes the file before releasing it; a lock taken on
            // a removed file guards nothing, so open the path again (a file system
            // whose inode numbers are not stable gets a lock after a few tries).
            if is_same_file(&file, &path) || attempt >= 20 {
                let _ = file.set_len(0);
                let _ = std::io::Write::write_all(
                    &mut &file,
                    format!("process {}\n", std::process::id()).as_bytes(),
                );
                return Ok(Self { file, path });
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked (the file closes after this), so a waiting build
        // notices and opens a new one; on other systems the file stays.
        if cfg!(unix) {
            let _ = std::fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}

#[cfg(unix)]
fn is_same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_file: &File, _path: &Path) -> bool {
    true
}
