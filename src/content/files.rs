//! Reading single files safely: only regular files (a FIFO or device would block or
//! never end), at most `MAX_TEXT_FILE` bytes of text, UTF-8 located at the first bad
//! byte, control characters replaced with a warning, symbolic links followed with a
//! warning for broken ones and loops.

use crate::content::SourceFile;
use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, relative};
use std::path::{Path, PathBuf};

/// The files and folders below `dir`, sorted by name, following symbolic links as if
/// their targets were there. A link that points nowhere, into a loop, or into the
/// operating system's pseudo files (`/proc`, `/sys`, `/dev`: endless or blocking
/// "regular" files such as `/proc/kmsg`) is a warning naming it and is not followed.
pub(super) fn walk(dir: &Path, root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<walkdir::DirEntry> {
    let mut refused = Vec::new();
    if dir.is_symlink() && is_system_path(dir) {
        diags.push(system_link_warning(relative(root, dir)));
        return Vec::new();
    }
    let entries: Vec<_> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let system = e.path_is_symlink() && is_system_path(e.path());
            if system {
                refused.push(e.path().to_path_buf());
            }
            !system
        })
        .collect();
    for path in refused {
        diags.push(system_link_warning(relative(root, &path)));
    }
    entries
        .into_iter()
        .filter_map(|entry| walked(entry, root, dir, diags))
        .collect()
}

fn system_link_warning(rel: PathBuf) -> Diagnostic {
    Diagnostic::warning(
        Code::Symlink,
        rel,
        "this symbolic link leads into the system's pseudo files (/proc, /sys, /dev); ignored",
    )
    .with_help("link only to ordinary files and folders")
}

/// Whether `path` resolves into `/proc`, `/sys` or `/dev`, whose files can block or
/// never end although they look like files; `/dev/shm` is an ordinary memory file
/// system (sites and benchmarks live there).
pub(super) fn is_system_path(path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|real| {
        ["/proc", "/sys", "/dev"]
            .iter()
            .any(|p| real.starts_with(p))
            && !real.starts_with("/dev/shm")
    })
}

/// An entry of a walk that follows symbolic links; a link that points nowhere or into
/// a loop is a warning naming it (the rest of the folder is still read), other
/// failures an I/O error.
fn walked(
    entry: walkdir::Result<walkdir::DirEntry>,
    root: &Path,
    dir: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<walkdir::DirEntry> {
    let err = match entry {
        Ok(e) => return Some(e),
        Err(e) => e,
    };
    let path = err.path().unwrap_or(dir);
    let rel = relative(root, path);
    if err.loop_ancestor().is_some() {
        diags.push(
            Diagnostic::warning(
                Code::Symlink,
                rel,
                "this symbolic link leads into a loop; ignored",
            )
            .with_help("point the link at a folder outside its own parent folders"),
        );
    } else if path.is_symlink() && !path.exists() {
        diags.push(
            Diagnostic::warning(
                Code::Symlink,
                rel,
                "this symbolic link points nowhere; ignored",
            )
            .with_help("fix or remove the link"),
        );
    } else {
        diags.push(Diagnostic::error(
            Code::Io,
            rel,
            format!("cannot read: {err}"),
        ));
    }
    None
}

/// The regular files below `dir` that count as the user's (not hidden files, editor
/// backups or temporaries), sorted as [`walk`] sorts; a pipe, socket or device is a
/// warning and left out.
pub(super) fn user_files(
    dir: &Path,
    root: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<walkdir::DirEntry> {
    let mut files = Vec::new();
    for entry in walk(dir, root, diags) {
        if entry.file_type().is_dir() || super::is_ignored(&entry.file_name().to_string_lossy()) {
            continue;
        }
        if entry.file_type().is_file() {
            files.push(entry);
        } else {
            diags.push(special_file_warning(relative(root, entry.path())));
        }
    }
    files
}

/// `path` below `dir` with `/` separators, as ids and output paths spell it.
pub(super) fn slash_path(path: &Path, dir: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub(super) fn special_file_warning(rel: PathBuf) -> Diagnostic {
    Diagnostic::warning(
        Code::IgnoredFile,
        rel,
        "not a regular file (a pipe, socket or device); ignored",
    )
    .with_help("content and static files must be ordinary files")
}

/// Characters that HTML forbids in text and XML 1.0 (feeds, sitemaps, SVG) and iCalendar
/// cannot carry: C0 controls but tab, line feed and carriage return; DEL; C1 controls;
/// U+FFFE and U+FFFF. They come from copy and paste, invisible in an editor.
pub(crate) fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// Whether `text` may hold a forbidden character: a byte scan (which the compiler
/// vectorises) for the bytes such characters start with, so clean text, nearly all of
/// it, is not decoded character by character.
pub(crate) fn may_have_forbidden_char(text: &str) -> bool {
    fn suspect(b: u8) -> bool {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f || b == 0xc2 || b == 0xef
    }
    // Whole chunks without an early exit, so the loop is vectorised.
    let chunks = text.as_bytes().chunks(64);
    chunks
        .into_iter()
        .any(|chunk| chunk.iter().fold(false, |seen, &b| seen | suspect(b)))
        && text.contains(is_forbidden_char)
}

/// Replaces every forbidden character by as many spaces as it has bytes, so every
/// later position in the file stays right; returns the first one's offset and the count.
pub(super) fn blank_controls(text: &mut String) -> Option<(usize, usize)> {
    if !may_have_forbidden_char(text) {
        return None;
    }
    let first = text.find(is_forbidden_char)?;
    let mut count = 0;
    let cleaned: String = text
        .chars()
        .flat_map(|c| {
            let n = if is_forbidden_char(c) {
                count += 1;
                c.len_utf8()
            } else {
                0
            };
            let keep = (n == 0).then_some(c);
            keep.into_iter().chain(std::iter::repeat_n(' ', n))
        })
        .collect();
    *text = cleaned;
    Some((first, count))
}

/// The warning for characters `blank_controls` replaced in `source`.
pub(super) fn blanked_warning(source: &SourceFile) -> Option<Diagnostic> {
    let (at, count) = source.blanked?;
    let more = match count {
        1 => String::new(),
        n => format!(" (and {} more in this file)", n - 1),
    };
    Some(
        source
            .warning_at(
                Code::ControlCharacter,
                at,
                format!("invisible control character replaced by a space{more}"),
            )
            .with_help(
                "delete it: it would make feeds invalid XML and shows as garbage in some readers",
            ),
    )
}

/// The largest Markdown or YAML file read: a press release is kilobytes; a file of
/// this size is a mistake (a video renamed `.md`), and reading it would hold the whole
/// thing in memory several times over.
const MAX_TEXT_FILE: u64 = 32 * 1024 * 1024;

/// Reads a UTF-8 file; invalid UTF-8 is located at its first bad byte.
pub(super) fn read_text(path: &Path, rel: &Path) -> Result<String, Box<Diagnostic>> {
    let io_error = |e: std::io::Error| {
        Box::new(Diagnostic::error(
            Code::Io,
            rel.to_path_buf(),
            format!("cannot read: {e}"),
        ))
    };
    let len = regular_len(path).map_err(io_error)?;
    if len > MAX_TEXT_FILE {
        return Err(Box::new(
            Diagnostic::error(
                Code::TooLarge,
                rel.to_path_buf(),
                format!(
                    "the file has {} MiB; a text file may have at most {} MiB",
                    len / (1024 * 1024),
                    MAX_TEXT_FILE / (1024 * 1024)
                ),
            )
            .with_help("put large documents into `content/static/` and link them"),
        ));
    }
    let bytes = std::fs::read(path).map_err(io_error)?;
    decode_utf8(bytes, rel)
}

/// A file's text; invalid UTF-8 is an error located at its first bad byte.
pub(super) fn decode_utf8(bytes: Vec<u8>, rel: &Path) -> Result<String, Box<Diagnostic>> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        // The lossy text equals the file up to the bad byte, and shows its line.
        let shown = String::from_utf8_lossy(&bytes);
        Box::new(
            Diagnostic::error(
                Code::NotUtf8,
                rel.to_path_buf(),
                "the file is not valid UTF-8",
            )
            .at_offset(&shown, valid)
            .with_help("save the file as UTF-8"),
        )
    })
}

/// Reads a regular file (following symbolic links); a FIFO, socket or device is refused
/// before it is opened, since reading one can block forever or never end.
pub(super) fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    regular_len(path)?;
    std::fs::read(path)
}

/// The length of `path` if it is a regular file (following links) that can be read to
/// its end: a pipe, socket or device is refused before it is opened, and so is a file
/// of the system's pseudo file systems (they report length 0: `/proc/kmsg` blocks).
fn regular_len(path: &Path) -> std::io::Result<u64> {
    let meta = std::fs::metadata(path)?;
    let refuse = |why: &str| Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, why));
    if !meta.is_file() {
        return refuse("not a regular file (a pipe, socket or device)");
    }
    if meta.len() == 0 && is_system_path(path) {
        return refuse("a file of the system's pseudo files (/proc, /sys, /dev)");
    }
    Ok(meta.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn pseudo_file_systems_but_not_shared_memory() {
        assert!(is_system_path(Path::new("/proc/self")));
        assert!(is_system_path(Path::new("/dev/null")));
        if Path::new("/dev/shm").is_dir() {
            assert!(!is_system_path(Path::new("/dev/shm")));
        }
        assert!(!is_system_path(Path::new("/tmp")));
    }

    #[test]
    fn control_characters_are_found_behind_the_byte_scan() {
        assert!(!may_have_forbidden_char(
            "Gefäßchirurgie – 1.050 Betten\tund\r\n"
        ));
        assert!(!may_have_forbidden_char("§ 5 ° \u{a0} \u{feff}"));
        for bad in [
            "a\u{1}b",
            "a\u{7f}",
            "a\u{85}",
            "a\u{9f}",
            "a\u{fffe}",
            "\u{ffff}",
        ] {
            assert!(may_have_forbidden_char(bad), "{bad:?}");
        }
        let mut text = "a\u{1}b\u{85}c".to_owned();
        assert_eq!(blank_controls(&mut text), Some((1, 2)));
        assert_eq!(text, "a b  c");
    }
}
