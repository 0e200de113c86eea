//! Writing: the only code that writes the output.
//!
//! The site is written into a fresh folder beside the output and swapped in (one
//! `renameat2(RENAME_EXCHANGE)` where the system has it, else two renames that the next
//! build can finish), so readers (and `serve`) see either the old site or the new one,
//! never a mix, and a failed build leaves the previous output as it was. One build at a
//! time writes an output: a lock file beside it is held from the start of a build to
//! its end.

use crate::render::OutputFile;
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

pub(crate) mod folder;
mod lock;
pub(crate) mod sync;
use folder::Folder;
use lock::OutputLock;

/// Refuses output folders whose replacement would destroy anything but an earlier build:
/// the site root or a folder holding it, the sources (`content/`, `themes/` and what
/// symbolic links in them point to) or anything inside them, a file, a symbolic link, a
/// repository, or a non-empty folder that is not a built site. Paths are compared as the
/// file system resolves them, so symbolic links and `..` cannot hide a source folder.
pub(crate) fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    let out = resolve(output);
    let root = resolve(root);
    let refuse = |reason: String, help: &str| -> Result<()> {
        bail!(
            "refusing to write the site to `{}`: {reason}\n  = help: {help}",
            output.display()
        )
    };
    let elsewhere = "pass an `--output` folder outside `content/` and `themes/`, e.g. `public`";
    if out.parent().is_none() {
        return refuse("it is the file system root".into(), elsewhere);
    }
    if out == root || root.starts_with(&out) {
        return refuse(
            format!(
                "the build replaces this folder, and it holds the site `{}`",
                root.display()
            ),
            elsewhere,
        );
    }
    for source in source_folders(&root) {
        if out.starts_with(&source) || source.starts_with(&out) {
            return refuse(
                format!(
                    "the build replaces this folder, and it is or holds the site's sources `{}`",
                    source.display()
                ),
                elsewhere,
            );
        }
    }
    if output.file_name().is_none() {
        return refuse(
            "it does not end in a folder name".into(),
            "name the output folder itself, e.g. `../public`",
        );
    }
    let Ok(meta) = std::fs::symlink_metadata(output) else {
        return Ok(());
    };
    if meta.file_type().is_symlink() {
        return refuse(
            format!(
                "it is a symbolic link (to `{}`), which the build would replace by a folder",
                out.display()
            ),
            "pass the folder it points to as `--output`",
        );
    }
    if !meta.is_dir() {
        return refuse(
            "it is a file, which the build would replace by a folder".into(),
            "pass a folder that does not exist yet, is empty or holds an earlier build",
        );
    }
    if let Some(vcs) = [".git", ".hg", ".svn"]
        .into_iter()
        .find(|v| out.join(v).exists())
    {
        return refuse(
            format!("it holds a repository (`{vcs}`), which the build would delete"),
            "build into a folder of its own and copy the site into the repository",
        );
    }
    let empty = std::fs::read_dir(&out)
        .with_context(|| format!("cannot read `{}`", output.display()))?
        .next()
        .is_none();
    if !empty && !out.join("index.html").is_file() {
        return refuse(
            "the build replaces the whole folder, and it holds files but no built site (no `index.html`)".into(),
            "pass a folder that does not exist yet, is empty or holds an earlier build",
        );
    }
    Ok(())
}

/// The site's source folders as the file system resolves them: `content/`, `themes/`,
/// and the targets of symbolic links near their top (a linked `content/static` or theme).
fn source_folders(root: &Path) -> Vec<PathBuf> {
    let mut folders = Vec::new();
    for name in ["content", "themes"] {
        let dir = root.join(name);
        folders.push(resolve(&dir));
        let links = walkdir::WalkDir::new(&dir)
            .min_depth(1)
            .max_depth(3)
            .into_iter()
            .flatten()
            .filter(|e| e.path_is_symlink());
        folders.extend(links.filter_map(|e| e.path().canonicalize().ok()));
    }
    folders
}

/// `path` as the file system resolves it: its longest existing ancestor canonicalised
/// (symbolic links and `..` resolved), the rest appended lexically (it does not exist,
/// so it holds no links).
fn resolve(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let parts: Vec<Component> = abs.components().collect();
    for existing in (1..=parts.len()).rev() {
        let prefix: PathBuf = parts[..existing].iter().collect();
        if let Ok(mut resolved) = prefix.canonicalize() {
            for part in &parts[existing..] {
                match part {
                    Component::ParentDir => {
                        resolved.pop();
                    }
                    Component::CurDir => {}
                    other => resolved.push(other),
                }
            }
            return resolved;
        }
    }
    abs
}

/// Creates a new content file (`partnerpress new`); never overwrites an existing one.
pub(crate) fn create_file(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))
}

/// Writes `files` as the new content of `output`, atomically replacing what was there.
pub fn write(files: &[OutputFile], output: &Path) -> Result<()> {
    let staging = Staging::new(output)?;
    staging.write_all(files)?;
    staging.commit()
}

/// A new site being written into a folder beside the output, so pages can be written as
/// soon as they are rendered (and their memory freed) while the previous output stays
/// untouched. `commit` swaps it in; dropped without `commit` (a failed build), it is
/// removed. It holds the output's lock from creation to drop.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    /// The staging folder, written through relative paths.
    dir: Folder,
    beside: Beside,
    /// The first failure of `write_file`, reported by `commit`.
    failure: Mutex<Option<anyhow::Error>>,
    /// Folders made so far (relative to `dir`): a release's folder gets its page, its
    /// press kit and its share card, and asking the kernel to make it three times (a
    /// failed `mkdir` and a `stat` each) was a measurable part of a large build.
    folders: Mutex<rustc_hash::FxHashSet<String>>,
    committed: bool,
    _lock: OutputLock,
}

/// The folder holding the output and the names of this build's folders in it.
#[derive(Debug)]
struct Beside {
    parent: PathBuf,
    /// The output's file name.
    name: String,
}

impl Beside {
    fn of(output: &Path) -> Self {
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Self { parent, name }
    }

    /// `.<output>.partnerpress-<kind>-<pid>`: the folders of one build. `new` is being
    /// written, `ready` is complete and about to replace the output, `old` is the
    /// replaced output.
    fn folder(&self, kind: &str, pid: u32) -> PathBuf {
        self.parent
            .join(format!(".{}.partnerpress-{kind}-{pid}", self.name))
    }

    /// Folders of earlier builds of this output of `kind`, newest first.
    fn leftovers(&self, kind: &str) -> Vec<PathBuf> {
        let prefix = format!(".{}.partnerpress-{kind}-", self.name);
        let mut found: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&self.parent)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .map(|e| {
                let modified = e.metadata().and_then(|m| m.modified());
                (modified.unwrap_or(std::time::UNIX_EPOCH), e.path())
            })
            .collect();
        found.sort_by(|a, b| b.cmp(a));
        found.into_iter().map(|(_, path)| path).collect()
    }
}

impl Staging {
    /// Creates the staging folder for `output` (waiting for another build of it to end).
    pub fn new(output: &Path) -> Result<Self> {
        Self::new_waiting(output, &|_| {})
    }

    /// `new`, calling `on_wait` with what is known of the other build (its process id)
    /// before waiting for another build of the same output to end.
    pub(crate) fn new_waiting(output: &Path, on_wait: &dyn Fn(&str)) -> Result<Self> {
        let beside = Beside::of(output);
        std::fs::create_dir_all(&beside.parent)
            .with_context(|| format!("cannot create `{}`", beside.parent.display()))?;
        let lock = OutputLock::acquire(&beside, on_wait)?;
        finish_interrupted_swap(output, &beside)?;
        for kind in ["new", "ready", "old"] {
            for dir in beside.leftovers(kind) {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
        let dir = beside.folder("new", std::process::id());
        let dir = std::fs::create_dir_all(&dir)
            .and_then(|()| Folder::open(&dir))
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
        Ok(Self {
            output: output.to_path_buf(),
            dir,
            beside,
            failure: Mutex::new(None),
            folders: Mutex::new(rustc_hash::FxHashSet::default()),
            committed: false,
            _lock: lock,
        })
    }

    /// Writes one file, from any thread; a failure is kept for `commit` to report.
    pub fn write_file(&self, file: &OutputFile) {
        let written = self
            .make_parent(&file.path)
            .and_then(|()| self.dir.write(&file.path, &file.contents))
            .with_context(|| {
                format!(
                    "cannot write `{}`",
                    self.dir.path().join(&file.path).display()
                )
            });
        self.keep_failure(written);
    }

    /// A file already written into the staging folder (a press kit's photo).
    pub(crate) fn read_file(&self, path: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.dir.path().join(path))
    }

    /// Puts the file `from` at `path`, from any thread: a hard link where the output
    /// is on the same disk (a rebuild then moves no photo bytes), else a copy. Only for
    /// files that are never changed once written (the media cache's).
    pub(crate) fn link_file(&self, path: &str, from: &Path) {
        let to = self.dir.path().join(path);
        let linked = self
            .make_parent(path)
            .and_then(|()| {
                self.dir.hard_link(from, path).or_else(|_| {
                    // Never copy onto what may be a link to `from` itself.
                    if to.symlink_metadata().is_ok() {
                        std::fs::remove_file(&to)?;
                    }
                    std::fs::copy(from, &to).map(drop)
                })
            })
            .with_context(|| format!("cannot write `{}`", to.display()));
        self.keep_failure(linked);
    }

    /// Puts the file `name` of the open folder `from` at `path`, as `link_file` does.
    pub(crate) fn link_from(&self, path: &str, from: &Folder, name: &str) {
        let linked = self
            .make_parent(path)
            .and_then(|()| from.link_into(name, &self.dir, path));
        if linked.is_err() {
            self.link_file(path, &from.path().join(name));
        }
    }

    /// Makes the folder of `path` (relative to the staging folder) unless it was made.
    fn make_parent(&self, path: &str) -> std::io::Result<()> {
        let Some((parent, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        let folders = || self.folders.lock().unwrap_or_else(|e| e.into_inner());
        if folders().contains(parent) {
            return Ok(());
        }
        self.dir.create_dir_all(parent)?;
        folders().insert(parent.to_owned());
        Ok(())
    }

    fn keep_failure(&self, result: Result<()>) {
        if let Err(e) = result {
            let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
            failure.get_or_insert(e);
        }
    }

    /// Writes many files, one folder per task in parallel: a folder is created by the
    /// task that fills it (`create_dir_all` tolerates a sibling creating a shared parent
    /// at the same time), so folders and files are made on every core.
    pub(crate) fn write_all(&self, files: &[OutputFile]) -> Result<()> {
        let mut folders: BTreeMap<&str, Vec<&OutputFile>> = BTreeMap::new();
        for f in files {
            let parent = f.path.rsplit_once('/').map_or("", |(parent, _)| parent);
            folders.entry(parent).or_default().push(f);
        }
        let folders: Vec<_> = folders.into_iter().collect();
        folders.par_iter().try_for_each(|(folder, files)| {
            let at = |path: &str| self.dir.path().join(path).display().to_string();
            if !folder.is_empty() {
                (self.dir.create_dir_all(folder))
                    .with_context(|| format!("cannot create `{}`", at(folder)))?;
            }
            files.iter().try_for_each(|f| {
                (self.dir.write(&f.path, &f.contents))
                    .with_context(|| format!("cannot write `{}`", at(&f.path)))
            })
        })
    }

    /// Replaces the output with the staging folder, unless a write failed.
    pub fn commit(mut self) -> Result<()> {
        let failure = self
            .failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(e) = failure {
            return Err(e);
        }
        swap(self.dir.path(), &self.output, &self.beside)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(self.dir.path());
        }
    }
}

/// After a build was killed between the two renames of the swap the output is missing:
/// the complete new site (`ready`) or else the previous one (`old`) is moved back, so
/// the clean-up that follows deletes nothing that was published or about to be.
fn finish_interrupted_swap(output: &Path, beside: &Beside) -> Result<()> {
    if std::fs::symlink_metadata(output).is_ok() {
        return Ok(());
    }
    let complete = beside
        .leftovers("ready")
        .into_iter()
        .chain(beside.leftovers("old"))
        .next();
    if let Some(site) = complete {
        std::fs::rename(&site, output).with_context(|| {
            format!(
                "cannot move `{}`, the site of an interrupted build, back to `{}`",
                site.display(),
                output.display()
            )
        })?;
    }
    Ok(())
}

/// Puts the staging folder in the output's place. Where the system can exchange two
/// folders in one step the output never goes missing; elsewhere the complete site is
/// first renamed `ready`, so a build interrupted between the two renames that follow
/// leaves folders `finish_interrupted_swap` knows to be complete.
fn swap(staging: &Path, output: &Path, beside: &Beside) -> Result<()> {
    let moved = || format!("cannot move the new site to `{}`", output.display());
    if std::fs::symlink_metadata(output).is_err() {
        return std::fs::rename(staging, output).with_context(moved);
    }
    if exchange(staging, output)? {
        // `staging` now holds the previous site; a leftover is removed by the next build.
        let _ = std::fs::remove_dir_all(staging);
        return Ok(());
    }
    swap_by_renames(staging, output, beside)
}

/// The swap in two renames, for systems that cannot exchange folders; see `swap`.
fn swap_by_renames(staging: &Path, output: &Path, beside: &Beside) -> Result<()> {
    let moved = || format!("cannot move the new site to `{}`", output.display());
    let pid = std::process::id();
    let ready = beside.folder("ready", pid);
    let previous = beside.folder("old", pid);
    std::fs::rename(staging, &ready).with_context(moved)?;
    if let Err(e) = std::fs::rename(output, &previous) {
        let _ = std::fs::rename(&ready, staging);
        return Err(e)
            .with_context(|| format!("cannot move the previous `{}` aside", output.display()));
    }
    if let Err(e) = std::fs::rename(&ready, output) {
        let _ = std::fs::rename(&previous, output);
        let _ = std::fs::rename(&ready, staging);
        return Err(e).with_context(moved);
    }
    let _ = std::fs::remove_dir_all(&previous);
    Ok(())
}

/// Exchanges two folders in one step (`renameat2(RENAME_EXCHANGE)`, macOS `RENAME_SWAP`);
/// `false` where the system or file system cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP | Errno::PERM) => Ok(false),
        Err(e) => Err(std::io::Error::from(e))
            .with_context(|| format!("cannot move the new site to `{}`", b.display())),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn exchange(_a: &Path, _b: &Path) -> Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_outputs_that_contain_the_sources() {
        let root = Path::new("/srv/site");
        assert!(check_output_dir(root, Path::new("/srv/site")).is_err());
        assert!(check_output_dir(root, Path::new("/srv/site/content")).is_err());
        assert!(check_output_dir(root, Path::new("/srv/site/themes")).is_err());
        assert!(check_output_dir(root, Path::new("/srv")).is_err());
        assert!(check_output_dir(root, Path::new("/")).is_err());
        assert!(check_output_dir(root, Path::new("/srv/site/public/../content")).is_err());
        assert!(check_output_dir(root, Path::new("/srv/site/public")).is_ok());
        assert!(check_output_dir(root, Path::new("/tmp/out")).is_ok());
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("empty")).unwrap();
        let err = check_output_dir(root, &tmp.path().join("empty/new/..")).unwrap_err();
        assert!(err.to_string().contains("folder name"), "{err}");
    }

    #[test]
    fn replaces_the_previous_output_completely() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let file = |p: &str, c: &str| OutputFile {
            path: p.into(),
            contents: c.as_bytes().to_vec().into(),
        };
        write(&[file("a/index.html", "1"), file("old.txt", "x")], &out).unwrap();
        write(&[file("a/index.html", "2")], &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "2"
        );
        assert!(!out.join("old.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }

    fn file(path: &str, contents: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: contents.as_bytes().to_vec().into(),
        }
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn pages_written_while_rendering_appear_only_on_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write(&[file("index.html", "old")], &out).unwrap();
        let staging = Staging::new(&out).unwrap();
        staging.write_file(&file("news/a/index.html", "a"));
        staging.write_file(&file("news/b/index.html", "b"));
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        staging.write_all(&[file("index.html", "new")]).unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("news/b/index.html")).unwrap(),
            "b"
        );
        assert_eq!(entries(tmp.path()), ["public"]);
    }

    #[test]
    fn an_abandoned_staging_folder_is_removed_and_the_output_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write(&[file("index.html", "old")], &out).unwrap();
        let staging = Staging::new(&out).unwrap();
        staging.write_file(&file("index.html", "half"));
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(entries(tmp.path()), ["public"]);
    }

    #[test]
    fn a_failed_page_write_fails_the_commit_and_keeps_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write(&[file("index.html", "old")], &out).unwrap();
        let staging = Staging::new(&out).unwrap();
        staging.write_file(&file("a", "a file"));
        // `a` is a file, so nothing can be written below it.
        staging.write_file(&file("a/index.html", "x"));
        let err = staging.commit().unwrap_err();
        assert!(format!("{err:#}").contains("a/index.html"), "{err:#}");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(entries(tmp.path()), ["public"]);
    }

    #[test]
    fn the_swap_by_renames_replaces_the_output_and_leaves_nothing_beside() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write(&[file("index.html", "old")], &out).unwrap();
        let staging = tmp.path().join("staging");
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("index.html"), "new").unwrap();
        swap_by_renames(&staging, &out, &Beside::of(&out)).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(entries(tmp.path()), ["public"]);
    }

    #[test]
    fn a_missing_output_is_restored_from_the_complete_new_site_first() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        for (kind, text) in [("old", "old"), ("ready", "new"), ("new", "half")] {
            let dir = tmp.path().join(format!(".public.partnerpress-{kind}-7"));
            std::fs::create_dir(&dir).unwrap();
            std::fs::write(dir.join("index.html"), text).unwrap();
        }
        let staging = Staging::new(&out).unwrap();
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(entries(tmp.path()), ["public"]);
    }

    #[test]
    fn paths_are_resolved_through_links_and_dot_dot() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().canonicalize().unwrap().join("real");
        std::fs::create_dir(&real).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&real, tmp.path().join("link")).unwrap();
            assert_eq!(resolve(&tmp.path().join("link/a/../b/c")), real.join("b/c"));
        }
        assert_eq!(resolve(&real.join("x/../../real/y")), real.join("y"));
    }

    #[test]
    fn a_second_staging_of_one_output_waits_for_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Staging::new(&out).unwrap();
        let waited = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let second = {
            let (out, waited) = (out.clone(), waited.clone());
            std::thread::spawn(move || {
                let on_wait = |_: &str| waited.store(true, std::sync::atomic::Ordering::SeqCst);
                let staging = Staging::new_waiting(&out, &on_wait).unwrap();
                staging.write_all(&[file("index.html", "second")]).unwrap();
                staging.commit().unwrap();
            })
        };
        while !waited.load(std::sync::atomic::Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        first.write_all(&[file("index.html", "first")]).unwrap();
        first.commit().unwrap();
        second.join().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "second"
        );
        assert_eq!(entries(tmp.path()), ["public"]);
    }

    #[test]
    fn removes_staging_folders_of_interrupted_builds_only() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(tmp.path().join(".public.partnerpress-new-999999/x")).unwrap();
        std::fs::create_dir_all(tmp.path().join(".publicity")).unwrap();
        write(
            &[OutputFile {
                path: "index.html".into(),
                contents: b"1".to_vec().into(),
            }],
            &out,
        )
        .unwrap();
        assert!(!tmp.path().join(".public.partnerpress-new-999999").exists());
        assert!(tmp.path().join(".publicity").exists());
    }
}
