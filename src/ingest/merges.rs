//! Which segments the index writer merges, and how large a merge may be.
//!
//! A merge maps its segments into memory and reads them through: with
//! tantivy's default policy (merge 8, up to 10M documents), merges at 1M
//! articles read 1.1 GiB of segments at once, which showed as resident
//! memory growing with the archive. tantivy's log policy merges 4 segments
//! of about the same size at a time and never again one of over 150,000
//! documents; on its own that still let four segments just under the limit
//! merge into one of 600,000 (a flushed segment a little smaller, because
//! each article holds a few more words, turned a million articles' peak
//! resident memory from 1.0 into 2.4 GiB). [`CappedMerges`] also caps what
//! a merge makes: a few hundred MiB of segments whatever the archive's size.
//! A million articles end in about ten segments, which a search reads in
//! parallel anyway.

use std::collections::HashMap;

use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::SegmentMeta;

/// Segments with more documents than this are never merged again.
const MERGE_SEGMENTS_UP_TO_DOCS: usize = 150_000;

/// How many segments of about the same size are merged into one.
const SEGMENTS_PER_MERGE: usize = 4;

/// The most documents a merge makes a segment of.
const MOST_DOCS_MERGED: u64 = 200_000;

/// tantivy's log merge policy, each merge cut down to its smallest segments
/// that together hold at most [`MOST_DOCS_MERGED`] documents (and left out
/// when fewer than two are left).
#[derive(Debug)]
pub struct CappedMerges {
    log: LogMergePolicy,
    most_docs: u64,
}

impl CappedMerges {
    pub fn new() -> CappedMerges {
        let mut log = LogMergePolicy::default();
        log.set_max_docs_before_merge(MERGE_SEGMENTS_UP_TO_DOCS);
        log.set_min_num_segments(SEGMENTS_PER_MERGE);
        CappedMerges {
            log,
            most_docs: MOST_DOCS_MERGED,
        }
    }
}

impl MergePolicy for CappedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs: HashMap<_, u64> = segments
            .iter()
            .map(|segment| (segment.id(), u64::from(segment.max_doc())))
            .collect();
        self.log
            .compute_merge_candidates(segments)
            .into_iter()
            .filter_map(|MergeCandidate(mut ids)| {
                ids.sort_by_key(|id| docs.get(id).copied().unwrap_or(u64::MAX));
                let mut total = 0;
                ids.retain(|id| {
                    total += docs.get(id).copied().unwrap_or(u64::MAX);
                    total <= self.most_docs
                });
                (ids.len() >= 2).then_some(MergeCandidate(ids))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::SegmentId;
    use tantivy::Index;

    fn segments(sizes: &[u32]) -> Vec<SegmentMeta> {
        let index = Index::create_in_ram(tantivy::schema::Schema::builder().build());
        sizes
            .iter()
            .map(|&docs| index.new_segment_meta(SegmentId::generate_random(), docs))
            .collect()
    }

    fn merged(sizes: &[u32]) -> Vec<Vec<u32>> {
        let metas = segments(sizes);
        let size = |id: &SegmentId| {
            metas
                .iter()
                .find(|meta| meta.id() == *id)
                .map(SegmentMeta::max_doc)
                .unwrap()
        };
        let mut merges: Vec<Vec<u32>> = CappedMerges::new()
            .compute_merge_candidates(&metas)
            .into_iter()
            .map(|MergeCandidate(ids)| {
                let mut sizes: Vec<u32> = ids.iter().map(size).collect();
                sizes.sort_unstable();
                sizes
            })
            .collect();
        merges.sort();
        merges
    }

    #[test]
    fn four_segments_of_about_the_same_size_merge() {
        assert_eq!(
            merged(&[9_000, 9_300, 9_400, 9_500]),
            [vec![9_000, 9_300, 9_400, 9_500]]
        );
        assert_eq!(
            merged(&[37_000, 37_500, 37_600, 38_000]),
            [vec![37_000, 37_500, 37_600, 38_000]]
        );
        // Three are not enough.
        assert!(merged(&[9_000, 9_300, 9_400]).is_empty());
    }

    #[test]
    fn no_merge_makes_a_segment_of_more_than_the_most() {
        // Four just under the log policy's limit would make 589,300.
        let under_the_limit = [147_000, 147_100, 147_200, 148_000];
        let log = CappedMerges::new().log;
        assert_eq!(
            log.compute_merge_candidates(&segments(&under_the_limit))[0]
                .0
                .len(),
            4
        );
        assert!(merged(&under_the_limit).is_empty());
        // Cut down to the smallest that fit.
        assert_eq!(
            merged(&[60_000, 61_000, 62_000, 100_000]),
            [vec![60_000, 61_000, 62_000]]
        );
        // Segments over the log policy's limit are never merged again.
        assert!(merged(&[150_300, 150_400, 150_500, 150_600]).is_empty());
    }
}
