"""A synthetic known-item collection from BBC News (no judged collection was to be had).

Documents: each distinct BBC article's body (without its headline); 'bbc-known-item'
keeps the first 50 words of the body (short bodies, like the harness's 4 lines), 'bbc-known-item-full' the
whole body. Queries: the headlines of every 7th article (318), each an OR of its non-stop
words (TIME.STP), the one relevant document being the article itself (and any article with
the same body). This is known-item search (one relevant document a query), simulated as in
Azzopardi, de Rijke & Balog (SIGIR 2007): a check that a method does not hurt on short
headlines and short bodies, not a substitute for judged queries.
"""

import collections
import pathlib
import tarfile

import relevance_models as rm
from relevance_models import WORD, stem

# `../shared` beside the repository.
SHARED = pathlib.Path(__file__).resolve().parent.parent.parent / "shared"
BBC = str(SHARED / "corpora" / "bbc" / "bbc-fulltext.tar.gz")
TIME = str(SHARED / "corpora" / "time")


def articles():
    out = []
    with tarfile.open(BBC) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if not member.isfile() or not member.name.endswith(".txt") or "README" in member.name:
                continue
            raw = tar.extractfile(member).read().decode("utf-8", "replace")
            paragraphs = [p.strip() for p in raw.split("\n\n") if p.strip()]
            head, body = paragraphs[0], paragraphs[1:]
            out.append((member.name, head, body))
    return out


def cut(body, name):
    words = " ".join(body).split()
    return " ".join(words[:50] if name == "bbc-known-item" else words)


def read(name):
    stop_words = set(open(TIME + "/TIME.STP").read().lower().split())
    seen = {}
    docs, heads = [], []
    for path, head, body in articles():
        key = "\n".join(body)
        if key in seen:          # exact duplicate bodies: one document
            continue
        seen[key] = len(docs) + 1
        text = cut(body, name)
        docs.append(text)
        heads.append(head)
    texts = {i: [stem(w) for w in WORD.findall(t.lower())] for i, t in enumerate(docs, 1)}
    queries, judged = {}, {}
    for number, i in enumerate(range(0, len(docs), 7), 1):
        kept = []
        for w in WORD.findall(heads[i].lower()):
            if w not in stop_words and w not in kept:
                kept.append(w)
        queries[number] = kept
        judged[number] = {i + 1}
    return texts, {stem(w) for w in stop_words}, queries, judged
