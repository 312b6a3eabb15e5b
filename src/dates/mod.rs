//! Calendar dates as people type them: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`,
//! each meaning every day it covers (a year, a month, a day).

mod period;

use std::fmt;

use time::{Date, Month};

pub use period::Period;

/// Why a date could not be read. The message names the input and says what
/// would have been accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not a date, or not a date that exists.
    #[error("invalid date '{input}': {problem}")]
    Invalid {
        /// What was typed (on one line).
        input: String,
        /// What is wrong with it.
        problem: String,
    },
    /// `--from` after `--to`.
    #[error("--from {from} is after --to {to}")]
    Reversed {
        /// `--from` as typed.
        from: String,
        /// `--to` as typed.
        to: String,
    },
    /// An invalid date, given to a flag.
    #[error("{flag}: {source} (use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Www)")]
    Flag {
        /// The flag, `--on`, `--from` or `--to`.
        flag: &'static str,
        /// What is wrong with its date.
        source: Box<DateError>,
    },
}

impl DateError {
    fn in_flag(self, flag: &'static str) -> DateError {
        DateError::Flag {
            flag,
            source: Box::new(self),
        }
    }
}

fn invalid(input: &str, problem: impl Into<String>) -> DateError {
    DateError::Invalid {
        // On one line, whatever was typed.
        input: crate::text::on_one_line(input, crate::text::QUOTED_CHARS),
        problem: problem.into(),
    }
}

/// An inclusive run of days: what `2025`, `2025-03` or `2025-03-17` means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSpan {
    /// The first day.
    pub first: Date,
    /// The last day.
    pub last: Date,
}

impl DateSpan {
    /// Reads `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an ISO week `YYYY-Www`
    /// (Monday to Sunday, as `trend --by week` labels them; surrounding
    /// spaces allowed).
    pub fn parse(input: &str) -> Result<DateSpan, DateError> {
        let text = input.trim();
        let known = |c: char| c.is_ascii_digit() || c == '-' || c == 'W' || c == 'w';
        if !text.chars().all(known) {
            return Err(invalid(input, FORMS));
        }
        let parts: Vec<&str> = text.split('-').collect();
        if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(invalid(input, FORMS));
        }
        let year = parse_year(input, parts[0])?;
        if let [_, week] = parts[..] {
            if let Some(number) = week.strip_prefix(['W', 'w']) {
                return iso_week(input, year, number);
            }
        }
        let Some(month_text) = parts.get(1) else {
            return Ok(DateSpan {
                first: day(input, year, Month::January, 1)?,
                last: day(input, year, Month::December, 31)?,
            });
        };
        let month = parse_month(input, month_text)?;
        let Some(day_text) = parts.get(2) else {
            return Ok(DateSpan {
                first: day(input, year, month, 1)?,
                last: day(input, year, month, month.length(year))?,
            });
        };
        let date = day(input, year, month, parse_day_of_month(input, day_text)?)?;
        Ok(DateSpan {
            first: date,
            last: date,
        })
    }
}

/// What to do about a date in another form, for messages.
/// (Flags add the forms themselves: see [`DateError::Flag`].)
const FORMS: &str = "write its digits with '-' between";

/// The days of ISO week `number` of `year`.
fn iso_week(input: &str, year: i32, number: &str) -> Result<DateSpan, DateError> {
    let week = two_digits(input, number, "week")?;
    let weeks = time::util::weeks_in_year(year);
    if !(1..=weeks).contains(&week) {
        return Err(invalid(
            input,
            format!("{year} has ISO weeks 01 to {weeks}"),
        ));
    }
    let monday = Date::from_iso_week_date(year, week, time::Weekday::Monday)
        .map_err(|_| invalid(input, "outside the calendar"))?;
    let sunday = Date::from_iso_week_date(year, week, time::Weekday::Sunday)
        .map_err(|_| invalid(input, "outside the calendar"))?;
    Ok(DateSpan {
        first: monday,
        last: sunday,
    })
}

/// Reads one exact day, `YYYY-MM-DD`, as found in an article's date line.
pub fn parse_day(input: &str) -> Result<Date, DateError> {
    let text = input.trim();
    if text.len() != 10 || text.matches('-').count() != 2 {
        return Err(invalid(input, "expected a day as YYYY-MM-DD"));
    }
    let span = DateSpan::parse(text)?;
    Ok(span.first)
}

fn parse_year(input: &str, text: &str) -> Result<i32, DateError> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(input, "the year must have four digits"));
    }
    match text.parse::<i32>() {
        Ok(year) if year >= 1 => Ok(year),
        _ => Err(invalid(input, "there is no year 0000")),
    }
}

fn parse_month(input: &str, text: &str) -> Result<Month, DateError> {
    let number = two_digits(input, text, "month")?;
    Month::try_from(number).map_err(|_| invalid(input, format!("there is no month {text}")))
}

fn parse_day_of_month(input: &str, text: &str) -> Result<u8, DateError> {
    two_digits(input, text, "day")
}

fn two_digits(input: &str, text: &str, what: &str) -> Result<u8, DateError> {
    if text.len() != 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(input, format!("the {what} must have two digits")));
    }
    text.parse()
        .map_err(|_| invalid(input, format!("the {what} must have two digits")))
}

fn day(input: &str, year: i32, month: Month, day: u8) -> Result<Date, DateError> {
    Date::from_calendar_date(year, month, day).map_err(|_| {
        invalid(
            input,
            format!("{month} {year} has {} days", month.length(year)),
        )
    })
}

/// A month by its English name or an abbreviation of it of three letters or
/// more, in any case: `Mar`, `MAR`, `march`, `Sept`.
pub fn month_named(word: &str) -> Option<Month> {
    const MONTHS: [(&str, Month); 12] = [
        ("january", Month::January),
        ("february", Month::February),
        ("march", Month::March),
        ("april", Month::April),
        ("may", Month::May),
        ("june", Month::June),
        ("july", Month::July),
        ("august", Month::August),
        ("september", Month::September),
        ("october", Month::October),
        ("november", Month::November),
        ("december", Month::December),
    ];
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .find(|(name, _)| {
            name.get(..word.len())
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(word))
        })
        .map(|&(_, month)| month)
}

/// The days an article's date may fall on: the index stores dates as
/// nanoseconds since 1970 (from 1677 to 2262), and no news archive needs
/// more than these five centuries.
pub const INDEXABLE: std::ops::RangeInclusive<Date> =
    time::macros::date!(1700 - 01 - 01)..=time::macros::date!(2199 - 12 - 31);

/// Which days a search is limited to; both ends inclusive, either open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct DateFilter {
    /// The first day, if the filter has a start.
    pub from: Option<Date>,
    /// The last day, if the filter has an end.
    pub to: Option<Date>,
}

impl DateFilter {
    /// Builds the filter from `--on`, `--from` and `--to` as typed. `--on` is
    /// the span itself; `--from` starts on the first day of its span and
    /// `--to` ends on the last day of its span, so `--to 2025-03` includes
    /// 31 March.
    pub fn from_flags(
        on: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<DateFilter, DateError> {
        let mut filter = DateFilter::default();
        if let Some(on) = on {
            let span = DateSpan::parse(on).map_err(|e| e.in_flag("--on"))?;
            filter.from = Some(span.first);
            filter.to = Some(span.last);
        }
        if let Some(from_text) = from {
            filter.from = Some(
                DateSpan::parse(from_text)
                    .map_err(|e| e.in_flag("--from"))?
                    .first,
            );
        }
        if let Some(to_text) = to {
            filter.to = Some(
                DateSpan::parse(to_text)
                    .map_err(|e| e.in_flag("--to"))?
                    .last,
            );
        }
        if let (Some(first), Some(last)) = (filter.from, filter.to) {
            if first > last {
                return Err(DateError::Reversed {
                    from: from.or(on).unwrap_or_default().trim().to_string(),
                    to: to.or(on).unwrap_or_default().trim().to_string(),
                });
            }
        }
        Ok(filter)
    }

    /// Whether the filter lets every date through (and undated articles).
    pub fn is_empty(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }
}

impl fmt::Display for DateFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.to) {
            (Some(a), Some(b)) if a == b => write!(f, "on {}", Iso(a)),
            (Some(a), Some(b)) => write!(f, "from {} to {}", Iso(a), Iso(b)),
            (Some(a), None) => write!(f, "from {}", Iso(a)),
            (None, Some(b)) => write!(f, "up to {}", Iso(b)),
            (None, None) => Ok(()),
        }
    }
}

/// Shows a date as `YYYY-MM-DD`, the one way dates are written everywhere.
#[derive(Debug, Clone, Copy)]
pub struct Iso(pub Date);

impl fmt::Display for Iso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let date = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        )
    }
}

/// Shows a time of day as `HH:MM:SS`.
#[derive(Debug, Clone, Copy)]
pub struct Clock(pub time::Time);

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let time = self.0;
        write!(
            f,
            "{:02}:{:02}:{:02}",
            time.hour(),
            time.minute(),
            time.second()
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_error_quotes_what_was_typed_on_one_line() {
        let err = DateSpan::parse("2025-0\n3").unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid date '2025-0\\n3': write its digits with '-' between"
        );
    }

    use super::*;
    use time::macros::date;

    #[test]
    fn a_year_is_every_day_of_it() {
        let span = DateSpan::parse("2024").unwrap();
        assert_eq!(span.first, date!(2024 - 01 - 01));
        assert_eq!(span.last, date!(2024 - 12 - 31));
    }

    #[test]
    fn a_month_ends_on_its_last_day() {
        assert_eq!(
            DateSpan::parse("2025-03").unwrap().last,
            date!(2025 - 03 - 31)
        );
        assert_eq!(
            DateSpan::parse("2024-02").unwrap().last,
            date!(2024 - 02 - 29)
        );
        assert_eq!(
            DateSpan::parse("2025-02").unwrap().last,
            date!(2025 - 02 - 28)
        );
        assert_eq!(
            DateSpan::parse("2025-04").unwrap().last,
            date!(2025 - 04 - 30)
        );
    }

    #[test]
    fn a_day_is_itself() {
        let span = DateSpan::parse(" 2025-03-17 ").unwrap();
        assert_eq!(
            (span.first, span.last),
            (date!(2025 - 03 - 17), date!(2025 - 03 - 17))
        );
    }

    #[test]
    fn impossible_days_are_refused_with_the_reason() {
        let err = DateSpan::parse("2025-02-30").unwrap_err().to_string();
        assert!(err.contains("'2025-02-30'"), "{err}");
        assert!(err.contains("February 2025 has 28 days"), "{err}");
        assert!(DateSpan::parse("2024-02-29").is_ok());
        assert!(DateSpan::parse("2023-02-29").is_err());
    }

    #[test]
    fn malformed_dates_are_refused() {
        for bad in [
            "",
            "25",
            "2025-3",
            "2025-13",
            "2025-00",
            "2025-03-7",
            "2025-03-32",
            "2025/03/17",
            "0000",
            "2025-03-17-01",
            "march",
            "2025-",
            "-2025",
            "２０２５",
        ] {
            let err = DateSpan::parse(bad);
            assert!(err.is_err(), "{bad:?} was accepted as {err:?}");
            assert!(err.unwrap_err().to_string().contains(&format!("'{bad}'")));
        }
    }

    #[test]
    fn an_iso_week_is_monday_to_sunday() {
        let span = DateSpan::parse("1993-W16").unwrap();
        assert_eq!(
            (span.first, span.last),
            (date!(1993 - 04 - 19), date!(1993 - 04 - 25))
        );
        // ISO week 1 of 2025 starts in 2024; 2020 has 53 weeks, 2021 52.
        assert_eq!(
            DateSpan::parse("2025-w01").unwrap().first,
            date!(2024 - 12 - 30)
        );
        assert!(DateSpan::parse("2020-W53").is_ok());
        let err = DateSpan::parse("2021-W53").unwrap_err().to_string();
        assert!(err.contains("2021 has ISO weeks 01 to 52"), "{err}");
        assert!(DateSpan::parse("2021-W5").is_err());
        assert!(DateSpan::parse("2021-W00").is_err());
        // What trend prints as a week's label reads back as that week.
        let week = Period::Week;
        let start = week.start_of(date!(1993 - 04 - 20));
        assert_eq!(DateSpan::parse(&week.label(start)).unwrap().first, start);
    }

    #[test]
    fn another_separator_is_told_the_forms() {
        let err = DateSpan::parse("1993/04/20").unwrap_err().to_string();
        assert!(err.contains("with '-' between"), "{err}");
        assert!(!err.contains("four digits"), "{err}");
    }

    #[test]
    fn parse_day_wants_a_whole_day() {
        assert_eq!(parse_day("2025-03-17").unwrap(), date!(2025 - 03 - 17));
        assert!(parse_day("2025-03").is_err());
        assert!(parse_day("2025").is_err());
    }

    #[test]
    fn filter_flags_cover_whole_spans() {
        let filter = DateFilter::from_flags(None, Some("2025-02"), Some("2025-03")).unwrap();
        assert_eq!(filter.from, Some(date!(2025 - 02 - 01)));
        assert_eq!(filter.to, Some(date!(2025 - 03 - 31)));
        let on = DateFilter::from_flags(Some("2024"), None, None).unwrap();
        assert_eq!(
            (on.from, on.to),
            (Some(date!(2024 - 01 - 01)), Some(date!(2024 - 12 - 31)))
        );
        assert_eq!(on.to_string(), "from 2024-01-01 to 2024-12-31");
        assert!(DateFilter::from_flags(None, None, None).unwrap().is_empty());
        let err = DateFilter::from_flags(None, Some("2025"), Some("2025-02-30")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("--to: invalid date '2025-02-30'"),
            "{err}"
        );
    }

    #[test]
    fn a_reversed_range_is_an_error() {
        let err = DateFilter::from_flags(None, Some("2025-04"), Some("2025-03")).unwrap_err();
        assert_eq!(err.to_string(), "--from 2025-04 is after --to 2025-03");
        // The same month as both ends is fine: it is that month.
        assert!(DateFilter::from_flags(None, Some("2025-03"), Some("2025-03")).is_ok());
    }

    #[test]
    fn months_by_name() {
        assert_eq!(month_named("MAR"), Some(Month::March));
        assert_eq!(month_named("Sept"), Some(Month::September));
        assert_eq!(month_named("december"), Some(Month::December));
        assert_eq!(month_named("ma"), None);
        assert_eq!(month_named("marz"), None);
    }

    #[test]
    fn iso_pads_every_part() {
        assert_eq!(Iso(date!(0987 - 02 - 06)).to_string(), "0987-02-06");
    }
}
