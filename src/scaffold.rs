//! `partnerpress new`: the text of a new content file with valid front matter.
//!
//! Pure: picks the path and writes the YAML; reading known ids is `content`'s job and
//! creating the file is `output`'s.

use crate::content::ContentKind;
use crate::diagnostics::nearest;
use crate::model::segments::{Segments, reserved_page};
use crate::slug::{is_valid_id, slugify};
use jiff::civil::Date;
use std::path::PathBuf;

/// What `new` can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// A press release in `content/news/`.
    News,
    /// An institution in `content/institutions/`.
    Institution,
    /// A partnership in `content/partnerships/`.
    Partnership,
    /// A free page in `content/pages/`.
    Page,
}

impl NewKind {
    /// The folder under `content/` that holds this kind.
    pub fn folder(self) -> &'static str {
        let kind = match self {
            NewKind::News => ContentKind::Release,
            NewKind::Institution => ContentKind::Institution,
            NewKind::Partnership => ContentKind::Partnership,
            NewKind::Page => ContentKind::Page,
        };
        kind.folder()
    }
}

/// The request as the command line gives it.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// What to create.
    pub kind: NewKind,
    /// The title; the id is made from it unless given.
    pub title: String,
    /// Institution ids for `partners:`.
    pub partners: Vec<String>,
    /// The partnership id for `partnership:`.
    pub partnership: Option<String>,
    /// The date of a release (its file name starts with it).
    pub date: Date,
    /// The id to use instead of one made from the title (`--id`).
    pub id: Option<String>,
    /// `--lang`: a translation of the file with the id `--id` into this language.
    pub lang: Option<String>,
    /// Media contacts of a release (`<institution-id>/<name-slug>`).
    pub contacts: Vec<String>,
    /// The summary of a release or page.
    pub summary: Option<String>,
}

/// Ids that exist, for checking references before the file is created.
#[derive(Debug, Clone, Default)]
pub(crate) struct KnownIds {
    pub institutions: Vec<String>,
    pub partnerships: Vec<String>,
    pub releases: Vec<String>,
    pub pages: Vec<String>,
    /// The site's languages, the default first (from `site.yaml`), which free pages may not take as ids.
    pub languages: Vec<String>,
    /// Each language's URL segments, which free pages may not take as ids either.
    pub segments: Vec<Segments>,
}

/// Ids made from a title stop at a word boundary before this length: file names stay
/// far below the 255 bytes file systems allow, and URLs readable.
const MAX_ID_LEN: usize = 60;

/// The new file's path (relative to the site root) and text, or why it cannot be made.
pub(crate) fn scaffold(req: &NewFile, known: &KnownIds) -> Result<(PathBuf, String), String> {
    if req.title.trim().is_empty() {
        return Err("the title is empty".to_owned());
    }
    for id in &req.partners {
        check_known("institution", id, &known.institutions)?;
    }
    if let Some(p) = &req.partnership {
        check_known("partnership", p, &known.partnerships)?;
    }
    for contact in &req.contacts {
        let institution = contact.split_once('/').map(|(i, _)| i).ok_or_else(|| {
            format!("`{contact}` is not a contact: write `<institution-id>/<name-slug>`, e.g. `uk-magdeburg/erika-mustermann`")
        })?;
        check_known("institution", institution, &known.institutions)?;
    }
    if let Some(lang) = &req.lang {
        return translation(req, lang, known);
    }
    let slug = new_id(req, known)?;
    let list = |ids: &[String]| format!("[{}]", ids.join(", "));
    let summary = q(req.summary.as_deref().unwrap_or(""));
    let (file, front) = match req.kind {
        NewKind::News => {
            let mut front = format!("title: {}\ndate: {}\n", q(&req.title), req.date);
            if let Some(p) = &req.partnership {
                front.push_str(&format!("partnership: {p}\n"));
            }
            if !req.partners.is_empty() {
                front.push_str(&format!("partners: {}\n", list(&req.partners)));
            }
            front.push_str(&format!("summary: {summary}\ntopics: []\n"));
            if !req.contacts.is_empty() {
                front.push_str(&format!("contacts: {}\n", list(&req.contacts)));
            }
            front.push_str("draft: true\n");
            (format!("{}-{slug}.md", req.date), front)
        }
        NewKind::Institution => (
            format!("{slug}.md"),
            format!(
                "name: {}\nkind: hospital\naliases: []\nfacts: []\npeople: []\n",
                q(&req.title)
            ),
        ),
        NewKind::Partnership => {
            if req.partners.len() < 2 {
                return Err(
                    "a partnership needs at least two partners: pass `--partners a,b`".to_owned(),
                );
            }
            (
                format!("{slug}.md"),
                format!(
                    "title: {}\npartners: {}\nkind: cooperation\nstatus: planned\nfocus: []\nevents: []\n",
                    q(&req.title),
                    list(&req.partners)
                ),
            )
        }
        NewKind::Page => {
            let summary = req
                .summary
                .as_deref()
                .map(|s| format!("summary: {}\n", q(s)));
            let summary = summary.unwrap_or_default();
            (
                format!("{slug}.md"),
                format!("title: {}\n{summary}draft: true\n", q(&req.title)),
            )
        }
    };
    let path = PathBuf::from("content").join(req.kind.folder()).join(file);
    Ok((path, format!("---\n{front}---\n\n")))
}

/// A value as a YAML scalar (JSON's quoting is valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// What a translation of each kind may hold besides `title` (or `name`) and the body.
fn translatable(kind: NewKind) -> &'static str {
    match kind {
        NewKind::News => {
            "summary, topics (by position), source, quotes (each `text`), image (alt, caption), place"
        }
        NewKind::Institution => {
            "short_name, aliases, boilerplate, article, about_title, people (each `role`), facts (label, note, value), city, region, image, logo"
        }
        NewKind::Partnership => {
            "summary, focus (by position), events (each `title`), facts (label, note, value), image"
        }
        NewKind::Page => "summary",
    }
}

/// `new … --lang en --id <id>`: `<id>.en.md` beside the original, with the title and a
/// comment listing what else may be translated (the rest comes from the original).
fn translation(req: &NewFile, lang: &str, known: &KnownIds) -> Result<(PathBuf, String), String> {
    if !req.partners.is_empty() || req.partnership.is_some() || !req.contacts.is_empty() {
        return Err("a translation takes partners, partnership and contacts from its original: leave out `--partners`, `--partnership` and `--contacts`".to_owned());
    }
    match known.languages.iter().position(|l| l == lang) {
        Some(0) => {
            return Err(format!(
                "`{lang}` is the site's default language, the language of the originals: pass one of the other languages"
            ));
        }
        Some(_) => {}
        None => {
            return Err(format!(
                "`{lang}` is not a language of the site ({}): add it to `languages: {{ others: [...] }}` in content/site.yaml first",
                known.languages.join(", ")
            ));
        }
    }
    let Some(id) = &req.id else {
        return Err("name the original with `--id`, e.g. `--id 2026-03-02-kooperation` for content/news/2026-03-02-kooperation.md".to_owned());
    };
    let originals = match req.kind {
        NewKind::News => &known.releases,
        NewKind::Institution => &known.institutions,
        NewKind::Partnership => &known.partnerships,
        NewKind::Page => &known.pages,
    };
    let dated = |o: &&String| o.len() > 11 && o[11..] == **id && o.as_bytes()[10] == b'-';
    let original = originals
        .iter()
        .find(|o| *o == id)
        .or_else(|| originals.iter().find(dated));
    let Some(original) = original else {
        return Err(unknown(
            &format!("{} file", req.kind.folder()),
            id,
            originals,
        ));
    };
    let title_key = if req.kind == NewKind::Institution {
        "name"
    } else {
        "title"
    };
    let mut front = format!(
        "# The {lang} translation of {original}.md: only what differs by language; the rest\n# comes from the original. It may also hold: {}.\n{title_key}: {}\n",
        translatable(req.kind),
        q(&req.title)
    );
    if let Some(summary) = &req.summary {
        front.push_str(&format!("summary: {}\n", q(summary)));
    }
    let path = PathBuf::from("content")
        .join(req.kind.folder())
        .join(format!("{original}.{lang}.md"));
    Ok((path, format!("---\n{front}---\n\n")))
}

/// The id of the new file: `--id` as given, or the title's slug cut at a word
/// boundary; either must be valid, and a free page's must not be a reserved one.
fn new_id(req: &NewFile, known: &KnownIds) -> Result<String, String> {
    let id = match &req.id {
        Some(id) if is_valid_id(id) && !id.starts_with('-') && !id.ends_with('-') => id.clone(),
        Some(id) => {
            return Err(format!(
                "`{id}` is not a valid id: use lowercase letters, digits and `-` (e.g. `{}`)",
                slugify(id).trim_matches('-')
            ));
        }
        None => {
            let slug = slugify(&req.title);
            let id = shorten(slug.trim_matches('-'));
            if id.is_empty() {
                return Err(format!(
                    "no id can be made from the title `{}`: it has no letters or digits; pass `--id <id>` or a title with letters",
                    req.title
                ));
            }
            id
        }
    };
    if req.kind == NewKind::Page {
        let owner = reserved_page(&id, &known.segments);
        if owner.is_some() || known.languages.contains(&id) {
            let what = owner.unwrap_or("the site's pages in that language");
            return Err(format!(
                "the page id `{id}` is reserved: /{id}/ holds {what}; pass another id with `--id`, e.g. `--id {id}-info`"
            ));
        }
    }
    Ok(id)
}

/// `id` cut to at most `MAX_ID_LEN` bytes, at the last `-` before the limit when
/// there is one.
fn shorten(id: &str) -> String {
    if id.len() <= MAX_ID_LEN {
        return id.to_owned();
    }
    let head = &id[..MAX_ID_LEN];
    let cut = match head.rfind('-') {
        Some(dash) if dash > 0 => &head[..dash],
        _ => head,
    };
    cut.trim_end_matches('-').to_owned()
}

fn check_known(kind: &str, id: &str, known: &[String]) -> Result<(), String> {
    if known.iter().any(|k| k == id) {
        return Ok(());
    }
    Err(unknown(kind, id, known))
}

/// "unknown institution `x`; did you mean `y`?"
fn unknown(kind: &str, id: &str, known: &[String]) -> String {
    let hint = nearest(id, known.iter().map(String::as_str))
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    format!("unknown {kind} `{id}`{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(kind: NewKind, title: &str, partners: &[&str]) -> NewFile {
        NewFile {
            kind,
            title: title.to_owned(),
            partners: partners.iter().map(|s| s.to_string()).collect(),
            partnership: None,
            date: Date::new(2024, 2, 29).unwrap(),
            id: None,
            lang: None,
            contacts: Vec::new(),
            summary: None,
        }
    }

    fn known() -> KnownIds {
        KnownIds {
            institutions: vec!["uk-magdeburg".into(), "harzklinikum".into()],
            partnerships: vec![],
            releases: vec!["2024-02-29-kooperation".into()],
            pages: vec![],
            languages: vec!["de".into(), "en".into()],
            segments: vec![Segments::default()],
        }
    }

    #[test]
    fn news_file_is_dated_slugged_and_quoted() {
        let (path, text) = scaffold(
            &req(
                NewKind::News,
                "Zweite Phase: Gefäßzentrum",
                &["uk-magdeburg"],
            ),
            &known(),
        )
        .unwrap();
        assert_eq!(
            path,
            PathBuf::from("content/news/2024-02-29-zweite-phase-gefaesszentrum.md")
        );
        assert!(
            text.starts_with("---\ntitle: \"Zweite Phase: Gefäßzentrum\"\ndate: 2024-02-29\n"),
            "{text}"
        );
        assert!(text.contains("partners: [uk-magdeburg]\n"));
    }

    #[test]
    fn a_translation_names_its_original_and_what_it_may_translate() {
        let mut r = req(NewKind::News, "Cooperation: phase two", &[]);
        r.lang = Some("en".into());
        r.id = Some("kooperation".into());
        let (path, text) = scaffold(&r, &known()).unwrap();
        assert_eq!(
            path,
            PathBuf::from("content/news/2024-02-29-kooperation.en.md")
        );
        assert!(
            text.contains("translation of 2024-02-29-kooperation.md"),
            "{text}"
        );
        assert!(
            text.contains("title: \"Cooperation: phase two\"\n"),
            "{text}"
        );
        r.lang = Some("de".into());
        assert!(
            scaffold(&r, &known())
                .unwrap_err()
                .contains("default language")
        );
        r.lang = Some("fr".into());
        assert!(
            scaffold(&r, &known())
                .unwrap_err()
                .contains("not a language")
        );
        r.lang = Some("en".into());
        r.id = Some("2024-02-29-kooperatoin".into());
        assert!(scaffold(&r, &known()).unwrap_err().contains("did you mean"));
    }

    #[test]
    fn contacts_and_summary_go_into_a_release() {
        let mut r = req(NewKind::News, "Neu", &["uk-magdeburg"]);
        r.contacts = vec!["uk-magdeburg/erika-muster".into()];
        r.summary = Some("Kurz: gesagt".into());
        let (_, text) = scaffold(&r, &known()).unwrap();
        assert!(
            text.contains("contacts: [uk-magdeburg/erika-muster]\n"),
            "{text}"
        );
        assert!(text.contains("summary: \"Kurz: gesagt\"\n"), "{text}");
        r.contacts = vec!["uk-magdebrug/x".into()];
        assert!(scaffold(&r, &known()).unwrap_err().contains("did you mean"));
    }

    #[test]
    fn unknown_partners_are_refused_with_a_suggestion() {
        let err = scaffold(&req(NewKind::News, "X", &["uk-magdebrug"]), &known()).unwrap_err();
        assert!(err.contains("did you mean `uk-magdeburg`?"), "{err}");
        assert!(scaffold(&req(NewKind::Partnership, "P", &["uk-magdeburg"]), &known()).is_err());
    }

    #[test]
    fn ids_are_made_from_letters_cut_at_a_word_and_never_reserved() {
        let id =
            |kind, title: &str| scaffold(&req(kind, title, &[]), &known()).map(|(path, _)| path);
        for title in ["!!!", "🎉🎉", "  ?? ", "---"] {
            let err = id(NewKind::Page, title).unwrap_err();
            assert!(err.contains("--id"), "{title}: {err}");
        }
        let long = "Kooperation ".repeat(25);
        let path = id(NewKind::Page, &long).unwrap();
        let stem = path.file_stem().unwrap().to_str().unwrap();
        assert!(
            stem.len() <= MAX_ID_LEN && stem.ends_with("kooperation"),
            "{stem}"
        );
        let path = id(NewKind::News, &"x".repeat(300)).unwrap();
        assert!(path.file_name().unwrap().len() < 100, "{path:?}");
        for reserved in ["Search", "News", "EN", "404", "Topics"] {
            let err = id(NewKind::Page, reserved).unwrap_err();
            assert!(err.contains("reserved"), "{reserved}: {err}");
        }
        assert!(id(NewKind::Institution, "Search").is_ok());
        let mut with_id = req(NewKind::Page, "🎉", &[]);
        with_id.id = Some("feier".into());
        let (path, text) = scaffold(&with_id, &known()).unwrap();
        assert_eq!(path, PathBuf::from("content/pages/feier.md"));
        assert!(text.contains("title: \"🎉\""), "{text}");
        with_id.id = Some("Feier!".into());
        assert!(
            scaffold(&with_id, &known())
                .unwrap_err()
                .contains("`feier`")
        );
    }
}
