//! The default theme is embedded with `include_dir!`, which cargo cannot see through:
//! tell it to rebuild whenever a file under `themes/default/` changes.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
