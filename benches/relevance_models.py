#!/usr/bin/env python3
"""Ranking models tried on TIME outside the engine (issue #16).

    python3 -m venv v && v/bin/pip install snowballstemmer
    v/bin/python benches/relevance_models.py [TIME-DIR]

A prototype, not the engine: it reads TIME as benches/relevance.rs does (all
of an article's text in the body; judgment ids from 378 on are 2 more than the
position), words lowercased and Snowball-stemmed as dateline's analyzer does,
each query an OR of its words that are not in TIME.STP, top 100. It prints
MAP@100 and P@10 of BM25 (tantivy's idf and k1 = 1.2, b = 0.75: this script's
baseline), of BM25 with other k1 and b, query likelihood with Dirichlet
smoothing, three DFR models, BM25 with sequential-dependence bigrams, and RM3
pseudo-relevance feedback with three ways of weighing the feedback articles,
so that what was tried can be checked and extended. The constants are those
of the models' papers and of Anserini's defaults, plus the grids printed.
"""

import bisect
import collections
import gzip
import math
import re
import sys

import snowballstemmer

WORD = re.compile(r"[a-z0-9]+")
STEMMER = snowballstemmer.stemmer("english")
_stems = {}


def stem(word):
    if word not in _stems:
        _stems[word] = STEMMER.stemWord(word)
    return _stems[word]


def records(text, marker):
    out = []
    for record in text.split(marker)[1:]:
        record = record.split("*STOP")[0]
        header, _, rest = record.partition("\n")
        out.append((header.strip(), [l.strip() for l in rest.split("\n") if l.strip()]))
    return out


def read(folder):
    with gzip.open(folder + "/TIME.ALL.gz", "rt") as f:
        articles = records(f.read(), "*TEXT")
    stop = set(open(folder + "/TIME.STP").read().lower().split())
    queries = {}
    for header, lines in records(open(folder + "/TIME.QUE").read(), "*FIND"):
        kept = []
        for word in WORD.findall(" ".join(lines).lower()):
            if word not in stop and word not in kept:
                kept.append(word)
        queries[int(header)] = kept
    judged = {}
    for line in open(folder + "/TIME.REL"):
        numbers = [int(n) for n in line.split()]
        if numbers:
            judged[numbers[0]] = {n - 2 if n >= 378 else n for n in numbers[1:]}
    texts = {i: [stem(w) for w in WORD.findall(" ".join(lines).lower())]
             for i, (_, lines) in enumerate(articles, 1)}
    return texts, {stem(w) for w in stop}, queries, judged


def dotted_records(path):
    """The records of a dotted SMART file (ADI, CACM, CISI, MED, CRAN): `.I N`,
    then fields (`.T`, `.W`, ...) and their lines, as [(N, {letter: [line]})]."""
    out = []
    field = None
    for line in open(path, encoding="latin-1").read().splitlines():
        line = line.rstrip()
        if line.startswith(".I") and (len(line) == 2 or line[2].isspace()):
            number = line[2:].strip()
            out.append((int(number), {}) if number.isdigit() else (None, {}))
            field = None
        elif out and len(line) == 2 and line[0] == "." and line[1].isupper():
            field = line[1]
            out[-1][1].setdefault(field, [])
        elif out and field and line.strip():
            out[-1][1][field].append(line.strip())
    return [(n, fields) for n, fields in out if n is not None]


def read_dotted(folder, stop_file=None):
    """A dotted SMART collection as benches/relevance.rs reads it: the files
    whose names hold `.all`, `.qry`/`.que`/`query` and `.rel`/`qrel`; queries
    numbered by place; stop words from a `.stp` file there, else TIME's.
    Returns texts (title and text as one), stop stems, queries, judgments,
    and each article's (title, text)."""
    import os
    names = sorted(os.listdir(folder))

    def named(*parts):
        return next((os.path.join(folder, n) for n in names if any(p in n.lower() for p in parts)), None)

    stop_file = stop_file or named(".stp") or str(
        __import__("pathlib").Path(__file__).resolve().parent.parent.parent / "shared/corpora/time/TIME.STP")
    stop = set(open(stop_file).read().lower().split())
    fields = {n: (" ".join(f.get("T", [])), "\n".join(f.get("W", [])))
              for n, f in dotted_records(named(".all"))}
    texts = {n: [stem(w) for w in WORD.findall((t + " " + b).lower())] for n, (t, b) in fields.items()}
    queries = {}
    for at, (_, f) in enumerate(dotted_records(named(".qry", ".que", "query")), 1):
        kept = []
        for word in WORD.findall(" ".join(f.get("W", [])).lower()):
            if word not in stop and word not in kept:
                kept.append(word)
        queries[at] = kept
    judged = {}
    for line in open(named(".rel", "qrel")):
        f = line.split()
        if len(f) == 4 and f[1] in ("0", "Q0"):
            if float(f[3]) > 0:
                judged.setdefault(int(f[0]), set()).add(int(f[2]))
        elif len(f) >= 2:
            judged.setdefault(int(f[0]), set()).add(int(f[1]))
    return texts, {stem(w) for w in stop}, queries, judged, fields


class Collection:
    def __init__(self, texts):
        self.n = len(texts)
        self.tf = {i: collections.Counter(t) for i, t in texts.items()}
        self.length = {i: len(t) for i, t in texts.items()}
        self.avg = sum(self.length.values()) / self.n
        self.df, self.cf = collections.Counter(), collections.Counter()
        self.postings = collections.defaultdict(list)
        self.positions = {i: collections.defaultdict(list) for i in texts}
        for i, counts in self.tf.items():
            self.df.update(counts.keys())
            self.cf.update(counts)
            for w, n in counts.items():
                self.postings[w].append((i, n))
        for i, t in texts.items():
            for at, w in enumerate(t):
                self.positions[i][w].append(at)
        self.words = sum(self.cf.values())

    def idf(self, df):
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def bm25(self, weights, k1=1.2, b=0.75):
        scores = collections.Counter()
        for w, qw in weights.items():
            if w in self.df:
                idf = self.idf(self.df[w])
                for i, n in self.postings[w]:
                    norm = k1 * (1 - b + b * self.length[i] / self.avg)
                    scores[i] += qw * idf * n * (k1 + 1) / (n + norm)
        return scores


def ranked(scores):
    return [d for d, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:100]]


def evaluate(model, queries, judged):
    aps, p10s = [], []
    for q, relevant in judged.items():
        top = model(queries.get(q, []))
        hits, total = 0, 0.0
        for rank, d in enumerate(top, 1):
            if d in relevant:
                hits += 1
                total += hits / rank
        aps.append(total / len(relevant))
        p10s.append(sum(d in relevant for d in top[:10]) / 10)
    return sum(aps) / len(aps), sum(p10s) / len(p10s)


def models(c, stop):
    def words(query):
        return [stem(w) for w in query]

    def bm25(k1=1.2, b=0.75):
        return lambda q: ranked(c.bm25({w: 1.0 for w in words(q)}, k1, b))

    def dirichlet(mu):
        def run(q):
            ws = [w for w in set(words(q)) if w in c.df]
            scores = {}
            for i in {i for w in ws for i, _ in c.postings[w]}:
                # (Every query word, those the article lacks too.)
                scores[i] = sum(math.log((c.tf[i][w] + mu * c.cf[w] / c.words) / (c.length[i] + mu))
                                for w in ws)
            return ranked(scores)
        return run

    def dfr(kind, cc=1.0):
        def run(q):
            scores = collections.Counter()
            for w in set(words(q)):
                if w not in c.df:
                    continue
                for i, n in c.postings[w]:
                    tfn = n * math.log2(1 + cc * c.avg / c.length[i])
                    if kind == "InL2":
                        s = tfn / (tfn + 1) * math.log2((c.n + 1) / (c.df[w] + 0.5))
                    elif kind == "PL2":
                        lam = c.cf[w] / c.n
                        s = (tfn * math.log2(tfn / lam) + (lam - tfn) * math.log2(math.e)
                             + 0.5 * math.log2(2 * math.pi * tfn)) / (tfn + 1)
                    else:  # DPH
                        f = n / c.length[i]
                        s = (1 - f) ** 2 / (n + 1) * (
                            n * math.log2(n * c.avg / c.length[i] * c.n / c.cf[w])
                            + 0.5 * math.log2(2 * math.pi * n * (1 - f)))
                    scores[i] += s
            return ranked(scores)
        return run

    def bigrams(weight, window):
        def run(q):
            ws = words(q)
            scores = c.bm25({w: 1.0 for w in ws})
            for a, b in zip(ws, ws[1:]):
                if a == b or a not in c.df or b not in c.df:
                    continue
                near = {}
                for i in {i for i, _ in c.postings[a]} & {i for i, _ in c.postings[b]}:
                    pb, n = c.positions[i][b], 0
                    for p in c.positions[i][a]:
                        lo = p + 1 if window == 1 else p - window + 1
                        k = bisect.bisect_left(pb, lo)
                        if k < len(pb) and abs(pb[k] - p) <= window:
                            n += 1
                    if n:
                        near[i] = n
                idf = c.idf(len(near)) if near else 0
                for i, n in near.items():
                    norm = 1.2 * (0.25 + 0.75 * c.length[i] / c.avg)
                    scores[i] += weight * idf * n * 2.2 / (n + norm)
            return ranked(scores)
        return run

    def rm3(docs, terms, original, weighing):
        def run(q):
            query = {w: 1.0 for w in set(words(q))}
            first = sorted(c.bm25(query).items(), key=lambda x: (-x[1], x[0]))[:docs]
            if not first:
                return []
            best = first[0][1]
            model = collections.Counter()
            for d, s in first:
                weight = {"score": s, "exp(score)": math.exp(s - best), "equal": 1.0}[weighing]
                for w, n in c.tf[d].items():
                    if w not in stop:
                        model[w] += weight * n / c.length[d]
            top = sorted(model.items(), key=lambda x: -x[1])[:terms]
            total = sum(v for _, v in top)
            expanded = collections.Counter({w: original / len(query) for w in query})
            for w, v in top:
                expanded[w] += (1 - original) * v / total
            return ranked(c.bm25(expanded))
        return run

    yield "BM25 k1=1.2 b=0.75 (baseline)", bm25()
    for k1 in (0.6, 0.9, 1.5, 2.0):
        for b in (0.3, 0.5, 0.75, 0.9):
            yield f"BM25 k1={k1} b={b}", bm25(k1, b)
    for mu in (300, 1000, 2000):
        yield f"query likelihood, Dirichlet mu={mu}", dirichlet(mu)
    for kind in ("InL2", "PL2", "DPH"):
        yield f"DFR {kind}", dfr(kind)
    for weight in (0.1, 0.2):
        yield f"BM25 + adjacent bigrams x{weight}", bigrams(weight, 1)
        yield f"BM25 + bigrams within 8 words x{weight}", bigrams(weight, 8)
    for weighing in ("score", "exp(score)", "equal"):
        yield f"RM3 10 articles, 10 words, 0.5 original, weighed by {weighing}", rm3(10, 10, 0.5, weighing)
    for docs, terms, original in ((3, 10, 0.7), (5, 10, 0.7), (10, 20, 0.5)):
        yield f"RM3 {docs} articles, {terms} words, {original} original, exp(score)", rm3(docs, terms, original, "exp(score)")


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora/time"
    texts, stop, queries, judged = read(folder)
    c = Collection(texts)
    base = None
    print("| model | MAP@100 | P@10 | MAP / baseline |")
    print("| --- | --- | --- | --- |")
    for name, model in models(c, stop):
        ap, p10 = evaluate(model, queries, judged)
        base = base or ap
        print(f"| {name} | {ap:.3f} | {p10:.3f} | {ap / base:.3f} |", flush=True)


if __name__ == "__main__":
    main()
