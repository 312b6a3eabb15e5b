//! The shared sample corpus (`../shared/corpora/sample`, next to the crate),
//! when it is there. Without it these tests report that they skip, unless
//! `DATELINE_REQUIRE_SHARED=1` makes its absence a failure.

use crate::common::*;

#[test]
fn sample_corpus_is_indexed_searched_and_shown() {
    let Some(sample) = shared_corpus("sample") else {
        return;
    };
    let dl = Dateline::new();
    let run = dl.index(&[sample.to_str().unwrap()]);
    run.expect_code(0);
    assert!(run.stdout.starts_with("indexed "), "{:?}", run.stdout);
    assert!(run.stderr.is_empty(), "warnings: {:?}", run.stderr);
    let articles = dl.stats()["articles"].as_u64().unwrap();
    assert!(articles >= 1);

    let (code, json) = dl.search(&["ceasefire", "--on", "2025-03-17"]);
    assert_eq!(code, 0);
    assert!(total(&json) >= 1);
    for hit in hits(&json) {
        assert_eq!(hit["date"], "2025-03-17");
        assert!(
            hit["id"].as_str().unwrap().starts_with("sample/"),
            "{}",
            hit["id"]
        );
    }
    let words = check_highlights(&json, "ceasefire", |w| w == "ceasefire");
    assert!(!words.is_empty(), "no highlights");
    let hit = &hits(&json)[0];
    assert!(!highlighted_words(hit, "snippet", "highlights").is_empty());

    // show gives the article the hit came from.
    let id = hit["id"].as_str().unwrap();
    let article = dl.show(id);
    assert_eq!(article["id"], id);
    assert_eq!(article["date"], "2025-03-17");
    assert_eq!(article["headline"], hit["headline"]);
    let body = article["body"].as_str().unwrap();
    assert!(body.to_lowercase().contains("ceasefire"));
    let path = std::path::Path::new(article["path"].as_str().unwrap());
    assert!(path.is_file(), "{path:?}");
    let human = dl.run(&["show", id]);
    human.expect_code(0);
    assert!(human.stdout.contains(article["headline"].as_str().unwrap()));

    // The phrase, in typographic quotes in the text, is found.
    let (code, json) = dl.search(&["\"coalition of the willing\"", "--on", "2025-03-17"]);
    assert_eq!(code, 0);
    assert_eq!(hit_ids(&json), [id]);
    check_highlights(&json, "a word of the phrase", is_phrase_word);
}

#[test]
fn sample_phrase_snippet_shows_the_whole_phrase() {
    let Some(sample) = shared_corpus("sample") else {
        return;
    };
    let dl = Dateline::new();
    dl.index(&[sample.to_str().unwrap()]).expect_code(0);
    let (code, json) = dl.search(&["\"coalition of the willing\""]);
    assert_eq!(code, 0);
    assert!(total(&json) >= 1);
    for hit in hits(&json) {
        let snippet = hit["snippet"].as_str().unwrap();
        assert!(
            snippet.to_lowercase().contains("coalition of the willing"),
            "{}: phrase not in snippet {snippet:?}",
            hit["id"]
        );
        let marked: Vec<String> = highlighted_words(hit, "snippet", "highlights")
            .iter()
            .map(|w| fold(w))
            .collect();
        for word in ["coalition", "of", "the", "willing"] {
            assert!(
                marked.iter().any(|m| m == word),
                "{}: {word} not marked in {snippet:?}",
                hit["id"]
            );
        }
    }
}

#[test]
fn shared_corpus_helper_skips_or_requires() {
    // A corpus that is never there: skipped, or a failure when required.
    let required = std::env::var("DATELINE_REQUIRE_SHARED").as_deref() == Ok("1");
    let result = std::panic::catch_unwind(|| shared_corpus("no-such-corpus-for-tests"));
    match result {
        Ok(found) => {
            assert!(!required, "a missing corpus must fail when required");
            assert_eq!(found, None);
        }
        Err(_) => assert!(required, "a missing corpus must only fail when required"),
    }
}
