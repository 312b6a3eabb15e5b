"""A real Ray cluster of two nodes on 127.0.0.1, for the tests: started
with `ray start` like any cluster, and stopped by the process ids it
started (never `ray stop`, which would stop every Ray on the machine).

Two nodes on one host need their own ports for everything a node opens
(node manager, object manager, workers, agents, metrics); each `ray start`
runs in a session of its own, so its processes (and the workers they
start) can be found and stopped together.
"""

import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional, Set

# Ports are taken below the kernel's ephemeral range (32768 and up on
# Linux): a port from that range, free when chosen, may be taken by any
# outgoing connection (Ray makes many) before the server binds it.
PORTS = range(20000, 32768)


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("", port))
        except OSError:
            return False
    return True


def free_ports(count: int) -> List[int]:
    """`count` ports nobody listens on now."""
    ports: List[int] = []
    while len(ports) < count:
        port = random.choice(PORTS)
        if port not in ports and _bindable(port):
            ports.append(port)
    return ports


def free_range(length: int) -> int:
    """The first of `length` consecutive free ports (for workers)."""
    for _ in range(1000):
        first = random.randrange(PORTS.start, PORTS.stop - length)
        if all(_bindable(port) for port in range(first, first + length)):
            return first
    raise RuntimeError("no range of free ports")


def ray_executable() -> str:
    beside = os.path.join(os.path.dirname(sys.executable), "ray")
    return beside if os.path.exists(beside) else "ray"


class LocalRay:
    """`nodes` Ray nodes on this host, `cpus` CPUs each."""

    def __init__(self, nodes: int = 2, cpus: int = 1):
        self.nodes = nodes
        self.cpus = cpus
        # Short: Ray's socket paths live below it (108 bytes at most).
        self.temp_dir = tempfile.mkdtemp(prefix="r", dir="/tmp")
        self.address = ""
        self.sessions: List[int] = []
        self.env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
        self.env.pop("RAY_ADDRESS", None)

    def _node_args(self) -> List[str]:
        manager, objects, runtime_env, agent_grpc, agent_http, metrics = free_ports(6)
        workers = free_range(40)
        return [
            "--num-cpus", str(self.cpus),
            "--node-ip-address", "127.0.0.1",
            "--node-manager-port", str(manager),
            "--object-manager-port", str(objects),
            "--runtime-env-agent-port", str(runtime_env),
            "--dashboard-agent-grpc-port", str(agent_grpc),
            "--dashboard-agent-listen-port", str(agent_http),
            "--metrics-export-port", str(metrics),
            "--min-worker-port", str(workers),
            "--max-worker-port", str(workers + 39),
            "--object-store-memory", str(100 * 1024 * 1024),
            "--disable-usage-stats",
        ]  # fmt: skip

    def _ray_start(self, args: List[str]) -> None:
        starter = subprocess.Popen(
            [ray_executable(), "start", *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # A session of its own, whose id is its pid: the processes it
            # leaves behind keep that id, and `stop` finds them by it.
            start_new_session=True,
        )
        self.sessions.append(starter.pid)
        out, _ = starter.communicate(timeout=120)
        if starter.returncode != 0:
            # Whatever it started goes, so that it cannot join later.
            _end(self.processes([starter.pid]))
            raise RuntimeError(f"`ray start {' '.join(args)}` failed: {out[-3000:]}")

    def start(self) -> "LocalRay":
        port, dashboard = free_ports(2)
        self.address = f"127.0.0.1:{port}"
        try:
            self._ray_start(
                ["--head", "--port", str(port), "--include-dashboard=false",
                 "--dashboard-port", str(dashboard), "--temp-dir", self.temp_dir]
                + self._node_args()
            )  # fmt: skip
            for _ in range(self.nodes - 1):
                # A port chosen free may be taken before Ray binds it: try
                # again with others.
                for attempt in range(3):
                    try:
                        self._ray_start(["--address", self.address] + self._node_args())
                        break
                    except RuntimeError:
                        if attempt == 2:
                            raise
            self._wait_for_nodes()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_for_nodes(self, patience: float = 60.0) -> None:
        check = (
            "import ray, sys; ray.init(address=sys.argv[1], logging_level='ERROR');"
            "print(sum(1 for n in ray.nodes() if n['Alive']))"
        )
        deadline = time.monotonic() + patience
        while True:
            out = subprocess.run(
                [sys.executable, "-c", check, self.address],
                env=self.env, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            if out.returncode == 0 and out.stdout.strip() == str(self.nodes):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.nodes} Ray nodes did not come up: {out.stdout}{out.stderr}")
            time.sleep(1)

    def node_ids(self) -> List[str]:
        """The ids of the live nodes, as Ray reports them."""
        check = (
            "import ray, sys; ray.init(address=sys.argv[1], logging_level='ERROR');"
            "print(' '.join(n['NodeID'] for n in ray.nodes() if n['Alive']))"
        )
        out = subprocess.run(
            [sys.executable, "-c", check, self.address],
            env=self.env, capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        return out.stdout.split()

    def processes(self, sessions: Optional[List[int]] = None) -> Set[int]:
        """Every process of this cluster (or of these `ray start` sessions):
        those of the sessions and all their descendants (workers, and the
        servers they run)."""
        sessions = self.sessions if sessions is None else sessions
        table = _process_table()
        found = {pid for pid, (_, session) in table.items() if session in sessions}
        children: Dict[int, List[int]] = {}
        for pid, (parent, _) in table.items():
            children.setdefault(parent, []).append(pid)
        stack = list(found)
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found

    def stop(self) -> None:
        """Ends every process of this cluster, and removes its folder."""
        _end(self.processes())
        subprocess.run(["rm", "-rf", self.temp_dir], check=False)


def _end(targets: Set[int], patience: float = 5.0) -> None:
    """SIGTERM to these processes, then SIGKILL to those left."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in targets:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            targets = {pid for pid in targets if _alive(pid)}
            if not targets:
                return
            time.sleep(0.2)


def _process_table() -> Dict[int, tuple]:
    """pid → (parent pid, session id), from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as file:
                stat = file.read().decode(errors="replace")
        except OSError:
            continue
        # The command name (field 2) may hold spaces: split after its ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry)] = (int(fields[1]), int(fields[3]))
    return table


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            stat = file.read().decode(errors="replace")
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"
