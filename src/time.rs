//! Clock and datetime encodings.
//!
//! Django stores datetimes on SQLite as UTC text `YYYY-MM-DD HH:MM:SS[.ffffff]` (fraction omitted
//! when zero). `WAFFLECTL_NOW` fixes the clock (any form [`parse_human`] accepts), which keeps
//! tests and reproductions deterministic.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};

use crate::error::{Error, Result};

pub mod django;
pub mod text;

/// The one read of the clock: `fixed` (`$WAFFLECTL_NOW`, read by `env`) when set, else the
/// system clock. A command reads it once, into `Ctx::now`, and hands that instant on.
pub fn read_clock(fixed: Option<DateTime<Utc>>) -> DateTime<Utc> {
    fixed.unwrap_or_else(Utc::now)
}

/// Django's SQLite text form: `2026-11-21 12:55:18.747123`, or without fraction when it is zero.
pub fn to_db(t: &DateTime<Utc>) -> String {
    if t.nanosecond() / 1000 == 0 {
        t.format("%Y-%m-%d %H:%M:%S").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
    }
}

/// Reads a datetime as Django (or another writer) left it in SQLite: with a space or a `T`,
/// with or without fraction, with or without a `Z`/offset (converted to UTC).
pub fn parse_db(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    if let Some(rest) = s.strip_suffix('Z').or_else(|| s.strip_suffix("+00:00")) {
        return parse_db(rest);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .map(|d| Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)))
}

/// ISO 8601 in UTC with microseconds and `Z`, as `--json` prints datetimes.
pub fn to_json(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// A stored datetime as `--json` prints it: the instant Django reads ([`django::datetime`]) as
/// ISO 8601 UTC with microseconds and `Z` ([`to_json`]); text Django cannot read is passed
/// through as stored. The one reader of stored datetimes for output (listings, history, export).
pub fn db_to_json(s: &str) -> String {
    text::stored_to_json(s).unwrap_or_else(|| s.to_string())
}

/// A stored datetime for tables: the instant Django reads, `2026-11-21 12:55:18` (UTC); text
/// Django cannot read is shown as stored.
pub fn db_to_human(s: &str) -> String {
    django::datetime(s)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| s.to_string())
}

/// The normal form wafflectl stores typed dates in and shows enrollment dates and windows in:
/// `YYYY-MM-DDTHH:MM:SS` (UTC, seconds).
pub fn to_normal(t: &NaiveDateTime) -> String {
    t.format(crate::engine::dateutil::NORMAL_FORMAT).to_string()
}

/// No date is written in more than 255 characters: longer text is refused before a date parser
/// sees it (a megabyte takes the dateutil port seconds). The one home of that limit, for typed
/// dates and for the dates files give.
fn too_long(s: &str) -> Result<()> {
    const DATE_TEXT_MAX: usize = 255;
    if s.chars().nth(DATE_TEXT_MAX).is_some() {
        return Err(
            Error::usage(format!("'{}' is not a date and time", crate::error::cut(s)))
                .with_hint("use a form like 2020-03-05, 2020-03-05T10:00:00Z or 'March 5, 2020'"),
        );
    }
    Ok(())
}

/// Reads a date typed by a person exactly as edX's dateutil will read the stored text (missing
/// parts from `today`, the command's; two-digit years near this year, an offset converted to
/// UTC) and gives the normalised text to store. `what` names the value in errors (exit 2): text
/// dateutil refuses, and text on which it overflows (the LMS would fail with a server error).
pub fn parse_typed_on(
    what: &str,
    s: &str,
    today: NaiveDate,
) -> Result<crate::engine::dateutil::Typed> {
    typed_on(s, today).map_err(|e| Error {
        message: format!("{what}: {}", e.message),
        ..e
    })
}

/// [`parse_typed_on`] whose error does not name the value (the command line adds the option).
pub fn typed_on(s: &str, today: NaiveDate) -> Result<crate::engine::dateutil::Typed> {
    use crate::engine::dateutil::{self, Failure};
    too_long(s)?;
    dateutil::typed(s, today).map_err(|e| match e {
        Failure::Overflow(why) => Error::usage(format!(
            "'{}' makes edX's date parser overflow ({why}); the LMS would fail with a server error",
            crate::error::cut(s)
        ))
        .with_hint("use a form like 2020-03-05, 2020-03-05T10:00:00Z or 'March 5, 2020'"),
        Failure::Unreadable(why) => Error::usage(format!(
            "edX cannot read '{}' as a date ({why})",
            crate::error::cut(s)
        ))
        .with_hint("use a form like 2020-03-05, 2020-03-05T10:00:00Z or 'March 5, 2020'"),
    })
}

/// How a typed date was read, for the output: `stored as X; edX reads X UTC (converted from
/// UTC+05:00)`.
pub fn typed_note(what: &str, typed: &str, t: &crate::engine::dateutil::Typed) -> String {
    let mut line = format!(
        "{what}: '{typed}' is stored as {}; edX reads it as {} UTC",
        t.stored,
        t.instant.format("%Y-%m-%d %H:%M:%S%.f")
    );
    if let Some(off) = t.converted_from {
        line.push_str(&format!(
            " (converted from UTC{}; edX ignores offsets in stored text)",
            crate::engine::dateutil::offset_text(off)
        ));
    }
    if let Some(z) = &t.ignored_zone {
        line.push_str(&format!(
            " (zone name '{z}' ignored: edX's dateutil does not know it)"
        ));
    }
    line
}

/// Parses a date typed by a person (`2020-03-05`, `March 5, 2020`, `2020-03-05 10:00`,
/// RFC 3339, ...). A date without a time means midnight UTC; a time without a zone is UTC.
pub fn parse_human(s: &str) -> Result<DateTime<Utc>> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Error::usage("empty date"));
    }
    too_long(t)?;
    if let Some(d) = parse_db(t) {
        return Ok(d);
    }
    // dateparser fills a missing time with the current time of day; a person who typed a bare
    // date means midnight, as dateutil reads it, so dates alone are handled here first.
    for fmt in [
        "%B %d, %Y",
        "%B %d %Y",
        "%b %d, %Y",
        "%b %d %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%m/%d/%Y",
        "%Y/%m/%d",
        "%Y.%m.%d",
        "%Y%m%d",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(t, fmt) {
            return Ok(Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)));
        }
    }
    match dateparser::parse_with(t, &Utc, NaiveTime::MIN) {
        Ok(d) => Ok(d),
        Err(_) => Err(
            Error::usage(format!("cannot read '{}' as a date", crate::error::cut(s)))
                .with_hint("use a form like 2020-03-05, 2020-03-05T10:00:00Z or 'March 5, 2020'"),
        ),
    }
}

/// Reads a time typed for a scheduled change (`--at`): `in 2 hours`, `in 30 minutes`,
/// `in 3 days`, `tomorrow`, `tomorrow 09:00`, `today 18:00`, `18:00` (today), `yesterday` from
/// `now` (the command's clock), else any form [`parse_human`] reads.
pub fn parse_at(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let t = s.trim().to_ascii_lowercase();
    let words: Vec<&str> = t.split_whitespace().collect();
    let bad = || {
        Error::usage(format!("cannot read '{}' as a time", crate::error::cut(s))).with_hint(
            "use a form like 2026-12-24T18:00:00Z, '2026-12-24 18:00', 'tomorrow 09:00' or \
             'in 2 hours'",
        )
    };
    match words.as_slice() {
        ["in", n, unit] => {
            let n: i64 = n.parse().map_err(|_| bad())?;
            let unit = unit.trim_end_matches('s');
            let seconds: i64 = match unit {
                "second" | "sec" => 1,
                "minute" | "min" => 60,
                "hour" | "h" => 3600,
                "day" => 86_400,
                "week" => 604_800,
                _ => return Err(bad()),
            };
            if !(0..=36_500 * 86_400).contains(&n.saturating_mul(seconds)) {
                return Err(Error::usage(format!(
                    "'{}' is out of range (at most 100 years ahead)",
                    crate::error::cut(s)
                )));
            }
            Ok(now + chrono::Duration::seconds(n * seconds))
        }
        [day @ ("yesterday" | "today" | "tomorrow"), rest @ ..] => {
            let offset = match *day {
                "yesterday" => -1,
                "today" => 0,
                _ => 1,
            };
            let date = now.date_naive() + chrono::Duration::days(offset);
            let time = match rest {
                [] => NaiveTime::MIN,
                [hm] => NaiveTime::parse_from_str(hm, "%H:%M")
                    .or_else(|_| NaiveTime::parse_from_str(hm, "%H:%M:%S"))
                    .map_err(|_| bad())?,
                _ => return Err(bad()),
            };
            Ok(Utc.from_utc_datetime(&date.and_time(time)))
        }
        // a bare time is today's, on the command's clock (not the system's, which the date
        // reader behind `parse_human` would take)
        [hm] if hm.contains(':') && !hm.contains('-') => {
            let time = NaiveTime::parse_from_str(hm, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(hm, "%H:%M:%S"))
                .map_err(|_| bad())?;
            Ok(Utc.from_utc_datetime(&now.date_naive().and_time(time)))
        }
        _ => parse_human(s).map_err(|e| Error {
            message: format!("cannot read '{}' as a time", crate::error::cut(s)),
            ..e
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheduled_times_read_relative_forms_from_the_commands_clock() {
        let now = parse_db("2026-01-02 03:04:05").unwrap();
        let at = |s: &str| parse_at(s, now).map(|t| to_db(&t));
        assert_eq!(at("18:30").unwrap(), "2026-01-02 18:30:00");
        assert_eq!(at("18:30:15").unwrap(), "2026-01-02 18:30:15");
        assert!(at("25:00").is_err());
        assert_eq!(at("in 2 hours").unwrap(), "2026-01-02 05:04:05");
        assert_eq!(at("in 1 minute").unwrap(), "2026-01-02 03:05:05");
        assert_eq!(at("tomorrow 09:00").unwrap(), "2026-01-03 09:00:00");
        assert_eq!(at("today").unwrap(), "2026-01-02 00:00:00");
        assert_eq!(at("2026-12-24T18:00:00Z").unwrap(), "2026-12-24 18:00:00");
        for bad in [
            "in two hours",
            "in 2 fortnights",
            "tomorrow 25:00",
            "soon",
            "",
        ] {
            assert!(at(bad).is_err(), "{bad}");
        }
        assert!(at("in 99999999999999 days").is_err());
    }

    #[test]
    fn db_round_trip_omits_zero_fraction() {
        let t = parse_db("2026-11-21 12:55:18").unwrap();
        assert_eq!(to_db(&t), "2026-11-21 12:55:18");
        let t = parse_db("2026-11-21 12:55:18.747000").unwrap();
        assert_eq!(to_db(&t), "2026-11-21 12:55:18.747000");
        assert_eq!(to_json(&t), "2026-11-21T12:55:18.747000Z");
    }

    #[test]
    fn stored_datetimes_are_read_as_django_reads_them_for_json_and_tables() {
        // (stored, --json, tables)
        let cases = [
            (
                "2026-11-21 12:55:18.747123",
                "2026-11-21T12:55:18.747123Z",
                "2026-11-21 12:55:18",
            ),
            (
                "2026-11-21 12:55:18",
                "2026-11-21T12:55:18.000000Z",
                "2026-11-21 12:55:18",
            ),
            // offsets Django applies (`±HHMM` too), compact ISO and week dates, any digits
            (
                "2026-11-21T12:55:18+0100",
                "2026-11-21T11:55:18.000000Z",
                "2026-11-21 11:55:18",
            ),
            (
                "20261121T1255",
                "2026-11-21T12:55:00.000000Z",
                "2026-11-21 12:55:00",
            ),
            (
                "2026-W47-6 12:00",
                "2026-11-21T12:00:00.000000Z",
                "2026-11-21 12:00:00",
            ),
            (
                "２０２６-１１-２１ １２:５５",
                "2026-11-21T12:55:00.000000Z",
                "2026-11-21 12:55:00",
            ),
            // what Django cannot read is shown as stored: year 0, 24 o'clock, words
            (
                "0000-01-01 00:00:00",
                "0000-01-01 00:00:00",
                "0000-01-01 00:00:00",
            ),
            (
                "2026-11-21 24:00:00",
                "2026-11-21 24:00:00",
                "2026-11-21 24:00:00",
            ),
            ("yesterday", "yesterday", "yesterday"),
        ];
        for (stored, json, human) in cases {
            assert_eq!(db_to_json(stored), json, "{stored}");
            assert_eq!(db_to_human(stored), human, "{stored}");
            assert_eq!(
                db_to_json(stored),
                django::datetime(stored).map_or(stored.to_string(), |t| to_json(&t)),
                "{stored}"
            );
        }
    }

    #[test]
    fn the_normal_form_is_to_the_second() {
        let t = parse_db("2026-11-21 12:55:18.747123").unwrap().naive_utc();
        assert_eq!(to_normal(&t), "2026-11-21T12:55:18");
    }

    #[test]
    fn human_dates_mean_midnight_utc() {
        assert_eq!(
            to_normal(&parse_human("March 5, 2020").unwrap().naive_utc()),
            "2020-03-05T00:00:00"
        );
        assert_eq!(
            to_normal(&parse_human("2020-03-05").unwrap().naive_utc()),
            "2020-03-05T00:00:00"
        );
        assert_eq!(
            to_normal(
                &parse_human("2020-03-05T10:30:00-05:00")
                    .unwrap()
                    .naive_utc()
            ),
            "2020-03-05T15:30:00"
        );
        assert!(parse_human("not-a-date").is_err());
    }
}
