"""`status`: which shard is where, whether it answers, how many articles;
the coordinator; and, on request, the exact copies that landed in more
than one shard."""

import json
import os
import urllib.error
import urllib.request
from collections import defaultdict
from typing import Optional

import ray

from . import remote, state
from .connection import connect, pinned_to, reason_of

# How long a server or an actor may take to answer before it counts as down.
PATIENCE = 5.0

digest_task = ray.remote(num_cpus=0, max_retries=3, retry_exceptions=False)(remote.article_digests)


def fetch_json(url: str, timeout: float = PATIENCE) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


def _actor_state(name: str) -> str:
    """up (its server runs), restarting (Ray is bringing it back), or not
    running."""
    try:
        actor = ray.get_actor(name)
    except ValueError:
        return "not running"
    try:
        info = ray.get(actor.info.options(max_task_retries=0).remote(), timeout=PATIENCE)
    except ray.exceptions.GetTimeoutError:
        return "restarting"
    except ray.exceptions.RayError:
        return "dead"
    return "up" if info["serving"] else "stopped"


def _stats(url: str) -> dict:
    """The server's /api/stats, or what went wrong."""
    if not url:
        return {"error": "never started (run `up`)"}
    try:
        return fetch_json(url + "api/stats")
    except urllib.error.HTTPError as err:
        return {"error": f"HTTP {err.code}"}
    except (OSError, ValueError) as err:
        reason = getattr(err, "reason", None) or err
        return {"error": getattr(reason, "strerror", None) or str(reason)}


def status(root: str, address: str, dateline: str, copies: bool = False) -> dict:
    cluster = state.load(os.path.abspath(root))
    connect(address, cluster.namespace)
    alive = {node["NodeID"] for node in ray.nodes() if node["Alive"]}
    report = {"root": cluster.root, "namespace": cluster.namespace, "shards": []}
    for place in cluster.shards:
        stats = _stats(place.url)
        report["shards"].append(
            {
                "shard": f"{place.shard}/{place.of}",
                "node_id": place.node_id,
                "node_alive": place.node_id in alive,
                "index": place.index,
                "url": place.url or None,
                "actor": _actor_state(place.name),
                "answers": "error" not in stats,
                "articles": stats.get("articles"),
                "error": stats.get("error"),
            }
        )
    coordinator = cluster.coordinator
    if coordinator is not None:
        stats = _stats(coordinator.url)
        report["coordinator"] = {
            "node_id": coordinator.node_id,
            "node_alive": coordinator.node_id in alive,
            "url": coordinator.url,
            "actor": _actor_state("coordinator"),
            "answers": "error" not in stats,
            "articles": stats.get("articles"),
            "shards": stats.get("shards"),
            "error": stats.get("error"),
        }
    else:
        report["coordinator"] = None
    if copies:
        report["copies"] = cross_shard_copies(cluster, dateline)
    return report


def cross_shard_copies(cluster: state.ClusterState, dateline: str, examples: int = 10) -> dict:
    """Exact copies (dateline's sense: the same headline and body, case and
    white space aside, the same day) indexed in more than one shard: each
    shard dedups only its own. Reads every article of every shard, on its
    node."""
    tasks = [
        digest_task.options(scheduling_strategy=pinned_to(place.node_id)).remote(dateline, place.index)
        for place in cluster.shards
    ]
    holders = defaultdict(list)
    errors = []
    for place, task in zip(cluster.shards, tasks):
        try:
            digests = ray.get(task)
        except ray.exceptions.RayError as err:
            errors.append(f"shard {place.shard}/{place.of}: {reason_of(err)}")
            continue
        for digest, article in digests:
            holders[digest].append(article)
    if errors:
        return {"error": "; ".join(errors)}
    crossing = [ids for ids in holders.values() if len(ids) > 1]
    return {
        # Articles indexed once more than they would be in one index.
        "extra_articles": sum(len(ids) - 1 for ids in crossing),
        "examples": sorted(sorted(ids) for ids in crossing)[:examples],
    }


def render(report: dict) -> str:
    """The human report."""
    lines = []
    for shard in report["shards"]:
        where = f"node {shard['node_id'][:12]}" + ("" if shard["node_alive"] else " (gone)")
        if shard["answers"]:
            said = f"{shard['articles']} articles"
        else:
            said = f"not answering: {shard['error']}"
        lines.append(f"shard {shard['shard']}  {where}  {shard['actor']:<11}  {shard['url'] or '-'}  {said}")
    coordinator: Optional[dict] = report.get("coordinator")
    if coordinator is None:
        lines.append("coordinator  never started (run `up`)")
    else:
        if coordinator["answers"]:
            said = f"{coordinator['articles']} articles"
            shards = coordinator.get("shards")
            if shards:
                said += f" from {shards['total'] - shards['failed']} of {shards['total']} shards"
        else:
            said = f"not answering: {coordinator['error']}"
        lines.append(
            f"coordinator  node {coordinator['node_id'][:12]}  {coordinator['actor']:<11}  "
            f"{coordinator['url']}  {said}"
        )
    copies = report.get("copies")
    if copies is not None:
        if "error" in copies:
            lines.append(f"copies across shards: not counted ({copies['error']})")
        else:
            lines.append(
                f"copies across shards: {copies['extra_articles']} articles are exact copies "
                "of one in another shard, and counted again"
            )
            for ids in copies["examples"]:
                lines.append("  " + "  =  ".join(ids))
    return "\n".join(lines)


def healthy(report: dict) -> bool:
    """Every shard and the coordinator answer."""
    coordinator = report.get("coordinator")
    return (
        all(shard["answers"] for shard in report["shards"])
        and coordinator is not None
        and coordinator["answers"]
    )
