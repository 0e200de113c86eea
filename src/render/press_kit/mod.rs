//! A release's press kit (pure): what goes into its ZIP, in a fixed order, with each
//! file's bytes or, for a photo, the output path of its published original (the
//! download without location data), which the writer reads (`kit_output`).
//!
//! The text as Markdown and as plain text, the photos, `credits.txt` with every
//! photo's credit and licence, each partner's fact sheet as CSV (the columns of
//! `api/facts.csv`: it opens in any spreadsheet and its figures can be reused, where
//! the HTML page would need the site's stylesheet and links), and the contacts' vCards.

mod text;

pub(crate) use text::{ReleaseText, TextFile};

use super::i18n::Language;
use super::routes::Routes;
use crate::model::{InstitutionId, MediaId, ReleaseId, Site};
use bytes::Bytes;
use std::sync::OnceLock;

/// Each institution's facts as CSV, made once for all the kits that carry them (a
/// partner is in many releases).
#[derive(Debug)]
pub(crate) struct FactSheets(Vec<OnceLock<Bytes>>);

impl FactSheets {
    pub(crate) fn new(site: &Site) -> Self {
        FactSheets(site.institutions.iter().map(|_| OnceLock::new()).collect())
    }

    fn csv(&self, site: &Site, routes: &Routes, id: InstitutionId) -> Bytes {
        self.0[id.0]
            .get_or_init(|| {
                let inst = &site.institutions[id.0];
                super::opendata::institution_facts_csv(site, routes, inst).into()
            })
            .clone()
    }
}

/// One press kit: the ZIP's output path, its entries, the date its entries carry and
/// what its text files are made from.
#[derive(Debug, Clone)]
pub(crate) struct PressKit {
    pub(crate) path: String,
    /// The release's date: every entry's modification time (midnight).
    pub(crate) date: jiff::civil::Date,
    pub(crate) entries: Vec<KitEntry>,
    pub(crate) text: ReleaseText,
}

/// A file in a press kit, by its name inside the ZIP.
#[derive(Debug, Clone)]
pub(crate) struct KitEntry {
    pub(crate) name: String,
    pub(crate) contents: KitContents,
}

#[derive(Debug, Clone)]
pub(crate) enum KitContents {
    Bytes(Bytes),
    /// One of the release's text files, made from [`PressKit::text`] when zipped.
    Text(TextFile),
    /// A published file of the site, read by the writer; `bytes` is its source's size
    /// and `hash` its source's content hash (what the kit cache's key takes).
    Published {
        path: String,
        bytes: u64,
        hash: String,
    },
}

impl PressKit {
    /// The ZIP's size were every entry stored, without extra fields: the most it can
    /// be, for the writer's buffer and for `check`, which zips no kit (the page's
    /// label shows the size of the ZIP made).
    pub(crate) fn size(&self) -> u64 {
        const LOCAL: u64 = 30;
        const CENTRAL: u64 = 46;
        const END: u64 = 22;
        let entries = self.entries.iter().map(|e| {
            let data = match &e.contents {
                KitContents::Bytes(b) => b.len() as u64,
                KitContents::Text(_) => self.text.size() as u64,
                KitContents::Published { bytes, .. } => *bytes,
            };
            LOCAL + CENTRAL + 2 * e.name.len() as u64 + data
        });
        entries.sum::<u64>() + END
    }
}

/// The press kit of release `id` in `lang`, whose rendered body (links as its page
/// has them) is `body`.
pub(crate) fn press_kit(
    site: &Site,
    routes: &Routes,
    lang: &Language,
    (id, body): (ReleaseId, &str),
    (photos, fact_sheets): (&[MediaId], &FactSheets),
) -> PressKit {
    let code = lang.code.as_str();
    let r = &site.releases[id.0];
    let page = routes.release(code, &r.slug);
    let url = routes.permalink(&page);
    let folder = &r.slug;
    let mut entries = Vec::new();
    let mut add = |name: String, contents: KitContents| {
        entries.push(KitEntry {
            name: format!("{folder}/{name}"),
            contents,
        });
    };
    let bytes = |s: String| KitContents::Bytes(Bytes::from(s.into_bytes()));
    let text = ReleaseText {
        title: r.title.get(code).clone(),
        date: lang.date(r.date),
        summary: r.summary.get(code).clone(),
        body: body.to_owned(),
        url,
    };
    add(
        format!("{folder}.md"),
        KitContents::Text(TextFile::Markdown),
    );
    add(format!("{folder}.txt"), KitContents::Text(TextFile::Plain));
    let mut credits = String::new();
    for id in photos {
        let Some(file) = site.media_file(id) else {
            continue;
        };
        let name = format!("photos/{}", id.as_str());
        credits.push_str(&text::credit_lines(lang, &name, r, file));
        add(
            name,
            KitContents::Published {
                path: Routes::media_original(id.as_str()),
                bytes: file.bytes,
                hash: file.hash.clone(),
            },
        );
    }
    if !credits.is_empty() {
        add("credits.txt".into(), bytes(credits));
    }
    for &p in &r.partners {
        let inst = &site.institutions[p.0];
        if !inst.facts.is_empty() {
            add(
                format!("factsheets/{}.csv", inst.id),
                KitContents::Bytes(fact_sheets.csv(site, routes, p)),
            );
        }
    }
    for (name, card) in super::vcard::release_cards(site, routes, code, r) {
        add(format!("contacts/{name}.vcf"), bytes(card));
    }
    PressKit {
        path: kit_route(&page, &r.slug),
        date: r.date,
        entries,
        text,
    }
}

/// `news/<slug>/press-kit-<slug>.zip`: beside the release, named after it once saved.
pub(crate) fn kit_route(release_route: &str, slug: &str) -> String {
    format!("{release_route}press-kit-{slug}.zip")
}
