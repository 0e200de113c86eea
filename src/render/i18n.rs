//! Interface strings and the formatting of dates and numbers, per language.
//!
//! The theme's `i18n/<lang>.yaml` supplies month names, date patterns, separators and
//! strings. The loader fills a site file's gaps (the built-in string, else the key, with
//! a warning), so templates find every key; `t` shows the key of any other.

use crate::content::raw::RawI18n;
use crate::model::PartialDate;
use jiff::civil::Date;

/// One language's strings and formats.
#[derive(Debug, Clone)]
pub(crate) struct Language {
    pub code: String,
    pub raw: RawI18n,
}

impl Language {
    pub(crate) fn new(code: &str, raw: RawI18n) -> Self {
        Self {
            code: code.to_owned(),
            raw,
        }
    }

    /// The string for `key`, or the key itself when the theme lacks it.
    pub(crate) fn t(&self, key: &str) -> String {
        self.raw
            .strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    /// `key`'s string with `{name}` replaced.
    pub(crate) fn t_with(&self, key: &str, name: &str, value: &str) -> String {
        self.t(key).replace(&format!("{{{name}}}"), value)
    }

    /// The month names, "{day}. {month} {year}" and "{month} {year}": what the search
    /// page's script needs to show dates as pages do.
    pub(crate) fn date_formats(&self) -> (String, &str, &str) {
        (
            self.raw.months.join(","),
            &self.raw.date_format,
            &self.raw.month_format,
        )
    }

    fn month(&self, m: i8) -> &str {
        self.raw
            .months
            .get((m - 1) as usize)
            .map_or("?", String::as_str)
    }

    /// "23. Juli 2024" / "July 23, 2024".
    pub(crate) fn date(&self, date: Date) -> String {
        self.raw
            .date_format
            .replace("{day}", &date.day().to_string())
            .replace("{month}", self.month(date.month()))
            .replace("{year}", &date.year().to_string())
    }

    /// A date as precise as it is known: "2024", "Juli 2024" or "23. Juli 2024".
    pub(crate) fn partial_date(&self, date: &PartialDate) -> String {
        match (date.month, date.full()) {
            (_, Some(full)) => self.date(full),
            (Some(m), None) => self
                .raw
                .month_format
                .replace("{month}", self.month(m))
                .replace("{year}", &date.year.to_string()),
            (None, _) => date.year.to_string(),
        }
    }

    /// "1.050" / "1,050"; up to two decimals, trailing zeros dropped.
    pub(crate) fn number(&self, value: f64) -> String {
        let negative = value < 0.0;
        let rounded = (value.abs() * 100.0).round() / 100.0;
        let whole = rounded.trunc() as u64;
        let fraction = ((rounded - rounded.trunc()) * 100.0).round() as u64;
        let digits = whole.to_string();
        let mut out = String::new();
        if negative {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&self.raw.thousands_separator);
            }
            out.push(c);
        }
        if fraction > 0 {
            let frac = format!("{fraction:02}");
            out.push_str(&self.raw.decimal_separator);
            out.push_str(frac.trim_end_matches('0'));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn lang(code: &str) -> Language {
        let de = code == "de";
        let months = if de {
            [
                "Januar",
                "Februar",
                "März",
                "April",
                "Mai",
                "Juni",
                "Juli",
                "August",
                "September",
                "Oktober",
                "November",
                "Dezember",
            ]
        } else {
            [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ]
        };
        Language::new(
            code,
            RawI18n {
                language_name: code.into(),
                months: months.iter().map(|m| m.to_string()).collect(),
                date_format: if de {
                    "{day}. {month} {year}"
                } else {
                    "{month} {day}, {year}"
                }
                .into(),
                month_format: "{month} {year}".into(),
                thousands_separator: if de { "." } else { "," }.into(),
                decimal_separator: if de { "," } else { "." }.into(),
                strings: BTreeMap::from([(
                    "title.factsheet".to_owned(),
                    "Faktenblatt: {name}".to_owned(),
                )]),
                segments: BTreeMap::new(),
            },
        )
    }

    #[test]
    fn localised_dates_including_leap_day() {
        let d = Date::new(2024, 2, 29).unwrap();
        assert_eq!(lang("de").date(d), "29. Februar 2024");
        assert_eq!(lang("en").date(d), "February 29, 2024");
        let p = PartialDate {
            year: 2024,
            month: Some(7),
            day: None,
        };
        assert_eq!(lang("de").partial_date(&p), "Juli 2024");
        assert_eq!(
            lang("en").partial_date(&PartialDate {
                year: 2024,
                month: None,
                day: None
            }),
            "2024"
        );
    }

    #[test]
    fn localised_numbers() {
        assert_eq!(lang("de").number(1050.0), "1.050");
        assert_eq!(lang("en").number(207617.0), "207,617");
        assert_eq!(lang("de").number(21.5), "21,5");
        assert_eq!(lang("en").number(999.0), "999");
        assert_eq!(lang("en").number(1234567.25), "1,234,567.25");
    }

    #[test]
    fn strings_with_placeholders_and_missing_keys() {
        assert_eq!(
            lang("de").t_with("title.factsheet", "name", "UKMD"),
            "Faktenblatt: UKMD"
        );
        assert_eq!(lang("de").t("nope"), "nope");
    }
}
