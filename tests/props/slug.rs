//! Properties of ids and slugs: `slugify` always yields a valid, stable id.

use super::*;

// ---------------------------------------------------------------------------------
// Slugs and ids
// ---------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]
    #[test]
    fn slugify_always_yields_a_valid_id(s in any::<String>()) {
        let slug = slugify(&s);
        prop_assert!(is_valid_id(&slug), "{s:?} → {slug:?}");
    }

    #[test]
    fn slugify_is_idempotent(s in any::<String>()) {
        let slug = slugify(&s);
        prop_assert_eq!(slugify(&slug), slug.clone(), "input {:?}", s);
    }

    /// No leading, trailing or doubled dash, except the documented fallback `-` for
    /// a text with nothing sluggable in it.
    #[test]
    fn slugify_has_no_stray_dashes(s in any::<String>()) {
        let slug = slugify(&s);
        if slug != "-" {
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{s:?} → {slug:?}");
            prop_assert!(!slug.contains("--"), "{s:?} → {slug:?}");
        }
    }

    #[test]
    fn slugify_falls_back_to_a_dash_only_without_letters_or_digits(
        s in "[ !?.,;:_/()\\[\\]{}'\"#&*+=\t\n-]{0,20}"
    ) {
        prop_assert_eq!(slugify(&s), "-");
    }

    /// Words of `[a-z0-9]` joined by any run of non-alphanumeric ASCII come out joined
    /// by single dashes, and uppercase ASCII is lowercased.
    #[test]
    fn slugify_joins_words_with_single_dashes(
        words in prop::collection::vec("[a-zA-Z0-9]{1,8}", 1..6),
        seps in prop::collection::vec("[ !?.,;:_/()'\"#&*+=\t\n-]{1,3}", 6),
        lead in "[ _-]{0,2}",
        trail in "[ !.-]{0,2}",
    ) {
        let mut text = lead;
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                text.push_str(&seps[i]);
            }
            text.push_str(w);
        }
        text.push_str(&trail);
        prop_assert_eq!(slugify(&text), words.join("-").to_ascii_lowercase());
    }

    /// A well-formed id is its own slug.
    #[test]
    fn slugify_keeps_well_formed_ids(id in "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,4}") {
        prop_assert!(is_valid_id(&id));
        prop_assert_eq!(slugify(&id), id);
    }

    /// German letters, in either case, are transliterated: ä→ae, ö→oe, ü→ue, ß→ss.
    #[test]
    fn slugify_transliterates_german(s in "[äöüßÄÖÜẞ]{1,20}") {
        let expected: String = s
            .chars()
            .map(|c| match c {
                'ä' | 'Ä' => "ae",
                'ö' | 'Ö' => "oe",
                'ü' | 'Ü' => "ue",
                _ => "ss",
            })
            .collect();
        prop_assert_eq!(slugify(&s), expected);
    }

    /// Transliteration is per letter inside words too ("Gefäßchirurgie").
    #[test]
    fn slugify_transliterates_inside_words(
        parts in prop::collection::vec(("[a-z]{0,4}", "[äöüß]"), 1..5),
    ) {
        let text: String = parts.iter().map(|(a, u)| format!("{a}{u}")).collect();
        let expected: String = parts
            .iter()
            .map(|(a, u)| {
                let t = match u.as_str() {
                    "ä" => "ae",
                    "ö" => "oe",
                    "ü" => "ue",
                    _ => "ss",
                };
                format!("{a}{t}")
            })
            .collect();
        prop_assert_eq!(slugify(&text), expected);
    }

    #[test]
    fn is_valid_id_accepts_exactly_lowercase_ascii_digits_and_dashes(s in any::<String>()) {
        let expected = !s.is_empty()
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        prop_assert_eq!(is_valid_id(&s), expected);
    }

    #[test]
    fn is_valid_id_accepts_generated_ids(id in id()) {
        prop_assert!(is_valid_id(&id));
    }
}
