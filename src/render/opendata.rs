//! Open data besides `/api/*.json`: the JSON Schemas that document those files
//! (`/api/schema/<name>.schema.json`), every fact sheet figure with its provenance
//! (`/api/facts.csv`) and the timeline as a calendar (`/timeline.ics`).
//!
//! All three are in the default language and deterministic: the calendar's `DTSTAMP`
//! is the newest event's date, never the time of the build.

use super::OutputFile;
use super::content_lines::{ContentLines, escape_text};
use super::routes::Routes;
use crate::model::{
    Fact, FactSource, FactValue, Institution, PartialDate, ReleaseId, Site, TimelineEvent,
    TimelineEventKind,
};

/// The schemas, by the name of the file they describe (`api/<name>.json`).
const SCHEMAS: [(&str, &str); 4] = [
    (
        "institutions",
        include_str!("schema/institutions.schema.json"),
    ),
    (
        "partnerships",
        include_str!("schema/partnerships.schema.json"),
    ),
    ("news", include_str!("schema/news.schema.json")),
    ("media", include_str!("schema/media.schema.json")),
];

/// The schema files, with `$id` set to their address on this site.
pub(super) fn schemas(routes: &Routes) -> Vec<OutputFile> {
    SCHEMAS
        .iter()
        .map(|(name, text)| {
            let path = Routes::api_schema(name);
            let text = text.replace("{{ID}}", &routes.permalink(&path));
            OutputFile {
                path,
                contents: text.into_bytes().into(),
            }
        })
        .collect()
}

/// The theme's string for `key` in the default language, if it has one.
fn string<'a>(site: &'a Site, key: &str) -> Option<&'a str> {
    site.theme
        .i18n
        .get(&site.config.default_language)
        .and_then(|l| l.strings.get(key))
        .map(String::as_str)
}

/// The columns of `api/facts.csv`.
const FACTS_HEADER: [&str; 12] = [
    "subject_type",
    "subject_id",
    "subject_name",
    "key",
    "label",
    "value",
    "approx",
    "over",
    "unit",
    "as_of",
    "source",
    "source_url",
];

/// `api/facts.csv`: one row per fact of every institution, then every partnership,
/// each in id order, facts in the order of their file. The label is the fact's own or
/// the theme's `fact.<key>` string, empty when neither exists.
pub(super) fn facts_csv(site: &Site, routes: &Routes) -> OutputFile {
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = FACTS_HEADER;
    // Writing to a Vec cannot fail.
    let _ = out.write_record(header);
    let subjects = site
        .institutions
        .iter()
        .map(|i| ("institution", &i.id, &i.name.base, &i.facts))
        .chain(
            site.partnerships
                .iter()
                .map(|p| ("partnership", &p.id, &p.title.base, &p.facts)),
        );
    for (kind, id, name, facts) in subjects {
        for f in facts {
            let row = fact_row(site, routes, kind, id, name, f).map(neutralise_formula);
            let _ = out.write_record(row);
        }
    }
    OutputFile {
        path: Routes::facts_csv(),
        contents: out.into_inner().unwrap_or_default().into(),
    }
}

/// One institution's facts in the columns of `api/facts.csv`, for its press kits.
pub(super) fn institution_facts_csv(site: &Site, routes: &Routes, inst: &Institution) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(FACTS_HEADER);
    for f in &inst.facts {
        let row = fact_row(site, routes, "institution", &inst.id, &inst.name.base, f);
        let _ = out.write_record(row.map(neutralise_formula));
    }
    out.into_inner().unwrap_or_default()
}

/// A cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return) gets a leading `'`, as OWASP recommends against CSV
/// injection; a plain number such as `-3.5` stays a number.
fn neutralise_formula(cell: String) -> String {
    let number = cell.parse::<f64>().is_ok()
        && cell[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !number;
    if risky { format!("'{cell}") } else { cell }
}

fn fact_row(
    site: &Site,
    routes: &Routes,
    kind: &str,
    id: &str,
    name: &str,
    f: &Fact,
) -> [String; 12] {
    let label = f
        .label
        .base
        .clone()
        .or_else(|| string(site, &format!("fact.{}", f.key)).map(str::to_owned))
        .unwrap_or_default();
    let value = match &f.value.base {
        FactValue::Number(n) => n.to_string(),
        FactValue::Text(t) => t.clone(),
    };
    let (source, source_url) = match &f.source {
        Some(FactSource::Release(r)) => {
            let r = &site.releases[r.0];
            let url = routes.permalink(&routes.release(&site.config.default_language, &r.slug));
            (r.id.clone(), url)
        }
        Some(FactSource::Url(u)) => (u.clone(), u.clone()),
        None => (String::new(), String::new()),
    };
    [
        kind.to_owned(),
        id.to_owned(),
        name.to_owned(),
        f.key.clone(),
        label,
        value,
        f.approx.to_string(),
        f.over.to_string(),
        f.unit.clone().unwrap_or_default(),
        f.as_of.map(|d| d.to_string()).unwrap_or_default(),
        source,
        source_url,
    ]
}

/// `timeline.ics`: one all-day `VEVENT` per timeline event, oldest first. A milestone
/// known only to the month or year starts on its first day and says so in its
/// `DESCRIPTION`.
pub(super) fn timeline_ics(site: &Site, routes: &Routes) -> OutputFile {
    let host = host(&site.config.base_url);
    let stamp = site
        .timeline
        .iter()
        .map(|e| e.date)
        .max()
        .map_or_else(|| "19700101".to_owned(), |d| ics_date(&d));
    let mut ics = ContentLines::default();
    ics.line("BEGIN:VCALENDAR");
    ics.line("VERSION:2.0");
    ics.line("PRODID:-//partnerpress//timeline//EN");
    ics.line("CALSCALE:GREGORIAN");
    ics.line("METHOD:PUBLISH");
    ics.line(&format!(
        "X-WR-CALNAME:{}",
        escape_text(site.config.title.base.as_str())
    ));
    for e in &site.timeline {
        event(&mut ics, site, routes, (e, None), (&stamp, host));
    }
    ics.line("END:VCALENDAR");
    OutputFile {
        path: Routes::timeline_ics(),
        contents: ics.into_string().into_bytes().into(),
    }
}

/// Release `id`'s events in `ics` (the text of `timeline.ics`) changed from showing the
/// title `before` to the model's: each found by its old text and replaced, for a patch
/// of the title (`render::patch`); `None` when an old text is not there exactly once.
pub(super) fn patched_ics(
    site: &Site,
    routes: &Routes,
    ics: &[u8],
    (id, before): (ReleaseId, &str),
) -> Option<Vec<u8>> {
    let host = host(&site.config.base_url);
    let stamp =
        memchr::memmem::find(ics, b"\r\nDTSTAMP:").and_then(|at| ics.get(at + 10..at + 18))?;
    let stamp = std::str::from_utf8(stamp).ok()?;
    let mut patched: Option<Vec<u8>> = None;
    for e in site
        .timeline
        .iter()
        .filter(|e| e.kind.release() == Some(id))
    {
        let text = |title: Option<&str>| {
            let mut lines = ContentLines::default();
            event(&mut lines, site, routes, (e, title), (stamp, host));
            lines.into_string()
        };
        let (old, new) = (text(Some(before)), text(None));
        let current = patched.as_deref().unwrap_or(ics);
        patched = Some(super::replace_once(
            current,
            old.as_bytes(),
            new.as_bytes(),
        )?);
    }
    patched.or_else(|| Some(ics.to_vec()))
}

/// One timeline event as a `VEVENT`, with `title` in place of its own when given.
fn event(
    ics: &mut ContentLines,
    site: &Site,
    routes: &Routes,
    (e, title): (&TimelineEvent, Option<&str>),
    (stamp, host): (&str, &str),
) {
    let code = site.config.default_language.as_str();
    let partnership = e.partnership().map(|p| &site.partnerships[p.0]);
    let kind = e.kind.slug();
    let (uid, own_title, route) = match e.kind {
        TimelineEventKind::Release { release, .. } => {
            let r = &site.releases[release.0];
            let uid = format!("release-{}", r.id);
            (uid, &r.title.base, routes.release(code, &r.slug))
        }
        TimelineEventKind::Milestone {
            partnership,
            milestone: m,
        } => {
            let p = &site.partnerships[partnership.0];
            let uid = format!("milestone-{}-{}", p.id, m + 1);
            (
                uid,
                &p.events[m].title.base,
                routes.partnership(code, &p.id),
            )
        }
        TimelineEventKind::Signed { partnership } | TimelineEventKind::Ended { partnership } => {
            let p = &site.partnerships[partnership.0];
            let uid = format!("{kind}-{}", p.id);
            (uid, &p.title.base, routes.partnership(code, &p.id))
        }
    };
    let title = title.unwrap_or(own_title);
    let key = format!("event.{kind}");
    let kind_label = string(site, &key).unwrap_or(&key);
    let mut description = Vec::new();
    if e.date.day.is_none() {
        description.push(format!(
            "Date known only to the {}: {}",
            if e.date.month.is_some() {
                "month"
            } else {
                "year"
            },
            e.date
        ));
    }
    if let (Some(p), TimelineEventKind::Release { .. } | TimelineEventKind::Milestone { .. }) =
        (partnership, e.kind)
    {
        description.push(p.title.base.clone());
    }
    ics.line("BEGIN:VEVENT");
    ics.line(&format!("UID:{uid}@{host}"));
    ics.line(&format!("DTSTAMP:{stamp}T000000Z"));
    ics.line(&format!("DTSTART;VALUE=DATE:{}", ics_date(&e.date)));
    ics.line(&format!(
        "SUMMARY:{}",
        escape_text(&format!("{kind_label}: {title}"))
    ));
    if !description.is_empty() {
        ics.line(&format!(
            "DESCRIPTION:{}",
            escape_text(&description.join("\n"))
        ));
    }
    ics.line(&format!("CATEGORIES:{kind}"));
    ics.line(&format!("URL:{}", routes.permalink(&route)));
    ics.line("TRANSP:TRANSPARENT");
    ics.line("END:VEVENT");
}

/// `https://example.org:8080/sub/` → `example.org`.
fn host(base_url: &str) -> &str {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    authority.split(':').next().unwrap_or(authority)
}

/// `YYYYMMDD`, the first day of the period for a partial date.
fn ics_date(d: &PartialDate) -> String {
    format!(
        "{:04}{:02}{:02}",
        d.year,
        d.month.unwrap_or(1),
        d.day.unwrap_or(1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_of_base_url() {
        assert_eq!(host("https://example.org/sub/"), "example.org");
        assert_eq!(host("http://localhost:1111/"), "localhost");
    }

    #[test]
    fn partial_dates_start_on_the_first_day() {
        let d = |year, month, day| PartialDate { year, month, day };
        assert_eq!(ics_date(&d(2024, Some(2), Some(29))), "20240229");
        assert_eq!(ics_date(&d(2024, Some(7), None)), "20240701");
        assert_eq!(ics_date(&d(2024, None, None)), "20240101");
    }
}
