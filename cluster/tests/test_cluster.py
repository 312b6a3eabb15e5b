"""The cluster end to end, on a real Ray cluster of two nodes on 127.0.0.1.

The Reuters corpus and the fixture archive are indexed in two shards by Ray
tasks on the two nodes, served by shard actors and a coordinator, and asked
the same questions as one index of the same files served alone:

- the answers are the same (ids, order, totals, snippets, highlights),
  except where an article has an exact copy in the other shard: one index
  keeps one of the two, two shards keep both. Those articles are found
  independently (the shards' ids less the one index's) and the answers
  that hold them must differ by exactly them;
- the scores are the same to 1e-6 relative on inputs with no copy across
  shards. With the copies, every score moves a little (BM25's average
  field lengths hold the copies' words twice), so there they are compared
  to SCORE_DRIFT_WITH_COPIES, and the exact comparison is made on the same
  archive without the files that hold those copies;
- a shard actor killed is reported at once (`"shards": {"failed": 1}`),
  and answers are whole again when Ray has restarted it.

Needs: Ray (`pip install 'ray==2.60.0' pytest`), the dateline binary
($DATELINE_BIN, else `dateline` on PATH) and ../shared/corpora (or
$DATELINE_SHARED); skips without them unless $DATELINE_REQUIRE_SHARED=1.
"""

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from local_ray import LocalRay, free_ports, free_range  # noqa: E402

CLUSTER = Path(__file__).resolve().parents[1]
REPO = CLUSTER.parent
FIXTURES = REPO / "tests" / "fixtures" / "archive"

# Relative difference allowed between a score through the coordinator and
# one index's on inputs with no copy across shards: the same arithmetic on
# summed statistics, up to float rounding.
SCORE_EXACT = 1e-6
# …and on the Reuters corpus, where 3 exact copies (of some 21,600
# documents) are indexed in both shards. Their words count twice in the
# fields' token totals: the average length moves by ~3e-4, and a BM25
# term's score by at most as much (∂ln score/∂ln avgdl < 1). The test
# prints the largest difference it sees (1.2e-4 when written); the exact
# comparison is the one without the copies.
SCORE_DRIFT_WITH_COPIES = 5e-4


def idf_drift(copies: int, matches: int, articles: int) -> float:
    """How far `copies` more documents holding a word move its idf,
    ln(1 + (N - n + 0.5)/(n + 0.5)), relative: about copies/(n·ln(N/n)),
    for a word in at least `matches` of `articles` documents."""
    return copies / (matches * math.log(articles / matches))


# The question mix: every sort, offsets 0/10/1,000, words, AND, a phrase,
# NOT, a field, fuzzy, a prefix, OR, dates, several snippets; fold=false
# everywhere (near-copy stories are found within a shard only).
SEARCHES: List[Dict[str, str]] = [
    {"q": "oil"},
    {"q": "oil", "offset": "10"},
    {"q": "oil", "offset": "1000"},
    {"q": "oil", "sort": "newest"},
    {"q": "oil", "sort": "newest", "offset": "10"},
    {"q": "oil", "sort": "newest", "offset": "1000"},
    {"q": "oil", "sort": "oldest"},
    {"q": "oil", "sort": "oldest", "offset": "10"},
    {"q": "oil", "sort": "oldest", "offset": "1000"},
    {"q": "oil prices", "limit": "30"},
    {"q": '"crude oil"', "snippets": "3"},
    {"q": "oil NOT opec", "offset": "10"},
    {"q": "headline:oil", "snippets": "2"},
    {"q": "oil~1"},
    {"q": "negotiat*", "sort": "oldest"},
    {"q": "gold OR silver", "limit": "50"},
    {"q": "oil", "from": "1987-03-01", "to": "1987-03-31"},
    {"q": "oil", "on": "1987-04", "sort": "newest"},
    {"from": "1987-03-02", "to": "1987-03-03", "sort": "oldest", "limit": "100"},
    {"from": "1987", "sort": "newest", "offset": "1000", "exact_total": "true"},
    {"q": "said", "offset": "10", "exact_total": "true"},
    {"q": "said"},
    {"q": "cocoa", "snippets": "3"},
    {"q": "ceasefire talks"},
    {"q": "eurobond", "snippets": "3", "limit": "20"},
    {"q": "stock exchange", "sort": "newest"},
]
TRENDS: List[Dict[str, str]] = [
    {"q": "oil", "by": "day", "count": "articles"},
    {"q": "oil", "by": "month", "count": "articles"},
    {"by": "month", "count": "articles"},
    {"q": "eurobond", "by": "day", "count": "articles"},
]
# Parts of an answer that differ by design: the time taken, and which
# shards answered; a hit's story, found within its shard only.
NOT_COMPARED = ("took_ms", "shards")
NOT_COMPARED_IN_HITS = ("story", "similar")


# ---------------------------------------------------------------------------
# What the tests need, or why they skip


def _required(what: str) -> None:
    if os.environ.get("DATELINE_REQUIRE_SHARED") == "1" or os.environ.get("DATELINE_REQUIRE_RAY") == "1":
        pytest.fail(what)
    pytest.skip(what)


def dateline_binary() -> str:
    found = os.environ.get("DATELINE_BIN") or shutil.which("dateline")
    if not found or not os.path.exists(found):
        _required("no dateline binary: set DATELINE_BIN or put dateline on PATH")
    return os.path.abspath(found)


def reuters() -> Path:
    shared = Path(os.environ.get("DATELINE_SHARED") or REPO.parent / "shared")
    corpus = shared / "corpora" / "reuters21578"
    if not corpus.is_dir():
        _required(f"{corpus} is missing (set DATELINE_SHARED)")
    return corpus


# ---------------------------------------------------------------------------
# Running things


def run(argv: List[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL, **kwargs)
    assert (
        done.returncode == 0
    ), f"{' '.join(map(str, argv))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def get_json(url: str, timeout: float = 30.0) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        assert response.status == 200, url
        return json.load(response)


def api(base: str, endpoint: str, params: Dict[str, str]) -> dict:
    query = dict(params)
    if endpoint == "search":
        query["fold"] = "false"
    return get_json(f"{base}api/{endpoint}?{urllib.parse.urlencode(query)}")


@dataclass
class Cluster:
    """The package's command line, on one root."""

    address: str
    dateline: str
    root: Path

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = dict(
            os.environ,
            PYTHONPATH=str(CLUSTER),
            RAY_ADDRESS=self.address,
            DATELINE_BIN=self.dateline,
            RAY_USAGE_STATS_ENABLED="0",
        )
        argv = [sys.executable, "-m", "dateline_cluster", *args, "--root", str(self.root)]
        if check:
            return run(argv, env=env, timeout=300)
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)

    def state(self) -> dict:
        return json.loads((self.root / "cluster.json").read_text())


class Server:
    """`dateline serve` of one index, stopped by its pid."""

    def __init__(self, dateline: str, index: Path):
        self.port = free_ports(1)[0]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [dateline, "serve", "--index", str(index), "--addr", f"127.0.0.1:{self.port}"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        line = self.process.stdout.readline()
        assert line.startswith("dateline: serving"), line

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def article_ids(
    dateline: str, index: Path, params: Optional[Dict[str, str]] = None
) -> Dict[str, Optional[str]]:
    """id → date of every article of an index that matches `params` (the
    API's words and date filters, given to `dateline search`)."""
    params = params or {}
    argv = [dateline, "search", "--index", str(index), "--limit", "all", "--no-fold"]
    argv += ["--format", "jsonl", "--fields", "id,date", "--color", "never"]
    for name in ("from", "to", "on"):
        if name in params:
            argv += [f"--{name}", params[name]]
    if params.get("q"):
        argv += ["--", params["q"]]
    # Exit status 1: nothing found, as grep says it.
    done = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode in (0, 1), f"{' '.join(argv)} exited {done.returncode}: {done.stderr}"
    hits = [json.loads(line) for line in done.stdout.splitlines()]
    return {hit["id"]: hit["date"] for hit in hits}


# ---------------------------------------------------------------------------
# One archive, in shards and whole


@dataclass
class Archive:
    """An archive indexed in two shards by the cluster, and whole."""

    cluster: Cluster
    single: Path
    shards: List[Path]
    node_ids: List[str]
    counts: List[int]
    single_count: int
    # Articles a shard keeps although one index keeps an exact copy of
    # them instead (from the other shard): id → (date, the copy kept)…
    extras: Dict[str, tuple] = field(default_factory=dict)
    # …and by shard.
    extras_by_shard: Dict[Path, Set[str]] = field(default_factory=dict)
    # The ids of each shard's articles.
    ids_by_shard: Dict[Path, Set[str]] = field(default_factory=dict)

    def holding_extras(self) -> List[Path]:
        return [shard for shard in self.shards if self.extras_in(shard)]

    def extras_in(self, shard: Path) -> Set[str]:
        return self.extras_by_shard.get(shard, set())


def build(ray_cluster: LocalRay, dateline: str, root: Path, paths: List[Path]) -> Archive:
    cluster = Cluster(ray_cluster.address, dateline, root)
    cluster.cli("index", *map(str, paths), "--shards", "2")
    state = cluster.state()
    shards = [Path(place["index"]) for place in state["shards"]]
    single = root.parent / (root.name + "-single")
    run([dateline, "index", "--index", str(single), *map(str, paths)])

    ids = [article_ids(dateline, shard) for shard in shards]
    whole = article_ids(dateline, single)
    archive = Archive(
        cluster=cluster,
        single=single,
        shards=shards,
        node_ids=[place["node_id"] for place in state["shards"]],
        counts=[len(shard) for shard in ids],
        single_count=len(whole),
    )
    for shard, shard_ids in zip(shards, ids):
        archive.ids_by_shard[shard] = set(shard_ids)
        extra = set(shard_ids) - set(whole)
        archive.extras_by_shard[shard] = extra
        for article in extra:
            # `show` of an id one index recorded as a copy shows the article kept.
            kept = json.loads(run([dateline, "show", "--index", str(single), "--json", article]).stdout)["id"]
            archive.extras[article] = (shard_ids[article], kept)
    # Each article one index holds is in exactly one shard.
    assert all(sum(article in shard for shard in ids) == 1 for article in whole)
    return archive


@pytest.fixture(scope="module")
def ray_cluster():
    try:
        import ray  # noqa: F401
    except ImportError:
        _required("Ray is not installed: pip install 'ray==2.60.0'")
    cluster = LocalRay(nodes=2, cpus=1).start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def work():
    folder = Path(tempfile.mkdtemp(prefix="dateline-cluster-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def dateline():
    return dateline_binary()


@pytest.fixture(scope="module")
def archive(ray_cluster, dateline, work) -> Archive:
    return build(ray_cluster, dateline, work / "reuters", [reuters(), FIXTURES])


@dataclass
class Served:
    archive: Archive
    coordinator: str
    single: str
    namespace: str


def serve(archive: Archive, dateline: str):
    base = free_range(2)
    (coordinator_port,) = free_ports(1)
    up = archive.cluster.cli(
        "up", "--port", str(base), "--coordinator-port", str(coordinator_port), "--shard-timeout", "2"
    )
    coordinator = f"http://127.0.0.1:{coordinator_port}/"
    assert up.stdout.strip().splitlines()[-1] == f"coordinator  {coordinator}", up.stdout
    single = Server(dateline, archive.single)
    return Served(archive, coordinator, single.url, archive.cluster.state()["namespace"]), single


@pytest.fixture(scope="module")
def served(archive, dateline):
    try:
        served, single = serve(archive, dateline)
    except BaseException:
        archive.cluster.cli("down", check=False)
        raise
    try:
        yield served
    finally:
        single.stop()
        archive.cluster.cli("down", check=False)


# ---------------------------------------------------------------------------
# Comparing answers


@dataclass
class Drift:
    """The largest relative score difference seen."""

    most: float = 0.0
    where: str = ""

    def check(self, single: Optional[float], sharded: Optional[float], tolerance: float, where: str) -> None:
        if single is None or sharded is None:
            assert single == sharded, where
            return
        relative = abs(single - sharded) / max(abs(single), 1e-12)
        if relative > self.most:
            self.most, self.where = relative, where
        assert relative <= tolerance, f"{where}: score {sharded} through the coordinator, {single} alone"


@dataclass
class Drifts:
    """Score differences in answers without and with copies across shards."""

    plain: Drift = field(default_factory=Drift)
    copies: Drift = field(default_factory=Drift)

    def __str__(self) -> str:
        return (
            f"{self.plain.most:.2e} in answers with no copy ({self.plain.where}), "
            f"{self.copies.most:.2e} in those with copies ({self.copies.where or '-'})"
        )


def without(document: dict, keys) -> dict:
    return {key: value for key, value in document.items() if key not in keys}


def comparable_hit(hit: dict) -> dict:
    return without(hit, NOT_COMPARED_IN_HITS + ("score",))


def compare_hits(single: List[dict], sharded: List[dict], drift: Drift, tolerance: float, where: str) -> None:
    """The same hits in the same order, except that hits whose scores tie
    may trade places, and a tie across the end of the page may end it with
    either hit. Scores tie to 1e-6 (a sum of floats taken in another order,
    as block-max WAND takes it in indexes laid out differently, differs in
    its last bits), or to twice the tolerance where copies across shards
    move them. Hits sorted by date must match exactly."""
    single_ids = [hit["id"] for hit in single]
    sharded_ids = [hit["id"] for hit in sharded]
    assert len(sharded_ids) == len(single_ids), where
    for alone, merged in zip(single, sharded):
        drift.check(alone["score"], merged["score"], tolerance, f"{where}: {alone['id']}")
    scores = [hit["score"] for hit in single]
    if single_ids != sharded_ids:
        assert None not in scores, f"{where}: hits by date in another order"
        # (With copies across shards, scores move by up to `tolerance`.)
        near = max(1e-6, 2 * tolerance)
        tie = lambda a, b: abs(a - b) <= near * max(abs(a), 1e-12)
        start = 0
        while start < len(scores):
            end = start + 1
            while end < len(scores) and tie(scores[end], scores[start]):
                end += 1
            if end < len(scores):
                assert set(single_ids[start:end]) == set(sharded_ids[start:end]), where
            start = end
    by_id = {hit["id"]: hit for hit in sharded}
    for alone in single:
        if alone["id"] in by_id:
            assert comparable_hit(by_id[alone["id"]]) == comparable_hit(alone), f"{where}: {alone['id']}"


def top(base: str, params: Dict[str, str], count: int) -> List[dict]:
    """The first `count` hits, a page of 1,000 at most at a time."""
    hits: List[dict] = []
    while len(hits) < count:
        page = api(
            base, "search", {**params, "offset": str(len(hits)), "limit": str(min(1000, count - len(hits)))}
        )
        hits += page["hits"]
        if not page["hits"]:
            break
    return hits


def compare_search(served: Served, params: Dict[str, str], drifts: "Drifts", tolerance: float) -> None:
    archive = served.archive
    where = f"/api/search {params}"
    single = api(served.single, "search", params)
    sharded = api(served.coordinator, "search", params)
    assert sharded["shards"] == {"total": 2, "failed": 0}, where
    matched = _matched_extras(archive, params)
    if not matched:
        compare_hits(single["hits"], sharded["hits"], drifts.plain, tolerance, where)
        assert without(sharded, NOT_COMPARED + ("hits",)) == without(single, NOT_COMPARED + ("hits",)), where
        return
    # Each matching copy is one more hit through the coordinator: the
    # totals differ by them, and the hits less them are one index's.
    if single["total_exact"] and sharded["total_exact"]:
        assert sharded["total"] - single["total"] == len(matched), where
    if params.get("q"):
        # The copies' words are in one more document each: their idf moves.
        tolerance += idf_drift(len(matched), single["total"], archive.single_count)
    count = int(params.get("offset", 0)) + int(params.get("limit", 10))
    unpaged = without(params, ("offset", "limit"))
    alone = top(served.single, unpaged, count)
    merged = [
        hit for hit in top(served.coordinator, unpaged, count + len(matched)) if hit["id"] not in matched
    ]
    compare_hits(
        alone, merged[: len(alone)], drifts.copies, tolerance, where + f" less the copies {sorted(matched)}"
    )


def _matched_extras(archive: Archive, params: Dict[str, str]) -> Set[str]:
    """The copies across shards that match a question. Each is looked for
    among the question's matches on its own day only: few, so quick."""
    matched: Set[str] = set()
    for shard in archive.holding_extras():
        for article in archive.extras_in(shard):
            date = archive.extras[article][0]
            if not _within(date, params):
                continue
            that_day = {name: value for name, value in params.items() if name not in ("from", "to", "on")}
            if article in article_ids(archive.cluster.dateline, shard, {**that_day, "on": date}):
                matched.add(article)
    return matched


def _within(date: str, params: Dict[str, str]) -> bool:
    """Whether a day (YYYY-MM-DD) is within the question's `on`, `from`
    and `to` (each YYYY, YYYY-MM or YYYY-MM-DD, as the mix writes them)."""
    if "on" in params and not date.startswith(params["on"]):
        return False
    if "from" in params and date[: len(params["from"])] < params["from"]:
        return False
    if "to" in params and date[: len(params["to"])] > params["to"]:
        return False
    return True


def period_of(date: str, by: str) -> str:
    return {"day": date, "month": date[:7], "year": date[:4]}[by]


def compare_trend(served: Served, params: Dict[str, str]) -> None:
    where = f"/api/trend {params}"
    single = api(served.single, "trend", params)
    sharded = api(served.coordinator, "trend", params)
    assert sharded["shards"] == {"total": 2, "failed": 0}, where
    matched = _matched_extras(served.archive, params)
    # Take the copies back out of the periods they were counted in.
    counts = {period["period"]: period for period in sharded["periods"]}
    for article in matched:
        counts[period_of(served.archive.extras[article][0], params["by"])]["count"] -= 1
    sharded["total"] -= len(matched)
    assert without(sharded, NOT_COMPARED) == without(single, NOT_COMPARED), where


def compare_everything(served: Served, tolerance: float) -> Drift:
    drifts = Drifts()
    for params in SEARCHES:
        compare_search(served, params, drifts, tolerance)
    for params in TRENDS:
        compare_trend(served, params)
    single = get_json(served.single + "api/stats")
    sharded = get_json(served.coordinator + "api/stats")
    assert sharded["articles"] == single["articles"] + len(served.archive.extras)
    assert sharded["files"] == single["files"]
    # An article from each shard reads the same through the coordinator.
    for shard in served.archive.shards:
        article = sorted(served.archive.ids_by_shard[shard] - served.archive.extras_in(shard))[0]
        path = "api/articles/" + urllib.parse.quote(article, safe="")
        assert without(get_json(served.coordinator + path), NOT_COMPARED) == without(
            get_json(served.single + path), NOT_COMPARED
        ), article
    return drifts


# ---------------------------------------------------------------------------
# The tests


def test_ray_tasks_index_the_shards_on_two_nodes(ray_cluster, archive):
    # One shard on each node, and the record says which.
    assert len(set(archive.node_ids)) == 2, archive.node_ids
    assert set(archive.node_ids) == set(ray_cluster.node_ids())

    # Every article of the archive is in a shard; one in two shards only
    # when its exact copy is in the other.
    assert sum(archive.counts) >= archive.single_count
    assert sum(archive.counts) - archive.single_count == len(archive.extras)
    print(
        f"\nshards {archive.counts}, one index {archive.single_count}, "
        f"copies across shards {sorted(archive.extras)}"
    )
    for article, (_, kept) in archive.extras.items():
        assert kept != article

    # `status --copies` finds the same copies on its own.
    status = json.loads(archive.cluster.cli("status", "--json", "--copies", check=False).stdout)
    assert status["copies"]["extra_articles"] == len(archive.extras)
    listed = {article for group in status["copies"]["examples"] for article in group}
    assert set(archive.extras) <= listed

    # Running the tasks again is safe: nothing new, the same places.
    again = archive.cluster.cli("index", *archive.cluster.state()["paths"], "--shards", "2")
    assert again.stdout.count("indexed 0 articles") == 2, again.stdout
    assert [place["node_id"] for place in archive.cluster.state()["shards"]] == archive.node_ids


def test_the_coordinator_answers_as_one_index(served):
    status = served.archive.cluster.cli("status", "--json")
    report = json.loads(status.stdout)
    assert [shard["articles"] for shard in report["shards"]] == served.archive.counts
    assert all(shard["actor"] == "up" for shard in report["shards"]), report
    assert report["coordinator"]["articles"] == sum(served.archive.counts)

    drifts = compare_everything(served, SCORE_DRIFT_WITH_COPIES)
    print(f"\nlargest score differences, {len(served.archive.extras)} copies across shards: {drifts}")


def test_scores_are_exact_without_copies_across_shards(ray_cluster, dateline, work, archive):
    # The same archive less the files that hold the copies across shards
    # (each copy's file and its twin's): the files keep their ids, and so
    # their shards, under a folder of the same name.
    leave_out = {
        Path(article.split("#")[0]).name
        for pair in archive.extras.items()
        for article in (pair[0], pair[1][1])
    }
    corpus = work / "clean" / "reuters21578"
    corpus.mkdir(parents=True)
    for file in reuters().iterdir():
        if file.name not in leave_out:
            shutil.copy(file, corpus / file.name)
    clean = build(ray_cluster, dateline, work / "clean-cluster", [corpus, FIXTURES])
    assert not clean.extras and sum(clean.counts) == clean.single_count
    try:
        served, single = serve(clean, dateline)
        try:
            drifts = compare_everything(served, SCORE_EXACT)
        finally:
            single.stop()
    finally:
        clean.cluster.cli("down", check=False)
    print(f"\nlargest score differences, no copies across shards: {drifts}")


def test_a_killed_shard_is_reported_then_restarted(served):
    import ray

    ray.init(
        address=served.archive.cluster.address,
        namespace=served.namespace,
        logging_level="ERROR",
        log_to_driver=False,
    )
    try:
        actor = ray.get_actor("shard-1")
        question = {"q": "oil", "limit": "20"}
        # What the other shard alone finds.
        left = article_ids(served.archive.cluster.dateline, served.archive.shards[1], question)

        killed = time.monotonic()
        ray.kill(actor, no_restart=False)
        # Ask until an answer says a shard is missing: every answer comes
        # in time, and a partial one comes within 5 s of the kill.
        while True:
            asked = time.monotonic()
            answer = api(served.coordinator, "search", question)
            assert time.monotonic() - asked < 5, "an answer took 5 s or more"
            if answer["shards"]["failed"]:
                break
            assert time.monotonic() - killed < 5, "no partial answer within 5 s of the kill"
        assert answer["shards"] == {"total": 2, "failed": 1}
        assert answer["total"] == len(left)
        assert {hit["id"] for hit in answer["hits"]} <= set(left)

        # Ray restarts the actor, and its server, at the same address.
        deadline = time.monotonic() + 60
        while answer["shards"]["failed"]:
            assert time.monotonic() < deadline, "the shard did not come back in 60 s"
            time.sleep(0.2)
            answer = api(served.coordinator, "search", question)
        print(f"\nshard 1 back {time.monotonic() - killed:.1f} s after the kill")
    finally:
        ray.shutdown()
    compare_everything(served, SCORE_DRIFT_WITH_COPIES)
