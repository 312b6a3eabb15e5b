#!/usr/bin/env python3
"""Query latency through a coordinator of shards (`dateline serve --shards`)
against a server of one index of the same files: the median and 95th
percentile of whole HTTP round trips, per class of query, alternating the
two servers query by query so that the machine's drift falls on both.

usage: shards_latency.py ONE_URL COORDINATOR_URL [ROUNDS]
"""
import json
import statistics
import sys
import time
import urllib.parse
import urllib.request

CLASSES = {
    "term": [dict(q=w) for w in ["oil", "gold", "wheat", "bank", "coffee"]],
    "AND": [dict(q=q) for q in ["bank rates", "oil prices", "trade deficit", "crude oil output"]],
    "phrase": [dict(q=q) for q in ['"interest rates"', '"crude oil"', '"trade deficit"']],
    "OR": [dict(q=q) for q in ["oil OR gold OR wheat", "cocoa OR coffee"]],
    "date filter": [dict(q="oil", **{"from": "2003-01", "to": "2003-12"})],
    "newest": [dict(q="said", sort="newest")],
    "month listing": [dict(on="2003-05")],
    "offset 1000": [dict(q="oil", offset="1000")],
    "facets": [dict(q="oil", facets="source,section")],
    "trend by month": [dict(q="oil", by="month", _path="/api/trend")],
}


def ask(base, params):
    params = dict(params)
    path = params.pop("_path", "/api/search")
    url = base + path + "?" + urllib.parse.urlencode(params)
    started = time.perf_counter()
    with urllib.request.urlopen(url) as response:
        body = json.load(response)
    return (time.perf_counter() - started) * 1000, body


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    one, coordinator = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    print(f"| class | one index p50 | p95 | over shards p50 | p95 | p95 overhead |")
    print(f"| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, queries in CLASSES.items():
        times = {one: [], coordinator: []}
        for query in queries:  # warm both
            ask(one, query)
            ask(coordinator, query)
        for r in range(rounds):
            for query in queries:
                order = (one, coordinator) if r % 2 == 0 else (coordinator, one)
                for base in order:
                    ms, body = ask(base, query)
                    if base == coordinator and body.get("shards", {}).get("failed"):
                        sys.exit(f"a shard failed: {body['shards']}")
                    times[base].append(ms)
        a, b = times[one], times[coordinator]
        print(
            f"| {name} | {pct(a, 50):.1f} | {pct(a, 95):.1f} | {pct(b, 50):.1f} | "
            f"{pct(b, 95):.1f} | {pct(b, 95) - pct(a, 95):+.1f} |"
        )


if __name__ == "__main__":
    main()
