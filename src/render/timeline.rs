//! Timelines: hits, oldest first, grouped under the period they ran in.

use time::Date;

use dateline::{Hit, Period};

/// The name of the period a date falls in (`1987-03` for a month, as
/// `trend` labels its periods); `None` for an undated article.
pub fn label(period: Period, date: Option<Date>) -> Option<String> {
    date.map(|date| period.label(period.start_of(date)))
}

/// Hits that ran in one period, in the order they came.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    /// The period's name; `None` for undated hits.
    pub label: Option<String>,
    pub hits: &'a [Hit],
}

/// Runs of consecutive hits in the same period. Hits sorted oldest first
/// (undated last, as a date sort leaves them) give one group per period, in
/// ascending order.
pub fn groups(hits: &[Hit], period: Period) -> Vec<Group<'_>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut start = 0;
    for (end, hit) in hits.iter().enumerate() {
        let label = label(period, hit.date);
        match groups.last_mut() {
            Some(group) if group.label == label => group.hits = &hits[start..=end],
            _ => {
                start = end;
                groups.push(Group {
                    label,
                    hits: &hits[end..=end],
                });
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline::Highlighted;
    use time::macros::date;

    fn hit(date: Option<Date>) -> Hit {
        Hit {
            rank: 1,
            id: String::new(),
            path: String::new(),
            date,
            time: None,
            score: None,
            headline: Highlighted::default(),
            snippet: Highlighted::default(),
            body: String::new(),
            meta: Default::default(),
            story: None,
            similar: Vec::new(),
        }
    }

    #[test]
    fn labels_name_the_day_or_the_month() {
        let day = Some(date!(1987 - 03 - 02));
        assert_eq!(label(Period::Day, day).as_deref(), Some("1987-03-02"));
        assert_eq!(label(Period::Month, day).as_deref(), Some("1987-03"));
        assert_eq!(label(Period::Month, None), None);
    }

    #[test]
    fn consecutive_hits_of_a_period_form_one_group() {
        let hits = vec![
            hit(Some(date!(1987 - 02 - 26))),
            hit(Some(date!(1987 - 03 - 01))),
            hit(Some(date!(1987 - 03 - 31))),
            hit(None),
        ];
        let groups = groups(&hits, Period::Month);
        let shape: Vec<_> = groups
            .iter()
            .map(|g| (g.label.as_deref(), g.hits.len()))
            .collect();
        assert_eq!(
            shape,
            [(Some("1987-02"), 1), (Some("1987-03"), 2), (None, 1)]
        );
        assert!(super::groups(&[], Period::Day).is_empty());
    }
}
