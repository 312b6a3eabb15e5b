#!/usr/bin/env python3
"""SQLite FTS5 peer for the `archive` benchmark (benches/archive.rs).

Two steps, each printing one JSON object on stdout:

    fts5.py build --jsonl ARTICLES.jsonl --db FTS.db
        Builds, from scratch, fts5(headline, body, tokenize='porter') and a
        plain table of dates (indexed) that shares its rowids.
        -> {"articles": N, "seconds": S}

    fts5.py query --db FTS.db --queries QUERIES.json [--runs 50] [--warmup 5]
        QUERIES.json is a list of {"name", "match", "from", "to"}: `match` is
        an FTS5 query or null (date filter only); `from`/`to` are inclusive
        YYYY-MM-DD days or null. Each query fetches the top 10: by bm25()
        (headline weighted twice the body) with snippet() of the body and
        highlight() of the headline; without `match`, the newest 10 of the
        period with the first 200 characters of the body.
        -> {"queries": [{"name", "hits", "median_ms", "p95_ms", "runs"}]}

Only the standard library is used.
"""

import argparse
import json
import math
import os
import sqlite3
import statistics
import sys
import time

SCHEMA = """
CREATE VIRTUAL TABLE fts USING fts5(headline, body, tokenize='porter');
CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT, date TEXT);
"""

# bm25 weights: headline, body (dateline counts a headline match twice).
RANKED = """
SELECT meta.id, meta.date,
       highlight(fts, 0, '[', ']'),
       snippet(fts, 1, '[', ']', '…', 32)
FROM fts JOIN meta ON meta.rowid = fts.rowid
WHERE fts MATCH :match {date_clause}
ORDER BY bm25(fts, 2.0, 1.0)
LIMIT 10
"""

BY_DATE = """
SELECT meta.id, meta.date, fts.headline, substr(fts.body, 1, 200)
FROM meta JOIN fts ON fts.rowid = meta.rowid
WHERE 1 {date_clause}
ORDER BY meta.date DESC
LIMIT 10
"""

COUNT_RANKED = """
SELECT count(*) FROM fts JOIN meta ON meta.rowid = fts.rowid
WHERE fts MATCH :match {date_clause}
"""

COUNT_BY_DATE = "SELECT count(*) FROM meta WHERE 1 {date_clause}"


def read_articles(jsonl_path):
    with open(jsonl_path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            article = json.loads(line)
            yield (
                number,
                article.get("id"),
                article.get("date"),
                article.get("headline", ""),
                article.get("body", ""),
            )


def build(jsonl_path, db_path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db_path + suffix):
            os.remove(db_path + suffix)
    started = time.perf_counter()
    db = sqlite3.connect(db_path)
    db.executescript(SCHEMA)
    count = 0
    with db:
        for rowid, ext_id, date, headline, body in read_articles(jsonl_path):
            db.execute("INSERT INTO meta VALUES (?, ?, ?)", (rowid, ext_id, date))
            db.execute(
                "INSERT INTO fts(rowid, headline, body) VALUES (?, ?, ?)",
                (rowid, headline, body),
            )
            count += 1
        db.execute("CREATE INDEX meta_date ON meta(date)")
    db.close()
    return {"articles": count, "seconds": time.perf_counter() - started}


def date_clause(query):
    clause = ""
    if query.get("from"):
        clause += " AND meta.date >= :from"
    if query.get("to"):
        clause += " AND meta.date <= :to"
    return clause


def statements(query):
    clause = date_clause(query)
    if query.get("match"):
        return RANKED.format(date_clause=clause), COUNT_RANKED.format(date_clause=clause)
    return BY_DATE.format(date_clause=clause), COUNT_BY_DATE.format(date_clause=clause)


def percentile(samples, fraction):
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def time_query(db, query, runs, warmup):
    top10, count = statements(query)
    params = {k: query.get(k) for k in ("match", "from", "to")}
    hits = db.execute(count, params).fetchone()[0]
    for _ in range(warmup):
        db.execute(top10, params).fetchall()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        db.execute(top10, params).fetchall()
        samples.append((time.perf_counter() - started) * 1000.0)
    return {
        "name": query["name"],
        "hits": hits,
        "median_ms": statistics.median(samples),
        "p95_ms": percentile(samples, 0.95),
        "runs": runs,
    }


def run_queries(db_path, queries_path, runs, warmup):
    with open(queries_path, encoding="utf-8") as file:
        queries = json.load(file)
    db = sqlite3.connect(db_path)
    results = [time_query(db, query, runs, warmup) for query in queries]
    db.close()
    return {"queries": results}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    build_step = steps.add_parser("build")
    build_step.add_argument("--jsonl", required=True)
    build_step.add_argument("--db", required=True)
    query_step = steps.add_parser("query")
    query_step.add_argument("--db", required=True)
    query_step.add_argument("--queries", required=True)
    query_step.add_argument("--runs", type=int, default=50)
    query_step.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    if args.step == "build":
        result = build(args.jsonl, args.db)
    else:
        result = run_queries(args.db, args.queries, args.runs, args.warmup)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
