#!/usr/bin/env python3
"""Compares a coordinator of shards (`dateline serve --shards`) with a server
of one index of the same files, key by key, for a mix of searches, trends
and stats: prints `same` or `DIFF` per request, the shards' report, and the
largest relative difference of scores; the differing keys go to stderr.

usage: shards_compare.py ONE_URL COORDINATOR_URL
"""
import json, sys, urllib.request, urllib.parse
single, coord = sys.argv[1], sys.argv[2]
queries = [
 dict(q="oil"), dict(q="oil prices"), dict(q='"interest rates"'), dict(q="oil -opec"), dict(q="headline:oil"),
 dict(q="oill~1"), dict(q="cocoa", **{"from":"1987-03","to":"1987-04"}), dict(q="oil", sort="newest"), dict(q="oil", sort="oldest"),
 dict(q="wheat", offset="10"), dict(q="said", offset="1000", limit="5"), dict(q="gold", snippets="3"),
 dict(q="what did the central bank say about interest rates in march"), dict(q="cocoa or coffee"), dict(q="oilx"),
 dict(q="bank", facets="place,topic"), dict(on="1987-03-02"), dict(q="oil OR gold OR wheat"), dict(q="said", exact_total="true"),
]
bad = 0
def get(base, path, p):
    url = base + path + "?" + urllib.parse.urlencode(p)
    try:
        return json.load(urllib.request.urlopen(url))
    except urllib.error.HTTPError as e:
        return {"status": e.code, "body": json.loads(e.read())}
def strip(d):
    d = dict(d); d.pop("took_ms", None); shards = d.pop("shards", None); return d, shards
def cmp(path, p):
    global bad
    a, _ = strip(get(single, path, p)); b, sh = strip(get(coord, path, p))
    sa = [h.pop("score", None) for h in a.get("hits", [])]; sb = [h.pop("score", None) for h in b.get("hits", [])]
    same = a == b
    worst = max([abs(x - y) / max(abs(x), 1e-9) for x, y in zip(sa, sb) if x is not None and y is not None] or [0])
    if not same:
        bad += 1
        keys = [k for k in set(a) | set(b) if a.get(k) != b.get(k)]
        print("DIFF", path, p, keys, file=sys.stderr)
        for k in keys[:3]:
            print("  single:", json.dumps(a.get(k))[:300], file=sys.stderr)
            print("  coord: ", json.dumps(b.get(k))[:300], file=sys.stderr)
    print(("same " if same else "DIFF ") + f"{path} {p} shards={sh} worst_score_rel={worst:.2e}")
for fold in ["false", "true"]:
    for q in queries:
        cmp("/api/search", dict(q, fold=fold))
for q in [dict(q="oil", by="day"), dict(q="oil", by="month"), dict(q="oil", by="month", split="place", series="3"), dict(q="cocoa", by="week", count="articles")]:
    cmp("/api/trend", q)
cmp("/api/stats", {})
print("differences:", bad)
