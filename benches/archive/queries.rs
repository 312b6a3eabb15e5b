//! The query mix, written once for dateline and for each peer.
//!
//! Every query matches on gen-archive data (checked at 100,000 articles,
//! seed 7): `said` is in 99.9 % of the articles, `hemophilia` in 45 (0.045 %),
//! `"interest rates"` in 13.5 %, 2024-03-15 has 8 articles.

/// The year of the phrase + year query.
pub const YEAR: &str = "2024";
/// The day of the date-only query: `YYYY-MM-DD`.
pub const DAY: &str = "2024-03-15";

/// How ripgrep answers a query (it lists every matching file, unranked).
#[derive(Debug, Clone, Copy)]
pub enum RgPlan {
    /// `rg -l -i -w PATTERN` over the folder (`DIR/articles/SUBDIR` when the
    /// query has a date filter: the archive is laid out as `YYYY/MM/`).
    Words {
        pattern: &'static str,
        subdir: Option<&'static str>,
    },
    /// `rg -l -i -w FIRST DIR | xargs rg -l -i -w SECOND`: files with both.
    Both {
        first: &'static str,
        second: &'static str,
    },
    /// `rg -l -m1 '^\s*date DAY\b' DIR/articles/YYYY/MM`: the date line.
    DateLine { day: &'static str },
}

/// One query of the mix.
#[derive(Debug, Clone, Copy)]
pub struct QuerySpec {
    pub name: &'static str,
    /// dateline's query text (empty: date filter only).
    pub query: &'static str,
    /// dateline's `--on`, `--from`, `--to`.
    pub on: Option<&'static str>,
    pub from: Option<&'static str>,
    pub to: Option<&'static str>,
    pub rg: RgPlan,
    /// tantivy-cli's query (its parser ORs words unless told otherwise).
    pub tantivy: &'static str,
    /// SQLite FTS5 MATCH expression (`None`: date filter only) and the
    /// inclusive day range.
    pub fts5: Option<&'static str>,
    pub fts5_days: Option<(&'static str, &'static str)>,
}

impl QuerySpec {
    /// The arguments of `dateline search` for this query: filters, then
    /// `-- QUERY`.
    pub fn cli_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        for (flag, value) in [("--on", self.on), ("--from", self.from), ("--to", self.to)] {
            if let Some(value) = value {
                args.push(flag.to_string());
                args.push(value.to_string());
            }
        }
        if !self.query.is_empty() {
            args.push("--".to_string());
            args.push(self.query.to_string());
        }
        args
    }
}

pub fn mix() -> Vec<QuerySpec> {
    let base = QuerySpec {
        name: "",
        query: "",
        on: None,
        from: None,
        to: None,
        rg: RgPlan::DateLine { day: DAY },
        tantivy: "",
        fts5: None,
        fts5_days: None,
    };
    vec![
        QuerySpec {
            name: "common term: said",
            query: "said",
            rg: RgPlan::Words {
                pattern: "said",
                subdir: None,
            },
            tantivy: "said",
            fts5: Some("said"),
            ..base
        },
        QuerySpec {
            name: "rare term: hemophilia",
            query: "hemophilia",
            rg: RgPlan::Words {
                pattern: "hemophilia",
                subdir: None,
            },
            tantivy: "hemophilia",
            fts5: Some("hemophilia"),
            ..base
        },
        QuerySpec {
            name: "AND: oil prices",
            query: "oil prices",
            rg: RgPlan::Both {
                first: "oil",
                second: "prices",
            },
            tantivy: "+oil +prices",
            fts5: Some("oil prices"),
            ..base
        },
        QuerySpec {
            name: "phrase: \"interest rates\"",
            query: "\"interest rates\"",
            rg: RgPlan::Words {
                pattern: "interest rates",
                subdir: None,
            },
            tantivy: "\"interest rates\"",
            fts5: Some("\"interest rates\""),
            ..base
        },
        QuerySpec {
            name: "phrase + year: \"interest rates\" 2024",
            query: "\"interest rates\"",
            from: Some(YEAR),
            to: Some(YEAR),
            rg: RgPlan::Words {
                pattern: "interest rates",
                subdir: Some(YEAR),
            },
            tantivy: "+\"interest rates\" +date:[2024-01-01T00:00:00Z TO 2025-01-01T00:00:00Z}",
            fts5: Some("\"interest rates\""),
            fts5_days: Some(("2024-01-01", "2024-12-31")),
            ..base
        },
        QuerySpec {
            name: "no words, one day: --on 2024-03-15",
            on: Some(DAY),
            tantivy: "date:[2024-03-15T00:00:00Z TO 2024-03-16T00:00:00Z}",
            fts5_days: Some((DAY, DAY)),
            ..base
        },
    ]
}
