"""`up` and `down`: the shard servers and the coordinator as Ray actors.

Each server is a detached, named actor (`shard-K`, `coordinator`, in the
root's own namespace) pinned to its node, that keeps one `dateline serve`
process at a fixed address: when Ray restarts a dead actor, its server
comes back at the same URL, and the coordinator finds it there again.
"""

import ipaddress
import os
import time
from typing import List, Optional

import ray

from . import remote, state
from .connection import connect, node_addresses, pinned_to, reason_of, this_node
from .state import ClusterState, CoordinatorPlace, StateError

server_actor = ray.remote(remote.Server)

# How long a server may take to answer HTTP after it is started.
PATIENCE = 60.0


class UpFailed(Exception):
    """A server did not start; the others may have."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def up(
    root: str,
    address: str,
    dateline: str,
    port: Optional[int] = None,
    coordinator_port: Optional[int] = None,
    host: str = "127.0.0.1",
    public: bool = False,
    shard_timeout: Optional[float] = None,
) -> ClusterState:
    """Starts the shard servers (each on the node holding its shard), then
    the coordinator on this node; returns once all answer HTTP."""
    cluster = state.load(os.path.abspath(root))
    connect(address, cluster.namespace)
    nodes = node_addresses()
    alive = {node["NodeID"] for node in ray.nodes() if node["Alive"]}

    def listen_on(node_id: str) -> str:
        address = nodes[node_id] if host == "node" else host
        if not is_loopback(address) and not public:
            raise StateError(
                f"serving on {address} lets anyone who can reach it read the archive: "
                "add --public to mean it (the servers take no token yet)"
            )
        return address

    for place in cluster.shards:
        if place.node_id not in alive:
            raise StateError(
                f"shard {place.shard}/{place.of} is on node {place.node_id}, which is gone: "
                "run `index` again to rebuild it on a live node"
            )
        if port is not None:
            place.port = port + place.shard - 1
        place.url = f"http://{listen_on(place.node_id)}:{place.port}/"
    cluster.host = host

    # The shards first, all at once; the coordinator needs their addresses.
    handles = []
    for place in cluster.shards:
        argv = [dateline, "serve", "--index", place.index, "--addr", _addr(place.url)]
        if public:
            argv.append("--public")
        handles.append(_start(place.name, place.node_id, argv, place.url, place.index + ".serve.log"))
    failed = _wait([place.name for place in cluster.shards], handles)

    here = this_node()
    if cluster.coordinator is not None and coordinator_port is None:
        coordinator_port = cluster.coordinator.port
    coordinator_port = coordinator_port or state.COORDINATOR_PORT
    url = f"http://{listen_on(here)}:{coordinator_port}/"
    cluster.coordinator = CoordinatorPlace(node_id=here, port=coordinator_port, url=url)
    state.save(cluster)
    if failed:
        raise UpFailed("; ".join(failed) + " (`down` stops the rest)")

    argv = [dateline, "serve", "--shards", ",".join(p.url for p in cluster.shards)]
    argv += ["--addr", _addr(url)]
    if shard_timeout is not None:
        argv += ["--shard-timeout", f"{shard_timeout:g}"]
    if public:
        argv.append("--public")
    log = os.path.join(cluster.root, "coordinator.serve.log")
    failed = _wait(["coordinator"], [_start("coordinator", here, argv, url, log)])
    if failed:
        raise UpFailed("; ".join(failed) + " (`down` stops the rest)")
    return cluster


def _addr(url: str) -> str:
    return url.split("//", 1)[1].rstrip("/")


def _start(name: str, node_id: str, argv: List[str], url: str, log: str):
    """The actor `name`: the one running already if it serves `url` with
    the same command, else a new one."""
    try:
        actor = ray.get_actor(name)
    except ValueError:
        actor = None
    if actor is not None:
        try:
            info = ray.get(actor.info.remote(), timeout=PATIENCE)
        except (ray.exceptions.RayError, ray.exceptions.GetTimeoutError):
            info = None
        if info is not None and info["url"] == url and info.get("argv") == argv:
            return actor
        # Another command or address (a new --port, say): replace it.
        _stop(name, actor)
    return server_actor.options(
        name=name,
        lifetime="detached",
        # Ray restarts a dead server actor however often it dies, and
        # retries the calls made while it was down.
        max_restarts=-1,
        max_task_retries=3,
        num_cpus=0,
        scheduling_strategy=pinned_to(node_id),
    ).remote(argv, url, log, PATIENCE)


def _wait(names: List[str], handles) -> List[str]:
    """Waits until each actor has started its server; says which did not."""
    failed = []
    for name, actor in zip(names, handles):
        try:
            ray.get(actor.info.options(max_task_retries=0).remote(), timeout=PATIENCE + 30)
        except ray.exceptions.GetTimeoutError:
            failed.append(f"{name} did not start in {PATIENCE + 30:.0f} s")
        except ray.exceptions.RayError as err:
            failed.append(f"{name} did not start: {reason_of(err)}")
    return failed


def _stop(name: str, actor) -> None:
    """Stops the server cleanly if the actor answers, then ends the actor
    for good (no restart)."""
    try:
        ray.get(actor.stop.remote(), timeout=20)
    except (ray.exceptions.RayError, ray.exceptions.GetTimeoutError):
        pass
    ray.kill(actor, no_restart=True)
    # The name is free a moment after the kill: wait, so that a new actor
    # may take it.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            ray.get_actor(name)
        except ValueError:
            return
        time.sleep(0.2)


def down(root: str, address: str) -> List[str]:
    """Stops the coordinator and the shard servers; says what it did.
    Stopping what is not running is not an error."""
    cluster = state.load(os.path.abspath(root))
    connect(address, cluster.namespace)
    said = []
    for name in ["coordinator"] + [place.name for place in cluster.shards]:
        try:
            actor = ray.get_actor(name)
        except ValueError:
            said.append(f"{name}: not running")
            continue
        _stop(name, actor)
        said.append(f"{name}: stopped")
    return said
