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

/// Why an `embargo:` value was refused, and what to write instead.
#[derive(Debug)]
pub(crate) struct EmbargoError {
    pub message: String,
    pub help: String,
}

impl EmbargoError {
    fn new(message: String) -> Self {
        Self {
            message,
            help: "write `embargo: 2026-12-01 10:00` (the time in the site's `timezone`), a moment with its offset from UTC `2026-12-01T10:00:00+01:00`, or a date `2026-12-01` for midnight".into(),
        }
    }
}

/// Parses an `embargo:` value: an RFC 3339 timestamp with its offset
/// (`2026-12-01T10:00:00+01:00`, `2026-12-01T09:00:00Z`), a date and time without one
/// (`2026-12-01 10:00`, `2026-12-01T10:00`), which is the wall-clock time in the
/// site's time zone `tz`, or a plain `YYYY-MM-DD` date, which means midnight at the
/// start of that day there.
pub(crate) fn parse_embargo(
    value: &Scalar,
    tz: &jiff::tz::TimeZone,
) -> Result<jiff::Timestamp, EmbargoError> {
    let text = value.as_text();
    let trimmed = text.trim();
    if let Ok(t) = trimmed.parse::<jiff::Timestamp>() {
        if let Some(minutes) = utc_offset_minutes(trimmed)
            && !(-12 * 60..=14 * 60).contains(&minutes)
        {
            return Err(EmbargoError::new(format!(
                "`{text}` has the offset {}{:02}:{:02}, but offsets from UTC lie between -12:00 and +14:00",
                if minutes < 0 { '-' } else { '+' },
                minutes.abs() / 60,
                minutes.abs() % 60
            )));
        }
        return Ok(t);
    }
    if trimmed.len() >= 4 && trimmed[..4].parse::<u16>().is_ok_and(|y| y >= 9999) {
        return Err(EmbargoError::new(format!(
            "`{text}` is too far in the future: the latest embargo is in the year 9998"
        )));
    }
    if trimmed.contains(':') {
        let wall_clock = utc_offset_minutes(trimmed).is_none() && !trimmed.contains('[');
        return match trimmed.parse::<jiff::civil::DateTime>() {
            Ok(dt) if wall_clock => local_moment(dt, tz, trimmed),
            _ => Err(EmbargoError::new(format!(
                "`{text}` is not a time: an embargo is a date and a time such as `2026-12-01 10:00`"
            ))),
        };
    }
    let date = parse_full(value).map_err(EmbargoError::new)?;
    date.to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|e| EmbargoError::new(format!("invalid embargo `{text}`: {e}")))
}

/// The moment a wall-clock time `dt` (written `text`) names in `tz`; a time the clocks
/// skip or show twice on a change to or from summer time names none or two, so it is
/// refused with the offsets that would say which moment is meant.
pub(crate) fn local_moment(
    dt: jiff::civil::DateTime,
    tz: &jiff::tz::TimeZone,
    text: &str,
) -> Result<jiff::Timestamp, EmbargoError> {
    use jiff::tz::AmbiguousOffset;
    let zone = tz.iana_name().unwrap_or("the site's time zone");
    let hhmm = |offset: jiff::tz::Offset| {
        let minutes = offset.seconds() / 60;
        let sign = if minutes < 0 { '-' } else { '+' };
        format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
    };
    let with = |offset| format!("{}{}", dt.strftime("%Y-%m-%dT%H:%M:%S"), hhmm(offset));
    match tz.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset
            .to_timestamp(dt)
            .map_err(|e| EmbargoError::new(format!("`{text}` is not a moment: {e}"))),
        AmbiguousOffset::Gap { before, after } => Err(EmbargoError {
            message: format!(
                "`{text}` does not exist in {zone}: the clocks go forward that night (from {} to {}) and skip this time",
                hhmm(before),
                hhmm(after)
            ),
            help: format!(
                "choose a time the clocks show that day, or add the offset you mean: `{}` (before the change) or `{}` (after it)",
                with(before),
                with(after)
            ),
        }),
        AmbiguousOffset::Fold { before, after } => Err(EmbargoError {
            message: format!(
                "`{text}` exists twice in {zone}: the clocks go back that night (from {} to {}) and show this time twice",
                hhmm(before),
                hhmm(after)
            ),
            help: format!(
                "add the offset to say which: `{}` (the first, before the change) or `{}` (the second)",
                with(before),
                with(after)
            ),
        }),
    }
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
        // A bad time, a bad date, a year: errors that say what to write.
        for bad in ["2026-12-01T25:00:00+01:00", "2026-12-01 10:00 Uhr"] {
            let e = parse_embargo(&text(bad), &utc).unwrap_err();
            assert!(e.message.contains("is not a time"), "{bad}: {e:?}");
        }
        assert!(parse_embargo(&text("tomorrow"), &utc).is_err());
        assert!(parse_embargo(&text("2026-02-30"), &utc).is_err());
        assert!(parse_embargo(&Scalar::Integer(2026), &utc).is_err());
    }

    #[test]
    fn a_time_without_offset_is_the_wall_clock_time_of_the_site() {
        let berlin = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        let moment = |s: &str| parse_embargo(&text(s), &berlin).map(|t| t.to_string());
        // Winter time (+01:00) and summer time (+02:00), each way of writing it.
        for winter in [
            "2026-12-07 10:00",
            "2026-12-07T10:00",
            "2026-12-07T10:00:00",
        ] {
            assert_eq!(moment(winter).unwrap(), "2026-12-07T09:00:00Z", "{winter}");
        }
        assert_eq!(moment("2026-07-07 10:00").unwrap(), "2026-07-07T08:00:00Z");
        let gap = moment("2026-03-29 02:30").unwrap_err();
        assert!(
            gap.message.contains("does not exist in Europe/Berlin"),
            "{gap:?}"
        );
        assert!(gap.help.contains("`2026-03-29T02:30:00+01:00`"), "{gap:?}");
        let fold = moment("2026-10-25 02:30").unwrap_err();
        assert!(
            fold.message.contains("exists twice in Europe/Berlin"),
            "{fold:?}"
        );
        assert!(
            fold.help.contains("`2026-10-25T02:30:00+02:00` (the first"),
            "{fold:?}"
        );
        // An offset out of range is not read as a wall-clock time.
        assert!(moment("2026-12-07T10:00:00+25:00").is_err());
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
