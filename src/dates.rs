//! Publication dates: a post dated after today is not published yet (Jekyll without
//! `future: true`, Hugo without `--buildFuture`), so it counts as a draft. Dates are
//! compared by the calendar day as written; the time of day and zone are ignored, so a
//! date never flips a post within a day. A date adlint cannot read is no date: never a
//! draft, never an error.

use crate::parse::FrontMatter;
use std::path::Path;

/// Today in the WebAssembly build, set by the page ([`Day::set_today`]).
#[cfg(target_arch = "wasm32")]
static WASM_TODAY: std::sync::Mutex<Day> = std::sync::Mutex::new(Day::EPOCH);

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

fn leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Day {
    fn new(year: i32, month: u32, day: u32) -> Option<Day> {
        ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day))
            .then_some(Day { year, month, day })
    }

    /// `2026-03-02`, optionally followed by a time (`T07:00:00Z`, ` 07:00:00 -0700`):
    /// YAML dates and datetimes, TOML datetimes, quoted strings. Anything else is `None`.
    pub fn parse(text: &str) -> Option<Day> {
        let t = text.trim().trim_matches(['"', '\'']);
        let b = t.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            b.get(r.clone())
                .filter(|d| d.iter().all(u8::is_ascii_digit))
                .and_then(|_| t[r].parse::<u32>().ok())
        };
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        // After the day only a time may follow, not more digits (`2026-03-021`).
        if b.get(10)
            .is_some_and(|c| !matches!(c, b'T' | b't' | b' ' | b'\t'))
        {
            return None;
        }
        let year = i32::try_from(digits(0..4)?).ok()?;
        Day::new(year, digits(5..7)?, digits(8..10)?)
    }

    /// Jekyll's `_posts/2026-03-02-title.md`.
    pub fn from_file_name(path: &Path) -> Option<Day> {
        let name = path.file_name()?.to_str()?;
        let date = name.get(..10)?;
        (name.as_bytes().get(10) == Some(&b'-')).then_some(())?;
        Day::parse(date)
    }

    /// Today in UTC, from the system clock (days since 1970, civil calendar).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn today() -> Day {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Day::from_days(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// Today, as the page last told it ([`Day::set_today`]): WebAssembly has no clock of
    /// its own (`SystemTime::now` panics there).
    #[cfg(target_arch = "wasm32")]
    pub fn today() -> Day {
        WASM_TODAY.lock().map_or(Day::EPOCH, |d| *d)
    }

    /// Sets today for [`Day::today`] in the WebAssembly build (`src/playground.rs`).
    #[cfg(target_arch = "wasm32")]
    pub fn set_today(day: Day) {
        if let Ok(mut today) = WASM_TODAY.lock() {
            *today = day;
        }
    }

    #[cfg(target_arch = "wasm32")]
    const EPOCH: Day = Day {
        year: 1970,
        month: 1,
        day: 1,
    };

    /// Howard Hinnant's `civil_from_days`.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    fn from_days(days: i64) -> Day {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Day { year, month, day }
    }
}

/// The day a post is published: Hugo's `publishDate` (or `pubdate`), else `date`, else
/// the date in a Jekyll file name. The first of these adlint can read wins.
pub fn publish_day(fm: Option<&FrontMatter>, path: &Path) -> Option<Day> {
    ["publishDate", "pubdate", "date"]
        .iter()
        .find_map(|key| fm?.get(key)?.as_str().and_then(Day::parse))
        .or_else(|| Day::from_file_name(path))
}

/// Is the post dated after `today`?
pub fn is_future(fm: Option<&FrontMatter>, path: &Path, today: Day) -> bool {
    publish_day(fm, path).is_some_and(|d| d > today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::front_matter::split;

    fn day(y: i32, m: u32, d: u32) -> Day {
        Day::new(y, m, d).unwrap()
    }

    #[test]
    fn dates_as_site_generators_write_them() {
        for (text, want) in [
            ("2026-03-02", Some(day(2026, 3, 2))),
            ("2026-03-02 07:00:00 -0700", Some(day(2026, 3, 2))),
            ("2026-03-02T07:00:00+01:00", Some(day(2026, 3, 2))),
            ("2026-03-02T07:00:00Z", Some(day(2026, 3, 2))),
            ("'2024-02-29'", Some(day(2024, 2, 29))),
            ("2023-02-29", None),
            ("2026-13-01", None),
            ("2026-3-2", None),
            ("2026-03-021", None),
            ("March 2, 2026", None),
            ("", None),
            ("२०२६-०३-०२", None),
        ] {
            assert_eq!(Day::parse(text), want, "{text}");
        }
    }

    #[test]
    fn the_calendar_from_the_clock() {
        assert_eq!(Day::from_days(0), day(1970, 1, 1));
        assert_eq!(Day::from_days(19_782), day(2024, 2, 29));
        assert_eq!(Day::from_days(20_819), day(2027, 1, 1));
        assert!(Day::today() > day(2020, 1, 1));
    }

    #[test]
    fn future_posts_by_front_matter_or_file_name() {
        let today = day(2030, 6, 15);
        let future = |src: &str, path: &str| {
            let fm = split(src).front_matter.and_then(Result::ok);
            is_future(fm.as_ref(), Path::new(path), today)
        };
        // YAML date, datetime with zone, quoted; TOML datetime and date.
        assert!(future("---\ndate: 2030-06-16\n---\n", "a.md"));
        assert!(future(
            "---\ndate: 2999-01-01 08:00:00 -0700\n---\n",
            "a.md"
        ));
        assert!(future("---\ndate: \"2999-01-01\"\n---\n", "a.md"));
        assert!(future("+++\ndate = 2999-01-01T08:00:00Z\n+++\n", "a.md"));
        assert!(future("+++\ndate = 2999-01-01\n+++\n", "a.md"));
        assert!(!future(
            "---\ndate: 2030-06-15T23:59:00-12:00\n---\n",
            "a.md"
        ));
        assert!(!future("---\ndate: 2001-01-01\n---\n", "a.md"));
        // Hugo's publishDate wins over date.
        assert!(future(
            "---\ndate: 2001-01-01\npublishDate: 2999-01-01\n---\n",
            "a.md"
        ));
        // The front matter wins over the file name; without one the name counts.
        assert!(!future(
            "---\ndate: 2001-01-01\n---\n",
            "_posts/2999-01-01-a.md"
        ));
        assert!(future("---\ntitle: x\n---\n", "_posts/2999-01-01-a.md"));
        assert!(!future("---\ntitle: x\n---\n", "_posts/2001-01-01-a.md"));
        // Unreadable dates are no dates.
        assert!(!future("---\ndate: soon\n---\n", "a.md"));
        assert!(!future("---\ndate: [2999]\n---\n", "a.md"));
        assert!(!future("---\ndate: 2999\n---\n", "a.md"));
        assert!(!future("no front matter", "2999-13-01-a.md"));
    }
}
