"""Joining the Ray cluster, and what it says about its nodes."""

import logging
from typing import Dict, List

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from . import remote


class ConnectError(Exception):
    """No Ray cluster at the address."""


def connect(address: str, namespace: str) -> None:
    """Joins the Ray cluster at `address` as a driver in `namespace`."""
    # The code run on the nodes goes with each task by value: the nodes need
    # Ray and dateline, not this package.
    ray.cloudpickle.register_pickle_by_value(remote)
    try:
        ray.init(
            address=address,
            namespace=namespace,
            log_to_driver=False,
            logging_level=logging.WARNING,
            configure_logging=True,
        )
    except ConnectionError as err:
        raise ConnectError(f"no Ray cluster at {address!r} ({err}); start one with `ray start`") from None


def alive_nodes() -> List[str]:
    """The ids of the nodes alive now, in a stable order."""
    return sorted(node["NodeID"] for node in ray.nodes() if node["Alive"])


def node_addresses() -> Dict[str, str]:
    """Node id → its IP address, for every node Ray knows, alive or not."""
    return {node["NodeID"]: node["NodeManagerAddress"] for node in ray.nodes()}


def pinned_to(node_id: str) -> NodeAffinitySchedulingStrategy:
    """Runs only on that node: a shard's index lives on its disk."""
    return NodeAffinitySchedulingStrategy(node_id=node_id, soft=False)


def this_node() -> str:
    return ray.get_runtime_context().get_node_id()


def reason_of(err: Exception) -> str:
    """The sentence inside a Ray error: the last line of the task's own
    exception (a creation error carries a whole traceback)."""
    text = str(getattr(err, "cause", None) or err).strip()
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else type(err).__name__
