//! Writing: the only code that writes the output.
//!
//! The site is written into a fresh folder beside the output and swapped in with two
//! renames, so readers (and `serve`) see either the old site or the new one, never a
//! mix, and a failed build leaves the previous output as it was.

use crate::render::OutputFile;
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Refuses output folders whose replacement would destroy the site's sources.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize(&p)
    };
    let out = abs(output);
    let root = abs(root);
    if out.parent().is_none() {
        bail!(
            "refusing to write the site to `{}`: it is the file system root",
            output.display()
        );
    }
    for protected in [root.clone(), root.join("content"), root.join("themes")] {
        if protected.starts_with(&out) {
            bail!(
                "refusing to write the site to `{}`: it would replace `{}`",
                output.display(),
                protected.display()
            );
        }
    }
    Ok(())
}

/// Lexical normalisation (`a/./b/../c` → `a/c`), without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Creates a new content file (`partnerpress new`); never overwrites an existing one.
pub fn create_file(path: &Path, text: &str) -> Result<()> {
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
/// removed.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    previous: PathBuf,
    /// The first failure of `write_file`, reported by `commit`.
    failure: Mutex<Option<anyhow::Error>>,
    committed: bool,
}

impl Staging {
    /// Creates the staging folder for `output` (and removes those of interrupted builds).
    pub fn new(output: &Path) -> Result<Self> {
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
        remove_leftovers(&parent, &name);
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.partnerpress-new-{pid}"));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
        Ok(Self {
            output: output.to_path_buf(),
            previous: parent.join(format!(".{name}.partnerpress-old-{pid}")),
            dir,
            failure: Mutex::new(None),
            committed: false,
        })
    }

    /// Writes one file, from any thread; a failure is kept for `commit` to report.
    pub fn write_file(&self, file: &OutputFile) {
        let path = self.dir.join(&file.path);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, &file.contents))
            .with_context(|| format!("cannot write `{}`", path.display()));
        if let Err(e) = written {
            let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
            failure.get_or_insert(e);
        }
    }

    /// Writes many files, one folder per task in parallel: a folder is created by the
    /// task that fills it (`create_dir_all` tolerates a sibling creating a shared parent
    /// at the same time), so folders and files are made on every core.
    pub fn write_all(&self, files: &[OutputFile]) -> Result<()> {
        let mut folders: BTreeMap<&Path, Vec<&OutputFile>> = BTreeMap::new();
        for f in files {
            let parent = Path::new(&f.path).parent().unwrap_or(Path::new(""));
            folders.entry(parent).or_default().push(f);
        }
        let folders: Vec<_> = folders.into_iter().collect();
        folders.par_iter().try_for_each(|(folder, files)| {
            let folder = self.dir.join(folder);
            std::fs::create_dir_all(&folder)
                .with_context(|| format!("cannot create `{}`", folder.display()))?;
            files.iter().try_for_each(|f| {
                let path = self.dir.join(&f.path);
                std::fs::write(&path, &f.contents)
                    .with_context(|| format!("cannot write `{}`", path.display()))
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
        swap(&self.dir, &self.output, &self.previous)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Staging folders of earlier builds that were interrupted before they could clean up.
/// They are ours by name (`.<output>.partnerpress-new-<pid>`), never anything else.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefixes = [
        format!(".{name}.partnerpress-new-"),
        format!(".{name}.partnerpress-old-"),
    ];
    for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn swap(staging: &Path, output: &Path, previous: &Path) -> Result<()> {
    if output.exists() {
        std::fs::rename(output, previous)
            .with_context(|| format!("cannot move the previous `{}` aside", output.display()))?;
        if let Err(e) = std::fs::rename(staging, output) {
            let _ = std::fs::rename(previous, output);
            return Err(e)
                .with_context(|| format!("cannot move the new site to `{}`", output.display()));
        }
        std::fs::remove_dir_all(previous)
            .with_context(|| format!("cannot remove `{}`", previous.display()))?;
    } else {
        std::fs::rename(staging, output)
            .with_context(|| format!("cannot move the new site to `{}`", output.display()))?;
    }
    Ok(())
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
