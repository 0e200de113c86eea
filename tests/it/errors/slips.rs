//! YAML slips in plain words, and one mistake giving one error: each fixture holds one
//! slip in a small site whose other files reference the broken one (`build_case`
//! asserts the error is the only one), located at the slip itself.

use super::build_case;
use crate::harness::Fixture;

/// The `path:line:column` of `needle` in the fixture `case`'s file `rel`.
fn at(case: &str, rel: &str, needle: &str) -> String {
    Fixture::copy(case).locate(rel, needle)
}

const INSTITUTION: &str = "content/institutions/klinikum-suedhoehe.md";
const RELEASE: &str = "content/news/2024-05-06-bilanz.md";
const PARTNERSHIP: &str = "content/partnerships/suedhoehe-tannenfeld.md";

#[test]
fn a_tab_is_named_and_shown() {
    let case = "invalid-yaml-tab";
    build_case(case)
        .assert_error(
            &at(case, INSTITUTION, "\t"),
            "YAML does not allow tabs for indentation: use spaces",
        )
        .assert_says("6 | →- { name: Jörg")
        .assert_says("  | ^\n");
}

#[test]
fn a_colon_in_a_text_asks_for_quotes() {
    let case = "invalid-yaml-colon-in-text";
    build_case(case)
        .assert_error(&at(case, RELEASE, ": nach"), "`: `")
        .assert_says("put the text in quotes: `summary: \"Eine Bilanz: nach einem Jahr.\"`");
}

#[test]
fn a_reserved_first_character_asks_for_quotes() {
    let case = "invalid-yaml-reserved-character";
    build_case(case)
        .assert_error(&at(case, INSTITUTION, "@"), "`@` at the start of a value")
        .assert_says("put the text in quotes: `city: \"@Würzburg\"`");
}

#[test]
fn an_unclosed_quote_is_located_where_it_opens() {
    let case = "invalid-yaml-unclosed-quote";
    build_case(case)
        .assert_error(&at(case, RELEASE, "\"Eine"), "is not closed")
        .assert_says("end the text with `\"`");
}

#[test]
fn an_unclosed_list_is_located_where_it_opens() {
    let case = "invalid-yaml-unclosed-list";
    build_case(case)
        .assert_error(&at(case, INSTITUTION, "["), "the list opened with `[`")
        .assert_says("close it with `]`");
}

#[test]
fn a_missing_space_after_a_colon_is_named() {
    let case = "invalid-yaml-no-space";
    build_case(case)
        .assert_error(
            &at(case, INSTITUTION, ":Würzburg"),
            "needs a space after the colon",
        )
        .assert_says("write `city: Würzburg`");
}

#[test]
fn a_missing_colon_is_named_at_its_line_even_before_a_comment() {
    let case = "invalid-yaml-missing-colon";
    build_case(case)
        .assert_error(
            &at(case, RELEASE, " 2024-05-06 #"),
            "`date` needs a colon after it",
        )
        .assert_says("write `date: 2024-05-06 # ein Jahr nach dem Start`");
}

#[test]
fn a_list_item_without_a_dash_is_named() {
    let case = "invalid-yaml-no-dash";
    build_case(case)
        .assert_error(
            &at(case, PARTNERSHIP, "amt-tannenfeld\n"),
            "does not start with `- `",
        )
        .assert_says("write `- amt-tannenfeld`");
}

#[test]
fn an_unknown_partnership_is_reported_once() {
    // The release's contact and quote author exist: they are not reported as unknown.
    let case = "invalid-unknown-partnership";
    build_case(case)
        .assert_error(
            &at(case, RELEASE, "suedhoehe-tannenfelt"),
            "unknown partnership",
        )
        .assert_says("did you mean `suedhoehe-tannenfeld`?");
}

#[test]
fn an_unknown_partner_of_a_partnership_is_reported_once() {
    // The release's quote author belongs to the mistyped partner: not reported again.
    let case = "invalid-unknown-partner";
    build_case(case)
        .assert_error(
            &at(case, PARTNERSHIP, "amt-tannenfelt"),
            "unknown institution `amt-tannenfelt`",
        )
        .assert_says("did you mean `amt-tannenfeld`?");
}

#[test]
fn an_unknown_field_in_site_yaml_does_not_cascade() {
    // `title` and `base_url` are present; `en` has its strings: nothing else is said.
    let case = "invalid-site-unknown-field";
    build_case(case)
        .assert_error(
            &at(case, "content/site.yaml", "news_per_pages"),
            "unknown field `news_per_pages`",
        )
        .assert_says("did you mean `news_per_page`?");
}
