//! The moment a build treats as now (`--now`, `PARTNERPRESS_NOW`, else the clock): a
//! moment with its offset from UTC, or a wall-clock time that means that time in the
//! site's `timezone`, as embargoes do. The time zone is known only once `site.yaml`
//! is read, so a wall-clock time is kept as written until then.

use super::dates::{EmbargoError, local_moment};
use std::fmt;
use std::str::FromStr;

/// The moment embargoes are compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Now {
    /// A moment: the clock, or a time written with its offset from UTC.
    At(jiff::Timestamp),
    /// A date and time without an offset (`2026-12-07 10:00`): that time on the clocks
    /// of the site's `timezone`.
    Local(jiff::civil::DateTime),
}

impl Now {
    /// The moment this names in `tz`; a wall-clock time the clocks skip or show twice
    /// names none or two, and is refused with the offsets that would say which.
    pub(crate) fn moment(self, tz: &jiff::tz::TimeZone) -> Result<jiff::Timestamp, EmbargoError> {
        match self {
            Now::At(t) => Ok(t),
            Now::Local(dt) => local_moment(dt, tz, &dt.strftime("%Y-%m-%d %H:%M").to_string()),
        }
    }
}

impl From<jiff::Timestamp> for Now {
    fn from(t: jiff::Timestamp) -> Self {
        Now::At(t)
    }
}

/// `2026-12-07T10:00:00+01:00` or `…Z` (a moment), `2026-12-07 10:00` or
/// `2026-12-07T10:00` (the site's local time); anything else gets the forms it could
/// have been written in, with a day-first date (`07.12.2026 10:00`) reordered.
impl FromStr for Now {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(t) = text.parse::<jiff::Timestamp>() {
            return Ok(Now::At(t));
        }
        if let Ok(dt) = text.parse::<jiff::civil::DateTime>()
            && !text.contains('[')
        {
            return Ok(Now::Local(dt));
        }
        let forms = "`2026-12-07 10:00` (the time in the site's `timezone`) or a moment with its offset from UTC, `2026-12-07T10:00:00+01:00`";
        Err(match day_first(text) {
            Some(reordered) => format!("write the date year first: `{reordered}`, or {forms}"),
            None => format!("write the moment as {forms}"),
        })
    }
}

/// `07.12.2026 10:00` (or `7/12/2026 10:00`) → `2026-12-07 10:00`.
fn day_first(text: &str) -> Option<String> {
    let (date, time) = text.split_once([' ', 'T']).unwrap_or((text, ""));
    let parts: Vec<&str> = date.split(['.', '/']).collect();
    let [d, m, y] = parts[..] else { return None };
    let numeric = [d, m, y].iter().all(|p| p.parse::<u16>().is_ok());
    if !numeric || y.len() != 4 {
        return None;
    }
    let time = if time.is_empty() {
        "00:00"
    } else {
        time.trim()
    };
    Some(format!("{y}-{m:0>2}-{d:0>2} {time}"))
}

impl fmt::Display for Now {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Now::At(t) => write!(f, "{t}"),
            Now::Local(dt) => write!(f, "{}", dt.strftime("%Y-%m-%d %H:%M:%S")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get("Europe/Berlin").expect("Europe/Berlin")
    }

    #[test]
    fn a_time_without_offset_is_the_site_time_zone_in_summer_and_winter() {
        let winter: Now = "2026-12-07 10:00".parse().unwrap();
        let summer: Now = "2026-07-07T10:00".parse().unwrap();
        let at = |n: Now| n.moment(&berlin()).unwrap().to_string();
        assert_eq!(at(winter), "2026-12-07T09:00:00Z");
        assert_eq!(at(summer), "2026-07-07T08:00:00Z");
        let exact: Now = "2026-12-07T10:00:00+01:00".parse().unwrap();
        assert_eq!(at(exact), "2026-12-07T09:00:00Z");
    }

    #[test]
    fn a_skipped_or_repeated_local_time_is_refused() {
        let gap: Now = "2026-03-29 02:30".parse().unwrap();
        let fold: Now = "2026-10-25 02:30".parse().unwrap();
        let gap = gap.moment(&berlin()).unwrap_err();
        assert!(gap.message.contains("does not exist"), "{}", gap.message);
        assert!(
            gap.help.contains("2026-03-29T02:30:00+01:00"),
            "{}",
            gap.help
        );
        let fold = fold.moment(&berlin()).unwrap_err();
        assert!(fold.message.contains("exists twice"), "{}", fold.message);
    }

    #[test]
    fn a_day_first_date_gets_the_reordered_form() {
        let e = "07.12.2026 10:00".parse::<Now>().unwrap_err();
        assert!(e.contains("`2026-12-07 10:00`"), "{e}");
        let e = "soon".parse::<Now>().unwrap_err();
        assert!(e.contains("2026-12-07T10:00:00+01:00"), "{e}");
    }
}
