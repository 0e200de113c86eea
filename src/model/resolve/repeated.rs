//! Language-independent fields a translation repeats from its original (`date:`,
//! `partnership:`, … as a translator copying the whole file writes them): accepted when
//! equal to the original's, an error naming the original's value and file otherwise,
//! since the original alone decides them.

use super::*;

/// A field's value as the user would write it, so two spellings of one value (`2024`
/// and `"2024"`) compare equal and a message can quote it.
trait Written {
    fn written(&self) -> String;
}

impl Written for Scalar {
    fn written(&self) -> String {
        self.as_text().trim().to_owned()
    }
}

impl Written for String {
    fn written(&self) -> String {
        self.trim().to_owned()
    }
}

impl Written for bool {
    fn written(&self) -> String {
        self.to_string()
    }
}

impl Written for i64 {
    fn written(&self) -> String {
        self.to_string()
    }
}

impl Written for RawLocation {
    fn written(&self) -> String {
        let coordinate = |c: Option<f64>| c.map_or_else(|| "none".to_owned(), |c| c.to_string());
        format!(
            "{{ name: {}, lat: {}, lon: {} }}",
            self.name.trim(),
            coordinate(self.lat),
            coordinate(self.lon)
        )
    }
}

impl Written for RawQuote {
    fn written(&self) -> String {
        format!("{{ by: {}, text: {} }}", self.by.trim(), self.text.trim())
    }
}

impl<T: Written> Written for Vec<T> {
    fn written(&self) -> String {
        let items: Vec<String> = self.iter().map(Written::written).collect();
        format!("[{}]", items.join(", "))
    }
}

/// One language-independent field: as the translation writes it (`None`: absent, fine)
/// and as the original has it (`None`: the original leaves it out).
struct Repeated {
    field: &'static str,
    translation: Option<String>,
    original: Option<String>,
    /// Where the translation writes it, when not at the first `field:` of the file
    /// (an event's `date:` inside `events:`).
    at: Option<usize>,
}

fn repeated<T: Written>(
    field: &'static str,
    translation: Option<&T>,
    original: Option<&T>,
) -> Repeated {
    Repeated {
        field,
        translation: translation.map(Written::written),
        original: original.map(Written::written),
        at: None,
    }
}

fn institution_fields(
    t: &RawInstitutionTranslation,
    o: &RawInstitution,
    _: &SourceFile,
) -> Vec<Repeated> {
    vec![
        repeated("kind", t.kind.as_ref(), o.kind.as_ref()),
        repeated("website", t.website.as_ref(), o.website.as_ref()),
        repeated("locations", t.locations.as_ref(), Some(&o.locations)),
    ]
}

fn partnership_fields(
    t: &RawPartnershipTranslation,
    o: &RawPartnership,
    src: &SourceFile,
) -> Vec<Repeated> {
    let mut fields = vec![
        repeated("partners", t.partners.as_ref(), o.partners.as_ref()),
        repeated("kind", t.kind.as_ref(), o.kind.as_ref()),
        repeated("status", t.status.as_ref(), o.status.as_ref()),
        repeated("signed", t.signed.as_ref(), o.signed.as_ref()),
        repeated("ended", t.ended.as_ref(), o.ended.as_ref()),
    ];
    let events = t.events.iter().flatten().enumerate();
    let dated = events.filter_map(|(i, e)| Some((i, e.date.as_ref()?)));
    for (nth, (i, date)) in dated.enumerate() {
        let original = o.events.get(i).map(|e| &e.date);
        fields.push(Repeated {
            at: Some(event_date_offset(src, nth)),
            ..repeated("date", Some(date), original)
        });
    }
    fields
}

/// Byte offset of the value of the `nth` `date:` under `events:` (else of `events:`).
fn event_date_offset(src: &SourceFile, nth: usize) -> usize {
    let events = src.locate_key("events");
    let rest = &src.text[events..src.front_matter.end];
    match rest.match_indices("date:").nth(nth) {
        Some((at, key)) => {
            let value = &rest[at + key.len()..];
            events + at + key.len() + (value.len() - value.trim_start_matches(' ').len())
        }
        None => events,
    }
}

fn release_fields(t: &RawReleaseTranslation, o: &RawRelease, _: &SourceFile) -> Vec<Repeated> {
    vec![
        repeated("date", t.date.as_ref(), o.date.as_ref()),
        repeated(
            "partnership",
            t.partnership.as_ref(),
            o.partnership.as_ref(),
        ),
        repeated("partners", t.partners.as_ref(), Some(&o.partners)),
        repeated("draft", t.draft.as_ref(), Some(&o.draft)),
        repeated("embargo", t.embargo.as_ref(), o.embargo.as_ref()),
        repeated(
            "autolink",
            t.autolink.as_ref(),
            Some(&o.autolink.unwrap_or(true)),
        ),
        repeated("contacts", t.contacts.as_ref(), Some(&o.contacts)),
        repeated("quotes", t.quotes.as_ref(), Some(&o.quotes)),
        repeated("issuer", t.issuer.as_ref(), o.issuer.as_ref()),
    ]
}

fn page_fields(t: &RawPageTranslation, o: &RawPage, _: &SourceFile) -> Vec<Repeated> {
    vec![
        repeated("weight", t.weight.as_ref(), o.weight.as_ref()),
        repeated("draft", t.draft.as_ref(), Some(&o.draft)),
    ]
}

impl Resolver<'_> {
    /// Checks every translation into one of the site's other languages against its
    /// original (before the originals are resolved, while their raw fields are at
    /// hand). Translations of drafts are left alone unless drafts are built, like their
    /// originals.
    pub(super) fn check_repeated_fields(&mut self, raw: &RawSite, config: &Config) {
        let others: BTreeSet<&str> = config
            .languages
            .iter()
            .skip(1)
            .map(String::as_str)
            .collect();
        let published = |lang: &Option<String>| lang.as_deref().is_some_and(|l| others.contains(l));
        let drafts = self.opts.drafts;
        self.check_kind(
            &raw.institution_translations,
            &raw.institutions,
            &published,
            |_| true,
            institution_fields,
        );
        self.check_kind(
            &raw.partnership_translations,
            &raw.partnerships,
            &published,
            |_| true,
            partnership_fields,
        );
        self.check_kind(
            &raw.release_translations,
            &raw.releases,
            &published,
            |o| drafts || !o.draft,
            release_fields,
        );
        self.check_kind(
            &raw.page_translations,
            &raw.pages,
            &published,
            |o| drafts || !o.draft,
            page_fields,
        );
    }

    fn check_kind<T, O>(
        &mut self,
        translations: &[RawDoc<T>],
        originals: &[RawDoc<O>],
        published: &dyn Fn(&Option<String>) -> bool,
        built: impl Fn(&O) -> bool,
        fields: impl Fn(&T, &O, &SourceFile) -> Vec<Repeated>,
    ) {
        if translations.is_empty() {
            return;
        }
        let by_id: HashMap<&str, &RawDoc<O>> =
            originals.iter().map(|o| (o.id.as_str(), o)).collect();
        for doc in translations.iter().filter(|d| published(&d.lang)) {
            let Some(original) = by_id.get(doc.id.as_str()) else {
                continue;
            };
            if !built(&original.front) {
                continue;
            }
            for field in fields(&doc.front, &original.front, &doc.source) {
                self.check_repeated(&doc.source, &original.source.path, field);
            }
        }
    }

    fn check_repeated(&mut self, src: &SourceFile, original: &std::path::Path, f: Repeated) {
        let Some(written) = &f.translation else {
            return;
        };
        if f.original.as_ref() == Some(written) {
            return;
        }
        let (field, original) = (f.field, original.display());
        let (message, help) = match &f.original {
            Some(theirs) => (
                format!("`{field}: {written}` differs from the original's `{theirs}` ({original})"),
                format!("a translation takes `{field}` from the original: remove the line"),
            ),
            None => (
                format!("`{field}: {written}` is not in the original ({original})"),
                format!(
                    "a translation takes `{field}` from the original: remove the line (or add it to the original)"
                ),
            ),
        };
        let at = f.at.unwrap_or_else(|| src.locate_key(field));
        self.error(src, Code::TranslationMismatch, at, message, Some(help));
    }
}
