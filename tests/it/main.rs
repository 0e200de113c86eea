//! Integration tests: build small fixture sites from `tests/fixtures/` in-process and
//! assert on the output. See `tests/README.md` for how to add a case.

mod addresses;
mod anatomy;
mod broken_links;
mod content;
mod embargo;
mod errors;
mod fifty;
mod hardening;
mod hardening_bounds;
mod hardening_diagnostics;
mod hardening_files;
mod hardening_output;
mod hardening_serve;
mod harness;
mod init;
mod install;
mod links;
mod media;
mod media_markup;
mod media_photos;
mod metadata;
mod network;
mod opendata;
mod output;
mod pages;
mod search;
mod serve;
mod snapshots;
mod takeaways;
mod theme;
mod visuals;
mod warnings;
