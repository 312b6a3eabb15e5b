#!/usr/bin/env python3
"""SQLite FTS5 peer for the relevance benchmark (benches/relevance.rs).

    relevance_fts5.py ARTICLES.jsonl QUERIES.json

ARTICLES.jsonl holds {"id", "headline", "body"} per line; QUERIES.json maps a
query number to its words. The articles go into fts5(headline, body,
tokenize='porter'); each query is run as an OR of its words, ranked by
bm25(fts, 2.0, 1.0) (a headline match counts twice, as in dateline), top 100.
Prints {"N": [id, ...], ...} on stdout. Only the standard library is used.
"""

import json
import sqlite3
import sys


def main():
    articles, queries = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, headline, body, tokenize='porter')")
    with open(articles, encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    db.executemany(
        "INSERT INTO fts(id, headline, body) VALUES (?, ?, ?)",
        [(row["id"], row["headline"], row["body"]) for row in rows],
    )
    with open(queries, encoding="utf-8") as file:
        words_of = json.load(file)
    rankings = {}
    for number, words in words_of.items():
        match = " OR ".join('"' + word.replace('"', "") + '"' for word in words)
        if not match:
            rankings[number] = []
            continue
        found = db.execute(
            "SELECT id FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 0.0, 2.0, 1.0), rowid LIMIT 100",
            (match,),
        )
        rankings[number] = [row[0] for row in found]
    json.dump(rankings, sys.stdout)


if __name__ == "__main__":
    main()
