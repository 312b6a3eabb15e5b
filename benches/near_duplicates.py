#!/usr/bin/env python3
"""Near-duplicate ("stories") measurement on Reuters-21578.

Usage:  python3 benches/near_duplicates.py [--notitle] [--min-shingles N] [--out DIR]

Needs numpy (python3 -m venv /tmp/ndvenv && /tmp/ndvenv/bin/pip install numpy);
everything else is the standard library.  Writes DIR/results.json and
DIR/samples*.txt (human-readable samples for judging).
"""
import argparse, collections, datetime, glob, gzip, hashlib, json, os, random, re, sys, time
import numpy as np

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "corpora", "reuters21578")
WINDOW = 7            # days
DF_CAP = 200          # shingle doc-freq cap for candidate generation
K = 5                 # shingle length
T_LOW = 0.3           # ground-truth floor
T = 0.7               # near-duplicate threshold

T0 = time.time()
TIMES = {}
def lap(name):
    TIMES[name] = round(time.time() - T0, 2)
    print(f"[{TIMES[name]:7.1f}s] {name}", file=sys.stderr, flush=True)

# ----------------------------------------------------------------- parsing
REC = re.compile(r"<REUTERS([^>]*)>(.*?)</REUTERS>", re.S)
NEWID = re.compile(r'NEWID="(\d+)"')
DATE = re.compile(r"<DATE>\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})")
TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
CHARREF = re.compile(r"&#\d+;")
TOK = re.compile(r"[^\W_]+")
MON = {m: i + 1 for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}


def unescape(s):
    s = CHARREF.sub("", s)
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def tokenize(title, body, use_title=True):
    text = (title + " " + body) if use_title else (body if body else title)
    toks = TOK.findall(text.lower())
    if body and toks and toks[-1] == "reuter":
        btoks = TOK.findall(body.lower())
        if btoks and btoks[-1] == "reuter":
            toks.pop()
    return toks


def h64(s):
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")


def load(use_title=True):
    recs, stats = [], collections.Counter()
    for fn in sorted(glob.glob(os.path.join(CORPUS, "reut2-0*.sgm.gz"))):
        raw = gzip.open(fn).read().decode("latin-1")
        for m in REC.finditer(raw):
            stats["records"] += 1
            attrs, inner = m.group(1), m.group(2)
            nid = int(NEWID.search(attrs).group(1))
            d = DATE.search(inner)
            date = datetime.date(int(d.group(3)), MON[d.group(2).upper()], int(d.group(1)))
            t = TITLE.search(inner); b = BODY.search(inner)
            title = unescape(t.group(1)).strip() if t else ""
            body = unescape(b.group(1)) if b else ""
            if not b:
                stats["no_body"] += 1
            toks = tokenize(title, body, use_title)
            if len(toks) < 1:
                stats["skipped_no_tokens"] += 1
                continue
            recs.append(dict(newid=nid, date=date, title=title, body=body, toks=toks))
    # exact duplicates: identical token sequence (title+body) -> keep smallest NEWID
    recs.sort(key=lambda r: r["newid"])
    seen, out = {}, []
    for r in recs:
        key = tuple(tokenize(r["title"], r["body"], True))  # always title+body, as the engine
        if key in seen:
            stats["exact_dups_dropped"] += 1
            continue
        seen[key] = r["newid"]
        out.append(r)
    out.sort(key=lambda r: (r["date"], r["newid"]))
    stats["articles"] = len(out)
    return out, stats


def shingles(toks):
    if len(toks) < K:
        return {h64(" ".join(toks))}
    return {h64(" ".join(toks[i:i + K])) for i in range(len(toks) - K + 1)}


# ----------------------------------------------------------------- hashing
M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
def splitmix64_np(x):
    z = x + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def splitmix64_int(x):
    m = (1 << 64) - 1
    z = (x + 0x9E3779B97F4A7C15) & m
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & m
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & m
    return z ^ (z >> 31)


def minhash(H, offs, nh):
    """H: concatenated shingle hashes (uint64), offs: start offsets. Returns (n, nh) uint64 minima."""
    out = np.empty((len(offs), nh), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(nh):
            seed = np.uint64(splitmix64_int(0xC0FFEE + k))
            out[:, k] = np.minimum.reduceat(splitmix64_np(H ^ seed), offs)
    return out


def simhash(H, W, offs):
    """Weighted 64-bit simhash: bit b = 1 iff sum of weights with bit set > half of total weight."""
    tot = np.add.reduceat(W, offs)
    sig = np.zeros(len(offs), dtype=np.uint64)
    for b in range(64):
        bit = ((H >> np.uint64(b)) & np.uint64(1)).astype(np.float64)
        s = np.add.reduceat(bit * W, offs)
        sig |= ((2 * s > tot).astype(np.uint64) << np.uint64(b))
    return sig


# ----------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--notitle", action="store_true", help="shingle body only (title for body-less records)")
    ap.add_argument("--min-shingles", type=int, default=0, help="articles with fewer shingles are never clustered")
    ap.add_argument("--out", default="/work/nd/out")
    ap.add_argument("--quick", action="store_true", help="skip simhash and 128-hash LSH sweeps")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    R = {"args": vars(args)}

    arts, stats = load(not args.notitle)
    R["load"] = dict(stats)
    n = len(arts)
    lap("parse+tokenise+exact-dedup")

    sh = [shingles(a["toks"]) for a in arts]
    nsh = np.array([len(s) for s in sh])
    day = np.array([a["date"].toordinal() for a in arts])
    ntok = np.array([len(a["toks"]) for a in arts])
    R["load"]["date_range"] = [str(arts[0]["date"]), str(arts[-1]["date"])]
    R["load"]["tokens_total"] = int(ntok.sum()); R["load"]["shingles_total"] = int(nsh.sum())
    # window end index for each i (articles sorted by date)
    hi = np.searchsorted(day, day + WINDOW, side="right")
    lap("shingling")

    # ------------------------------------------------ 1. exact ground truth
    df = collections.Counter()
    for s in sh:
        df.update(s)
    post = collections.defaultdict(list)
    high = [0] * n
    for i, s in enumerate(sh):
        for x in s:
            c = df[x]
            if c > DF_CAP:
                high[i] += 1
            elif c > 1:
                post[x].append(i)
    R["gt"] = {"shingles_distinct": len(df), "shingles_df_gt_cap": sum(1 for c in df.values() if c > DF_CAP),
               "articles_with_high_df_shingle": sum(1 for h in high if h)}
    gt = {}          # (i,j) -> exact jaccard >= T_LOW
    ncand = 0
    for i in range(n):
        cnt = collections.Counter()
        lim = hi[i]
        for x in sh[i]:
            p = post.get(x)
            if p:
                for j in p:
                    if i < j < lim:
                        cnt[j] += 1
        ncand += len(cnt)
        a = nsh[i]
        for j, c in cnt.items():
            b = nsh[j]
            if high[i] and high[j]:
                ub = c + min(high[i], high[j])
                if ub < T_LOW * max(a, b):
                    continue
                inter = len(sh[i] & sh[j])
            else:
                inter = c
            jac = inter / (a + b - inter)
            if jac >= T_LOW:
                gt[(i, j)] = jac
    R["gt"]["candidate_pairs_low_df"] = ncand
    lap("ground truth (df<=200 candidates)")
    # pairs that share only df>200 shingles: both need high[i] >= 0.3*|S_i|
    S = [i for i in range(n) if high[i] >= T_LOW * nsh[i]]
    Sset = set(S)
    hpost = collections.defaultdict(list)
    for i in S:
        for x in sh[i]:
            if df[x] > DF_CAP:
                hpost[x].append(i)
    missed = {}
    for i in S:
        cnt = collections.Counter()
        lim = hi[i]
        for x in sh[i]:
            p = hpost.get(x)
            if p:
                for j in p:
                    if i < j < lim:
                        cnt[j] += 1
        for j in cnt:
            if (i, j) in gt:
                continue
            inter = len(sh[i] & sh[j])
            jac = inter / (nsh[i] + nsh[j] - inter)
            if jac >= T_LOW:
                missed[(i, j)] = jac
    R["gt"]["articles_high_share_ge_0.3"] = len(S)
    R["gt"]["pairs_missed_by_df_cap"] = len(missed)
    R["gt"]["pairs_missed_by_df_cap_ge_0.7"] = sum(1 for v in missed.values() if v >= T)
    gt.update(missed)
    bins = [0] * 7
    for v in gt.values():
        bins[min(int((v - T_LOW) * 10 + 1e-9), 6)] += 1
    R["gt"]["pairs_ge_0.3"] = len(gt)
    R["gt"]["hist"] = {f"[{0.3 + k / 10:.1f},{0.4 + k / 10:.1f}{']' if k == 6 else ')'}": bins[k] for k in range(7)}
    for t in (0.6, 0.7, 0.8, 0.9, 1.0):
        R["gt"][f"pairs_ge_{t}"] = sum(1 for v in gt.values() if v >= t - 1e-12)
    TRUE = {p for p, v in gt.items() if v >= T - 1e-12}
    lap("ground truth complete")

    def exactj(i, j):
        if i > j: i, j = j, i
        v = gt.get((i, j))
        if v is not None:
            return v
        inter = len(sh[i] & sh[j])
        return inter / (nsh[i] + nsh[j] - inter)

    def prf(pred):
        tp = len(pred & TRUE)
        p = tp / len(pred) if pred else 1.0
        r = tp / len(TRUE)
        return dict(pred=len(pred), tp=tp, precision=round(p, 4), recall=round(r, 4),
                    f1=round(2 * p * r / (p + r), 4) if p + r else 0)

    # ------------------------------------------------ 2. MinHash
    offs = np.zeros(n, dtype=np.int64)
    offs[1:] = np.cumsum(nsh)[:-1]
    H = np.fromiter((x for s in sh for x in s), dtype=np.uint64, count=int(nsh.sum()))
    MH = minhash(H, offs, 128)
    lap("minhash 128 signatures")
    SIG = {"32bit": (MH & np.uint64(0xFFFFFFFF)).astype(np.uint32), "8bit": (MH & np.uint64(0xFF)).astype(np.uint8)}

    def estimate(sig, I, J, bbit):
        f = (sig[I] == sig[J]).mean(axis=1)
        if bbit:
            f = (f - 1 / 256) / (1 - 1 / 256)
        return f

    def lsh_candidates(sig, bands, rows):
        cand = set()
        for b in range(bands):
            blk = np.ascontiguousarray(sig[:, b * rows:(b + 1) * rows])
            buckets = collections.defaultdict(list)
            raw, w = blk.tobytes(), rows * blk.itemsize
            for i in range(n):
                buckets[raw[i * w:(i + 1) * w]].append(i)
            for mem in buckets.values():
                if len(mem) < 2:
                    continue
                for x in range(len(mem)):
                    i = mem[x]; lim = hi[i]
                    for y in range(x + 1, len(mem)):
                        j = mem[y]
                        if j >= lim:
                            break
                        cand.add((i, j))
        return cand

    R["minhash"] = []
    best = None
    # estimator alone (no LSH) on ground-truth pairs >= 0.3 (recall side only)
    gpairs = np.array(list(gt.keys()), dtype=np.int64)
    gvals = np.array(list(gt.values()))
    R["minhash_estimator_on_gt"] = {}
    for nh in (64, 128):
        for kind in ("32bit", "8bit"):
            sig = SIG[kind][:, :nh]
            est = estimate(sig, gpairs[:, 0], gpairs[:, 1], kind == "8bit")
            err = est - gvals
            R["minhash_estimator_on_gt"][f"{nh}h_{kind}"] = dict(
                mean_abs_err=round(float(np.abs(err).mean()), 4), sd_err=round(float(err.std()), 4),
                recall_est_ge_07=round(float(((est >= T) & (gvals >= T)).sum() / (gvals >= T).sum()), 4),
                false_pos_from_03_07=int(((est >= T) & (gvals < T)).sum()))
    configs = [(64, 16, 4), (64, 8, 8), (64, 32, 2), (128, 32, 4), (128, 16, 8), (128, 64, 2)]
    if args.quick:
        configs = [(64, 16, 4)]
    for nh, bands, rows in configs:
        for kind in ("32bit", "8bit"):
            sig = SIG[kind][:, :nh]
            t1 = time.time()
            cand = lsh_candidates(sig, bands, rows)
            cl = list(cand)
            if cl:
                ca = np.array(cl, dtype=np.int64)
                est = estimate(sig, ca[:, 0], ca[:, 1], kind == "8bit")
                ver = {cl[k] for k in np.nonzero(est >= T)[0]}
            else:
                ver = set()
            rec = dict(hashes=nh, bands=bands, rows=rows, values=kind, candidates=len(cand),
                       candidate_recall=round(len(cand & TRUE) / len(TRUE), 4),
                       verified=prf(ver), seconds=round(time.time() - t1, 2))
            R["minhash"].append(rec)
            print(rec, file=sys.stderr)
            if best is None or rec["verified"]["f1"] > best[0]["verified"]["f1"] + 1e-9:
                best = (rec, sig, bands, rows, kind)
    lap("minhash LSH sweep")

    # ------------------------------------------------ 3. SimHash
    if not args.quick:
        R["simhash"] = {}
        sim_sh = simhash(H, np.ones(len(H)), offs)
        tok_h, tok_w, toffs = [], [], []
        for a in arts:
            toffs.append(len(tok_h))
            for t, c in collections.Counter(a["toks"]).items():
                tok_h.append(h64(t)); tok_w.append(c)
        sim_tok = simhash(np.array(tok_h, dtype=np.uint64), np.array(tok_w, dtype=np.float64),
                          np.array(toffs, dtype=np.int64))
        lap("simhash signatures")
        for name, sig in (("shingles_unweighted", sim_sh), ("tokens_count_weighted", sim_tok)):
            I, J, D = [], [], []
            for i in range(n):
                if hi[i] <= i + 1:
                    continue
                d = np.bitwise_count(sig[i + 1:hi[i]] ^ sig[i])
                k = np.nonzero(d <= 15)[0]
                I.extend([i] * len(k)); J.extend((k + i + 1).tolist()); D.extend(d[k].tolist())
            D = np.array(D)
            R["simhash"][name] = {}
            for thr in (3, 6, 10, 15):
                pred = {(I[k], J[k]) for k in np.nonzero(D <= thr)[0]}
                R["simhash"][name][thr] = prf(pred)
            print(name, R["simhash"][name], file=sys.stderr)
        lap("simhash eval")

    # ------------------------------------------------ 4. clustering
    rec, sig, bands, rows, kind = best
    R["cluster_setting"] = {k: rec[k] for k in ("hashes", "bands", "rows", "values")}
    bbit = kind == "8bit"
    idx = [collections.defaultdict(list) for _ in range(bands)]
    story = [-1] * n
    sfirst, smembers = [], []
    eligible = nsh >= args.min_shingles
    for i in range(n):
        if not eligible[i]:
            story[i] = len(sfirst); sfirst.append(i); smembers.append([i])
            continue
        keys = [sig[i, b * rows:(b + 1) * rows].tobytes() for b in range(bands)]
        cands = set()
        for b in range(bands):
            cands.update(idx[b].get(keys[b], ()))
        bestsim = {}
        if cands:
            cl = sorted(cands)
            est = estimate(sig, np.full(len(cl), i), np.array(cl), bbit)
            for j, e in zip(cl, est):
                s = story[j]
                if e >= T and day[i] - day[sfirst[s]] <= WINDOW:
                    if e > bestsim.get(s, -1):
                        bestsim[s] = e
        if bestsim:
            s = min(bestsim, key=lambda s: (-bestsim[s], s))
            story[i] = s; smembers[s].append(i)
        else:
            story[i] = len(sfirst); sfirst.append(i); smembers.append([i])
        for b in range(bands):
            idx[b][keys[b]].append(i)
    multi = [s for s in range(len(sfirst)) if len(smembers[s]) > 1]
    sizes = collections.Counter(len(smembers[s]) for s in multi)
    R["clusters"] = dict(stories_total=len(sfirst), stories_2plus=len(multi),
                         articles_in_2plus=sum(len(smembers[s]) for s in multi),
                         size_dist={str(k): sizes[k] for k in sorted(sizes)})
    # pair-level view of the clustering: member vs first exact J
    mj = [exactj(smembers[s][0], m) for s in multi for m in smembers[s][1:]]
    R["clusters"]["member_vs_first_exactJ_lt_0.7"] = sum(1 for v in mj if v < T)
    R["clusters"]["member_vs_first_pairs"] = len(mj)
    short = [s for s in multi if ntok[smembers[s][0]] < 40]
    R["clusters"]["stories_2plus_first_lt40tok"] = len(short)
    lap("clustering")

    def art(i, first=None):
        a = arts[i]
        d = dict(newid=a["newid"], date=str(a["date"]), ntok=int(ntok[i]), nsh=int(nsh[i]), title=a["title"])
        if first is not None:
            d["exactJ_to_first"] = round(exactj(first, i), 3)
        return d

    def dump_story(s):
        f = smembers[s][0]
        return [art(m, f) for m in smembers[s]]

    largest = sorted(multi, key=lambda s: (-len(smembers[s]), s))[:10]
    R["largest10"] = [dump_story(s) for s in largest]
    rng = random.Random(1)
    sampA = rng.sample(multi, min(30, len(multi)))
    R["sample_stories"] = [dump_story(s) for s in sampA]
    band = sorted(p for p, v in gt.items() if 0.55 <= v < 0.7)
    R["pairs_0.55_0.7_total"] = len(band)
    sampP = random.Random(1).sample(band, min(30, len(band)))
    R["sample_pairs"] = [dict(a=art(i), b=art(j), exactJ=round(gt[(i, j)], 3)) for i, j in sampP]
    sampS = random.Random(1).sample(short, min(30, len(short)))
    R["sample_short_stories"] = [dump_story(s) for s in sampS]
    R["times"] = TIMES
    # full-text dumps for manual judgement
    def txt(i):
        a = arts[i]
        return f"  NEWID {a['newid']} {a['date']} ntok={ntok[i]}  {a['title']}\n    " + \
            re.sub(r"\s+", " ", a["body"])[:600] + "\n"
    for fname, items in (("samples_stories.txt", sampA), ("samples_short.txt", sampS)):
        with open(os.path.join(args.out, fname), "w") as fh:
            for k, s in enumerate(items):
                fh.write(f"=== story {k + 1} (size {len(smembers[s])})\n")
                f = smembers[s][0]
                for m in smembers[s]:
                    fh.write(f"  J_to_first={exactj(f, m):.3f}\n" + txt(m))
    with open(os.path.join(args.out, "samples_pairs.txt"), "w") as fh:
        for k, (i, j) in enumerate(sampP):
            fh.write(f"=== pair {k + 1} J={gt[(i, j)]:.3f}\n" + txt(i) + txt(j))
    # story membership for later comparison between variants
    with open(os.path.join(args.out, "stories.json"), "w") as fh:
        json.dump([[arts[m]["newid"] for m in smembers[s]] for s in multi], fh)
    lap("done")
    R["times"] = TIMES
    with open(os.path.join(args.out, "results.json"), "w") as fh:
        json.dump(R, fh, indent=1, default=str)


if __name__ == "__main__":
    main()
