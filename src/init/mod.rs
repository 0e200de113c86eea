//! `partnerpress init`: the files of a new newsroom that builds, passes `check` and
//! is ready to deploy (pure: `output` creates them, never over an existing file).
//!
//! The texts are the built-in ones of `de/` and `en/`: the default language's file is
//! the original, the other language's its translation, so one site shows both kinds.

use crate::model::base_url;
use jiff::civil::Date;
use std::path::PathBuf;

/// What `init` asks nothing about: the command line's flags or their defaults.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The site's title; a bilingual default when `None`.
    pub title: Option<String>,
    /// The site's languages, the default first (`de`, `en`: those the theme has strings for).
    pub languages: Vec<String>,
    /// The address the site will be published at.
    pub base_url: String,
    /// The time zone of embargo times and feed timestamps (IANA name).
    pub timezone: String,
    /// The date of the example release and partnership (today).
    pub today: Date,
}

/// The languages `init` has texts for (and the built-in theme strings).
const LANGUAGES: [&str; 2] = ["de", "en"];

/// The GitHub repository the deploy workflow downloads partnerpress's release from.
const REPOSITORY: &str = "partnerpress/partnerpress";

/// One language's example texts and the ids of their files.
struct Texts {
    title: &'static str,
    description: &'static str,
    press_office: &'static str,
    own: &'static str,
    partner: &'static str,
    partnership: &'static str,
    release: &'static str,
    pages: [(&'static str, &'static str); 3],
    files: [&'static str; 5],
}

const DE: Texts = Texts {
    title: "Partnerschaften des Klinikums Musterstadt",
    description: "Pressemitteilungen und Faktenblätter zu unseren Kooperationen",
    press_office: "Pressestelle",
    own: "klinikum-musterstadt",
    partner: "klinik-beispielstadt",
    partnership: "notfallversorgung",
    release: "kooperation-notfallversorgung",
    pages: [
        ("impressum", include_str!("de/imprint.md")),
        ("datenschutz", include_str!("de/privacy.md")),
        ("barrierefreiheit", include_str!("de/accessibility.md")),
    ],
    files: [
        include_str!("de/own.md"),
        include_str!("de/partner.md"),
        include_str!("de/partnership.md"),
        include_str!("de/release.md"),
        "Deutsche Übersetzung",
    ],
};

const EN: Texts = Texts {
    title: "Partnerships of Musterstadt Hospital",
    description: "Press releases and fact sheets on our partnerships",
    press_office: "Press office",
    own: "musterstadt-hospital",
    partner: "beispielstadt-clinic",
    partnership: "emergency-care",
    release: "emergency-care-cooperation",
    pages: [
        ("legal-notice", include_str!("en/imprint.md")),
        ("privacy", include_str!("en/privacy.md")),
        ("accessibility", include_str!("en/accessibility.md")),
    ],
    files: [
        include_str!("en/own.md"),
        include_str!("en/partner.md"),
        include_str!("en/partnership.md"),
        include_str!("en/release.md"),
        "English translation",
    ],
};

fn texts(lang: &str) -> &'static Texts {
    if lang == "de" { &DE } else { &EN }
}

/// The files of a new site, as paths relative to its root and their text, or why the
/// options cannot make one.
pub(crate) fn site_files(opts: &InitOptions) -> Result<Vec<(PathBuf, String)>, String> {
    check(opts)?;
    let ids = texts(&opts.languages[0]);
    let date = opts.today.to_string();
    let release_id = format!("{date}-{}", ids.release);
    let fill = |text: &str| {
        text.replace("{{own}}", ids.own)
            .replace("{{partner}}", ids.partner)
            .replace("{{partnership}}", ids.partnership)
            .replace("{{date}}", &date)
    };
    let mut files = vec![
        (PathBuf::from("content/site.yaml"), site_yaml(opts)),
        (
            PathBuf::from(".gitignore"),
            include_str!("gitignore").to_owned(),
        ),
        (
            PathBuf::from(".github/workflows/partnerpress.yml"),
            workflow(),
        ),
    ];
    for (i, lang) in opts.languages.iter().enumerate() {
        let t = texts(lang);
        let suffix = if i == 0 {
            String::new()
        } else {
            format!(".{lang}")
        };
        let content = [
            ("institutions", ids.own, t.files[0]),
            ("institutions", ids.partner, t.files[1]),
            ("partnerships", ids.partnership, t.files[2]),
            ("news", release_id.as_str(), t.files[3]),
        ];
        let pages =
            (ids.pages.iter().zip(&t.pages)).map(|((id, _), (_, text))| ("pages", *id, *text));
        for (folder, id, text) in content.into_iter().chain(pages) {
            let mut text = fill(text);
            if i > 0 {
                let note = format!("# {} of {id}.md\n", t.files[4]);
                text.insert_str("---\n".len(), &note);
            }
            let path = PathBuf::from("content")
                .join(folder)
                .join(format!("{id}{suffix}.md"));
            files.push((path, text));
        }
    }
    Ok(files)
}

/// Refuses options that would make a site that does not build.
fn check(opts: &InitOptions) -> Result<(), String> {
    let langs = &opts.languages;
    if langs.is_empty() {
        return Err("`--languages` names no language: pass e.g. `--languages de,en`".into());
    }
    for (i, lang) in langs.iter().enumerate() {
        if !LANGUAGES.contains(&lang.as_str()) {
            return Err(format!(
                "`init` has texts in `de` and `en` only, not `{lang}`: pass `--languages de,en`, `en,de`, `de` or `en` and add translations later"
            ));
        }
        if langs[..i].contains(lang) {
            return Err(format!("`--languages` names `{lang}` twice"));
        }
    }
    base_url(&opts.base_url).map_err(|e| {
        format!("invalid `--base-url`: {e}; pass e.g. `https://presse.example.org/`")
    })?;
    if jiff::tz::TimeZone::get(&opts.timezone).is_err() {
        return Err(format!(
            "unknown time zone `{}`: pass an IANA name such as `Europe/Berlin`",
            opts.timezone
        ));
    }
    if opts.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return Err("the title is empty".into());
    }
    Ok(())
}

/// `site.yaml` with a comment on each setting a press office changes.
fn site_yaml(opts: &InitOptions) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let main = texts(&opts.languages[0]);
    let title = opts.title.as_deref().unwrap_or(main.title);
    let others = &opts.languages[1..];
    let mut yaml = format!(
        "# The site's settings; every key is described in partnerpress's README (\"content/site.yaml\").\n\
         title: {}\n\
         description: {}\n\
         # The address the site is published at. `build --base-url` overrides it (the deploy\n\
         # workflow passes the GitHub Pages address); a sub-path works.\n\
         base_url: {}\n\
         # The default language at /, the others at /<lang>/ (`de` and `en` have built-in texts).\n\
         languages: {{ default: {}, others: [{}] }}\n\
         # Embargo times without an offset are read in this time zone.\n\
         timezone: {}\n\
         # Named on releases that name no contact of their own, and on the press page.\n\
         press_office: {{ name: {}, email: presse@example.org, phone: +49 000 000000-0 }}\n\
         news_per_page: 10\n\
         markdown: {{ raw_html: false }}\n",
        q(title),
        q(main.description),
        opts.base_url,
        opts.languages[0],
        others.join(", "),
        opts.timezone,
        main.press_office,
    );
    if !others.is_empty() {
        yaml.push_str("# The site's texts in the other languages.\ntranslations:\n");
        for lang in others {
            let t = texts(lang);
            let title = if opts.title.is_some() { title } else { t.title };
            yaml.push_str(&format!(
                "  {lang}: {{ title: {}, description: {} }}\n",
                q(title),
                q(t.description)
            ));
        }
    }
    yaml
}

/// The GitHub Actions workflow for a repository that holds only the site's content,
/// pinned to this version of partnerpress.
fn workflow() -> String {
    let version = format!("v{}", env!("CARGO_PKG_VERSION"));
    include_str!("partnerpress.yml")
        .replace("{{version}}", &version)
        .replace("{{repository}}", REPOSITORY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(languages: &[&str]) -> InitOptions {
        InitOptions {
            title: None,
            languages: languages.iter().map(|s| s.to_string()).collect(),
            base_url: "https://presse.example.org/".into(),
            timezone: "Europe/Berlin".into(),
            today: Date::new(2026, 3, 2).unwrap(),
        }
    }

    #[test]
    fn the_default_language_holds_originals_and_the_other_translations() {
        let files = site_files(&opts(&["en", "de"])).unwrap();
        let paths: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        assert!(
            paths.contains(&"content/news/2026-03-02-emergency-care-cooperation.md".into()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"content/pages/privacy.de.md".into()),
            "{paths:?}"
        );
        let yaml = &files[0].1;
        assert!(
            yaml.contains("languages: { default: en, others: [de] }"),
            "{yaml}"
        );
        assert!(files.iter().all(|(_, text)| !text.contains("{{own}}")));
    }

    #[test]
    fn unknown_languages_time_zones_and_addresses_are_refused() {
        assert!(site_files(&opts(&["fr"])).unwrap_err().contains("`fr`"));
        assert!(
            site_files(&opts(&["de", "de"]))
                .unwrap_err()
                .contains("twice")
        );
        let mut o = opts(&["de"]);
        o.timezone = "Europe/Berlinn".into();
        assert!(site_files(&o).unwrap_err().contains("time zone"));
        let mut o = opts(&["de"]);
        o.base_url = "presse".into();
        assert!(site_files(&o).unwrap_err().contains("--base-url"));
        let one = site_files(&opts(&["de"])).unwrap();
        assert!(
            one.iter()
                .all(|(p, _)| !p.to_string_lossy().contains(".en."))
        );
        assert!(one[0].1.contains("others: [] }"), "{}", one[0].1);
    }
}
