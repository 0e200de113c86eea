//! Copying a site folder, shared by the integration tests (`tests/it`), the browser
//! test and the stage benchmarks, which each include this file as a module.

use std::path::Path;

/// Copies the folder `from` with everything below it to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("read_dir {}: {e}", from.display()))
    {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}
