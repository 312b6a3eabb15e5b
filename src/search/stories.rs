//! Stories in searches: folding a result list to one hit per story
//! ([`fold`]), counting the stories among the matches ([`count`]), the
//! other matching members of a story ([`matching_members`]), and the
//! largest stories of a search ([`largest`], `dateline stories`).
//!
//! The stories themselves are grouped at index time
//! ([`crate::index::stories`]); here they are only read.

use std::collections::HashMap;

use tantivy::query::{Query, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Searcher, Term, TERMINATED};

use crate::index::schema::{DocKind, Fields};
use crate::index::stories::{MemberView, StoryMap};

/// What a document stands for when folding: its story, or itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Folded {
    Story(usize),
    Alone(DocAddress),
}

/// Reads the content hash of documents, segment by segment.
struct Contents(Vec<tantivy::columnar::Column<u64>>);

impl Contents {
    fn of(searcher: &Searcher) -> tantivy::Result<Contents> {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64(Fields::CONTENT_NAME))
            .collect::<tantivy::Result<_>>()?;
        Ok(Contents(columns))
    }

    fn get(&self, address: DocAddress) -> Option<u64> {
        self.0[address.segment_ord as usize].first(address.doc_id)
    }
}

/// The first document of each story in `found` (in its order), and of
/// every document in no story; with, for each kept one, its story. Of
/// members tied with the first (an equal score), the earliest in the
/// story stands for it, so that the same index content folds the same
/// whatever its segments.
pub(super) fn fold<T: PartialEq>(
    searcher: &Searcher,
    stories: &StoryMap,
    found: Vec<(T, DocAddress)>,
) -> tantivy::Result<Vec<(T, DocAddress, Option<usize>)>> {
    let contents = Contents::of(searcher)?;
    // Where each story's hit is in `kept`, and its place in the story.
    let mut seen: HashMap<Folded, (usize, usize)> = HashMap::new();
    let mut kept: Vec<(T, DocAddress, Option<usize>)> = Vec::with_capacity(found.len());
    for (key, address) in found {
        let in_story = contents
            .get(address)
            .and_then(|content| stories.of(content));
        let folded = match in_story {
            Some((story, _)) => Folded::Story(story),
            None => Folded::Alone(address),
        };
        let at = in_story.map_or(0, |(_, at)| at);
        match seen.get_mut(&folded) {
            None => {
                seen.insert(folded, (kept.len(), at));
                kept.push((key, address, in_story.map(|(story, _)| story)));
            }
            Some((position, first_at)) => {
                let hit = &mut kept[*position];
                if hit.0 == key && at < *first_at {
                    hit.1 = address;
                    *first_at = at;
                }
            }
        }
    }
    Ok(kept)
}

/// The stories among every match of a search: how many, and which of each
/// story's members match.
pub(super) struct Counted {
    /// How many stories the matches make (a match in no story is one).
    pub stories: usize,
    /// The positions in its story of each story's matching members.
    pub matching: HashMap<usize, Vec<usize>>,
}

/// How many stories the matches of `query` make, counting every match,
/// and which members of each story match: what a folded hit stands for,
/// found without asking each member again. A walk of its own with a
/// [`Tally`], for a search that did not count them in its walk.
pub(super) fn count(
    searcher: &Searcher,
    stories: &std::sync::Arc<StoryMap>,
    query: &dyn Query,
) -> tantivy::Result<Counted> {
    searcher.search(query, &Tally::new(stories.clone(), usize::MAX))
}

/// The stories of `articles` matches, from the members among them.
fn counted(articles: usize, mut in_stories: HashMap<usize, Vec<usize>>) -> Counted {
    let folded: usize = in_stories.values().map(|at| at.len() - 1).sum();
    for at in in_stories.values_mut() {
        at.sort_unstable();
    }
    Counted {
        stories: articles - folded,
        matching: in_stories,
    }
}

/// [`count`] as a collector, beside a search's own in the same walk of its
/// matches (a date range's matches are found by reading the date column
/// of every segment: a second walk to count stories doubled a month's
/// listing).
///
/// Past `up_to` matches in all (the segments share the count) it stops
/// looking up their stories, whose count would not be shown: an AND of
/// common words walks 400,000 matches to count them.
#[derive(Clone)]
pub(super) struct Tally {
    stories: std::sync::Arc<StoryMap>,
    up_to: usize,
    seen: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Tally {
    /// A tally of one walk of a search's matches.
    pub(super) fn new(stories: std::sync::Arc<StoryMap>, up_to: usize) -> Tally {
        Tally {
            stories,
            up_to,
            seen: Default::default(),
        }
    }
}

/// How many matches a segment counts before it adds them to the walk's.
const TALLY_BATCH: usize = 256;

/// [`Tally`] in one segment: its matches, and the story members among them.
pub(super) struct SegmentTally {
    stories: std::sync::Arc<StoryMap>,
    content: tantivy::columnar::Column<u64>,
    articles: usize,
    members: Vec<(usize, usize)>,
    up_to: usize,
    seen: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    past: bool,
}

impl tantivy::collector::Collector for Tally {
    type Fruit = Counted;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _: tantivy::SegmentOrdinal,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        Ok(SegmentTally {
            stories: self.stories.clone(),
            content: segment.fast_fields().u64(Fields::CONTENT_NAME)?,
            articles: 0,
            members: Vec::new(),
            up_to: self.up_to,
            seen: self.seen.clone(),
            past: false,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(usize, Vec<(usize, usize)>)>) -> tantivy::Result<Counted> {
        let mut articles = 0;
        let mut in_stories: HashMap<usize, Vec<usize>> = HashMap::new();
        for (segment_articles, members) in fruits {
            articles += segment_articles;
            for (story, at) in members {
                in_stories.entry(story).or_default().push(at);
            }
        }
        Ok(counted(articles, in_stories))
    }
}

impl tantivy::collector::SegmentCollector for SegmentTally {
    type Fruit = (usize, Vec<(usize, usize)>);

    fn collect(&mut self, doc: DocId, _: tantivy::Score) {
        self.articles += 1;
        if self.articles.is_multiple_of(TALLY_BATCH) {
            let seen = self
                .seen
                .fetch_add(TALLY_BATCH, std::sync::atomic::Ordering::Relaxed);
            self.past = seen + TALLY_BATCH > self.up_to;
        }
        if self.past {
            return;
        }
        if let Some(member) = self.content.first(doc).and_then(|c| self.stories.of(c)) {
            self.members.push(member);
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.articles, self.members)
    }
}

/// Where the article with this content hash is: a live article document.
fn find(searcher: &Searcher, fields: &Fields, content: u64) -> tantivy::Result<Option<DocAddress>> {
    let term = Term::from_field_u64(fields.content, content);
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let inverted = segment.inverted_index(fields.content)?;
        let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? else {
            continue;
        };
        let kind = segment.fast_fields().u64(Fields::KIND_NAME)?;
        let alive = segment.alive_bitset();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|alive| alive.is_alive(doc))
                && kind.first(doc) == Some(DocKind::Article.code())
            {
                return Ok(Some(DocAddress::new(ord as u32, doc)));
            }
            doc = postings.advance();
        }
    }
    Ok(None)
}

/// Whether the document at `address` matches `weight`.
fn matches(searcher: &Searcher, weight: &dyn Weight, address: DocAddress) -> tantivy::Result<bool> {
    let segment = searcher.segment_reader(address.segment_ord);
    let mut scorer = weight.scorer(segment, 1.0)?;
    let doc: DocId = address.doc_id;
    Ok(scorer.doc() == doc || (scorer.doc() < doc && scorer.seek(doc) == doc))
}

/// The story of the document at `address`, if it is in one.
pub(super) fn story_at(
    searcher: &Searcher,
    stories: &StoryMap,
    address: DocAddress,
) -> tantivy::Result<Option<usize>> {
    let content = searcher
        .segment_reader(address.segment_ord)
        .fast_fields()
        .u64(Fields::CONTENT_NAME)?
        .first(address.doc_id);
    Ok(content
        .and_then(|content| stories.of(content))
        .map(|(story, _)| story))
}

/// The members of story `story` other than the article at `shown` that
/// `weight` (a query's, unscored) matches, in the story's order.
pub(super) fn matching_members<'a>(
    searcher: &Searcher,
    fields: &Fields,
    stories: &'a StoryMap,
    story: usize,
    shown: DocAddress,
    weight: &dyn Weight,
) -> tantivy::Result<Vec<MemberView<'a>>> {
    let mut found = Vec::new();
    for member in stories.story(story).members() {
        let Some(address) = find(searcher, fields, member.content)? else {
            continue; // (a stories file older than the commit)
        };
        if address != shown && matches(searcher, weight, address)? {
            found.push(member);
        }
    }
    Ok(found)
}

/// A story among the matches of a search: how many of its articles match,
/// and which (in the story's order).
#[derive(Debug, Clone)]
pub struct MatchedStory<'a> {
    /// The story's id: its first article's.
    pub id: &'a str,
    /// Its articles that match, in order of date.
    pub members: Vec<MemberView<'a>>,
    /// How many articles the whole story has.
    pub size: usize,
}

/// The stories of two or more matching articles among the matches of
/// `query`, most matching articles first (then by id).
pub(super) fn largest<'a>(
    searcher: &Searcher,
    stories: &'a std::sync::Arc<StoryMap>,
    query: &dyn Query,
) -> tantivy::Result<Vec<MatchedStory<'a>>> {
    let matched = count(searcher, stories, query)?.matching;
    let mut found: Vec<MatchedStory> = matched
        .into_iter()
        .filter(|(_, at)| at.len() > 1)
        .map(|(story, at)| {
            let whole = stories.story(story);
            MatchedStory {
                id: whole.id(),
                members: at.into_iter().map(|at| whole.member(at)).collect(),
                size: whole.len(),
            }
        })
        .collect();
    found.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then_with(|| a.id.cmp(b.id))
    });
    Ok(found)
}

/// Another article of a story, as `show` lists it.
#[derive(Debug, Clone)]
pub struct StoryMember {
    /// Its id.
    pub id: String,
    /// The day it ran, if known.
    pub date: Option<time::Date>,
    /// Its headline.
    pub headline: String,
    /// What differs from the article shown ([`differences`]).
    pub differences: Vec<String>,
}

/// The story of an article shown whole: its id, and its other articles.
#[derive(Debug, Clone)]
pub struct StoryOf {
    /// The story's id: its first article's.
    pub id: String,
    /// The other articles of the story, in order of date.
    pub others: Vec<StoryMember>,
}

/// The story of the article with this content hash, if it is in one, with
/// what each other article differs by from `shown`.
pub(crate) fn story_of(
    index: &crate::index::ArchiveIndex,
    searcher: &Searcher,
    shown: &crate::article::Article,
    content: u64,
) -> crate::error::Result<Option<StoryOf>> {
    use crate::error::InIndex;
    let stories = index.stories()?;
    let Some((story, _)) = stories.of(content) else {
        return Ok(None);
    };
    let story = stories.story(story);
    let mut others = Vec::new();
    for member in story.members() {
        if member.content == content {
            continue;
        }
        let Some(address) = find(searcher, index.fields(), member.content).in_index(index.dir())?
        else {
            continue;
        };
        let other = super::lookup::stored_article(index, searcher, address)?;
        others.push(StoryMember {
            differences: differences(shown, &other),
            id: other.id,
            date: other.date,
            headline: other.headline,
        });
    }
    Ok(Some(StoryOf {
        id: story.id().to_string(),
        others,
    }))
}

/// What differs from article `a` to article `b`, in a few words each:
/// `headline differs`, `+1 paragraph`, `-2 paragraphs`, `1 paragraph
/// changed (3 words)`; `same words` when only case, spacing or the date
/// differ. By a diff of their paragraphs (Myers'), and of the words of
/// the paragraphs that changed.
pub fn differences(a: &crate::article::Article, b: &crate::article::Article) -> Vec<String> {
    use similar::{capture_diff_slices, Algorithm, DiffTag};
    let words =
        |text: &str| -> Vec<String> { text.split_whitespace().map(|w| w.to_lowercase()).collect() };
    let paragraphs = |text: &str| -> Vec<Vec<String>> {
        text.split("\n\n")
            .map(words)
            .filter(|words| !words.is_empty())
            .collect()
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if words(&a.headline) != words(&b.headline) {
        parts.push("headline differs".to_string());
    }
    let (old, new) = (paragraphs(&a.body), paragraphs(&b.body));
    let (mut added, mut removed, mut changed, mut changed_words) = (0, 0, 0, 0);
    for op in capture_diff_slices(Algorithm::Myers, &old, &new) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {}
            DiffTag::Insert => added += new_range.len(),
            DiffTag::Delete => removed += old_range.len(),
            DiffTag::Replace => {
                let pairs = old_range.len().min(new_range.len());
                changed += pairs;
                added += new_range.len() - pairs;
                removed += old_range.len() - pairs;
                let old_words: Vec<&String> = old[old_range].iter().flatten().collect();
                let new_words: Vec<&String> = new[new_range].iter().flatten().collect();
                let (mut inserted, mut deleted) = (0, 0);
                for op in capture_diff_slices(Algorithm::Myers, &old_words, &new_words) {
                    let (tag, o, n) = op.as_tag_tuple();
                    match tag {
                        DiffTag::Equal => {}
                        DiffTag::Insert => inserted += n.len(),
                        DiffTag::Delete => deleted += o.len(),
                        DiffTag::Replace => {
                            inserted += n.len();
                            deleted += o.len();
                        }
                    }
                }
                changed_words += inserted.max(deleted);
            }
        }
    }
    if added > 0 {
        parts.push(format!("+{}", plural(added, "paragraph", "paragraphs")));
    }
    if removed > 0 {
        parts.push(format!("-{}", plural(removed, "paragraph", "paragraphs")));
    }
    if changed > 0 {
        parts.push(format!(
            "{} changed ({})",
            plural(changed, "paragraph", "paragraphs"),
            plural(changed_words, "word", "words")
        ));
    }
    if parts.is_empty() {
        parts.push("same words".to_string());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn article(headline: &str, body: &str) -> Article {
        let mut article = Article::sample("a", body);
        article.headline = headline.into();
        article
    }

    #[test]
    fn differences_name_paragraphs_added_cut_and_changed_and_the_headline() {
        let first = article(
            "Cocoa rises",
            "Prices rose 3 pct.\n\nDealers were cautious.\n\nStocks are large.",
        );
        let revised = article(
            "Cocoa rises on dry weather",
            "Prices rose 4 pct.\n\nDealers were cautious.\n\nStocks are large.\n\nICCO meets.",
        );
        assert_eq!(
            differences(&first, &revised),
            [
                "headline differs",
                "+1 paragraph",
                "1 paragraph changed (1 word)"
            ]
        );
        let cut = article(
            "Cocoa rises",
            "Prices rose 3 pct.\n\nDealers were cautious.",
        );
        assert_eq!(differences(&first, &cut), ["-1 paragraph"]);
        let same = article(
            "COCOA  RISES",
            "prices rose 3 pct.\n\nDealers were cautious.\n\nStocks are large.",
        );
        assert_eq!(differences(&first, &same), ["same words"]);
    }
}

/// `dateline stories`: which stories to list.
#[derive(Debug, Clone)]
pub struct StoriesRequest {
    /// Query text as for `search`; empty for every article.
    pub query: String,
    /// The days whose articles count.
    pub filter: crate::dates::DateFilter,
    /// How many stories to list at most.
    pub limit: usize,
}

/// One story of [`StoriesResults`]: its matching articles.
#[derive(Debug, Clone)]
pub struct ListedStory {
    /// The story's id (its first article's).
    pub id: String,
    /// Its first matching article's headline.
    pub headline: String,
    /// Its matching articles: id and day, in order of date.
    pub articles: Vec<(String, Option<time::Date>)>,
    /// How many articles the whole story has (matching or not).
    pub size: usize,
}

impl ListedStory {
    /// The first and last day of its matching articles, if dated.
    pub fn span(&self) -> Option<(time::Date, time::Date)> {
        let mut days = self.articles.iter().filter_map(|(_, day)| *day);
        let first = days.next()?;
        Some((first, days.next_back().unwrap_or(first)))
    }
}

/// The largest stories among the articles a query and dates match.
#[derive(Debug, Clone)]
pub struct StoriesResults {
    /// The query as typed.
    pub query: String,
    /// The days searched.
    pub filter: crate::dates::DateFilter,
    /// How many stories of two or more matching articles there are.
    pub total: usize,
    /// The largest of them (by matching articles, then id), at most the
    /// limit asked for.
    pub stories: Vec<ListedStory>,
}

/// The largest stories among the matches of a query and date filter: what
/// ran most (in March 1987, about oil).
pub fn list_stories(
    index: &crate::index::ArchiveIndex,
    request: &StoriesRequest,
) -> crate::error::Result<StoriesResults> {
    use crate::error::InIndex;
    let query = super::matching(index, &request.query, &request.filter)?;
    let searcher = index.reader()?.searcher();
    let map = index.stories()?;
    let found = largest(&searcher, &map, &*query).in_index(index.dir())?;
    let total = found.len();
    let mut stories = Vec::new();
    for story in found.into_iter().take(request.limit) {
        let first = story.members[0];
        let headline = match find(&searcher, index.fields(), first.content).in_index(index.dir())? {
            Some(address) => super::lookup::stored_article(index, &searcher, address)?.headline,
            None => String::new(),
        };
        stories.push(ListedStory {
            id: story.id.to_string(),
            headline,
            articles: story
                .members
                .iter()
                .map(|m| {
                    let day = m.when.map(|secs| {
                        crate::index::schema::from_datetime(tantivy::DateTime::from_timestamp_secs(
                            secs,
                        ))
                    });
                    (m.id.to_string(), day)
                })
                .collect(),
            size: story.size,
        });
    }
    Ok(StoriesResults {
        query: request.query.clone(),
        filter: request.filter,
        total,
        stories,
    })
}
