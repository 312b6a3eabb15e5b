//! Periods of the calendar that articles are counted or grouped in: a day,
//! an ISO week, a month, a year.

use std::fmt;

use time::{Date, Duration, Month};

use super::Iso;

/// The length of the periods articles are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Period {
    /// One day.
    Day,
    /// An ISO week: Monday to Sunday, labelled `2025-W11` (the week's ISO
    /// year, which near New Year can differ from the calendar year).
    Week,
    /// A calendar month, labelled `2025-03`.
    Month,
    /// A calendar year, labelled `2025`.
    Year,
}

impl Period {
    /// Every period, shortest first.
    pub const ALL: [Period; 4] = [Period::Day, Period::Week, Period::Month, Period::Year];

    /// The shortest period that shows the days from `first` to `last` in
    /// at most `bars` periods (a year when none does).
    pub fn fitting(first: Date, last: Date, bars: usize) -> Period {
        let (first, last) = if first <= last {
            (first, last)
        } else {
            (last, first)
        };
        let days = (last - first).whole_days() + 1;
        let weeks = (Period::Week.start_of(last) - Period::Week.start_of(first)).whole_weeks() + 1;
        let month_number =
            |date: Date| i64::from(date.year()) * 12 + i64::from(u8::from(date.month()));
        let months = month_number(last) - month_number(first) + 1;
        let bars = bars as i64;
        if days <= bars {
            Period::Day
        } else if weeks <= bars {
            Period::Week
        } else if months <= bars {
            Period::Month
        } else {
            Period::Year
        }
    }

    /// The name used on the command line and in JSON: `day`, `week`, …
    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    /// The first day of the period `date` falls in.
    pub fn start_of(self, date: Date) -> Date {
        match self {
            Period::Day => date,
            Period::Week => {
                date - Duration::days(i64::from(date.weekday().number_days_from_monday()))
            }
            Period::Month => date.replace_day(1).unwrap_or(date),
            Period::Year => {
                Date::from_calendar_date(date.year(), Month::January, 1).unwrap_or(date)
            }
        }
    }

    /// The last day of the period that begins on `start`.
    pub fn end_of(self, start: Date) -> Date {
        match self {
            Period::Day => start,
            Period::Week => start.saturating_add(Duration::days(6)),
            Period::Month => start
                .replace_day(start.month().length(start.year()))
                .unwrap_or(start),
            Period::Year => {
                Date::from_calendar_date(start.year(), Month::December, 31).unwrap_or(start)
            }
        }
    }

    /// How a period beginning on `start` is written: `2025-03-17`,
    /// `2025-W12`, `2025-03`, `2025`.
    pub fn label(self, start: Date) -> String {
        match self {
            Period::Day => Iso(start).to_string(),
            Period::Week => {
                let (year, week, _) = start.to_iso_week_date();
                format!("{year:04}-W{week:02}")
            }
            Period::Month => format!("{:04}-{:02}", start.year(), u8::from(start.month())),
            Period::Year => format!("{:04}", start.year()),
        }
    }
}

impl std::str::FromStr for Period {
    type Err = String;

    /// `day`, `week`, `month` or `year`.
    fn from_str(name: &str) -> Result<Period, String> {
        Period::ALL
            .into_iter()
            .find(|period| period.name() == name)
            .ok_or_else(|| format!("unknown period '{name}' (periods: day, week, month, year)"))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_fitting_period_is_the_shortest_that_fits() {
        let fitting = |first, last| Period::fitting(first, last, 60);
        assert_eq!(
            fitting(date!(1987 - 03 - 01), date!(1987 - 03 - 31)),
            Period::Day
        );
        assert_eq!(
            fitting(date!(1987 - 02 - 26), date!(1987 - 10 - 20)),
            Period::Week
        );
        assert_eq!(
            fitting(date!(2020 - 01 - 01), date!(2024 - 12 - 31)),
            Period::Month
        );
        assert_eq!(
            fitting(date!(1900 - 01 - 01), date!(2024 - 12 - 31)),
            Period::Year
        );
        // Either order; one day is a day.
        assert_eq!(
            fitting(date!(1987 - 10 - 20), date!(1987 - 02 - 26)),
            Period::Week
        );
        assert_eq!(
            fitting(date!(1987 - 10 - 20), date!(1987 - 10 - 20)),
            Period::Day
        );
    }

    #[test]
    fn periods_read_their_names_and_nothing_else() {
        for period in Period::ALL {
            assert_eq!(period.name().parse::<Period>(), Ok(period));
        }
        assert!("fortnight"
            .parse::<Period>()
            .unwrap_err()
            .contains("day, week"));
    }

    #[test]
    fn a_date_falls_in_a_labelled_period() {
        let day = date!(2025 - 03 - 19);
        let label = |period: Period| period.label(period.start_of(day));
        assert_eq!(label(Period::Day), "2025-03-19");
        assert_eq!(label(Period::Week), "2025-W12");
        assert_eq!(label(Period::Month), "2025-03");
        assert_eq!(label(Period::Year), "2025");
        assert_eq!(
            Period::Week.end_of(Period::Week.start_of(day)),
            date!(2025 - 03 - 23)
        );
    }
}
