//! Spelling: fuzzy words (`word~`, `word~2`), prefixes (`word*`), and the
//! "did you mean" suggestion when a query finds nothing.

use crate::common::*;

#[test]
fn a_fuzzy_word_finds_the_word_and_its_misspellings() {
    let dl = archive_index();
    let exact = dl.search_set(&["ceasefire"]);
    assert_eq!(exact.len(), 4);
    for query in ["ceasfire~", "ceasefier~", "ceasefire~", "caesfire~2"] {
        assert_eq!(dl.search_set(&[query]), exact, "{query}");
    }
    // One edit is not two.
    assert!(dl.search_set(&["caesfire~"]).is_empty());
    // What matched is marked, though it is not what was typed.
    let (_, json) = dl.search(&["ceasfire~"]);
    let words = check_highlights(&json, "ceasefire", |w| w == "ceasefire");
    assert!(!words.is_empty());
}

#[test]
fn a_prefix_finds_every_word_it_starts() {
    let dl = archive_index();
    let chips = dl.search_set(&["chip*"]);
    // chip, chipmakers: more than the word alone.
    assert!(chips.is_superset(&dl.search_set(&["chip"])));
    assert!(
        chips.contains(&id("2025/01/chip-export-rules")),
        "{chips:?}"
    );
    let (_, json) = dl.search(&["chip*"]);
    let words = check_highlights(&json, "chip*", |w| w.starts_with("chip"));
    assert!(words.iter().any(|w| w == "chipmakers"), "{words:?}");
    // The index holds stems (`rates` as `rate`): a prefix finds them too.
    assert_eq!(
        dl.search_set(&["headline:rate*"]),
        dl.search_set(&["headline:rate OR headline:rates"])
    );
}

#[test]
fn fuzzy_words_and_prefixes_combine_with_the_rest_of_the_language() {
    let dl = archive_index();
    assert_eq!(
        dl.search_set(&["--", "ceasfire~ -headline:monitors"]),
        dl.search_set(&["--", "ceasefire -headline:monitors"])
    );
    assert_eq!(
        dl.search_set(&["headline:cocao~", "--from", "2024"]),
        dl.search_set(&["headline:cocoa", "--from", "2024"])
    );
}

#[test]
fn bad_fuzzy_words_are_errors() {
    let dl = archive_index();
    for query in ["cocoa~3", "cocoa~x", "cocoa~0"] {
        let line = dl.run(&["search", "--", query]).expect_error().to_string();
        assert!(line.contains("1 or 2"), "{line}");
    }
}

#[test]
fn a_misspelt_query_gets_the_right_suggestion() {
    let dl = archive_index();
    let (code, json) = dl.search(&["ceasfire"]);
    assert_eq!(code, 1);
    assert_eq!(total(&json), 0);
    assert_eq!(json["suggestion"]["query"], "ceasefire");
    assert_eq!(json["suggestion"]["total"], dl.count(&["ceasefire"]));

    // Every misspelt word is corrected; the rest is kept as typed.
    let (_, json) = dl.search(&["cocao prices", "--from", "2024"]);
    assert_eq!(json["suggestion"]["query"], "cocoa prices");
    assert_eq!(
        json["suggestion"]["total"],
        dl.count(&["cocoa prices", "--from", "2024"])
    );

    let human = dl.run(&["search", "cofee"]);
    human.expect_code(1);
    assert!(
        human
            .stdout
            .contains("no results for 'cofee'; did you mean 'coffee' (2)?"),
        "{}",
        human.stdout
    );
    // No suggestion when something matched, or nothing is close.
    let (_, json) = dl.search(&["ceasefire"]);
    assert!(json.get("suggestion").is_none());
    let (_, json) = dl.search(&["qqqqzzzz"]);
    assert!(json.get("suggestion").is_none());
}

#[test]
fn reuters_spellings_and_suggestions() {
    let Some(dl) = reuters_index() else {
        return;
    };

    let (code, json) = dl.search(&["petrolium"]);
    assert_eq!(code, 1);
    assert_eq!(json["suggestion"]["query"], "petroleum");
    assert_eq!(json["suggestion"]["total"], dl.count(&["petroleum"]));

    // Fuzzy finds the word and its variants; a prefix finds its family.
    let exact = dl.search_set(&["petroleum"]);
    let fuzzy = dl.search_set(&["petrolium~"]);
    assert!(
        fuzzy.is_superset(&exact),
        "{} < {}",
        fuzzy.len(),
        exact.len()
    );
    let family = dl.count(&["petrol*"]);
    assert!(family > exact.len(), "{family}");
}
