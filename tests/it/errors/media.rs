//! Photos, logos and graphics (`content/media/`): each class of mistake in a use or a
//! sidecar is one error at the `path:line:column` of the use (or of the sidecar's
//! line), with a help line; a file that is not a readable image is one error naming
//! the file however many uses it has. Each fixture holds one mistake.

use super::build_case;

const RELEASE: &str = "content/news/2025-06-24-unterzeichnung.md";
const TRANSLATION: &str = "content/news/2025-06-24-unterzeichnung.en.md";

#[test]
fn an_unknown_file_is_named_at_the_use_with_the_nearest_file() {
    // The umlaut before it shows that columns count characters.
    build_case("invalid-media-unknown")
        .assert_error(
            &format!("{RELEASE}:5:30"),
            "unknown media file `unterzeichnug.png`: there is no `content/media/unterzeichnug.png`",
        )
        .assert_says("did you mean `unterzeichnung.png`?");
}

#[test]
fn a_photo_without_alt_text_anywhere_is_an_error_at_the_use() {
    build_case("invalid-media-missing-alt")
        .assert_error(
            &format!("{RELEASE}:5:8"),
            "`unterzeichnung.png` has no alt text",
        )
        .assert_says("or in `content/media/unterzeichnung.yaml`");
}

#[test]
fn a_file_name_as_alt_text_is_an_error_at_the_sidecar_line() {
    build_case("invalid-media-file-name-alt")
        .assert_error(
            "content/media/unterzeichnung.yaml:2:6",
            "the alt text `IMG_4711.jpg` is a file name, not a description",
        )
        .assert_says("describe what the picture shows");
}

#[test]
fn a_camera_name_as_alt_text_at_the_use_is_an_error_there() {
    build_case("invalid-media-use-alt").assert_error(
        &format!("{RELEASE}:8:8"),
        "the alt text `DSC01234` is a file name, not a description",
    );
}

#[test]
fn a_photo_without_a_credit_is_an_error_at_the_use() {
    build_case("invalid-media-missing-credit")
        .assert_error(
            &format!("{RELEASE}:5:15"),
            "the photo `unterzeichnung.png` has no credit",
        )
        .assert_says("as `credit:` here or in `content/media/unterzeichnung.yaml`");
}

#[test]
fn a_sidecar_without_its_file_suggests_the_nearest_file() {
    build_case("invalid-media-orphan-sidecar")
        .assert_says("error[orphan-sidecar]")
        .assert_says("--> content/media/unterzeichnug.en.yaml\n")
        .assert_says("has no file `unterzeichnug.*`")
        .assert_says("did you mean `unterzeichnung.yaml`?");
}

#[test]
fn an_unknown_sidecar_key_gets_the_nearest_key() {
    build_case("invalid-media-sidecar-key")
        .assert_error(
            "content/media/unterzeichnung.yaml:3:1",
            "unknown field `captoin`",
        )
        .assert_says("did you mean `caption`?");
}

#[test]
fn a_file_that_is_not_a_readable_image_is_one_error_naming_it_for_two_uses() {
    let run = build_case("invalid-media-broken-file");
    run.assert_says("error[invalid-media]")
        .assert_says("--> content/media/kaputt.jpg\n")
        .assert_says("this JPEG cannot be read");
    assert_eq!(
        run.stderr.matches("kaputt.jpg").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn a_translation_s_alt_text_is_checked_in_the_translation() {
    build_case("invalid-media-translation-alt").assert_error(
        &format!("{TRANSLATION}:3:34"),
        "the alt text `unterzeichnung.png` is a file name, not a description",
    );
}

#[test]
fn a_translation_may_not_use_another_file() {
    build_case("invalid-media-translation-src")
        .assert_error(
            &format!("{TRANSLATION}:3:15"),
            "the translation's `src` differs from the original's",
        )
        .assert_says("write `unterzeichnung.png` or remove it here");
}
