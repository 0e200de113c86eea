//! A folder as an open handle (the staging folder, a cache folder): files are created,
//! linked, looked at and given folders by their path relative to it (`openat`,
//! `linkat`, `statat`, `mkdirat`), so the kernel walks only the path inside the folder,
//! not its absolute path, for each of the tens of thousands of files of a large site.
//! Elsewhere, plain paths under the folder.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A folder that files are written into by relative paths (`/`-separated, no `..`).
#[derive(Debug)]
pub(crate) struct Folder {
    path: PathBuf,
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
    fd: std::os::fd::OwnedFd,
}

#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
impl Folder {
    pub(crate) fn open(path: &Path) -> io::Result<Self> {
        use rustix::fs::{Mode, OFlags, open};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = open(path, flags, Mode::empty())?;
        Ok(Self {
            path: path.to_path_buf(),
            fd,
        })
    }

    /// Creates or truncates `rel` and writes `bytes` (mode 0666 less the umask, as
    /// `std::fs::write`).
    pub(super) fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        use rustix::fs::{Mode, OFlags, openat};
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
        let fd = openat(&self.fd, rel, flags, Mode::from_raw_mode(0o666))?;
        std::fs::File::from(fd).write_all(bytes)
    }

    /// Makes `rel` a hard link to `from`.
    pub(super) fn hard_link(&self, from: &Path, rel: &str) -> io::Result<()> {
        use rustix::fs::{AtFlags, CWD, linkat};
        Ok(linkat(CWD, from, &self.fd, rel, AtFlags::empty())?)
    }

    /// Makes `rel` of `into` a hard link to this folder's `name`.
    pub(super) fn link_into(&self, name: &str, into: &Folder, rel: &str) -> io::Result<()> {
        use rustix::fs::{AtFlags, linkat};
        Ok(linkat(&self.fd, name, &into.fd, rel, AtFlags::empty())?)
    }

    /// The size of the regular file `name` (following a symbolic link); `None` for
    /// anything else or nothing.
    pub(crate) fn file_len(&self, name: &str) -> Option<u64> {
        use rustix::fs::{AtFlags, FileType, statat};
        let stat = statat(&self.fd, name, AtFlags::empty()).ok()?;
        (FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile)
            .then(|| u64::try_from(stat.st_size).ok())
            .flatten()
    }

    /// Makes the folder `rel` and the missing folders above it.
    pub(super) fn create_dir_all(&self, rel: &str) -> io::Result<()> {
        use rustix::fs::{Mode, mkdirat};
        use rustix::io::Errno;
        match mkdirat(&self.fd, rel, Mode::from_raw_mode(0o777)) {
            Ok(()) | Err(Errno::EXIST) => Ok(()),
            Err(Errno::NOENT) => {
                if let Some((parent, _)) = rel.rsplit_once('/') {
                    self.create_dir_all(parent)?;
                }
                match mkdirat(&self.fd, rel, Mode::from_raw_mode(0o777)) {
                    Ok(()) | Err(Errno::EXIST) => Ok(()),
                    Err(e) => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
impl Folder {
    pub(crate) fn open(path: &Path) -> io::Result<Self> {
        Ok(Self {
            path: path.to_path_buf(),
        })
    }

    pub(super) fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(self.path.join(rel), bytes)
    }

    pub(super) fn hard_link(&self, from: &Path, rel: &str) -> io::Result<()> {
        std::fs::hard_link(from, self.path.join(rel))
    }

    pub(super) fn link_into(&self, name: &str, into: &Folder, rel: &str) -> io::Result<()> {
        std::fs::hard_link(self.path.join(name), into.path.join(rel))
    }

    pub(crate) fn file_len(&self, name: &str) -> Option<u64> {
        let meta = std::fs::metadata(self.path.join(name)).ok()?;
        meta.is_file().then_some(meta.len())
    }

    pub(super) fn create_dir_all(&self, rel: &str) -> io::Result<()> {
        std::fs::create_dir_all(self.path.join(rel))
    }
}

impl Folder {
    /// The folder's path, for messages and for what has no relative call.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_links_and_makes_folders_relative_to_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = Folder::open(tmp.path()).unwrap();
        folder.create_dir_all("a/b/c").unwrap();
        folder.create_dir_all("a/b").unwrap();
        folder.write("a/b/c/index.html", b"<p>x</p>").unwrap();
        folder.write("a/b/c/index.html", b"<p>y</p>").unwrap();
        assert_eq!(
            std::fs::read(tmp.path().join("a/b/c/index.html")).unwrap(),
            b"<p>y</p>"
        );
        let source = tmp.path().join("source.png");
        std::fs::write(&source, b"png").unwrap();
        folder.hard_link(&source, "a/b/share.png").unwrap();
        assert_eq!(
            std::fs::read(tmp.path().join("a/b/share.png")).unwrap(),
            b"png"
        );
        assert_eq!(folder.file_len("a/b/share.png"), Some(3));
        assert_eq!(folder.file_len("a/b"), None);
        assert_eq!(folder.file_len("a/none.png"), None);
        let cache = Folder::open(&tmp.path().join("a/b")).unwrap();
        cache
            .link_into("share.png", &folder, "a/b/c/card.png")
            .unwrap();
        assert_eq!(
            std::fs::read(tmp.path().join("a/b/c/card.png")).unwrap(),
            b"png"
        );
        assert!(folder.write("missing/index.html", b"").is_err());
        assert!(folder.hard_link(&source, "a/b/share.png").is_err());
    }
}
