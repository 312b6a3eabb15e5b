#!/usr/bin/env python3
"""More ranking models on TIME (issue #16), extending relevance_models.py.

    python3 -m venv v && v/bin/pip install snowballstemmer
    v/bin/python benches/relevance_more_models.py [--cv] [--collection time|bbc-known-item|bbc-known-item-full|dotted] [--folder DIR]

(`--collection dotted --folder DIR` reads a dotted SMART collection such as
ADI, CACM or CISI as benches/relevance.rs does, title and text as one.)

Reads the collection as relevance_models.py does (all text in the body, the
judgment ids >= 378 shifted by 2), each query an OR of its non-stop words,
top 100, and prints MAP@100, P@10, ratio to BM25 and a two-sided paired
randomisation p-value against BM25 for each model, with the constants of its
paper (or of Anserini's defaults). With --cv, every model that has a grid runs
2-fold cross-validation over queries (odd / even query numbers): the grid
point best on one fold's MAP@100 is scored on the other fold, and the two
folds' per-query APs are pooled.

Single process, one core, standard library plus snowballstemmer.
"""

import argparse
import collections
import math
import random
import sys

import pathlib

import relevance_models as rm
from relevance_models import Collection, ranked, stem

# `../shared` beside the repository.
SHARED = pathlib.Path(__file__).resolve().parent.parent.parent / "shared"


# ---------------------------------------------------------------- evaluation

def per_query(model, queries, judged):
    """{query: (AP@100, P@10)}"""
    out = {}
    for q, relevant in judged.items():
        top = model(queries.get(q, []))[:100]
        hits, total = 0, 0.0
        for rank, d in enumerate(top, 1):
            if d in relevant:
                hits += 1
                total += hits / rank
        out[q] = (total / len(relevant), sum(d in relevant for d in top[:10]) / 10)
    return out


def means(pq, qs=None):
    qs = list(pq) if qs is None else qs
    return (sum(pq[q][0] for q in qs) / len(qs), sum(pq[q][1] for q in qs) / len(qs))


def randomisation_p(a, b, trials=5000, seed=1):
    """Two-sided paired randomisation test on per-query AP (Smucker et al. 2007)."""
    qs = list(a)
    diffs = [a[q][0] - b[q][0] for q in qs]
    observed = abs(sum(diffs))
    rng = random.Random(seed)
    count = 0
    for _ in range(trials):
        s = sum(d if rng.random() < 0.5 else -d for d in diffs)
        if abs(s) >= observed - 1e-12:
            count += 1
    return (count + 1) / (trials + 1)


# ---------------------------------------------------------------- models

class Models:
    def __init__(self, c, stop):
        self.c = c
        self.stop = stop
        self._vectors = None
        self._neighbours = {}

    # -- helpers
    def words(self, q):
        return [stem(w) for w in q]

    def bm25_scores(self, weights, k1=1.2, b=0.75, idf=None):
        c = self.c
        scores = collections.Counter()
        for w, qw in weights.items():
            if w not in c.df or qw == 0:
                continue
            i_w = c.idf(c.df[w]) if idf is None else idf[w]
            for d, n in c.postings[w]:
                norm = k1 * (1 - b + b * c.length[d] / c.avg)
                scores[d] += qw * i_w * n * (k1 + 1) / (n + norm)
        return scores

    # -- first-stage models
    def bm25(self, k1=1.2, b=0.75):
        return lambda q: ranked(self.bm25_scores({w: 1.0 for w in set(self.words(q))}, k1, b))

    def bm25plus_scores(self, weights, k1=1.2, b=0.75, delta=1.0, idf_kind="tantivy"):
        """Lv & Zhai 2011 (CIKM), BM25+: a lower bound delta on a matched term's tf part."""
        c = self.c
        scores = collections.Counter()
        for w, qw in weights.items():
            if w not in c.df or qw == 0:
                continue
            i_w = c.idf(c.df[w]) if idf_kind == "tantivy" else math.log((c.n + 1) / c.df[w])
            for d, n in c.postings[w]:
                norm = k1 * (1 - b + b * c.length[d] / c.avg)
                scores[d] += qw * i_w * (n * (k1 + 1) / (n + norm) + delta)
        return scores

    def bm25plus(self, k1=1.2, b=0.75, delta=1.0, idf_kind="tantivy"):
        return lambda q: ranked(self.bm25plus_scores({w: 1.0 for w in set(self.words(q))},
                                                     k1, b, delta, idf_kind))

    def bm25l(self, k1=1.2, b=0.75, delta=0.5):
        """Lv & Zhai 2011 (WSDM), BM25L: c' = tf / (1 - b + b dl/avdl), shifted by delta."""
        c = self.c

        def run(q):
            scores = collections.Counter()
            for w in set(self.words(q)):
                if w not in c.df:
                    continue
                i_w = math.log((c.n + 1) / (c.df[w] + 0.5))
                for d, n in c.postings[w]:
                    ctd = n / (1 - b + b * c.length[d] / c.avg)
                    scores[d] += i_w * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)
            return ranked(scores)
        return run

    def pivoted(self, s=0.2):
        """Singhal et al. 1996/1999 pivoted normalisation, as written by Fang et al. 2004."""
        c = self.c

        def run(q):
            scores = collections.Counter()
            qtf = collections.Counter(self.words(q))
            for w, k in qtf.items():
                if w not in c.df:
                    continue
                i_w = math.log((c.n + 1) / c.df[w])
                for d, n in c.postings[w]:
                    scores[d] += k * (1 + math.log(1 + math.log(n))) / (
                        (1 - s) + s * c.length[d] / c.avg) * i_w
            return ranked(scores)
        return run

    def f2exp(self, s=0.5, k=0.35):
        """Fang & Zhai 2005 axiomatic F2-EXP."""
        c = self.c

        def run(q):
            scores = collections.Counter()
            qtf = collections.Counter(self.words(q))
            for w, kq in qtf.items():
                if w not in c.df:
                    continue
                i_w = (c.n / c.df[w]) ** k
                for d, n in c.postings[w]:
                    scores[d] += kq * i_w * n / (n + s + s * c.length[d] / c.avg)
            return ranked(scores)
        return run

    # -- pseudo-relevance feedback
    def first_pass(self, q, base="bm25"):
        weights = {w: 1.0 for w in set(self.words(q)) if w in self.c.df}
        if base == "bm25+":
            s = self.bm25plus_scores(weights)
        else:
            s = self.bm25_scores(weights)
        return weights, sorted(s.items(), key=lambda x: (-x[1], x[0]))

    def final(self, weights, base):
        if base == "bm25+":
            return self.bm25plus_scores(weights)
        return self.bm25_scores(weights)

    def rm3(self, docs=10, terms=10, original=0.5, weighing="exp(score)", base="bm25",
            final_base=None):
        scorer = self.rm3_scores(docs, terms, original, weighing, base, final_base)
        return lambda q: ranked(scorer(q))

    def rm3_scores(self, docs=10, terms=10, original=0.5, weighing="exp(score)", base="bm25",
                   final_base=None):
        c, stop = self.c, self.stop
        final_base = final_base or base

        def run(q):
            query, first = self.first_pass(q, base)
            first = first[:docs]
            if not first:
                return {}
            best = first[0][1]
            model = collections.Counter()
            for d, s in first:
                weight = {"score": s, "exp(score)": math.exp(s - best), "equal": 1.0}[weighing]
                for w, n in c.tf[d].items():
                    if w not in stop:
                        model[w] += weight * n / c.length[d]
            top = sorted(model.items(), key=lambda x: (-x[1], x[0]))[:terms]
            total = sum(v for _, v in top)
            expanded = collections.Counter({w: original / len(query) for w in query})
            for w, v in top:
                expanded[w] += (1 - original) * v / total
            return self.final(expanded, final_base)
        return run

    def rocchio(self, docs=10, terms=10, alpha=1.0, beta=0.75, base="bm25"):
        """Rocchio over BM25-weighted document vectors (Anserini's bm25+rocchio defaults:
        10 feedback docs, 10 terms, alpha 1, beta 0.75, no negative feedback)."""
        c, stop = self.c, self.stop

        def vec(d):
            v = {}
            for w, n in c.tf[d].items():
                if w in stop:
                    continue
                norm = 1.2 * (0.25 + 0.75 * c.length[d] / c.avg)
                v[w] = c.idf(c.df[w]) * n * 2.2 / (n + norm)
            l2 = math.sqrt(sum(x * x for x in v.values())) or 1.0
            return {w: x / l2 for w, x in v.items()}

        def run(q):
            query, first = self.first_pass(q, base)
            first = first[:docs]
            if not first:
                return []
            centroid = collections.Counter()
            for d, _ in first:
                for w, x in vec(d).items():
                    centroid[w] += x / len(first)
            top = dict(sorted(centroid.items(), key=lambda x: (-x[1], x[0]))[:terms])
            ql2 = math.sqrt(len(query))
            new = collections.Counter()
            for w in query:
                new[w] += alpha / ql2
            for w, x in top.items():
                new[w] += beta * x
            return ranked(self.final(new, base))
        return run

    def rsj(self, docs=10, terms=10, keep_idf_for_query=False, base="bm25"):
        """Robertson-Sparck Jones relevance weights from the top `docs` (assumed relevant),
        expansion terms chosen by offer weight r * rw (Robertson 1990), the original terms
        kept; each term scored by BM25's tf part times its RSJ weight."""
        c, stop = self.c, self.stop

        def rw(w, r, R):
            n, N = c.df[w], c.n
            return math.log(((r + 0.5) * (N - n - R + r + 0.5)) / ((n - r + 0.5) * (R - r + 0.5)))

        def run(q):
            query, first = self.first_pass(q, base)
            top = [d for d, _ in first[:docs]]
            if not top:
                return []
            R = len(top)
            r = collections.Counter()
            for d in top:
                r.update(w for w in c.tf[d] if w not in stop)
            offer = {w: r[w] * rw(w, r[w], R) for w in r if w not in query}
            chosen = [w for w, _ in sorted(offer.items(), key=lambda x: (-x[1], x[0]))[:terms]]
            idf = {}
            for w in list(query) + chosen:
                idf[w] = max(rw(w, r.get(w, 0), R), 0.0)
                if keep_idf_for_query and w in query:
                    idf[w] = c.idf(c.df[w])
            return ranked(self.bm25_scores({w: 1.0 for w in idf}, idf=idf))
        return run

    # -- document similarity (for regularisation and neighbours)
    def vectors(self):
        if self._vectors is None:
            c = self.c
            self._vectors = {}
            for d, counts in c.tf.items():
                v = {w: (1 + math.log(n)) * math.log((c.n + 1) / c.df[w])
                     for w, n in counts.items() if w not in self.stop}
                l2 = math.sqrt(sum(x * x for x in v.values())) or 1.0
                self._vectors[d] = {w: x / l2 for w, x in v.items()}
        return self._vectors

    def cosine(self, a, b):
        va, vb = self.vectors()[a], self.vectors()[b]
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(x * vb.get(w, 0.0) for w, x in va.items())

    def neighbours(self, k):
        """k nearest neighbours of every document in the whole collection (cosine, tf-idf)."""
        if k not in self._neighbours:
            c = self.c
            vecs = self.vectors()
            # inverted index of the vectors
            inv = collections.defaultdict(list)
            for d, v in vecs.items():
                for w, x in v.items():
                    inv[w].append((d, x))
            out = {}
            for d, v in vecs.items():
                acc = collections.Counter()
                for w, x in v.items():
                    for e, y in inv[w]:
                        if e != d:
                            acc[e] += x * y
                out[d] = sorted(acc.items(), key=lambda x: (-x[1], x[0]))[:k]
            self._neighbours[k] = out
        return self._neighbours[k]

    def regularised(self, depth=100, k=10, alpha=0.5, iterations=30, base="bm25", inner=None):
        """Diaz 2005 score regularisation: over the top `depth`, a symmetric k-NN graph
        (cosine of tf-idf vectors), f = (1 - alpha) y + alpha S f with S = D^-1/2 W D^-1/2,
        y the first-pass scores standardised; iterated to the fixed point."""
        def run(q):
            if inner is not None:
                first = sorted(inner(q).items(), key=lambda x: (-x[1], x[0]))
                top = [d for d, _ in first[:depth]]
                y = dict(first[:depth])
            else:
                _, first = self.first_pass(q, base)
                top = [d for d, _ in first[:depth]]
                y = dict(first[:depth])
            if len(top) < 3:
                return top
            mu = sum(y.values()) / len(y)
            sd = math.sqrt(sum((v - mu) ** 2 for v in y.values()) / len(y)) or 1.0
            y = {d: (v - mu) / sd for d, v in y.items()}
            sims = {d: {} for d in top}
            for a in top:
                row = sorted(((self.cosine(a, b), b) for b in top if b != a), reverse=True)[:k]
                for s, b in row:
                    if s > 0:
                        sims[a][b] = max(sims[a].get(b, 0.0), s)
                        sims[b][a] = max(sims[b].get(a, 0.0), s)
            deg = {d: sum(sims[d].values()) or 1.0 for d in top}
            f = dict(y)
            for _ in range(iterations):
                f = {d: (1 - alpha) * y[d] + alpha * sum(
                    s / math.sqrt(deg[d] * deg[e]) * f[e] for e, s in sims[d].items())
                    for d in top}
            return [d for d, _ in sorted(f.items(), key=lambda x: (-x[1], x[0]))]
        return run

    def expanded_by_neighbours(self, k, lam):
        """Each document's counts, lam of them its own and the rest its k nearest
        neighbours' (weighted by similarity, scaled to the document's length)."""
        c = self.c
        nb = self.neighbours(k)
        expanded = {}
        for d in c.tf:
            counts = collections.Counter({w: lam * n for w, n in c.tf[d].items()})
            total = sum(s for _, s in nb[d]) or 1.0
            for e, s in nb[d]:
                scale = (1 - lam) * s / total * c.length[d] / c.length[e]
                for w, n in c.tf[e].items():
                    counts[w] += scale * n
            expanded[d] = counts
        return expanded

    def neighbour_smoothed_lm(self, k=10, mu=1000, lam=0.5):
        """Document expansion / neighbourhood smoothing (Kurland & Lee 2004; Tao et al. 2006;
        in the spirit of Liu & Croft 2004's cluster-based LM): each document's counts are
        mixed with its k nearest neighbours' (weighted by similarity, scaled to the document's
        length), lam on the document, then Dirichlet smoothing with the collection."""
        c = self.c
        expanded = self.expanded_by_neighbours(k, lam)
        dlen = {d: sum(v.values()) for d, v in expanded.items()}
        post = collections.defaultdict(set)
        for d, v in expanded.items():
            for w in v:
                post[w].add(d)

        def run(q):
            ws = [w for w in set(self.words(q)) if w in c.df]
            cand = set()
            for w in ws:
                cand |= {d for d, _ in c.postings[w]}   # matches unchanged: the OR of words
            scores = {}
            for d in cand:
                scores[d] = sum(math.log((expanded[d].get(w, 0.0) + mu * c.cf[w] / c.words)
                                         / (dlen[d] + mu)) for w in ws)
            return ranked(scores)
        return run

    def neighbour_smoothed_bm25(self, k=10, lam=0.5):
        """The same expansion of each document by its neighbours, scored by BM25 over the
        expanded pseudo-counts (document expansion for BM25); matches unchanged."""
        c = self.c
        expanded = self.expanded_by_neighbours(k, lam)

        def run(q):
            ws = [w for w in set(self.words(q)) if w in c.df]
            cand = set()
            for w in ws:
                cand |= {d for d, _ in c.postings[w]}
            scores = {}
            for d in cand:
                s = 0.0
                norm = 1.2 * (0.25 + 0.75 * c.length[d] / c.avg)
                for w in ws:
                    n = expanded[d].get(w, 0.0)
                    s += c.idf(c.df[w]) * n * 2.2 / (n + norm)
                scores[d] = s
            return ranked(scores)
        return run

    def rrf(self, runs, k=60):
        """Reciprocal rank fusion (Cormack, Clarke & Buettcher 2009, k = 60) of ranked lists."""
        def run(q):
            fused = collections.Counter()
            for r in runs:
                for rank, d in enumerate(r(q), 1):
                    fused[d] += 1.0 / (k + rank)
            return ranked(fused)
        return run

    def dirichlet(self, mu=1000):
        c = self.c

        def run(q):
            ws = [w for w in set(self.words(q)) if w in c.df]
            scores = {}
            for i in {i for w in ws for i, _ in c.postings[w]}:
                scores[i] = sum(math.log((c.tf[i][w] + mu * c.cf[w] / c.words) / (c.length[i] + mu))
                                for w in ws)
            return ranked(scores)
        return run

    def interpolate_scores(self, scorer, k=10, beta=0.5):
        """Any scorer's scores smoothed with its scores of each document's k nearest neighbours."""
        nb = self.neighbours(k)

        def run(q):
            s = scorer(q)
            out = {}
            for d, v in s.items():
                ns = nb[d]
                total = sum(x for _, x in ns) or 1.0
                out[d] = (1 - beta) * v + beta * sum(x * s.get(e, 0.0) for e, x in ns) / total
            return ranked(out)
        return run

    def cluster_interpolated(self, k=10, beta=0.5):
        """Score-level neighbourhood smoothing (Kurland & Lee 2004 'interpolation' style over the
        first pass): final(d) = (1 - beta) bm25(d) + beta * mean bm25 of d's k nearest neighbours,
        over the matched documents."""
        nb = self.neighbours(k)

        def run(q):
            weights = {w: 1.0 for w in set(self.words(q)) if w in self.c.df}
            s = self.bm25_scores(weights)
            out = {}
            for d, v in s.items():
                ns = nb[d]
                total = sum(x for _, x in ns) or 1.0
                out[d] = (1 - beta) * v + beta * sum(x * s.get(e, 0.0) for e, x in ns) / total
            return ranked(out)
        return run


# ---------------------------------------------------------------- catalogue

def catalogue(m):
    """(name, constants, model, grid for CV: {label: model} or None)"""
    yield "BM25", "k1 1.2, b 0.75", m.bm25(), None
    yield "BM25+", "delta 1.0", m.bm25plus(), {f"delta={d}": m.bm25plus(delta=d) for d in (0.25, 0.5, 1.0, 1.5)}
    yield "BM25+ (idf ln((N+1)/df))", "delta 1.0", m.bm25plus(idf_kind="lz"), None
    yield "BM25L", "delta 0.5", m.bm25l(), {f"delta={d}": m.bm25l(delta=d) for d in (0.25, 0.5, 1.0)}
    yield "pivoted normalisation", "s 0.2", m.pivoted(), {f"s={s}": m.pivoted(s) for s in (0.1, 0.2, 0.3)}
    yield "F2-EXP", "s 0.5, k 0.35", m.f2exp(), {f"s={s},k={k}": m.f2exp(s, k) for s in (0.3, 0.5, 0.7) for k in (0.25, 0.35, 0.5)}
    yield "Rocchio on BM25 vectors", "10 docs, 10 terms, a 1, b 0.75", m.rocchio(), \
        {f"d={d},t={t},b={b}": m.rocchio(d, t, 1.0, b) for d in (3, 5, 10) for t in (10, 20) for b in (0.5, 0.75, 1.0)}
    yield "RSJ PRF, offer weight", "10 docs, 10 terms", m.rsj(), \
        {f"d={d},t={t}": m.rsj(d, t) for d in (3, 5, 10) for t in (5, 10, 20)}
    yield "RSJ PRF, query terms keep idf", "10 docs, 10 terms", m.rsj(keep_idf_for_query=True), None
    yield "score regularisation (Diaz 2005)", "top 100, 10-NN, alpha 0.5", m.regularised(), \
        {f"k={k},a={a}": m.regularised(k=k, alpha=a) for k in (5, 10, 25) for a in (0.1, 0.3, 0.5)}
    yield "neighbour-smoothed LM (Kurland & Lee / Tao)", "10-NN, lam 0.5, mu 1000", m.neighbour_smoothed_lm(), None
    yield "neighbour-expanded BM25", "10-NN, lam 0.5", m.neighbour_smoothed_bm25(), \
        {f"k={k},lam={l}": m.neighbour_smoothed_bm25(k, l) for k in (5, 10) for l in (0.5, 0.7, 0.9)}
    yield "BM25 interpolated with neighbours' scores", "10-NN, beta 0.5", m.cluster_interpolated(), \
        {f"k={k},beta={b}": m.cluster_interpolated(k, b) for k in (5, 10) for b in (0.1, 0.3, 0.5)}
    yield "RM3 weighed by score (Anserini)", "10 docs, 10 terms, 0.5", m.rm3(weighing="score"), None
    rm3grid = {f"d={d},t={t},o={o}": m.rm3(d, t, o) for d in (3, 5, 10) for t in (10, 20) for o in (0.5, 0.7)}
    yield "RM3 exp(score)", "10 docs, 10 terms, 0.5", m.rm3(), rm3grid
    yield "RM3 exp(score) on BM25+", "10, 10, 0.5; delta 1", m.rm3(base="bm25+"), \
        {f"d={d},t={t},o={o}": m.rm3(d, t, o, base="bm25+") for d in (3, 5, 10) for t in (10, 20) for o in (0.5, 0.7)}
    yield "RM3 exp(score), then regularisation", "10,10,0.5; 10-NN, a 0.5", \
        m.regularised(inner=m.rm3_scores()), None
    yield "Rocchio on BM25+", "10, 10, 1, 0.75; delta 1", m.rocchio(base="bm25+"), None
    yield "RM3 exp(score), then neighbours' scores", "10,10,0.5; 10-NN, beta 0.5", \
        m.interpolate_scores(m.rm3_scores()), \
        {f"k={k},beta={b}": m.interpolate_scores(m.rm3_scores(), k, b) for k in (5, 10) for b in (0.1, 0.3, 0.5)}
    yield "RRF(BM25, QL Dirichlet 1000)", "k 60", m.rrf([m.bm25(), m.dirichlet(1000)]), None
    yield "RRF(BM25, RM3 exp(score))", "k 60", m.rrf([m.bm25(), m.rm3()]), None
    yield "RRF(BM25, F2-EXP, BM25L, pivoted)", "k 60", m.rrf([m.bm25(), m.f2exp(), m.bm25l(), m.pivoted()]), None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--collection", default="time")
    ap.add_argument("--folder", default=str(SHARED / "corpora" / "time"))
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    if args.collection == "time":
        texts, stop, queries, judged = rm.read(args.folder)
    elif args.collection == "dotted":
        texts, stop, queries, judged, _ = rm.read_dotted(args.folder)
    else:
        import relevance_known_item
        texts, stop, queries, judged = relevance_known_item.read(args.collection)
    c = Collection(texts)
    m = Models(c, stop)
    base = None
    odd = [q for q in judged if q % 2 == 1]
    even = [q for q in judged if q % 2 == 0]
    print(f"collection {args.collection}: {c.n} docs, {len(judged)} judged queries, avg length {c.avg:.1f}")
    print("| model | constants | MAP@100 | P@10 | MAP / BM25 | p (rand.) | CV MAP@100 | CV / BM25 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, consts, model, grid in catalogue(m):
        if args.only and args.only.lower() not in name.lower() and name != "BM25":
            continue
        pq = per_query(model, queries, judged)
        ap_, p10 = means(pq)
        if base is None:
            base, base_ap = pq, ap_
        p = randomisation_p(pq, base) if pq is not base else 1.0
        cv = ""
        if args.cv and grid:
            runs = {label: per_query(g, queries, judged) for label, g in grid.items()}
            pooled = {}
            picks = []
            for train, test in ((odd, even), (even, odd)):
                best = max(runs, key=lambda l: (means(runs[l], train)[0], l))
                picks.append(best)
                for q in test:
                    pooled[q] = runs[best][q]
            cv_ap = means(pooled)[0]
            cv = f"{cv_ap:.3f} ({picks[0]} / {picks[1]}) | {cv_ap / base_ap:.3f}"
        else:
            cv = " | "
        print(f"| {name} | {consts} | {ap_:.3f} | {p10:.3f} | {ap_ / base_ap:.3f} | {p:.3f} | {cv} |", flush=True)


if __name__ == "__main__":
    main()
