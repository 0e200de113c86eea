//! Checks of single values while resolving: `base_url`, links and contact details
//! (through `model::values`), free-form `extra`, coordinates, people, topic names. Each
//! refusal is a located error and the value is left out, so nothing unchecked reaches
//! a page, a feed or the open data.

use super::*;
use crate::diagnostics::Code;

impl Resolver<'_> {
    /// `base_url` normalised, and its path; a bad `--base-url` is blamed on the option,
    /// not on site.yaml. After an error, resolution goes on with a stand-in address so
    /// the rest of the site is still checked (the build fails anyway).
    pub(super) fn base_url(
        &mut self,
        src: &SourceFile,
        configured: Option<&str>,
    ) -> (String, String) {
        self.checked_base_url(src, configured)
            .unwrap_or_else(|| ("https://example.org/".to_owned(), "/".to_owned()))
    }

    fn checked_base_url(
        &mut self,
        src: &SourceFile,
        configured: Option<&str>,
    ) -> Option<(String, String)> {
        if let Some(given) = &self.opts.base_url {
            return match super::values::base_url(given) {
                Ok(parsed) => Some(parsed),
                Err(msg) => {
                    self.diags.push(
                        Diagnostic::error(Code::InvalidUrl, "--base-url", msg)
                            .with_help("pass an absolute address such as `--base-url https://example.org/preview/`"),
                    );
                    None
                }
            };
        }
        let Some(configured) = configured else {
            self.error(
                src,
                Code::MissingField,
                0,
                "missing required field `base_url`",
                Some("add `base_url: https://example.org/`".into()),
            );
            return None;
        };
        match super::values::base_url(configured) {
            Ok(parsed) => Some(parsed),
            Err(msg) => {
                let at = src.locate_value("base_url");
                self.error(
                    src,
                    Code::InvalidUrl,
                    at,
                    format!("`base_url`: {msg}"),
                    Some("`base_url` is the address the site is published at, e.g. `https://example.org/partners/`".into()),
                );
                None
            }
        }
    }

    /// Every topic needs an address of its own: a name without letters or digits has
    /// none, and two names that differ in more than case, accents, spaces and
    /// punctuation (`C++` and `C`) must not share one.
    pub(super) fn check_topic_names(&mut self, named: &[(&SourceFile, &'static str, &[String])]) {
        let mut first: HashMap<String, (String, String)> = HashMap::new();
        let mut reported = BTreeSet::new();
        for (src, key, names) in named {
            for name in names.iter() {
                let slug = slugify(name);
                if slug == "-" {
                    if reported.insert(name.clone()) {
                        let at = src.locate(key, name);
                        self.error(
                            src,
                            Code::InvalidTopic,
                            at,
                            format!(
                                "the topic `{name}` has no letters or digits, so it has no address"
                            ),
                            Some("name the topic with words, e.g. `Teleradiologie`".into()),
                        );
                    }
                    continue;
                }
                let skeleton = topic_skeleton(name);
                match first.get(&slug) {
                    None => {
                        first.insert(slug, (name.clone(), skeleton));
                    }
                    Some((other, other_skeleton)) if *other_skeleton != skeleton => {
                        if reported.insert(name.clone()) {
                            let at = src.locate(key, name);
                            let topics = self.words.get(crate::model::segments::Segment::Topics);
                            let message = format!(
                                "the topics `{name}` and `{other}` would share the address `{topics}/{slug}/`"
                            );
                            let help = format!(
                                "write `{other}` if both mean the same topic, or rename one"
                            );
                            self.error(src, Code::TopicClash, at, message, Some(help));
                        }
                    }
                    Some(_) => {}
                }
            }
        }
    }

    /// Locations with coordinates on the globe: both or neither, finite, latitude within
    /// ±90°, longitude within ±180°. A bad pair is an error and the location keeps its
    /// name without a point, so no map or open-data file shows a wrong place.
    pub(super) fn locations(&mut self, src: &SourceFile, raw: Vec<RawLocation>) -> Vec<Location> {
        let mut out = Vec::with_capacity(raw.len());
        for l in raw {
            let problem = match (l.lat, l.lon) {
                (Some(lat), _) if !(-90.0..=90.0).contains(&lat) => {
                    Some(("lat", lat, "a latitude lies between -90 and 90"))
                }
                (_, Some(lon)) if !(-180.0..=180.0).contains(&lon) => {
                    Some(("lon", lon, "a longitude lies between -180 and 180"))
                }
                _ => None,
            };
            let (lat, lon) = match (problem, l.lat, l.lon) {
                (Some((key, value, help)), _, _) => {
                    let at = after(src, &l.name, key);
                    self.error(
                        src,
                        Code::InvalidValue,
                        at,
                        format!("`{key}: {value}` of `{}` is not a coordinate", l.name),
                        Some(format!(
                            "{help}, in decimal degrees (e.g. `lat: 51.79, lon: 11.15`)"
                        )),
                    );
                    (None, None)
                }
                (None, Some(lat), Some(lon)) => (Some(lat), Some(lon)),
                (None, None, None) => (None, None),
                (None, lat, _) => {
                    let missing = if lat.is_none() { "lat" } else { "lon" };
                    let at = after(src, &l.name, "name");
                    self.error(
                        src,
                        Code::MissingField,
                        at,
                        format!(
                            "location `{}` has one coordinate but no `{missing}`",
                            l.name
                        ),
                        Some("give both `lat` and `lon`, or neither".into()),
                    );
                    (None, None)
                }
            };
            out.push(Location {
                name: l.name,
                lat,
                lon,
            });
        }
        out
    }

    /// People of an institution with their contact details checked; two people whose
    /// names give the same reference (`uk-magdeburg/marco-bohn`) are an error, since
    /// `contacts` and quotes could not tell them apart.
    pub(super) fn people(&mut self, src: &SourceFile, raw: Vec<RawPerson>) -> Vec<Person> {
        let mut seen = BTreeSet::new();
        let mut people = Vec::with_capacity(raw.len());
        for p in raw {
            let slug = crate::slug::slugify(&p.name);
            if !seen.insert(slug.clone()) {
                let at = nth_match(src, "name", &p.name, 1);
                self.error(
                    src,
                    Code::DuplicatePerson,
                    at,
                    format!(
                        "`{}` is listed twice under `people:` (reference `{slug}`)",
                        p.name
                    ),
                    Some(
                        "list each person once, or tell them apart, e.g. by a middle initial"
                            .into(),
                    ),
                );
                continue;
            }
            people.push(self.person(src, p));
        }
        people
    }

    /// A person with their contact details checked.
    fn person(&mut self, src: &SourceFile, p: RawPerson) -> Person {
        let email = p
            .email
            .as_ref()
            .and_then(|e| self.checked(src, "email", e, values::email));
        let phone = p
            .phone
            .as_ref()
            .and_then(|t| self.checked(src, "phone", t, values::phone));
        Person {
            name: p.name,
            role: p.role,
            email,
            phone,
        }
    }

    /// `press_office:` in `site.yaml`: a name and a way to reach it.
    pub(super) fn press_office(&mut self, src: &SourceFile, p: RawPerson) -> Option<Person> {
        if p.name.trim().is_empty() || (p.email.is_none() && p.phone.is_none()) {
            let at = src.locate_key("press_office");
            let msg = "`press_office` needs a `name` and an `email` or `phone`";
            let help = "e.g. `press_office: { name: Pressestelle, email: presse@example.org, phone: +49 391 000-0 }`";
            self.error(src, Code::InvalidValue, at, msg, Some(help.into()));
            return None;
        }
        Some(self.person(src, p))
    }

    /// `value` if `check` accepts it; otherwise an error at the value, and `None`, so
    /// nothing unchecked reaches a page, a feed or the open data.
    pub(super) fn checked(
        &mut self,
        src: &SourceFile,
        key: &str,
        value: &str,
        check: fn(&str) -> Result<(), values::Refusal>,
    ) -> Option<String> {
        match check(value) {
            Ok(()) => Some(value.to_owned()),
            Err(refusal) => {
                let at = src.locate(key, value);
                self.error(
                    src,
                    Code::InvalidUrl,
                    at,
                    format!("`{key}`: {}", refusal.message),
                    Some(refusal.help),
                );
                None
            }
        }
    }

    /// Free-form `extra`: values under link-like keys (`url`, `*_url`, `link`, …) must be
    /// safe links, and no value anywhere may be a script address a theme could link.
    pub(super) fn extra(
        &mut self,
        src: &SourceFile,
        extra: Option<serde_json::Value>,
    ) -> serde_json::Value {
        let Some(mut extra) = extra else {
            return serde_json::Value::Null;
        };
        let mut refused = Vec::new();
        sanitize_extra(&mut extra, None, &mut refused);
        for (key, value, refusal) in refused {
            let at = src.locate(&key, &value);
            self.error(
                src,
                Code::InvalidUrl,
                at,
                format!("`extra.{key}`: {}", refusal.message),
                Some(refusal.help),
            );
        }
        extra
    }

    /// Translated topic names are only shown; a blank one would be a link without text.
    pub(super) fn translated_topics(
        &mut self,
        src: &SourceFile,
        key: &str,
        names: Vec<String>,
    ) -> Option<Vec<String>> {
        if names.iter().all(|n| !n.trim().is_empty()) {
            return Some(names);
        }
        let at = src.locate_key(key);
        self.error(
            src,
            Code::InvalidTopic,
            at,
            format!("a translated topic under `{key}` is empty"),
            Some("translate every topic, in the same order".into()),
        );
        None
    }
}

/// Removes refused values from `extra` (replacing them with null), collecting
/// `(key, value, why)` for each.
fn sanitize_extra(
    value: &mut serde_json::Value,
    key: Option<&str>,
    refused: &mut Vec<(String, String, values::Refusal)>,
) {
    match value {
        serde_json::Value::String(s) => {
            let key = key.unwrap_or_default();
            let refusal = if values::is_link_key(key) {
                values::link(s).err()
            } else {
                values::script_like(s)
            };
            if let Some(refusal) = refusal {
                refused.push((key.to_owned(), std::mem::take(s), refusal));
                *value = serde_json::Value::Null;
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                sanitize_extra(item, key, refused);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                sanitize_extra(v, Some(k), refused);
            }
        }
        _ => {}
    }
}

/// Offset of `key:` after the first mention of `anchor` in the front matter (a field of
/// one list entry), else of `anchor`.
pub(super) fn after(src: &SourceFile, anchor: &str, key: &str) -> usize {
    let yaml = src.yaml();
    let Some(start) = yaml.find(anchor) else {
        return src.locate_key(key);
    };
    let needle = format!("{key}:");
    yaml[start..]
        .find(&needle)
        .map_or(src.front_matter.start + start, |i| {
            src.front_matter.start + start + i
        })
}

/// Offset of the `n`-th (0-based) `key: value` in the front matter, for the second of
/// two equal entries; falls back to the first.
fn nth_match(src: &SourceFile, key: &str, value: &str, n: usize) -> usize {
    let yaml = src.yaml();
    let mut from = 0;
    let mut found = Vec::new();
    while let Some(i) = yaml[from..].find(value) {
        found.push(src.front_matter.start + from + i);
        from += i + value.len().max(1);
    }
    found
        .get(n)
        .copied()
        .unwrap_or_else(|| src.locate(key, value))
}

/// What must match for two topic names to be the same topic: the name without case,
/// accents, spaces, dashes and sentence punctuation (`Stroke-Unit` = `stroke unit`, but
/// `C++` ≠ `C`).
fn topic_skeleton(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_whitespace() || "-_–—.,;:!?'\"()[]„“”‚‘’«»".contains(c) => {
            }
            c => match crate::slug::strip_accent(c) {
                Some(base) => out.push_str(base),
                None => out.push(c),
            },
        }
    }
    out
}
