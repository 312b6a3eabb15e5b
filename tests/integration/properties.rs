//! Property tests of the library against hostile and generated input.
//!
//! - Dates: every day of years 1000–9999 written `YYYY-MM-DD` reads back as
//!   itself; `YYYY-MM` and `YYYY` cover exactly their month and year;
//!   impossible days are refused; any text given to the date readers is
//!   read or refused, never a panic, and only canonical spellings are read.
//! - Articles: any article written in the reference format (and in the
//!   variations the format tolerates: CRLF, trailing white space, runs of
//!   blank lines, indents) parses back to the same date, headline and body,
//!   and is detected as that format.
//! - Queries: any query text parses or is refused with a one-line error that
//!   points inside the query; what parses also compiles without a panic.
//! - Bytes: any bytes decode (or are refused as binary when they hold NUL),
//!   UTF-8 is kept as it is, and every format parses any text without a
//!   panic, or refuses it with a one-line reason.

use dateline::internals::dates::{self, parse_day, DateFilter, DateSpan, Iso};
use dateline::internals::formats::{self, Format, FormatOptions, ParseError};
use dateline::internals::query;
use dateline::internals::schema::{self, Fields};
use dateline::internals::Origin;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use tantivy::tokenizer::TextAnalyzer;
use time::{Date, Month};

/// Strings matching `pattern`. (A `&str` is a strategy too, but one that
/// compiles its pattern anew for every case.)
fn regex(pattern: &str) -> impl Strategy<Value = String> {
    proptest::string::string_regex(pattern).expect("a valid pattern")
}

// ---------------------------------------------------------------------------
// Dates

/// 1 January of `year`.
fn new_year(year: i32) -> Date {
    Date::from_calendar_date(year, Month::January, 1).expect("every year has a 1 January")
}

/// 31 December of `year`.
fn new_years_eve(year: i32) -> Date {
    Date::from_calendar_date(year, Month::December, 31).expect("every year has a 31 December")
}

/// Days of years `first..=last`, uniformly, and more often than that the
/// days where calendars go wrong: the first and last of a month (29 February
/// among them).
fn day_in_years(first: i32, last: i32) -> impl Strategy<Value = Date> {
    let min = new_year(first).to_julian_day();
    let max = new_years_eve(last).to_julian_day();
    prop_oneof![
        (min..=max).prop_map(|day| Date::from_julian_day(day).expect("a day in range")),
        (first..=last, 1u8..=12, any::<bool>()).prop_map(|(year, month, at_end)| {
            let month = Month::try_from(month).expect("a month number");
            let day = if at_end {
                time::util::days_in_month(month, year)
            } else {
                1
            };
            Date::from_calendar_date(year, month, day).expect("a day of the month")
        }),
    ]
}

fn any_date() -> impl Strategy<Value = Date> {
    day_in_years(1000, 9999)
}

fn year_text(date: Date) -> String {
    format!("{:04}", date.year())
}

fn month_text(date: Date) -> String {
    format!("{:04}-{:02}", date.year(), u8::from(date.month()))
}

/// A span in one of its three spellings.
fn span_text() -> impl Strategy<Value = String> {
    (day_in_years(1, 9999), 0..3usize).prop_map(|(date, form)| match form {
        0 => year_text(date),
        1 => month_text(date),
        _ => Iso(date).to_string(),
    })
}

/// A span's spelling, maybe with white space around it, maybe with one
/// character replaced, inserted or deleted: dates and near misses.
fn near_date() -> impl Strategy<Value = String> {
    let stray = select(vec![
        '0', '1', '2', '3', '9', '-', ' ', '/', '.', '１', '٣', 'x', '\n',
    ]);
    (
        span_text(),
        blank(0..=2),
        blank(0..=2),
        0..4u8,
        any::<prop::sample::Index>(),
        stray,
    )
        .prop_map(|(text, before, after, edit, at, stray)| {
            let mut chars: Vec<char> = text.chars().collect();
            let len = chars.len();
            match edit {
                1 => chars[at.index(len)] = stray,
                2 => chars.insert(at.index(len + 1), stray),
                3 => {
                    chars.remove(at.index(len));
                }
                _ => {}
            }
            format!("{before}{}{after}", chars.into_iter().collect::<String>())
        })
}

/// Text that may or may not be a date: anything at all, dates and near
/// misses, and strings made of what dates are made of.
fn dateish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        near_date(),
        near_date(),
        regex(r"[0-9 \-]{0,12}"),
        regex(r"[ \t]?[0-9]{1,5}(-[0-9]{1,3}){0,3}[ \t]?"),
        regex(r"[0-9０-９٠-٩\-+/.: ]{0,11}"),
    ]
}

/// Text for a date flag: mostly real spans (any of the three spellings, so
/// that ranges are sometimes reversed), sometimes junk.
fn flag_text() -> impl Strategy<Value = String> {
    prop_oneof![3 => span_text(), 1 => dateish()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn a_day_reads_back_as_itself(date in any_date()) {
        let text = Iso(date).to_string();
        prop_assert_eq!(text.len(), 10);
        prop_assert_eq!(parse_day(&text), Ok(date));
        prop_assert_eq!(parse_day(&format!(" {text}\t")), Ok(date));
        prop_assert_eq!(
            DateSpan::parse(&text),
            Ok(DateSpan { first: date, last: date })
        );
    }

    #[test]
    fn a_month_is_its_first_to_its_last_day(date in any_date()) {
        let span = DateSpan::parse(&month_text(date));
        prop_assert!(span.is_ok(), "{:?}", span);
        let DateSpan { first, last } = span.unwrap();
        prop_assert_eq!(first, date.replace_day(1).unwrap());
        prop_assert_eq!((last.year(), last.month()), (date.year(), date.month()));
        // The last day: the next one is in another month.
        prop_assert_ne!(last.next_day().map(|next| next.month()), Some(date.month()));
        prop_assert!(first <= date && date <= last);
    }

    #[test]
    fn a_year_is_1_january_to_31_december(date in any_date()) {
        let span = DateSpan::parse(&year_text(date));
        prop_assert_eq!(
            span,
            Ok(DateSpan {
                first: new_year(date.year()),
                last: new_years_eve(date.year()),
            })
        );
    }

    /// Every `YYYY-MM-DD` of plausible and impossible numbers is read exactly
    /// when the calendar has that day.
    #[test]
    fn impossible_days_are_refused(
        year in 1000i32..=9999,
        month in prop_oneof![0u8..=13, 0u8..=99],
        day in prop_oneof![27u8..=32, 0u8..=99],
    ) {
        let text = format!("{year:04}-{month:02}-{day:02}");
        let real = Month::try_from(month)
            .ok()
            .and_then(|month| Date::from_calendar_date(year, month, day).ok());
        match real {
            Some(date) => {
                prop_assert_eq!(parse_day(&text), Ok(date));
                prop_assert_eq!(DateSpan::parse(&text), Ok(DateSpan { first: date, last: date }));
            }
            None => {
                prop_assert!(parse_day(&text).is_err(), "{} was read", text);
                prop_assert!(DateSpan::parse(&text).is_err(), "{} was read", text);
            }
        }
        let month_only = format!("{year:04}-{month:02}");
        prop_assert_eq!(DateSpan::parse(&month_only).is_ok(), (1..=12).contains(&month));
    }

    /// Whatever the text, a date is read or refused; what is read was
    /// written the one way dates are written.
    #[test]
    fn any_text_is_a_date_or_an_error(text in dateish()) {
        if let Ok(date) = parse_day(&text) {
            prop_assert_eq!(Iso(date).to_string(), text.trim());
        }
        if let Ok(span) = DateSpan::parse(&text) {
            prop_assert!(span.first <= span.last, "{:?}", span);
            let written = text.trim();
            let as_day = span.first == span.last && written == Iso(span.first).to_string();
            let as_month = written == month_text(span.first)
                && DateSpan::parse(&month_text(span.last)) == Ok(span);
            let as_year = written == year_text(span.first)
                && span.last.year() == span.first.year();
            prop_assert!(as_day || as_month || as_year, "{:?} read as {:?}", text, span);
        }
    }

    /// `--on`, `--from`, `--to`: accepted exactly when each given flag is a
    /// date and the range is not reversed; `--from` starts its span, `--to`
    /// ends its span, `--on` fills in either end.
    #[test]
    fn date_flags_make_an_ordered_filter(
        on in proptest::option::of(flag_text()),
        from in proptest::option::of(flag_text()),
        to in proptest::option::of(flag_text()),
    ) {
        let result = DateFilter::from_flags(on.as_deref(), from.as_deref(), to.as_deref());
        let span = |text: &Option<String>| text.as_deref().map(DateSpan::parse).transpose();
        let expected = match (span(&on), span(&from), span(&to)) {
            (Ok(on), Ok(from), Ok(to)) => {
                let first = from.or(on).map(|span| span.first);
                let last = to.or(on).map(|span| span.last);
                match (first, last) {
                    (Some(first), Some(last)) if first > last => None,
                    _ => Some(DateFilter { from: first, to: last }),
                }
            }
            _ => None,
        };
        match (&result, expected) {
            (Ok(filter), Some(expected)) => prop_assert_eq!(*filter, expected),
            (Err(_), None) => {}
            _ => prop_assert!(false, "got {:?}, expected {:?}", result, expected),
        }
    }
}

// ---------------------------------------------------------------------------
// Articles in the reference format

/// A word: mostly ASCII with punctuation, sometimes any printable character
/// that is not white space.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => regex(r#"[A-Za-z0-9]{1,10}[.,;:!?'"%-]?"#),
        1 => regex(r"[^\s\p{C}]{1,6}"),
    ]
}

fn words(count: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    vec(word(), count).prop_map(|words| words.join(" "))
}

/// What an article is made of, as it should read back.
#[derive(Debug, Clone)]
struct Story {
    date: Date,
    /// Words separated by one space; may be empty.
    headline: String,
    /// Paragraphs of lines of words.
    paragraphs: Vec<Vec<String>>,
}

impl Story {
    fn body(&self) -> String {
        self.paragraphs
            .iter()
            .map(|lines| lines.join("\n"))
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

/// Mostly days the index can hold, sometimes any day at all.
fn article_date() -> impl Strategy<Value = Date> {
    prop_oneof![
        9 => day_in_years(dates::INDEXABLE.start().year(), dates::INDEXABLE.end().year()),
        1 => any_date(),
    ]
}

fn story() -> impl Strategy<Value = Story> {
    (
        article_date(),
        words(0..8),
        vec(vec(words(1..7), 1..=3), 0..5),
    )
        .prop_map(|(date, headline, paragraphs)| Story {
            date,
            headline,
            paragraphs,
        })
}

/// How an article is laid out in its file: the variations the reference
/// format tolerates.
#[derive(Debug, Clone)]
struct Layout {
    crlf: bool,
    /// White-space-only lines before the date line.
    leading: Vec<String>,
    /// Before `date`; the reference has one space.
    indent: String,
    /// Between `date` and the day, and between the day and the headline.
    gaps: (String, String),
    /// White space at the ends of lines, taken in turn.
    trailing: Vec<String>,
    /// How many blank lines before each paragraph, taken in turn.
    blank_runs: Vec<usize>,
    final_newline: bool,
}

impl Layout {
    /// The reference layout, exactly.
    fn reference() -> Layout {
        Layout {
            crlf: false,
            leading: Vec::new(),
            indent: " ".into(),
            gaps: (" ".into(), " ".into()),
            trailing: vec![String::new()],
            blank_runs: vec![1],
            final_newline: true,
        }
    }

    fn write(&self, story: &Story) -> String {
        let mut lines = self.leading.clone();
        let mut date_line = format!("{}date{}{}", self.indent, self.gaps.0, Iso(story.date));
        if !story.headline.is_empty() {
            date_line.push_str(&self.gaps.1);
            date_line.push_str(&story.headline);
        }
        lines.push(date_line);
        for (n, paragraph) in story.paragraphs.iter().enumerate() {
            let blanks = self.blank_runs[n % self.blank_runs.len()];
            lines.extend(std::iter::repeat_n(String::new(), blanks));
            lines.extend(paragraph.iter().cloned());
        }
        let end = if self.crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        for (n, line) in lines.iter().enumerate() {
            if n > 0 {
                text.push_str(end);
            }
            text.push_str(line);
            text.push_str(&self.trailing[n % self.trailing.len()]);
        }
        if self.final_newline {
            text.push_str(end);
        }
        text
    }
}

/// White space that trims away: spaces, tabs, no-break and ideographic spaces.
fn blank(count: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> {
    vec(select(vec![' ', '\t', '\u{a0}', '\u{3000}']), count)
        .prop_map(|chars| chars.into_iter().collect())
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        any::<bool>(),
        vec(blank(0..=3), 0..3),
        blank(0..=3),
        (blank(1..=3), blank(1..=3)),
        vec(blank(0..=3), 1..6),
        vec(1..=4usize, 1..5),
        any::<bool>(),
    )
        .prop_map(
            |(crlf, leading, indent, gaps, trailing, blank_runs, final_newline)| Layout {
                crlf,
                leading,
                indent,
                gaps,
                trailing,
                blank_runs,
                final_newline,
            },
        )
}

fn origin() -> Origin {
    Origin {
        id: "2025/03/a.txt".into(),
        path: "/archive/2025/03/a.txt".into(),
    }
}

/// Parses `text` as the reference format and checks it gives back `story`.
fn reads_back(story: &Story, text: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(formats::detect("x.txt", text), Format::Text);
    let parsed = formats::parse(Format::Text, text, &origin(), &FormatOptions::default());
    prop_assert!(parsed.is_ok(), "{:?} in {:?}", parsed, text);
    let parsed = parsed.unwrap();
    prop_assert_eq!(parsed.articles.len(), 1);
    let article = &parsed.articles[0];
    prop_assert_eq!(&article.id, &origin().id);
    prop_assert_eq!(&article.path, &origin().path);
    if dates::INDEXABLE.contains(&story.date) {
        prop_assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        prop_assert_eq!(article.date, Some(story.date));
    } else {
        // Indexed all the same, undated, and said so.
        prop_assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
        let location = format!("date {}", Iso(story.date));
        prop_assert_eq!(&parsed.problems[0].location, &location);
        prop_assert_eq!(article.date, None);
    }
    prop_assert_eq!(article.time, None);
    prop_assert_eq!(&article.headline, &story.headline);
    prop_assert_eq!(article.body.clone(), story.body());
    Ok(())
}

proptest! {
    #[test]
    fn an_article_in_the_reference_format_reads_back(story in story()) {
        reads_back(&story, &Layout::reference().write(&story))?;
    }

    #[test]
    fn tolerated_layouts_read_back_the_same(story in story(), layout in layout()) {
        reads_back(&story, &layout.write(&story))?;
    }
}

// ---------------------------------------------------------------------------
// Queries

/// Text built from what queries are made of: operators, quotes, parentheses,
/// field prefixes, wildcards, words, unicode and white space.
fn queryish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        2 => select(vec![
            "(", ")", "\"", "-", "+", "NOT", "OR", "AND", "&&", "||", "headline:",
            "body:", "title:", ":", "*", "~", "~2", "^2", "!", " ", " ", " ", "  ", "\t",
            "\n", "\r\n", "\u{3000}", "\u{a0}", "\u{0}", "3:30", "http://x.org",
            "covid-19", "U.S.", "日本", "Café", "ﬁ",
        ])
        .prop_map(String::from),
        2 => word(),
        1 => regex(r"\PC{1,3}"),
    ];
    (vec(piece, 0..24), any::<bool>()).prop_map(|(pieces, spaced)| {
        if spaced {
            pieces.join(" ")
        } else {
            pieces.concat()
        }
    })
}

/// The same prefix many times over: deep nesting.
fn nested() -> impl Strategy<Value = String> {
    (
        select(vec![
            "(",
            "-",
            "NOT ",
            "headline:",
            "body:(",
            "-(",
            "headline:-",
        ]),
        0..200usize,
        word(),
        0..200usize,
    )
        .prop_map(|(prefix, depth, word, closing)| {
            format!("{}{word}{}", prefix.repeat(depth), ")".repeat(closing))
        })
}

/// Filters as flags make them: either end open, years 1 to 9999.
fn date_filter() -> impl Strategy<Value = DateFilter> {
    let day = || proptest::option::of(day_in_years(1, 9999));
    (day(), day()).prop_map(|(a, b)| match (a, b) {
        (Some(a), Some(b)) => DateFilter {
            from: Some(a.min(b)),
            to: Some(a.max(b)),
        },
        (from, to) => DateFilter { from, to },
    })
}

thread_local! {
    /// The schema's fields and the analyzer, built once per test thread.
    static ENGINE: (Fields, TextAnalyzer) = (schema::build().1, schema::english_analyzer());
}

fn check_query(text: &str, filter: &DateFilter) -> Result<(), TestCaseError> {
    match query::parse(text) {
        Err(err) => {
            let message = err.to_string();
            prop_assert!(!message.contains('\n'), "{:?} for {:?}", message, text);
            prop_assert!(!err.message.is_empty());
            let columns = 1..=text.chars().count() + 1;
            prop_assert!(
                columns.contains(&err.column),
                "column {} outside {:?}: {:?}",
                err.column,
                text,
                message
            );
        }
        Ok(None) => prop_assert!(text.trim().is_empty(), "{:?} parsed as nothing", text),
        Ok(Some(node)) => {
            prop_assert!(!text.trim().is_empty());
            let (fields, analyzer) = ENGINE.with(Clone::clone);
            match query::compile(Some(&node), filter, &fields, &analyzer) {
                Ok(compiled) => {
                    for highlight in &compiled.highlights {
                        let field = highlight.field();
                        prop_assert!(
                            field == Some(fields.headline) || field == Some(fields.body),
                            "{:?} highlights {:?}",
                            text,
                            field
                        );
                    }
                }
                Err(err) => {
                    let message = err.to_string();
                    prop_assert!(!message.contains('\n'), "{:?} for {:?}", message, text);
                    prop_assert!(!err.message.is_empty());
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn any_query_text_parses_or_is_refused(text in any::<String>(), filter in date_filter()) {
        check_query(&text, &filter)?;
    }

    #[test]
    fn query_like_text_parses_or_is_refused(text in queryish(), filter in date_filter()) {
        check_query(&text, &filter)?;
    }

    #[test]
    fn deeply_nested_queries_parse_or_are_refused(text in nested()) {
        check_query(&text, &DateFilter::default())?;
    }
}

// ---------------------------------------------------------------------------
// Bytes and formats

/// Bytes as files hold them: anything, UTF-8 text (with or without a
/// byte-order mark), and UTF-8 text with a stray byte in it.
fn file_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..512),
        vec(1u8.., 0..512),
        (any::<String>(), any::<bool>()).prop_map(|(text, bom)| {
            let mut bytes = if bom {
                b"\xEF\xBB\xBF".to_vec()
            } else {
                Vec::new()
            };
            bytes.extend_from_slice(text.as_bytes());
            bytes
        }),
        (any::<String>(), any::<u8>(), any::<prop::sample::Index>()).prop_map(
            |(text, byte, at)| {
                let mut bytes = text.into_bytes();
                bytes.insert(at.index(bytes.len() + 1), byte);
                bytes
            }
        ),
    ]
}

/// Text that looks somewhat like each format, to get past the first checks.
fn formatish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => select(vec![
            " date ", "2025-03-17", "date 2025-02-30", "\n", "\n", "\r\n", "\n\n", " ", "\t",
            "<REUTERS NEWID=\"1\">", "<REUTERS>", "</REUTERS>", "<DATE>", "</DATE>",
            "17-MAR-1987 10:00:00.00", "<TITLE>", "</TITLE>", "<BODY>", "</BODY>", "<TEXT>",
            "</TEXT>", "&lt;", "&#3;", "&", ";", "<", ">", "{", "}", "[", "]", "\"", ":", ",",
            "\"headline\"", "\"date\"", "\"body\"", "\"id\"", "\"2025-03-17T10:00:00Z\"",
            "null", "1e999", "-0", "From ", "From a@b Mon Mar 17 10:00:00 2025",
            "From: a@b", "Subject: ", "Date: ", "Mon, 17 Mar 2025 10:00:00 +0000",
            "Message-ID: <x@y>", "Newsgroups: a.b", "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=x", "Content-Type: text/plain; charset=",
            "--x", "--x--", "Content-Transfer-Encoding: base64",
            "Content-Transfer-Encoding: quoted-printable", "=?utf-8?B?", "=?", "?=", "=3D",
            "=\n", ">From ",
        ])
        .prop_map(String::from),
        2 => word(),
        1 => regex(r"\PC{1,3}"),
    ];
    vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// Runs every format on `text`: each gives articles or a one-line reason
/// (it is printed after the file's name), and what it gives belongs to the
/// file it was read from.
fn every_format_copes(text: &str) -> Result<(), TestCaseError> {
    let origin = origin();
    for format in Format::ALL {
        let result = formats::parse(format, text, &origin, &FormatOptions::default());
        if text.trim().is_empty() {
            prop_assert_eq!(result, Err(ParseError::Empty));
            continue;
        }
        match result {
            Ok(parsed) => {
                for article in &parsed.articles {
                    prop_assert_eq!(&article.path, &origin.path);
                    let own_id = article.id == origin.id
                        || article
                            .id
                            .strip_prefix(&origin.id)
                            .is_some_and(|rest| rest.starts_with('#'));
                    prop_assert!(own_id, "{} gave id {:?}", format, article.id);
                }
            }
            Err(err) => {
                let message = err.to_string();
                prop_assert!(!message.contains('\n'), "{} said {:?}", format, message);
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn any_bytes_decode_or_are_binary(bytes in file_bytes()) {
        let decoded = formats::decode(&bytes);
        if bytes.contains(&0) {
            prop_assert!(matches!(decoded, Err(ParseError::Binary)), "{:?}", decoded);
            return Ok(());
        }
        prop_assert!(decoded.is_ok(), "{:?}", decoded);
        let decoded = decoded.unwrap();
        let unmarked = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        match std::str::from_utf8(unmarked) {
            Ok(text) => {
                prop_assert_eq!(&*decoded.text, text);
                prop_assert!(!decoded.legacy);
            }
            Err(_) => {
                // UTF-8 where it is UTF-8, and one Windows-1252 character
                // for every other byte: none lost.
                prop_assert!(decoded.legacy);
                let mut expected = String::new();
                for chunk in unmarked.utf8_chunks() {
                    expected.push_str(chunk.valid());
                    for byte in chunk.invalid() {
                        let one = [*byte];
                        let (legacy, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&one);
                        prop_assert_eq!(legacy.chars().count(), 1);
                        expected.push_str(&legacy);
                    }
                }
                prop_assert_eq!(&*decoded.text, expected.as_str());
            }
        }
        every_format_copes(&decoded.text)?;
    }

    #[test]
    fn every_format_copes_with_any_text(text in any::<String>()) {
        every_format_copes(&text)?;
    }

    #[test]
    fn every_format_copes_with_format_like_text(text in formatish()) {
        every_format_copes(&text)?;
    }
}
