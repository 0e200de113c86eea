//! `site.yaml` → [`Config`]: title, `base_url`, languages (each needs the theme's
//! interface strings), theme name, time zone, translations of the site's texts.

use super::*;
use crate::content::RawTheme;

impl Resolver<'_> {
    pub(super) fn config(&mut self, raw: &RawSite) -> Option<Config> {
        let Some(src) = raw.config_source.as_ref() else {
            self.diags.push(
                Diagnostic::error(
                    Code::NoConfig,
                    "content/site.yaml",
                    "missing `content/site.yaml`",
                )
                .with_help("create it with at least `title:` and `base_url:`"),
            );
            return None;
        };
        if raw.config_broken {
            return None;
        }
        let c = &raw.config;
        let title = c
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| {
                self.error(
                    src,
                    Code::MissingField,
                    0,
                    "missing required field `title`",
                    Some("add `title: <site title>`".into()),
                );
                String::new()
            });
        let (base_url, base_path) = self.base_url(src, c.base_url.as_deref());
        let base_url = match &self.opts.local_origin {
            Some(origin) => format!("{}{base_path}", origin.trim_end_matches('/')),
            None => base_url,
        };
        let languages = site_languages(c);
        let usable = self.check_languages(src, &languages, &raw.theme);
        self.check_theme(src, &raw.theme);
        let timezone = self.timezone(src, c);
        let (segments, former_segments) = self.segments(src, c, &languages, &raw.theme);
        let (title, description) = self.site_texts(src, c, title, &languages);
        let news_per_page = c.news_per_page.unwrap_or(10);
        if news_per_page == 0 {
            let at = src.locate_key("news_per_page");
            self.error(
                src,
                Code::InvalidValue,
                at,
                "`news_per_page` must be at least 1",
                None,
            );
        }
        usable.then(|| Config {
            title,
            description,
            base_url,
            base_path,
            default_language: languages[0].clone(),
            languages,
            timezone,
            raw_html: c.markdown.as_ref().is_some_and(|m| m.raw_html),
            news_per_page: news_per_page.max(1),
            logo: None,
            share_image: None,
            press_office: None,
            extra: self.extra(src, c.extra.clone()),
            segments,
            former_segments,
        })
    }

    /// Whether the theme has interface strings for every language; an error for each
    /// one it lacks.
    fn check_languages(
        &mut self,
        src: &SourceFile,
        languages: &[String],
        theme: &RawTheme,
    ) -> bool {
        let available: Vec<&String> = theme.i18n.keys().collect();
        let mut usable = true;
        for lang in languages {
            if !theme.i18n.contains_key(lang) {
                let at = src.locate("languages", lang);
                let list = available
                    .iter()
                    .map(|l| format!("`{l}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    src,
                    Code::UnknownLanguage,
                    at,
                    format!("unknown language `{lang}`: the theme has no `i18n/{lang}.yaml`"),
                    Some(format!("languages with interface strings: {list}")),
                );
                usable = false;
            }
        }
        usable
    }

    /// `theme:` names a folder under `themes/` (never a path), or the built-in theme.
    fn check_theme(&mut self, src: &SourceFile, theme: &RawTheme) {
        if !crate::slug::is_valid_id(&theme.name) {
            let at = src.locate_value("theme");
            self.error(
                src,
                Code::InvalidTheme,
                at,
                format!("`theme: {}` is not a theme name", theme.name.escape_debug()),
                Some(
                    "a theme is a folder name under `themes/` in lowercase letters, digits and `-` \
                     (e.g. `theme: klinikum`), or `default` for the built-in theme"
                        .into(),
                ),
            );
        } else if !theme.in_site && theme.name != "default" {
            let at = src.locate("theme", &theme.name);
            self.error(
                src,
                Code::UnknownTheme,
                at,
                format!(
                    "theme `{}` not found: there is no `themes/{}/`",
                    theme.name, theme.name
                ),
                Some("use `theme: default` (built in) or create the theme folder".into()),
            );
        }
    }

    /// The site's time zone (UTC when none is given or it is unknown).
    fn timezone(&mut self, src: &SourceFile, c: &RawConfig) -> jiff::tz::TimeZone {
        let name = c.timezone.clone().unwrap_or_else(|| "UTC".to_owned());
        match jiff::tz::TimeZone::get(&name) {
            Ok(tz) => tz,
            Err(_) => {
                let at = src.locate("timezone", &name);
                self.error(
                    src,
                    Code::UnknownTimezone,
                    at,
                    format!("unknown time zone `{name}`"),
                    Some("use an IANA name such as `Europe/Berlin`".into()),
                );
                jiff::tz::TimeZone::UTC
            }
        }
    }

    /// The site's title and description with their `translations:`.
    fn site_texts(
        &mut self,
        src: &SourceFile,
        c: &RawConfig,
        title: String,
        languages: &[String],
    ) -> (Localized<String>, Localized<String>) {
        let mut title = Localized::new(title);
        let mut description = Localized::new(c.description.clone().unwrap_or_default());
        for (lang, t) in &c.translations {
            if !languages[1..].contains(lang) {
                let at = src.locate("translations", lang);
                self.error(
                    src,
                    Code::UnknownLanguage,
                    at,
                    format!("translation for `{lang}`, which is not among `languages.others`"),
                    None,
                );
                continue;
            }
            if let Some(v) = &t.title {
                title.translations.insert(lang.clone(), v.clone());
            }
            if let Some(v) = &t.description {
                description.translations.insert(lang.clone(), v.clone());
            }
        }
        (title, description)
    }
}

/// The default language first (`de` when none is given), then the others in the order
/// given, each once.
fn site_languages(c: &RawConfig) -> Vec<String> {
    let (default_language, others) = match &c.languages {
        Some(l) => (l.default.clone(), l.others.clone()),
        None => ("de".to_owned(), Vec::new()),
    };
    let mut languages = vec![default_language];
    for lang in others {
        if !languages.contains(&lang) {
            languages.push(lang);
        }
    }
    languages
}
