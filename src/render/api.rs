//! Open data: `/api/institutions.json`, `/api/partnerships.json`, `/api/news.json`.
//!
//! The default language's values with links to every language's page; ids match the
//! content files so the data can be joined with the sources. Each file is described by
//! a JSON Schema at `/api/schema/<name>.schema.json`; with them come `/api/facts.csv`
//! and `/timeline.ics` (see `opendata.rs`).

use super::OutputFile;
use super::patch::Shown;
use super::routes::{PageRoute, Routes};
use crate::model::{
    Fact, FactSource, FactValue, InstitutionId, PartnershipId, Release, ReleaseId, Site, TopicId,
};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct InstitutionRecord<'a> {
    id: &'a str,
    name: &'a str,
    short_name: Option<&'a str>,
    aliases: &'a [String],
    kind: &'a str,
    city: Option<&'a str>,
    region: Option<&'a str>,
    website: Option<&'a str>,
    urls: BTreeMap<&'a str, String>,
    locations: &'a [crate::model::Location],
    people: &'a [crate::model::Person],
    facts: Vec<FactRecord<'a>>,
    partnerships: Vec<&'a str>,
    releases: Vec<&'a str>,
}

#[derive(Serialize)]
struct FactRecord<'a> {
    key: &'a str,
    label: Option<&'a str>,
    value: serde_json::Value,
    approx: bool,
    over: bool,
    unit: Option<&'a str>,
    note: Option<&'a str>,
    as_of: Option<String>,
    source: Option<String>,
}

#[derive(Serialize)]
struct PartnershipRecord<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    status: &'a str,
    signed: Option<String>,
    ended: Option<String>,
    partners: Vec<&'a str>,
    focus: Vec<&'a str>,
    urls: BTreeMap<&'a str, String>,
    facts: Vec<FactRecord<'a>>,
    releases: Vec<&'a str>,
}

#[derive(Serialize)]
struct ReleaseRecord<'a> {
    id: &'a str,
    title: &'a str,
    date: String,
    summary: Option<&'a str>,
    partnership: Option<&'a str>,
    partners: Vec<&'a str>,
    topics: Vec<&'a str>,
    urls: BTreeMap<&'a str, String>,
}

pub(super) fn files(site: &Site, routes: &Routes) -> Vec<OutputFile> {
    let institutions = institution_records(site, routes);
    let partnerships = partnership_records(site, routes);
    let media = super::api_media::records(site, routes);
    let data = |name: &str, contents: Vec<u8>| OutputFile {
        path: Routes::api_data(name),
        contents: contents.into(),
    };
    // Each file on its own core: at 50,000 releases they take a tenth of a second each.
    let jobs: [&(dyn Fn() -> OutputFile + Sync); 6] = [
        &|| data("institutions", json(&institutions)),
        &|| data("partnerships", json(&partnerships)),
        &|| news_file(site, routes),
        &|| data("media", json(&media)),
        &|| super::opendata::facts_csv(site, routes),
        &|| super::opendata::timeline_ics(site, routes),
    ];
    let mut files: Vec<OutputFile> = jobs.par_iter().map(|job| job()).collect();
    files.extend(super::opendata::schemas(routes));
    files
}

/// The open data files that show the releases' titles and summaries in the default
/// language (`news.json`, `timeline.ics`), made again by a patch of them.
pub(super) fn release_files(site: &Site, routes: &Routes) -> Vec<OutputFile> {
    let (news, ics) = rayon::join(
        || news_file(site, routes),
        || super::opendata::timeline_ics(site, routes),
    );
    vec![news, ics]
}

fn news_file(site: &Site, routes: &Routes) -> OutputFile {
    OutputFile {
        path: Routes::api_data("news"),
        contents: json(&release_records(site, routes)).into(),
    }
}

/// A record's page in every language, by language code.
pub(super) fn urls<'a>(
    site: &'a Site,
    routes: &Routes,
    page: PageRoute,
) -> BTreeMap<&'a str, String> {
    site.config
        .languages
        .iter()
        .map(|l| (l.as_str(), routes.permalink(&routes.route(l, page))))
        .collect()
}

fn fact_records<'a>(site: &'a Site, facts: &'a [Fact]) -> Vec<FactRecord<'a>> {
    facts
        .iter()
        .map(|f| FactRecord {
            key: &f.key,
            label: f.label.base.as_deref(),
            value: match &f.value.base {
                FactValue::Number(n) => serde_json::json!(n),
                FactValue::Text(t) => serde_json::json!(t),
            },
            approx: f.approx,
            over: f.over,
            unit: f.unit.as_deref(),
            note: f.note.base.as_deref(),
            as_of: f.as_of.map(|d| d.to_string()),
            source: f.source.as_ref().map(|s| match s {
                FactSource::Release(r) => site.releases[r.0].id.clone(),
                FactSource::Url(u) => u.clone(),
            }),
        })
        .collect()
}

fn institution_ids<'a>(site: &'a Site, ids: &[InstitutionId]) -> Vec<&'a str> {
    ids.iter()
        .map(|i| site.institutions[i.0].id.as_str())
        .collect()
}

fn partnership_ids<'a>(site: &'a Site, ids: &[PartnershipId]) -> Vec<&'a str> {
    ids.iter()
        .map(|p| site.partnerships[p.0].id.as_str())
        .collect()
}

fn release_ids<'a>(site: &'a Site, ids: &[ReleaseId]) -> Vec<&'a str> {
    ids.iter().map(|r| site.releases[r.0].id.as_str()).collect()
}

fn topic_names<'a>(site: &'a Site, ids: &[TopicId]) -> Vec<&'a str> {
    ids.iter()
        .map(|t| site.topics[t.0].name.base.as_str())
        .collect()
}

fn institution_records<'a>(site: &'a Site, routes: &Routes) -> Vec<InstitutionRecord<'a>> {
    site.institutions
        .iter()
        .map(|i| InstitutionRecord {
            id: &i.id,
            name: &i.name.base,
            short_name: i.short_name.base.as_deref(),
            aliases: &i.aliases,
            kind: i.kind.as_str(),
            city: i.city.base.as_deref(),
            region: i.region.base.as_deref(),
            website: i.website.as_deref(),
            urls: urls(site, routes, PageRoute::Partner(&i.id)),
            locations: &i.locations,
            people: &i.people.base,
            facts: fact_records(site, &i.facts),
            partnerships: partnership_ids(site, &i.partnerships),
            releases: release_ids(site, &i.releases),
        })
        .collect()
}

fn partnership_records<'a>(site: &'a Site, routes: &Routes) -> Vec<PartnershipRecord<'a>> {
    site.partnerships
        .iter()
        .map(|p| PartnershipRecord {
            id: &p.id,
            title: &p.title.base,
            kind: p.kind.as_str(),
            status: p.status.as_str(),
            signed: p.signed.map(|d| d.to_string()),
            ended: p.ended.map(|d| d.to_string()),
            partners: institution_ids(site, &p.partners),
            focus: topic_names(site, &p.focus),
            urls: urls(site, routes, PageRoute::Partnership(&p.id)),
            facts: fact_records(site, &p.facts),
            releases: release_ids(site, &p.releases),
        })
        .collect()
}

fn release_records<'a>(site: &'a Site, routes: &Routes) -> Vec<ReleaseRecord<'a>> {
    (site.releases.iter())
        .map(|r| release_record(site, routes, r, None))
        .collect()
}

/// A release's record, with `shown`'s title and summary in place of its own when given.
fn release_record<'a>(
    site: &'a Site,
    routes: &Routes,
    r: &'a Release,
    shown: Option<&'a Shown>,
) -> ReleaseRecord<'a> {
    let (title, summary) = match shown {
        Some(s) => (&s.title, &s.summary),
        None => (&r.title.base, &r.summary.base),
    };
    ReleaseRecord {
        id: &r.id,
        title,
        date: r.date.to_string(),
        summary: summary.as_deref(),
        partnership: r.partnership.map(|p| site.partnerships[p.0].id.as_str()),
        partners: institution_ids(site, &r.partners),
        topics: topic_names(site, &r.topics),
        urls: urls(site, routes, PageRoute::Release(&r.slug)),
    }
}

/// `news.json` (its text) with release `id`'s record changed from showing `before` to
/// the model's title and summary, found by its old text (the record as `json` writes
/// it inside the list) and replaced, for a patch of them (`render::patch`); `None`
/// when the old record is not there exactly once.
pub(super) fn patched_news(
    site: &Site,
    routes: &Routes,
    news: &[u8],
    (id, before): (ReleaseId, &Shown),
) -> Option<Vec<u8>> {
    let r = &site.releases[id.0];
    let text = |shown| {
        let list = json(&[release_record(site, routes, r, shown)]);
        Some(list.strip_prefix(b"[\n")?.strip_suffix(b"\n]\n")?.to_vec())
    };
    super::replace_once(news, &text(Some(before))?, &text(None)?)
}

/// Pretty JSON with a trailing newline.
fn json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}
