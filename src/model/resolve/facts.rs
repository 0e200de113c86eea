//! Fact sheets: each figure with its key (a known one or a `label`), value, date and
//! source (a release or a web address), and their translations.

use super::*;
use crate::content::RawTheme;

/// The largest figure a fact may state: every whole number up to it is exact in an
/// `f64` and formats without rounding (a quadrillion is far beyond any bed count).
const MAX_FACT_VALUE: f64 = 1e15;

/// The fact keys the theme has a label for (`fact.<key>` in the default language).
pub(super) fn known_keys(theme: &RawTheme, default_language: &str) -> BTreeSet<String> {
    theme
        .i18n
        .get(default_language)
        .map(|i| {
            i.strings
                .keys()
                .filter_map(|k| k.strip_prefix("fact."))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

impl Resolver<'_> {
    pub(super) fn facts(
        &mut self,
        raw: &[RawFact],
        src: &SourceFile,
        index: &Index,
        known: &BTreeSet<String>,
    ) -> Vec<Fact> {
        raw.iter()
            .filter_map(|f| self.fact(f, src, index, known))
            .collect()
    }

    /// One fact, or `None` after an error that leaves it out.
    fn fact(
        &mut self,
        f: &RawFact,
        src: &SourceFile,
        index: &Index,
        known: &BTreeSet<String>,
    ) -> Option<Fact> {
        if f.label.is_none() && !known.contains(&f.key) {
            let at = src.locate("key", &f.key);
            let (msg, help) = unknown("fact key", &f.key, known);
            self.error(
                src,
                Code::UnknownFactKey,
                at,
                format!("{msg} without a `label`"),
                Some(help.map_or_else(
                    || "add `label:` to name the figure".to_owned(),
                    |h| format!("{h} Or add `label:` to name the figure"),
                )),
            );
            return None;
        }
        let as_of = f.as_of.as_ref().and_then(|d| match parse_partial(d) {
            Ok(p) => Some(p),
            Err(msg) => {
                let at = src.locate("as_of", &d.as_text());
                self.error(src, Code::InvalidDate, at, msg, None);
                None
            }
        });
        if f.as_of.is_none() {
            let at = src.locate("key", &f.key);
            self.warn(
                src,
                Code::FactWithoutDate,
                at,
                format!("fact `{}` has no `as_of`", f.key),
                Some("add `as_of: YYYY-MM` so readers know how current it is".into()),
            );
        }
        let source = self.fact_source(f, src, index);
        let value = self.fact_value(f, src)?;
        Some(Fact {
            key: f.key.clone(),
            label: Localized::new(f.label.clone()),
            value: Localized::new(value),
            approx: f.approx,
            over: f.over,
            unit: f.unit.clone(),
            note: Localized::new(f.note.clone()),
            as_of,
            source,
        })
    }

    /// `source:`: a web address, or the id of a release in the site.
    fn fact_source(&mut self, f: &RawFact, src: &SourceFile, index: &Index) -> Option<FactSource> {
        let Some(s) = &f.source else {
            let at = src.locate("key", &f.key);
            self.warn(
                src,
                Code::FactWithoutSource,
                at,
                format!("fact `{}` has no `source`", f.key),
                Some("add `source:` with a release id or a URL".into()),
            );
            return None;
        };
        if s.contains(':') || s.starts_with("//") {
            return self
                .checked(src, "source", s, values::web_address)
                .map(FactSource::Url);
        }
        match index.releases.get(s) {
            Some(&r) => Some(FactSource::Release(r)),
            None if self.is_invalid(ContentKind::Release, s) => None,
            None => {
                let at = src.locate("source", s);
                let (mut msg, mut help) = unknown("release", s, index.releases.keys());
                let left_out = self.left_out.get(&ContentKey::new(ContentKind::Release, s));
                if left_out == Some(&LeftOut::Embargoed) {
                    msg = format!("release `{s}` is under an embargo that has not lifted");
                    help = Some(
                        "the figure is published now: cite a published release or a web address, or build with `--drafts` to preview"
                            .into(),
                    );
                } else if index.drafts.contains(s) {
                    help = Some(format!(
                        "`{s}` is a draft; publish it or build with `--drafts`"
                    ));
                }
                let help = help.unwrap_or_else(|| {
                    "a source is a release id (its file name without `.md`) or an http(s) URL"
                        .into()
                });
                self.error(
                    src,
                    Code::UnknownId,
                    at,
                    format!("fact source: {msg}"),
                    Some(help),
                );
                None
            }
        }
    }

    /// The figure or text; a figure that cannot be published exactly is an error.
    fn fact_value(&mut self, f: &RawFact, src: &SourceFile) -> Option<FactValue> {
        let value = match &f.value {
            Scalar::Integer(i) => FactValue::Number(*i as f64),
            Scalar::Float(x) => FactValue::Number(*x),
            Scalar::Text(t) => FactValue::Text(t.clone()),
        };
        if let FactValue::Number(x) = value
            && !(x.is_finite() && x.abs() <= MAX_FACT_VALUE)
        {
            let at = after(src, &f.key, "value");
            self.error(
                src,
                Code::InvalidValue,
                at,
                format!(
                    "fact `{}`: `{}` is not a figure that can be published",
                    f.key,
                    f.value.as_text()
                ),
                Some(format!(
                    "write a number between -{MAX_FACT_VALUE:e} and {MAX_FACT_VALUE:e}, or a short text in quotes"
                )),
            );
            return None;
        }
        Some(value)
    }

    /// Applies a translation's `facts` (same length and order as the original's).
    pub(super) fn translate_facts(
        &mut self,
        facts: &mut [Fact],
        tr: Option<Vec<RawFactTranslation>>,
        src: &SourceFile,
        lang: &str,
    ) {
        let Some(tr) = tr else { return };
        if tr.len() != facts.len() {
            let at = src.locate_key("facts");
            self.error(
                src,
                Code::TranslationMismatch,
                at,
                format!(
                    "the translation lists {} facts, the original {}",
                    tr.len(),
                    facts.len()
                ),
                Some(
                    "translate every fact, in the same order (`{}` for one that needs nothing)"
                        .into(),
                ),
            );
            return;
        }
        for (fact, t) in facts.iter_mut().zip(tr) {
            if let Some(label) = t.label {
                fact.label.translations.insert(lang.to_owned(), Some(label));
            }
            if let Some(note) = t.note {
                fact.note.translations.insert(lang.to_owned(), Some(note));
            }
            match (t.value, &fact.value.base) {
                (Some(v), FactValue::Text(_)) => {
                    fact.value
                        .translations
                        .insert(lang.to_owned(), FactValue::Text(v));
                }
                (Some(v), FactValue::Number(_)) => {
                    let at = src.locate("value", &v);
                    self.error(
                        src,
                        Code::TranslationMismatch,
                        at,
                        format!("fact `{}` is a number; numbers are formatted per language, not translated", fact.key),
                        Some("remove `value:` here".into()),
                    );
                }
                (None, _) => {}
            }
        }
    }
}
