//! The parts of a hit that `--fields` can choose, and a hit cut down to
//! them for the JSON-shaped outputs (`--format json` and `jsonl`). CSV takes
//! its cells from [`HitField::cell`].

use std::ops::Range;

use serde::ser::{Serialize, SerializeMap, Serializer};

use dateline::{Hit, Iso, Period};

use crate::render::timeline;

/// One part of a hit, as a column of CSV or a key of JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitField {
    /// 1-based position in the whole result list.
    Rank,
    Date,
    Id,
    Headline,
    Path,
    Score,
    Snippet,
    /// The whole stored body.
    Body,
    /// In a timeline (`--group-by`): the period the hit falls in.
    Group,
    /// Who wrote it.
    Authors,
    /// Where it ran.
    Sources,
    Section,
    /// `kind:value`, or a keyword.
    Tags,
    /// The id of its story (its first article), when it is in one.
    Story,
    /// How many near-copies that also match were folded into it.
    Similar,
    /// Their ids.
    SimilarIds,
}

impl HitField {
    /// Every field, in the order `--help` lists them.
    pub const ALL: [HitField; 16] = [
        HitField::Rank,
        HitField::Date,
        HitField::Id,
        HitField::Headline,
        HitField::Path,
        HitField::Score,
        HitField::Snippet,
        HitField::Body,
        HitField::Group,
        HitField::Authors,
        HitField::Sources,
        HitField::Section,
        HitField::Tags,
        HitField::Story,
        HitField::Similar,
        HitField::SimilarIds,
    ];

    /// The keys of a JSON hit when no fields are chosen: the documented hit
    /// object (each text with its highlights).
    pub const JSON_DEFAULT: [HitField; 8] = [
        HitField::Id,
        HitField::Path,
        HitField::Date,
        HitField::Score,
        HitField::Headline,
        HitField::Snippet,
        HitField::Story,
        HitField::Similar,
    ];

    /// The columns of CSV when no fields are chosen.
    pub const CSV_DEFAULT: [HitField; 5] = [
        HitField::Rank,
        HitField::Date,
        HitField::Id,
        HitField::Headline,
        HitField::Snippet,
    ];

    /// The name used on the command line, as a CSV column and a JSON key.
    pub fn name(self) -> &'static str {
        match self {
            HitField::Rank => "rank",
            HitField::Date => "date",
            HitField::Id => "id",
            HitField::Headline => "headline",
            HitField::Path => "path",
            HitField::Score => "score",
            HitField::Snippet => "snippet",
            HitField::Body => "body",
            HitField::Group => "group",
            HitField::Authors => "authors",
            HitField::Sources => "sources",
            HitField::Section => "section",
            HitField::Tags => "tags",
            HitField::Story => "story",
            HitField::Similar => "similar",
            HitField::SimilarIds => "similar_ids",
        }
    }

    /// This field of `hit` as plain text, for one CSV cell: an undated
    /// article's date and group, and a date-sorted hit's score, are empty.
    pub fn cell(self, hit: &Hit, timeline: Option<Period>) -> String {
        match self {
            HitField::Rank => hit.rank.to_string(),
            HitField::Date => hit.date.map(|d| Iso(d).to_string()).unwrap_or_default(),
            HitField::Id => hit.id.clone(),
            HitField::Headline => hit.headline.text.clone(),
            HitField::Path => hit.path.clone(),
            HitField::Score => hit.score.map(|s| s.to_string()).unwrap_or_default(),
            HitField::Snippet => hit.snippet.text.clone(),
            HitField::Body => hit.body.clone(),
            HitField::Group => group(hit, timeline).unwrap_or_default(),
            // Several values in one cell, as spreadsheets split them.
            HitField::Authors => hit.meta.authors.join("; "),
            HitField::Sources => hit.meta.sources.join("; "),
            HitField::Section => hit.meta.section.clone().unwrap_or_default(),
            HitField::Tags => tags(hit).join("; "),
            HitField::Story => hit.story.clone().unwrap_or_default(),
            HitField::Similar => hit.similar.len().to_string(),
            HitField::SimilarIds => hit.similar.join("; "),
        }
    }
}

impl std::str::FromStr for HitField {
    type Err = String;

    /// A field by its name (`--fields date,headline`).
    fn from_str(name: &str) -> Result<HitField, String> {
        let name = name.trim();
        HitField::ALL
            .into_iter()
            .find(|field| field.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = HitField::ALL.iter().map(|f| f.name()).collect();
                format!("unknown field '{name}' (fields: {})", names.join(", "))
            })
    }
}

/// A hit as a JSON object with the chosen keys, in the order chosen.
/// `headline` brings `headline_highlights` after it, and `snippet` brings
/// `highlights`, so a highlighted text never comes without its offsets.
pub struct SelectedHit<'a> {
    pub hit: &'a Hit,
    pub fields: &'a [HitField],
    /// Only in a timeline: the period the hit's `group` names (`null` when
    /// undated), written where `fields` says, else last.
    pub timeline: Option<Period>,
}

/// The label of the period a hit falls in, in a timeline.
fn group(hit: &Hit, timeline: Option<Period>) -> Option<String> {
    timeline::label(timeline?, hit.date)
}

impl Serialize for SelectedHit<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let hit = self.hit;
        let mut map = serializer.serialize_map(None)?;
        for field in self.fields {
            let key = field.name();
            match field {
                HitField::Rank => map.serialize_entry(key, &hit.rank)?,
                HitField::Date => {
                    map.serialize_entry(key, &hit.date.map(|d| Iso(d).to_string()))?;
                }
                HitField::Id => map.serialize_entry(key, &hit.id)?,
                HitField::Headline => {
                    map.serialize_entry(key, &hit.headline.text)?;
                    map.serialize_entry("headline_highlights", &pairs(&hit.headline.ranges))?;
                }
                HitField::Path => map.serialize_entry(key, &hit.path)?,
                HitField::Score => map.serialize_entry(key, &hit.score)?,
                HitField::Snippet => {
                    map.serialize_entry(key, &hit.snippet.text)?;
                    map.serialize_entry("highlights", &pairs(&hit.snippet.ranges))?;
                }
                HitField::Body => map.serialize_entry(key, &hit.body)?,
                HitField::Group => map.serialize_entry(key, &group(hit, self.timeline))?,
                HitField::Authors => map.serialize_entry(key, &hit.meta.authors)?,
                HitField::Sources => map.serialize_entry(key, &hit.meta.sources)?,
                HitField::Section => map.serialize_entry(key, &hit.meta.section)?,
                HitField::Tags => map.serialize_entry(key, &tags(hit))?,
                HitField::Story => map.serialize_entry(key, &hit.story)?,
                HitField::Similar => map.serialize_entry(key, &hit.similar.len())?,
                HitField::SimilarIds => map.serialize_entry(key, &hit.similar)?,
            }
        }
        if self.timeline.is_some() && !self.fields.contains(&HitField::Group) {
            map.serialize_entry("group", &group(hit, self.timeline))?;
        }
        map.end()
    }
}

fn tags(hit: &Hit) -> Vec<String> {
    hit.meta.tags.iter().map(ToString::to_string).collect()
}

fn pairs(ranges: &[Range<usize>]) -> Vec<[usize; 2]> {
    ranges.iter().map(|r| [r.start, r.end]).collect()
}
