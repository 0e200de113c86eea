//! Calendar dates as content uses them: full dates for releases and signatures, and
//! partial ones (`2024`, `2024-07`) for `as_of` and milestones.

use crate::content::raw::Scalar;
use jiff::civil::Date;
use serde::Serialize;
use std::fmt;

/// A year, a year-month or a full date; orders chronologically with less precise dates
/// first within their period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub(crate) struct PartialDate {
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
}

impl PartialDate {
    pub(crate) fn from_date(date: Date) -> Self {
        Self {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    /// The full date, if day precision is known.
    pub(crate) fn full(&self) -> Option<Date> {
        Date::new(self.year, self.month?, self.day?).ok()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// Parses `2024`, `2024-07` or `2024-07-23`, explaining what is wrong otherwise.
pub(crate) fn parse_partial(value: &Scalar) -> Result<PartialDate, String> {
    let text = value.as_text();
    let parts: Vec<&str> = text.trim().split('-').collect();
    let number = |s: &str, what: &str| -> Result<i64, String> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "`{text}` is not a date: {what} `{s}` is not a number"
            ));
        }
        s.parse::<i64>()
            .map_err(|_| format!("`{text}` is not a date"))
    };
    let shape = || format!("`{text}` is not a date: write YYYY-MM-DD, YYYY-MM or YYYY");
    if parts.len() > 3 || parts[0].len() != 4 {
        return Err(shape());
    }
    let year = number(parts[0], "year")?;
    if !(1000..=9999).contains(&year) {
        return Err(shape());
    }
    let year = year as i16;
    let month = match parts.get(1) {
        None => {
            return Ok(PartialDate {
                year,
                month: None,
                day: None,
            });
        }
        Some(m) => number(m, "month")?,
    };
    if !(1..=12).contains(&month) {
        return Err(format!("invalid date `{text}`: there is no month {month}"));
    }
    let month = month as i8;
    let day = match parts.get(2) {
        None => {
            return Ok(PartialDate {
                year,
                month: Some(month),
                day: None,
            });
        }
        Some(d) => number(d, "day")?,
    };
    let days = Date::new(year, month, 1)
        .map(|d| d.days_in_month())
        .unwrap_or(31);
    if day < 1 || day > i64::from(days) {
        return Err(format!(
            "invalid date `{text}`: {} {year} has {days} days",
            MONTHS_EN[month as usize - 1]
        ));
    }
    Ok(PartialDate {
        year,
        month: Some(month),
        day: Some(day as i8),
    })
}

/// Parses a full `YYYY-MM-DD` date.
pub(crate) fn parse_full(value: &Scalar) -> Result<Date, String> {
    let partial = parse_partial(value)?;
    partial
        .full()
        .ok_or_else(|| format!("`{}` is not a full date: write YYYY-MM-DD", value.as_text()))
}

/// Parses an `embargo:` value: an RFC 3339 timestamp with its offset
/// (`2026-12-01T10:00:00+01:00`, `2026-12-01T09:00:00Z`), or a plain `YYYY-MM-DD`
/// date, which means midnight at the start of that day in the site's time zone `tz`.
pub(crate) fn parse_embargo(
    value: &Scalar,
    tz: &jiff::tz::TimeZone,
) -> Result<jiff::Timestamp, String> {
    let text = value.as_text();
    let trimmed = text.trim();
    if let Ok(t) = trimmed.parse::<jiff::Timestamp>() {
        if let Some(minutes) = utc_offset_minutes(trimmed)
            && !(-12 * 60..=14 * 60).contains(&minutes)
        {
            return Err(format!(
                "`{text}` has the offset {}{:02}:{:02}, but offsets from UTC lie between -12:00 and +14:00",
                if minutes < 0 { '-' } else { '+' },
                minutes.abs() / 60,
                minutes.abs() % 60
            ));
        }
        return Ok(t);
    }
    if trimmed.len() >= 4 && trimmed[..4].parse::<u16>().is_ok_and(|y| y >= 9999) {
        return Err(format!(
            "`{text}` is too far in the future: the latest embargo is in the year 9998"
        ));
    }
    if trimmed.contains(':') {
        return Err(format!(
            "`{text}` is not a time: an embargo is a date and time with its offset from UTC"
        ));
    }
    let date = parse_full(value)?;
    date.to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|e| format!("invalid embargo `{text}`: {e}"))
}

/// The offset from UTC written at the end of an RFC 3339 moment (`+01:00`, `-0530`,
/// `Z`), in minutes.
fn utc_offset_minutes(moment: &str) -> Option<i32> {
    let time = &moment[moment.find(['T', 't', ' '])?..];
    if time.ends_with(['Z', 'z']) {
        return Some(0);
    }
    let sign_at = time.rfind(['+', '-'])?;
    let sign = if time[sign_at..].starts_with('-') {
        -1
    } else {
        1
    };
    let digits: String = time[sign_at + 1..]
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4).map_or(Some(0), |m| m.parse().ok())?;
    Some(sign * (hours * 60 + minutes))
}

/// A moment as `2026-12-01T10:00:00+01:00`, in the time zone `tz`.
pub(crate) fn format_timestamp(ts: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    ts.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

const MONTHS_EN: [&str; 12] = [
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
];

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Scalar {
        Scalar::Text(s.to_owned())
    }

    #[test]
    fn embargoes_are_moments_with_an_offset_or_dates_at_local_midnight() {
        let berlin = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        let utc = jiff::tz::TimeZone::UTC;
        let t = parse_embargo(&text("2026-12-01T10:00:00+01:00"), &utc).unwrap();
        assert_eq!(t.to_string(), "2026-12-01T09:00:00Z");
        let z = parse_embargo(&text("2026-12-01T09:00:00Z"), &berlin).unwrap();
        assert_eq!(z, t);
        assert_eq!(format_timestamp(t, &berlin), "2026-12-01T10:00:00+01:00");
        assert_eq!(format_timestamp(t, &utc), "2026-12-01T09:00:00+00:00");
        // A date alone: midnight in the site's time zone (CEST in summer).
        let d = parse_embargo(&text("2026-07-01"), &berlin).unwrap();
        assert_eq!(d.to_string(), "2026-06-30T22:00:00Z");
        // No offset, a bad time, a bad date, a year: errors that say what to write.
        for bad in ["2026-12-01T10:00:00", "2026-12-01T25:00:00+01:00"] {
            let e = parse_embargo(&text(bad), &utc).unwrap_err();
            assert!(e.contains("is not a time"), "{bad}: {e}");
        }
        assert!(parse_embargo(&text("tomorrow"), &utc).is_err());
        assert!(parse_embargo(&text("2026-02-30"), &utc).is_err());
        assert!(parse_embargo(&Scalar::Integer(2026), &utc).is_err());
    }

    #[test]
    fn parses_all_precisions() {
        assert_eq!(
            parse_partial(&Scalar::Integer(2024)).unwrap().to_string(),
            "2024"
        );
        assert_eq!(
            parse_partial(&text("2024-07")).unwrap().to_string(),
            "2024-07"
        );
        assert_eq!(
            parse_partial(&text("2024-02-29")).unwrap().to_string(),
            "2024-02-29"
        );
        assert!(parse_full(&text("2024-02-29")).is_ok());
    }

    #[test]
    fn rejects_impossible_dates_with_a_reason() {
        assert!(
            parse_partial(&text("2024-02-30"))
                .unwrap_err()
                .contains("February 2024 has 29 days")
        );
        assert!(
            parse_partial(&text("2023-02-29"))
                .unwrap_err()
                .contains("has 28 days")
        );
        assert!(
            parse_partial(&text("2025-13-01"))
                .unwrap_err()
                .contains("no month 13")
        );
        assert!(
            parse_full(&text("2024-07"))
                .unwrap_err()
                .contains("not a full date")
        );
        assert!(parse_partial(&text("soon")).is_err());
        assert!(parse_partial(&text("24-07-01")).is_err());
    }

    #[test]
    fn orders_less_precise_first() {
        let y = parse_partial(&Scalar::Integer(2024)).unwrap();
        let m = parse_partial(&text("2024-07")).unwrap();
        let d = parse_partial(&text("2024-07-01")).unwrap();
        assert!(y < m && m < d);
    }
}
