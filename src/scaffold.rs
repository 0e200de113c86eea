//! `partnerpress new`: the text of a new content file with valid front matter.
//!
//! Pure: picks the path and writes the YAML; reading known ids is `content`'s job and
//! creating the file is `output`'s.

use crate::diagnostics::nearest;
use crate::slug::slugify;
use jiff::civil::Date;
use std::path::PathBuf;

/// What `new` can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    News,
    Institution,
    Partnership,
    Page,
}

impl NewKind {
    pub fn folder(self) -> &'static str {
        match self {
            NewKind::News => "news",
            NewKind::Institution => "institutions",
            NewKind::Partnership => "partnerships",
            NewKind::Page => "pages",
        }
    }
}

/// The request as the command line gives it.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub kind: NewKind,
    pub title: String,
    pub partners: Vec<String>,
    pub partnership: Option<String>,
    pub date: Date,
}

/// Ids that exist, for checking references before the file is created.
#[derive(Debug, Clone, Default)]
pub struct KnownIds {
    pub institutions: Vec<String>,
    pub partnerships: Vec<String>,
}

/// The new file's path (relative to the site root) and text, or why it cannot be made.
pub fn scaffold(req: &NewFile, known: &KnownIds) -> Result<(PathBuf, String), String> {
    if req.title.trim().is_empty() {
        return Err("the title is empty".to_owned());
    }
    for id in &req.partners {
        check_known("institution", id, &known.institutions)?;
    }
    if let Some(p) = &req.partnership {
        check_known("partnership", p, &known.partnerships)?;
    }
    let slug = slugify(&req.title);
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let list = |ids: &[String]| format!("[{}]", ids.join(", "));
    let (file, front) = match req.kind {
        NewKind::News => {
            let mut front = format!("title: {}\ndate: {}\n", q(&req.title), req.date);
            if let Some(p) = &req.partnership {
                front.push_str(&format!("partnership: {p}\n"));
            }
            if !req.partners.is_empty() {
                front.push_str(&format!("partners: {}\n", list(&req.partners)));
            }
            front.push_str("summary: \"\"\ntopics: []\ndraft: true\n");
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
        NewKind::Page => (
            format!("{slug}.md"),
            format!("title: {}\ndraft: true\n", q(&req.title)),
        ),
    };
    let path = PathBuf::from("content").join(req.kind.folder()).join(file);
    Ok((path, format!("---\n{front}---\n\n")))
}

fn check_known(kind: &str, id: &str, known: &[String]) -> Result<(), String> {
    if known.iter().any(|k| k == id) {
        return Ok(());
    }
    let hint = nearest(id, known.iter().map(String::as_str))
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Err(format!("unknown {kind} `{id}`{hint}"))
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
        }
    }

    fn known() -> KnownIds {
        KnownIds {
            institutions: vec!["uk-magdeburg".into(), "harzklinikum".into()],
            partnerships: vec![],
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
    fn unknown_partners_are_refused_with_a_suggestion() {
        let err = scaffold(&req(NewKind::News, "X", &["uk-magdebrug"]), &known()).unwrap_err();
        assert!(err.contains("did you mean `uk-magdeburg`?"), "{err}");
        assert!(scaffold(&req(NewKind::Partnership, "P", &["uk-magdeburg"]), &known()).is_err());
    }
}
