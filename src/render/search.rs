//! The search index: per language one JSON file (`search/index.json`, `en/search/index.json`)
//! that `search.js` fetches once on the search page. Pure.
//!
//! `{"lang": "de", "entries": [{"k", "t", "u", "d", "x", "s"}, …]}`: kind (`release`,
//! `institution`, `partnership`, `topic`), title, URL path (with the base path), date
//! (releases only), a short plain text (the summary, or the start of the body) and the
//! search terms: the folded ([`fold`]) distinct words of the title, the text, the body
//! (up to [`BODY_WORDS`]), partner, partnership and topic names, space-separated, without
//! a word that is the start of another one (the client matches word prefixes). Entries in
//! site order (releases newest first), so the output is deterministic.

use super::i18n::Language;
use super::routes::Routes;
use super::{Bodies, OutputFile};
use crate::model::Site;
use rayon::prelude::*;
use serde::Serialize;

/// Characters of the short text shown with a hit.
const TEXT_CHARS: usize = 160;
/// Words of a body that go into its terms, so 10,000 releases stay a few MB.
const BODY_WORDS: usize = 60;

#[derive(Serialize)]
struct Index<'a> {
    lang: &'a str,
    entries: Vec<Entry>,
}

#[derive(Serialize)]
struct Entry {
    k: &'static str,
    t: String,
    u: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<String>,
    x: String,
    s: String,
}

/// One index file per language.
pub(super) fn files(
    site: &Site,
    routes: &Routes,
    languages: &[Language],
    bodies: &Bodies,
) -> Vec<OutputFile> {
    languages
        .iter()
        .enumerate()
        .map(|(li, lang)| {
            let l = lang.code.as_str();
            let index = Index {
                lang: l,
                entries: {
                    let mut entries = entries(site, routes, l, li, bodies);
                    entries.extend(press_entry(site, routes, lang));
                    entries
                },
            };
            let json = serde_json::to_string(&index).unwrap_or_default();
            OutputFile {
                path: Routes::file(&routes.search_index(l)),
                contents: bytes::Bytes::from(json.into_bytes()),
            }
        })
        .collect()
}

fn entries(site: &Site, routes: &Routes, l: &str, li: usize, bodies: &Bodies) -> Vec<Entry> {
    let inst_name = |i: crate::model::InstitutionId| site.institutions[i.0].name.get(l).as_str();
    let topic_name = |t: crate::model::TopicId| site.topics[t.0].name.get(l).as_str();
    // The short text (160 characters) and the terms need only a body's first words.
    let mut out: Vec<Entry> = site
        .releases
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            let body = plain_text(&bodies.releases[li][i], BODY_WORDS * 2);
            let title = r.title.get(l).clone();
            let text = short_text(r.summary.get(l).as_deref(), &body);
            let mut extra: Vec<&str> = r.partners.iter().map(|&p| inst_name(p)).collect();
            extra.extend(r.topics.iter().map(|&t| topic_name(t)));
            extra.extend(
                r.partnership
                    .map(|p| site.partnerships[p.0].title.get(l).as_str()),
            );
            Entry {
                k: "release",
                s: terms(&[&title, &text], &extra.join(" "), &body),
                t: title,
                u: routes.path(&routes.release(l, &r.slug)),
                d: Some(r.date.to_string()),
                x: text,
            }
        })
        .collect();
    for (i, inst) in site.institutions.iter().enumerate() {
        let body = plain_text(&bodies.institutions[li][i], BODY_WORDS * 2);
        let title = inst.name.get(l).clone();
        let text = short_text(None, &body);
        let mut extra: Vec<&str> = inst.aliases.iter().map(String::as_str).collect();
        extra.extend(inst.short_name.get(l).as_deref());
        extra.extend(inst.city.get(l).as_deref());
        out.push(Entry {
            k: "institution",
            s: terms(&[&title, &text], &extra.join(" "), &body),
            t: title,
            u: routes.path(&routes.partner(l, &inst.id)),
            d: None,
            x: text,
        });
    }
    for (i, p) in site.partnerships.iter().enumerate() {
        let body = plain_text(&bodies.partnerships[li][i], BODY_WORDS * 2);
        let title = p.title.get(l).clone();
        let text = short_text(p.summary.get(l).as_deref(), &body);
        let mut extra: Vec<&str> = p.partners.iter().map(|&x| inst_name(x)).collect();
        extra.extend(p.focus.iter().map(|&t| topic_name(t)));
        out.push(Entry {
            k: "partnership",
            s: terms(&[&title, &text], &extra.join(" "), &body),
            t: title,
            u: routes.path(&routes.partnership(l, &p.id)),
            d: None,
            x: text,
        });
    }
    for t in &site.topics {
        let title = t.name.get(l).clone();
        out.push(Entry {
            k: "topic",
            s: String::new(),
            t: title,
            u: routes.path(&routes.topic(l, &t.slug)),
            d: None,
            x: String::new(),
        });
    }
    out
}

/// The press contacts page, found by the names, roles and institutions it lists.
fn press_entry(site: &Site, routes: &Routes, lang: &Language) -> Option<Entry> {
    let l = lang.code.as_str();
    if !crate::render::pages::has_press_page(site) {
        return None;
    }
    let mut names: Vec<String> = site
        .config
        .press_office
        .iter()
        .map(|p| p.name.clone())
        .collect();
    for (institution, index) in crate::render::vcard::media_contacts(site) {
        let inst = &site.institutions[institution];
        let person = inst.person_in(l, index);
        names.push(person.name);
        names.extend(person.role);
        names.push(inst.name.get(l).clone());
    }
    let title = lang.t("title.press");
    Some(Entry {
        k: "press",
        s: terms(&[&title], &names.join(" "), ""),
        t: title,
        u: routes.path(&routes.press(l)),
        d: None,
        x: String::new(),
    })
}

/// Lowercase, German umlauts transliterated (`ä` → `ae`, `ß` → `ss`), other accents
/// dropped, so `Gefäßchirurgie`, `Gefässchirurgie` and `gefaess` meet. `search.js`
/// folds queries the same way.
pub(super) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // Most characters are ASCII; the Unicode tables are only for the rest.
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(|c| push_folded(&mut out, c));
        }
    }
    out
}

/// Pushes lowercase `c` with its umlaut transliterated or its accent dropped (the same
/// letters as slugs, `slug::strip_accent`).
fn push_folded(out: &mut String, c: char) {
    let s = match c {
        'ä' => "ae",
        'ö' => "oe",
        'ü' => "ue",
        'ß' => "ss",
        _ => match crate::slug::strip_accent(c) {
            Some(s) => s,
            None => {
                out.push(c);
                return;
            }
        },
    };
    out.push_str(s);
}

/// The distinct folded words of `extra` and of the first [`BODY_WORDS`] words of
/// `body`, sorted, without single letters, without a word that starts another one (a
/// prefix search finds it anyway) and without the words of `shown` (title and text,
/// which the client splits itself), space-separated.
fn terms(shown: &[&str], extra: &str, body: &str) -> String {
    let (shown, extra, body) = (fold(&shown.join(" ")), fold(extra), fold(body));
    let mut shown: Vec<&str> = words(&shown).collect();
    shown.sort_unstable();
    let mut all = shown.clone();
    all.extend(words(&extra));
    all.extend(words(&body).take(BODY_WORDS));
    all.retain(|w| w.chars().nth(1).is_some());
    all.sort_unstable();
    all.dedup();
    let mut kept: Vec<&str> = Vec::with_capacity(all.len());
    for (i, w) in all.iter().enumerate() {
        // Sorted: a word that starts another is directly followed by one that starts with it.
        if all.get(i + 1).is_some_and(|next| next.starts_with(w)) {
            continue;
        }
        if shown.binary_search(w).is_err() {
            kept.push(w);
        }
    }
    kept.join(" ")
}

/// The runs of letters and digits of folded text.
fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The summary, or the start of the body cut at a word boundary.
fn short_text(summary: Option<&str>, body: &str) -> String {
    if let Some(s) = summary.filter(|s| !s.trim().is_empty()) {
        return s.trim().to_owned();
    }
    if body.chars().count() <= TEXT_CHARS {
        return body.to_owned();
    }
    let cut: String = body.chars().take(TEXT_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > TEXT_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// Rendered HTML → plain text, up to `max_words` words: tags dropped (block ends
/// become spaces), the entities pulldown-cmark writes decoded, whitespace collapsed.
/// One pass that stops early, since the index needs only the start of a body; figures
/// (body images) are left out.
pub(super) fn plain_text(html: &str, max_words: usize) -> String {
    const ENTITIES: [(&str, char); 5] = [
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&amp;", '&'),
    ];
    let mut out = String::with_capacity(html.len().min(max_words * 12));
    let mut words = 0;
    let mut space = false;
    let mut in_tag = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let mut len = c.len_utf8();
        let text = match c {
            // A figure's caption, credit and download label are not the text's words.
            '<' if rest.starts_with("<figure") => {
                len = rest
                    .find("</figure>")
                    .map_or(rest.len(), |end| end + "</figure>".len());
                None
            }
            '<' => {
                in_tag = true;
                None
            }
            '>' if in_tag => {
                in_tag = false;
                None
            }
            _ if in_tag => None,
            '&' => match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                Some((e, decoded)) => {
                    len = e.len();
                    Some(*decoded)
                }
                None => Some('&'),
            },
            c => Some(c),
        };
        rest = &rest[len..];
        match text {
            None => space = true,
            Some(c) if c.is_whitespace() => space = true,
            Some(c) => {
                // Inline tags split words from their punctuation: `<em>x</em>.` → `x.`
                let joins = matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')');
                if space && !out.is_empty() && !joins && !out.ends_with('(') {
                    words += 1;
                    if words >= max_words {
                        break;
                    }
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_german_and_accents() {
        assert_eq!(fold("Gefäßchirurgie"), "gefaesschirurgie");
        assert_eq!(fold("Gefässchirurgie"), "gefaesschirurgie");
        assert_eq!(fold("ÖSTERREICH Über"), "oesterreich ueber");
        assert_eq!(fold("Café Señor"), "cafe senor");
    }

    fn tokens(text: &str) -> Vec<String> {
        words(&fold(text)).map(str::to_owned).collect()
    }

    #[test]
    fn tokens_split_on_punctuation() {
        assert_eq!(
            tokens("Herz-Zentrum: Ärzte (2024), Köln!"),
            ["herz", "zentrum", "aerzte", "2024", "koeln"]
        );
        assert!(tokens(" – … ").is_empty());
    }

    #[test]
    fn terms_are_sorted_distinct_and_drop_prefixes() {
        assert_eq!(
            terms(&[], "Herz Herzzentrum herz Köln", "Köln Bonn a"),
            "bonn herzzentrum koeln"
        );
        assert_eq!(
            terms(&["Herzzentrum Bonn"], "Herz Köln", "Köln Bonn Bonner"),
            "bonner koeln"
        );
        let many = (0..500)
            .map(|i| format!("w{i}x"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(terms(&[], "", &many).split(' ').count(), BODY_WORDS);
    }

    #[test]
    fn plain_text_drops_tags_and_decodes() {
        assert_eq!(
            plain_text(
                "<h2 id=\"a\">Titel</h2>\n<p>A &amp; <em>B</em>, &lt;c&gt;. (<em>d</em>) &amp</p>",
                100
            ),
            "Titel A & B, <c>. (d) &amp"
        );
        assert_eq!(
            plain_text("<p>eins zwei</p><p>drei vier</p>", 3),
            "eins zwei drei"
        );
        assert_eq!(
            plain_text(
                "<p>vor</p><figure class=\"photo\"><figcaption>Foto: X <a>Original herunterladen</a></figcaption></figure><p>nach</p>",
                10
            ),
            "vor nach"
        );
    }

    #[test]
    fn short_text_prefers_the_summary_and_cuts_at_a_word() {
        assert_eq!(short_text(Some(" Kurz "), "lang"), "Kurz");
        let long = "wort ".repeat(100);
        let s = short_text(None, long.trim());
        assert!(
            s.ends_with("wort…") && s.chars().count() <= TEXT_CHARS + 1,
            "{s}"
        );
    }
}
