#!/usr/bin/env python3
"""How a headline and a body are scored together, on collections with titles
(issue #16's first suspect: fields).

    python3 -m venv v && v/bin/pip install snowballstemmer
    v/bin/python benches/relevance_fields.py [--collection time|dotted] [--folder DIR] [--bodiless odd|even]

A prototype beside benches/relevance.rs: the same articles (a dotted SMART
collection's `.T` as the headline and `.W` as the body; TIME's first line as
the headline and the rest, or the next four lines, as the body), the same
queries (an OR of the words that are not stop words), top 100. Six ways of
putting the two fields' term frequencies together, each with the headline
weighed 1, 2 (dateline's and the benchmark's FTS5 weight) and 3, k1 = 1.2,
b = 0.75:

- sum: dateline's, a BM25 per field summed, one idf (the field where the
  word is more common; `search::scoring::SharedIdf`);
- sum, idf per field: dateline before that change;
- FTS5's bm25(): weighted term frequencies under one saturation, the
  article's length the two fields' lengths, idf ln((N - n + 0.5)/(n + 0.5));
- BM25F: each field's frequency normalised by its own length, then weighed,
  summed and saturated once;
- one text: the headline written `weight` times into the body;
- headline, and the whole: a BM25 of the headline, weighed, plus a BM25 of
  the whole article (headline and body as one text), one idf.

`--bodiless odd` (or `even`) empties the bodies of the articles with odd (even)
numbers, as a collection in which half the articles are a headline alone
(CACM's titles without abstracts, Reuters' briefs).
MAP@100 and P@10 each, the ratio to dateline's (sum, weight 2) and a paired
randomisation test against it. Standard library plus snowballstemmer.
"""

import argparse
import collections
import math

import relevance_models as rm
from relevance_models import WORD, ranked, stem
from relevance_more_models import SHARED, means, per_query, randomisation_p

K1, B = 1.2, 0.75


def words(text):
    return collections.Counter(stem(w) for w in WORD.findall(text.lower()))


def time_layouts(folder):
    import gzip
    with gzip.open(folder + "/TIME.ALL.gz", "rt") as f:
        articles = rm.records(f.read(), "*TEXT")
    _, stop, queries, judged = rm.read(folder)
    for name, body_lines in (("first line as the headline", None), ("first line, 4 lines of body", 4)):
        fields = {i: (lines[0] if lines else "", " ".join(lines[1:1 + body_lines] if body_lines else lines[1:]))
                  for i, (_, lines) in enumerate(articles, 1)}
        yield name, fields, queries, judged


class Fielded:
    def __init__(self, fields):
        self.n = len(fields)
        self.h = {d: words(t) for d, (t, _) in fields.items()}
        self.b = {d: words(x) for d, (_, x) in fields.items()}
        self.lh = {d: sum(c.values()) for d, c in self.h.items()}
        self.lb = {d: sum(c.values()) for d, c in self.b.items()}
        self.ah = sum(self.lh.values()) / self.n
        self.ab = sum(self.lb.values()) / self.n
        self.dfh, self.dfb, self.df = collections.Counter(), collections.Counter(), collections.Counter()
        self.has = collections.defaultdict(set)
        for d in fields:
            self.dfh.update(self.h[d].keys())
            self.dfb.update(self.b[d].keys())
            self.df.update(set(self.h[d]) | set(self.b[d]))
            for w in set(self.h[d]) | set(self.b[d]):
                self.has[w].add(d)

    def idf(self, df):
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def model(self, kind, weight):
        def sat(tf, length, avg):
            return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg)) if tf else 0.0

        def run(query):
            scores = collections.Counter()
            for w in {stem(x) for x in query}:
                for d in self.has.get(w, ()):
                    th, tb = self.h[d][w], self.b[d][w]
                    if kind == "sum":
                        i = self.idf(max(self.dfh[w], self.dfb[w]))
                        scores[d] += i * (weight * sat(th, self.lh[d], self.ah) + sat(tb, self.lb[d], self.ab))
                    elif kind == "sum, idf per field":
                        scores[d] += (weight * self.idf(self.dfh[w]) * sat(th, self.lh[d], self.ah)
                                      + self.idf(self.dfb[w]) * sat(tb, self.lb[d], self.ab))
                    elif kind == "FTS5's bm25()":
                        i = max(1e-6, math.log((self.n - self.df[w] + 0.5) / (self.df[w] + 0.5)))
                        scores[d] += i * sat(weight * th + tb, self.lh[d] + self.lb[d], self.ah + self.ab)
                    elif kind == "BM25F":
                        tf = (weight * th / (1 - B + B * self.lh[d] / self.ah)
                              + tb / (1 - B + B * self.lb[d] / self.ab))
                        scores[d] += self.idf(self.df[w]) * tf * (K1 + 1) / (tf + K1)
                    elif kind == "headline, and the whole":
                        i = self.idf(max(self.dfh[w], self.df[w]))
                        scores[d] += i * (weight * sat(th, self.lh[d], self.ah)
                                          + sat(th + tb, self.lh[d] + self.lb[d], self.ah + self.ab))
                    elif kind == "one text":
                        scores[d] += self.idf(self.df[w]) * sat(
                            weight * th + tb, weight * self.lh[d] + self.lb[d], weight * self.ah + self.ab)
            return ranked(scores)
        return run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--collection", default="time", choices=["time", "dotted"])
    ap.add_argument("--folder", default=str(SHARED / "corpora" / "time"))
    ap.add_argument("--bodiless", choices=["odd", "even"])
    args = ap.parse_args()
    if args.collection == "time":
        layouts = list(time_layouts(args.folder))
    else:
        _, _, queries, judged, fields = rm.read_dotted(args.folder)
        layouts = [("titles as headlines", fields, queries, judged)]
    for name, fields, queries, judged in layouts:
        if args.bodiless:
            gone = 1 if args.bodiless == "odd" else 0
            fields = {d: (h, "" if d % 2 == gone else b) for d, (h, b) in fields.items()}
            name += f", {args.bodiless} articles without a body"
        f = Fielded(fields)
        print(f"\n{args.collection}, {name}: {f.n} articles, {len(judged)} judged queries, "
              f"headline {f.ah:.1f} words, body {f.ab:.1f}")
        print("| model | headline weight | MAP@100 | P@10 | MAP / dateline's | p (rand.) |")
        print("| --- | --- | --- | --- | --- | --- |")
        base = per_query(f.model("sum", 2.0), queries, judged)
        base_ap = means(base)[0]
        for kind in ("sum", "sum, idf per field", "FTS5's bm25()", "BM25F", "one text",
                     "headline, and the whole"):
            for weight in (1.0, 2.0, 3.0):
                pq = per_query(f.model(kind, weight), queries, judged)
                ap_, p10 = means(pq)
                p = randomisation_p(pq, base) if (kind, weight) != ("sum", 2.0) else 1.0
                print(f"| {kind} | {weight:.0f} | {ap_:.3f} | {p10:.3f} | {ap_ / base_ap:.3f} | {p:.3f} |",
                      flush=True)
        # dateline's, with an article that is a headline alone indexed with
        # its headline as its body too (its one text is its body).
        lone = Fielded({d: (h, b if b.strip() else h) for d, (h, b) in fields.items()})
        for weight in (1.0, 2.0, 3.0):
            pq = per_query(lone.model("sum", weight), queries, judged)
            ap_, p10 = means(pq)
            p = randomisation_p(pq, base)
            print(f"| sum, a headline alone as its body | {weight:.0f} | {ap_:.3f} | {p10:.3f} | "
                  f"{ap_ / base_ap:.3f} | {p:.3f} |", flush=True)


if __name__ == "__main__":
    main()
