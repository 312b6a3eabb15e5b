"""The cluster's state file, `ROOT/cluster.json`: which shard is on which
node, in which folder, at which port; and where the coordinator is.

`index` writes it, `up` adds the addresses, `status` and `down` read it.
"""

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from typing import List, Optional

STATE_FILE = "cluster.json"
VERSION = 1

# The coordinator answers at dateline's usual port; shard K at SHARD_PORT + K - 1.
COORDINATOR_PORT = 7700
SHARD_PORT = 7701


class StateError(Exception):
    """The state file is missing, damaged or does not fit the request."""


@dataclass
class ShardPlace:
    """Shard `shard` of `of`: the node that holds its index, and where it
    is served."""

    shard: int
    of: int
    node_id: str
    index: str
    port: int
    summary: str = ""
    # Where `up` serves it (empty until then).
    url: str = ""

    @property
    def name(self) -> str:
        """The name of its Ray actor."""
        return f"shard-{self.shard}"


@dataclass
class CoordinatorPlace:
    node_id: str
    port: int
    url: str

    name = "coordinator"


@dataclass
class ClusterState:
    root: str
    namespace: str
    paths: List[str]
    shards: List[ShardPlace]
    # What the servers listen on: an address, or "node" for each node's own.
    host: str = "127.0.0.1"
    coordinator: Optional[CoordinatorPlace] = None
    version: int = VERSION

    def to_json(self) -> dict:
        return asdict(self)


def namespace_of(root: str) -> str:
    """The Ray namespace of a cluster: one per root folder, so two
    clusters (two roots) can run on one Ray cluster."""
    digest = hashlib.sha256(os.path.realpath(root).encode()).hexdigest()
    return f"dateline-{digest[:12]}"


def path_of(root: str) -> str:
    return os.path.join(root, STATE_FILE)


def load(root: str) -> ClusterState:
    path = path_of(root)
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
    except FileNotFoundError:
        raise StateError(
            f"{path} does not exist: run `python -m dateline_cluster index PATH… "
            f"--shards N --root {root}` first"
        ) from None
    except (OSError, ValueError) as err:
        raise StateError(f"{path}: {err}") from None
    if data.get("version") != VERSION:
        raise StateError(f"{path} is of version {data.get('version')}, not {VERSION}")
    try:
        coordinator = data.pop("coordinator", None)
        shards = [ShardPlace(**place) for place in data.pop("shards")]
        return ClusterState(
            shards=shards,
            coordinator=CoordinatorPlace(**coordinator) if coordinator else None,
            **data,
        )
    except (KeyError, TypeError) as err:
        raise StateError(f"{path} is damaged ({err}); run `index` again") from None


def save(state: ClusterState) -> None:
    """Writes the state file whole or not at all."""
    os.makedirs(state.root, exist_ok=True)
    path = path_of(state.root)
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as file:
        json.dump(state.to_json(), file, indent=2)
        file.write("\n")
    os.replace(temporary, path)
