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
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.partnerpress-new-{pid}"));
    let previous = parent.join(format!(".{name}.partnerpress-old-{pid}"));
    remove_leftovers(&parent, &name);
    let result = write_tree(files, &staging).and_then(|()| swap(&staging, output, &previous));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
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

/// Writes every file below `dir`, one folder per task in parallel: a folder is created
/// by the task that fills it (`create_dir_all` tolerates a sibling creating a shared
/// parent at the same time), so folders and files are made on every core.
fn write_tree(files: &[OutputFile], dir: &Path) -> Result<()> {
    let mut folders: BTreeMap<&Path, Vec<&OutputFile>> = BTreeMap::new();
    for f in files {
        let parent = Path::new(&f.path).parent().unwrap_or(Path::new(""));
        folders.entry(parent).or_default().push(f);
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let folders: Vec<_> = folders.into_iter().collect();
    folders.par_iter().try_for_each(|(folder, files)| {
        let folder = dir.join(folder);
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create `{}`", folder.display()))?;
        files.iter().try_for_each(|f| {
            let path = dir.join(&f.path);
            std::fs::write(&path, &f.contents)
                .with_context(|| format!("cannot write `{}`", path.display()))
        })
    })
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
