//! The documents' examples, run, so they cannot drift from the binary:
//! each ```console block of the README whose first line is `$ dateline …`
//! is run on an index of the quick start's archive and must print what
//! the README shows (times, sizes and the clone's folder aside); and the
//! guide quotes the query syntax `--help` prints, word for word.

use crate::common::*;

/// One example: the command line after `$ `, and what it prints.
struct Example {
    line: usize,
    command: String,
    output: String,
}

/// The ```console blocks of a Markdown text that start with `$ dateline`.
fn examples(markdown: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        if line.trim() != "```console" {
            continue;
        }
        let mut block: Vec<&str> = Vec::new();
        for (_, line) in lines.by_ref() {
            if line.trim() == "```" {
                break;
            }
            block.push(line);
        }
        let Some(command) = block
            .first()
            .and_then(|first| first.strip_prefix("$ dateline "))
        else {
            continue;
        };
        examples.push(Example {
            line: number + 2,
            command: command.to_string(),
            output: block[1..].join("\n"),
        });
    }
    examples
}

/// Splits a command line as a shell would, for the quoting the README uses
/// (double quotes around words with spaces).
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}

/// What may differ between the README's run and this one: how long a run
/// took, how large the index is, how many segments tantivy made, and where
/// the clone and the indexes are.
fn normalised(text: &str, replacements: &[(&str, &str)]) -> String {
    let mut text = text.to_string();
    for (from, to) in replacements {
        text = text.replace(from, to);
    }
    text.lines()
        .map(|line| {
            let line = line.trim_end();
            if let (Some(at), true) = (line.find(" in "), line.starts_with("indexed ")) {
                if let Some(close) = line[at..].find(')') {
                    // `into DIR in 0.03 s (0.1 MB/s)`
                    return format!("{}[time]{}", &line[..at], &line[at + close + 1..]);
                }
            }
            for key in ["size ", "segments "] {
                if line.starts_with(key) {
                    return format!("{key}[..]");
                }
            }
            line.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_readme_examples_print_what_the_readme_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let examples = examples(&readme);
    assert!(
        examples.len() >= 6,
        "one example per command, found {}",
        examples.len()
    );
    let quick_start = Dateline::with_archive();
    let scratch = tempfile::tempdir().expect("temp dir");
    let index = quick_start.index_dir().to_str().expect("a UTF-8 temp path");
    let clone = root();
    let clone = clone.to_str().expect("a UTF-8 clone path");
    // Each of the README's scratch indexes (`--index /tmp/messy`) is a
    // temporary one of its own; those of the shared corpora are skipped,
    // with the examples that read them, when the corpora are not there.
    let mut scratch_indexes: Vec<(String, String)> = Vec::new();
    let mut without_corpora: Vec<String> = Vec::new();
    for example in examples {
        let mut args = words(&example.command);
        let mut own_index = None;
        for pair in 1..args.len() {
            if args[pair - 1] == "--index" {
                let named = args[pair].clone();
                let known = scratch_indexes.iter().position(|(n, _)| *n == named);
                let i = known.unwrap_or_else(|| {
                    let dir = scratch
                        .path()
                        .join(format!("index{}", scratch_indexes.len()));
                    let dir = dir.to_str().expect("a UTF-8 temp path").to_string();
                    scratch_indexes.push((named.clone(), dir));
                    scratch_indexes.len() - 1
                });
                args[pair] = scratch_indexes[i].1.clone();
                own_index = Some(i);
            }
        }
        let corpora: Vec<&String> = args
            .iter()
            .filter(|arg| arg.starts_with("../shared/corpora/"))
            .collect();
        if let (Some(i), Some(corpus)) = (own_index, corpora.first()) {
            let name = corpus.trim_start_matches("../shared/corpora/");
            if shared_corpus(name.split('/').next().unwrap_or(name)).is_none() {
                without_corpora.push(scratch_indexes[i].0.clone());
                continue;
            }
        }
        if own_index.is_some_and(|i| without_corpora.contains(&scratch_indexes[i].0)) {
            continue;
        }
        let own_index = own_index.is_some();
        let mut command = Dateline::bare_command();
        if !own_index {
            command.arg("--index").arg(index);
        }
        let output = command
            .args(&args)
            .env("COLUMNS", "80")
            .output()
            .expect("run dateline");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout)
        );
        let mut replacements: Vec<(&str, &str)> = scratch_indexes
            .iter()
            .map(|(named, dir)| (dir.as_str(), named.as_str()))
            .collect();
        replacements.extend([(index, "index"), (clone, "/tmp/dateline")]);
        assert_eq!(
            normalised(&printed, &replacements),
            normalised(&example.output, &[]),
            "README.md line {}: dateline {}",
            example.line,
            example.command
        );
    }
}

#[test]
fn the_guide_quotes_the_query_syntax_help_prints() {
    let syntax = std::fs::read_to_string(root().join("doc/query-syntax.txt")).expect("syntax");
    let guide = std::fs::read_to_string(root().join("doc/GUIDE.md")).expect("guide");
    let marker = "<!-- copied from doc/query-syntax.txt; a test checks they agree -->";
    let after = guide
        .split_once(marker)
        .expect("the guide marks its copy of the syntax")
        .1;
    let block = after
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("a text block after the marker")
        .0;
    assert_eq!(
        block, syntax,
        "doc/GUIDE.md and doc/query-syntax.txt differ"
    );
    let help = Dateline::bare_command()
        .args(["search", "--help"])
        .output()
        .expect("run dateline");
    let help = String::from_utf8_lossy(&help.stdout);
    for line in syntax.lines().filter(|line| !line.trim().is_empty()) {
        assert!(help.contains(line), "search --help lacks {line:?}");
    }
}

#[test]
fn examples_are_found_and_split_like_a_shell() {
    let markdown = "text\n```console\n$ dateline search \"a b\" -n 2\nout\n```\n```console\nnot a command\n```\n";
    let found = examples(markdown);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].output, "out");
    assert_eq!(words(&found[0].command), ["search", "a b", "-n", "2"]);
    assert_eq!(
        normalised(
            "indexed 1 article from 1 file into x in 0.03 s (0.1 MB/s); by format",
            &[]
        ),
        "indexed 1 article from 1 file into x[time]; by format"
    );
}
