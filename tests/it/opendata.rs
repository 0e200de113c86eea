//! Open data: `api/*.json` valid against their JSON Schemas under `api/schema/`,
//! `api/facts.csv` with every figure and its provenance, `timeline.ics` as RFC 5545
//! wants it; all of it byte-identical from one build to the next.

use crate::harness::{Fixture, SPEC_BASE_URL, SPEC_SITE, Site, build, selector};
use serde_json::Value;

const API: [&str; 3] = ["institutions", "partnerships", "news"];

fn json(site: &Site, route: &str) -> Value {
    serde_json::from_str(&site.read(route)).unwrap_or_else(|e| panic!("{route}: {e}"))
}

fn validator(site: &Site, name: &str) -> jsonschema::Validator {
    let schema = json(site, &format!("api/schema/{name}.schema.json"));
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "{name}"
    );
    assert_eq!(
        schema["$id"],
        format!("{SPEC_BASE_URL}api/schema/{name}.schema.json"),
        "the schema's $id is its own address"
    );
    jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("{name}.schema.json is not a valid schema: {e}"))
}

#[test]
fn every_api_file_is_valid_against_its_schema() {
    check_api(&build(SPEC_SITE));
    // The project's own site, on another base URL.
    let own = Fixture::project_site().build();
    for name in API {
        let data = json(&own, &format!("api/{name}.json"));
        let schema = json(&own, &format!("api/schema/{name}.schema.json"));
        let errors: Vec<String> = jsonschema::draft202012::new(&schema)
            .expect("schema")
            .iter_errors(&data)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "own site's api/{name}.json:\n{}",
            errors.join("\n")
        );
    }
}

fn check_api(site: &Site) {
    for name in API {
        let validator = validator(site, name);
        let data = json(site, &format!("api/{name}.json"));
        assert!(
            data.as_array().is_some_and(|a| !a.is_empty()),
            "{name}.json is a non-empty array"
        );
        let errors: Vec<String> = validator
            .iter_errors(&data)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "api/{name}.json:\n{}", errors.join("\n"));
    }
}

#[test]
fn the_schemas_reject_what_the_api_does_not_write() {
    let site = build(SPEC_SITE);
    let institutions = validator(&site, "institutions");
    let mut data = json(&site, "api/institutions.json");
    data[0].as_object_mut().unwrap().remove("id");
    assert!(!institutions.is_valid(&data), "a missing id passes");
    let mut data = json(&site, "api/institutions.json");
    let with_facts = data
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i["facts"].as_array().is_some_and(|f| !f.is_empty()))
        .expect("an institution with facts");
    with_facts["facts"][0]["as_of"] = "23.12.2023".into();
    assert!(!institutions.is_valid(&data), "a bad as_of passes");
    let news = validator(&site, "news");
    let mut data = json(&site, "api/news.json");
    data[0]["unexpected"] = true.into();
    assert!(!news.is_valid(&data), "an unknown field passes");
}

#[test]
fn facts_csv_has_every_figure_with_its_provenance() {
    let site = build(SPEC_SITE);
    let text = site.read("api/facts.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
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
            "source_url"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let api_facts: usize = ["institutions", "partnerships"]
        .iter()
        .map(|n| {
            json(&site, &format!("api/{n}.json"))
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["facts"].as_array().unwrap().len())
                .sum::<usize>()
        })
        .sum();
    assert_eq!(rows.len(), api_facts, "one row per fact");
    let row = |id: &str, key: &str| -> Vec<String> {
        rows.iter()
            .find(|r| &r[1] == id && &r[3] == key)
            .unwrap_or_else(|| panic!("no row {id}/{key}"))
            .iter()
            .map(str::to_owned)
            .collect()
    };
    // A figure from an external source, labelled by the theme.
    assert_eq!(
        row("klinikum-suedhoehe", "beds"),
        [
            "institution",
            "klinikum-suedhoehe",
            "Klinikum Südhöhe Würzburg",
            "beds",
            "Planbetten",
            "612",
            "false",
            "false",
            "",
            "2023-12-31",
            "https://example.org/quellen/suedhoehe-jahresbericht-2023.pdf",
            "https://example.org/quellen/suedhoehe-jahresbericht-2023.pdf",
        ]
    );
    // A figure from a release: its id and the absolute address of its page.
    let physicians = row("klinikum-suedhoehe", "physicians");
    assert_eq!(physicians[5..8], ["410", "false", "true"]);
    assert_eq!(physicians[9], "2024-02");
    assert_eq!(physicians[10], "2024-02-29-register-schaltjahr");
    assert_eq!(
        physicians[11],
        format!("{SPEC_BASE_URL}nachrichten/register-schaltjahr/")
    );
    // The content's own label, a unit and a decimal.
    assert_eq!(
        row("institut-gefaessforschung", "funding_share")[4..10],
        ["Drittmittelanteil", "40", "true", "false", "%", "2023"]
    );
    assert_eq!(
        row("klinikum-suedhoehe", "international_staff_share")[5],
        "12.5"
    );
    let sites = row("drei-partner", "sites");
    assert_eq!(sites[0], "partnership");
    // Ordered by subject (institutions, then partnerships), then as written.
    let order: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r[0].to_owned(), r[1].to_owned()))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert!(!text.contains("DRAFTMARKER"));
}

/// The content lines of an iCalendar file, unfolded.
fn unfold(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"), "ends with CRLF");
    let mut lines: Vec<String> = Vec::new();
    for raw in ics.strip_suffix("\r\n").unwrap().split("\r\n") {
        assert!(!raw.contains('\n'), "bare LF in {raw:?}");
        assert!(raw.len() <= 75, "{} octets: {raw:?}", raw.len());
        match raw.strip_prefix(' ') {
            Some(rest) => lines
                .last_mut()
                .expect("no folded first line")
                .push_str(rest),
            None => lines.push(raw.to_owned()),
        }
    }
    lines
}

#[test]
fn timeline_ics_has_one_event_per_timeline_item() {
    let site = build(SPEC_SITE);
    let ics = site.read("timeline.ics");
    let lines = unfold(&ics);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(lines.iter().any(|l| l == "VERSION:2.0"));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));

    let mut events: Vec<Vec<&str>> = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for l in &lines {
        match l.as_str() {
            "BEGIN:VEVENT" => {
                assert!(current.is_none(), "nested VEVENT");
                current = Some(Vec::new());
            }
            "END:VEVENT" => events.push(current.take().expect("END without BEGIN")),
            l => {
                if let Some(e) = current.as_mut() {
                    e.push(l)
                }
            }
        }
    }
    let timeline_items = site.html("chronik/").select(&selector("li.event")).count();
    assert_eq!(
        events.len(),
        timeline_items,
        "one VEVENT per timeline event"
    );

    let mut uids = std::collections::BTreeSet::new();
    for e in &events {
        let prop = |name: &str| -> Vec<&str> {
            e.iter()
                .filter_map(|l| l.strip_prefix(name))
                .collect::<Vec<_>>()
        };
        for name in [
            "UID:",
            "DTSTAMP:",
            "DTSTART;VALUE=DATE:",
            "SUMMARY:",
            "URL:",
        ] {
            assert_eq!(prop(name).len(), 1, "{name} once in {e:#?}");
        }
        let uid = prop("UID:")[0];
        assert!(uid.ends_with("@example.org"), "{uid}");
        assert!(uids.insert(uid.to_owned()), "UID {uid} twice");
        assert_eq!(
            prop("DTSTAMP:")[0],
            "20240610T000000Z",
            "the newest event's date"
        );
        let start = prop("DTSTART;VALUE=DATE:")[0];
        assert!(
            start.len() == 8 && start.bytes().all(|b| b.is_ascii_digit()),
            "{start}"
        );
        assert!(prop("URL:")[0].starts_with(SPEC_BASE_URL));
    }
    // The leap-day release.
    let release = events
        .iter()
        .find(|e| e.contains(&"UID:release-2024-02-29-register-schaltjahr@example.org"))
        .expect("the leap-day release");
    assert!(release.contains(&"DTSTART;VALUE=DATE:20240229"));
    assert!(release.contains(&"URL:https://example.org/sub/path/nachrichten/register-schaltjahr/"));
    // A milestone known only to the year starts on 1 January and says so.
    let year_only = events
        .iter()
        .find(|e| e.contains(&"UID:milestone-drei-partner-2@example.org"))
        .expect("the year-only milestone");
    assert!(year_only.contains(&"DTSTART;VALUE=DATE:20210101"));
    assert!(
        year_only
            .iter()
            .any(|l| l.starts_with("DESCRIPTION:Date known only to the year: 2021")),
        "{year_only:#?}"
    );
    assert!(!ics.contains("DRAFTMARKER"));
    assert!(
        !ics.contains("jahresbericht-vorschau"),
        "a draft in the calendar"
    );
}

#[test]
fn open_data_is_byte_identical_across_builds() {
    let files = [
        "api/institutions.json",
        "api/partnerships.json",
        "api/news.json",
        "api/facts.csv",
        "timeline.ics",
        "api/schema/institutions.schema.json",
        "api/schema/partnerships.schema.json",
        "api/schema/news.schema.json",
    ];
    let first = build(SPEC_SITE);
    let second = build(SPEC_SITE);
    for f in files {
        assert_eq!(
            std::fs::read(first.file(f)).unwrap(),
            std::fs::read(second.file(f)).unwrap(),
            "{f} differs"
        );
    }
}
