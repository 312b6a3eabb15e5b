"""`index`: one Ray task per shard, each on the node that keeps the shard."""

import os
from typing import Dict, List, Optional

import ray

from . import remote, state
from .connection import alive_nodes, connect, pinned_to, reason_of
from .state import ClusterState, ShardPlace, StateError

# A task whose worker or node dies is run again: `dateline index` resumes
# from its last commit, so a second run converges on the same index. An
# error of dateline's own (a missing folder) is not retried.
index_task = ray.remote(num_cpus=1, max_retries=3, retry_exceptions=False)(remote.index_shard)


class ShardsFailed(Exception):
    """Some shards could not be indexed; the others were."""


def place(shards: int, recorded: Optional[ClusterState], alive: List[str]) -> List[str]:
    """The node of each shard (1..N, in order): the one recorded, while it
    lives; else the live node holding the fewest shards, so a new cluster
    gets them round-robin and a lost node's shards spread over the rest."""
    if not alive:
        raise StateError("the Ray cluster has no live node with a CPU to index on")
    held: Dict[str, int] = {node: 0 for node in alive}
    chosen: List[Optional[str]] = [None] * shards
    if recorded is not None:
        for shard in recorded.shards:
            if shard.node_id in held:
                chosen[shard.shard - 1] = shard.node_id
                held[shard.node_id] += 1
    for k in range(shards):
        if chosen[k] is None:
            node = min(alive, key=lambda node: (held[node], alive.index(node)))
            chosen[k] = node
            held[node] += 1
    return [node for node in chosen if node is not None]


def index(paths: List[str], shards: int, root: str, address: str, dateline: str) -> ClusterState:
    """Indexes `paths` into `shards` shards under `root`, a task per shard
    on its node; records where each is. Prints a line per shard."""
    root = os.path.abspath(root)
    # Workers do not start in this folder: every path goes absolute.
    paths = [os.path.abspath(path) for path in paths]
    recorded = None
    if os.path.exists(state.path_of(root)):
        recorded = state.load(root)
        if len(recorded.shards) != shards:
            raise StateError(
                f"{root} holds {len(recorded.shards)} shards: index it with "
                f"--shards {len(recorded.shards)}, or into another --root"
            )
    namespace = recorded.namespace if recorded else state.namespace_of(root)
    connect(address, namespace)
    cpu_nodes = [
        node["NodeID"]
        for node in ray.nodes()
        if node["Alive"] and node.get("Resources", {}).get("CPU", 0) >= 1
    ]
    nodes = place(shards, recorded, [node for node in alive_nodes() if node in cpu_nodes])

    places = []
    for k, node in enumerate(nodes, start=1):
        before = recorded.shards[k - 1] if recorded else None
        places.append(
            ShardPlace(
                shard=k,
                of=shards,
                node_id=node,
                index=os.path.join(root, f"shard-{k}"),
                port=before.port if before else state.SHARD_PORT + k - 1,
            )
        )
    tasks = [
        index_task.options(scheduling_strategy=pinned_to(p.node_id), name=f"index {p.name}").remote(
            dateline, p.shard, p.of, p.index, paths
        )
        for p in places
    ]
    failed = []
    for shard, task in zip(places, tasks):
        try:
            done = ray.get(task)
        except ray.exceptions.RayError as err:
            reason = reason_of(err)
            shard.summary = f"failed: {reason}"
            failed.append(f"shard {shard.shard}/{shard.of}: {reason}")
            print(f"shard {shard.shard}/{shard.of}  node {shard.node_id}  FAILED: {reason}", flush=True)
            continue
        # The task ran where it was pinned: the record says so only if true.
        shard.node_id = done["node_id"]
        shard.summary = done["summary"]
        print(f"shard {shard.shard}/{shard.of}  node {shard.node_id}  {done['summary']}", flush=True)

    result = ClusterState(
        root=root,
        namespace=namespace,
        paths=paths,
        shards=places,
        host=recorded.host if recorded else "127.0.0.1",
        coordinator=recorded.coordinator if recorded else None,
    )
    state.save(result)
    print(f"placement recorded in {state.path_of(root)}")
    if failed:
        raise ShardsFailed("; ".join(failed))
    return result
