//! URL segments in `site.yaml` and `redirect_from:` in front matter: each refused value is
//! one error at the value itself.

use super::build_case;

const SITE: &str = "content/site.yaml";

#[test]
fn a_segment_that_is_not_a_lowercase_word_is_located_with_a_slug_as_help() {
    build_case("invalid-segment-word")
        .assert_error(&format!("{SITE}:6:11"), "`Meldungen!` is not a URL segment")
        .assert_says("e.g. `meldungen`");
}

#[test]
fn a_segment_a_language_code_takes_is_located() {
    build_case("invalid-segment-taken").assert_error(
        &format!("{SITE}:5:35"),
        "`/en/` holds the site's pages in that language",
    );
}

#[test]
fn two_segments_of_one_language_with_one_word_are_one_error() {
    build_case("invalid-segment-twice")
        .assert_error(
            &format!("{SITE}:6:11"),
            "the URL segment `topics` is given twice in `en`",
        )
        .assert_says("give `news` and `topics` different words");
}

#[test]
fn an_unknown_segment_key_gets_the_nearest_one() {
    build_case("invalid-segment-unknown")
        .assert_error(&format!("{SITE}:6:5"), "unknown URL segment `newz`")
        .assert_says("did you mean `news`?");
}

#[test]
fn a_redirect_from_a_web_address_is_located_at_the_address() {
    build_case("invalid-redirect-address")
        .assert_error(
            "content/pages/impressum.md:5:5",
            "`https://example.org/kontakt/` cannot be redirected from",
        )
        .assert_says("e.g. `/news/old-title/`");
}

#[test]
fn a_redirect_from_an_address_a_page_has_is_located() {
    build_case("invalid-redirect-taken").assert_error(
        "content/pages/impressum.md:3:34",
        "cannot redirect from `/partner/`: a page of the site is published there",
    );
}

#[test]
fn an_institution_alias_that_is_a_path_points_to_redirect_from() {
    build_case("invalid-redirect-alias")
        .assert_error(
            "content/institutions/einzelklinik.md:3:11",
            "`/kliniken/einzel/` looks like an old address",
        )
        .assert_says("redirect_from: [/kliniken/einzel/]");
}
