//! Ids and slugs: the one definition of what a valid id is and how text becomes one.
//!
//! German transliteration comes first (ä→ae, ö→oe, ü→ue, ß→ss) so "Gefäßchirurgie"
//! becomes `gefaesschirurgie`, not `gefachirurgie`; then other accents are dropped and
//! everything that is not `[a-z0-9]` becomes a single `-`.

/// True for ids the SPEC allows: non-empty lowercase ASCII `[a-z0-9-]`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A URL-safe slug of `text`; never empty (falls back to `-` only if nothing remains).
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            _ => "",
        };
        let mut push = |s: &str| {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push_str(s);
        };
        if !mapped.is_empty() {
            push(mapped);
        } else if c.is_ascii_alphanumeric() {
            push(c.encode_utf8(&mut [0; 4]));
        } else if let Some(base) = strip_accent(c) {
            push(base);
        } else {
            pending_dash = true;
        }
    }
    if out.is_empty() { "-".to_owned() } else { out }
}

/// The ASCII base letter of common Latin accented letters.
pub(crate) fn strip_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ą' => "a",
        'ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ő' => "o",
        'ù' | 'ú' | 'û' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ś' | 'š' => "s",
        'ź' | 'ż' | 'ž' => "z",
        'ł' => "l",
        'ř' => "r",
        'ť' => "t",
        'ď' => "d",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_german_before_ascii() {
        assert_eq!(slugify("Gefäßchirurgie"), "gefaesschirurgie");
        assert_eq!(slugify("Übergangspflege"), "uebergangspflege");
        assert_eq!(slugify("Künstliche Intelligenz"), "kuenstliche-intelligenz");
        assert_eq!(
            slugify("Städtisches Klinikum Dessau-Roßlau"),
            "staedtisches-klinikum-dessau-rosslau"
        );
        assert_eq!(
            slugify("Kinder- und Jugendmedizin"),
            "kinder-und-jugendmedizin"
        );
        assert_eq!(slugify("  Café Crème!  "), "cafe-creme");
        assert_eq!(slugify("???"), "-");
    }

    #[test]
    fn valid_ids() {
        assert!(is_valid_id("uk-magdeburg"));
        assert!(is_valid_id("2024-07-23-x"));
        assert!(!is_valid_id("UK_Magdeburg"));
        assert!(!is_valid_id(""));
        assert!(is_valid_id(&slugify("UK_Magdeburg")));
    }
}
