"""The command line: `python -m dateline_cluster index|up|down|status`.

Exit status: 0 done (for `status`: everything answers), 1 for `status`
when a shard or the coordinator does not answer, 2 an error.
"""

import argparse
import json
import os
import shutil
import sys
from typing import List, Optional

PROG = "dateline_cluster"

EPILOG = """\
examples:
  python -m dateline_cluster index ~/news --shards 2 --root /srv/dateline
  python -m dateline_cluster up --root /srv/dateline
  python -m dateline_cluster status --root /srv/dateline
  python -m dateline_cluster down --root /srv/dateline

The Ray cluster is the one at --address (or $RAY_ADDRESS); the dateline binary
is --dateline (or $DATELINE_BIN, else `dateline` on PATH), at the same path on
every node. Each shard's index is ROOT/shard-K on the node that holds it;
ROOT/cluster.json, on this machine, records which node that is.
"""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog=PROG,
        description="Index an archive in shards on a Ray cluster, serve them, and answer as one.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.add_argument("--root", required=True, metavar="DIR", help="The cluster's folder (on every node)")
        sub.add_argument(
            "--address",
            default=os.environ.get("RAY_ADDRESS", "auto"),
            help="The Ray cluster: HOST:PORT of its head (default: $RAY_ADDRESS, else auto)",
        )
        sub.add_argument(
            "--dateline",
            default=os.environ.get("DATELINE_BIN", "dateline"),
            metavar="PATH",
            help="The dateline binary (default: $DATELINE_BIN, else dateline on PATH)",
        )
        return sub

    index = command("index", "Index PATHs into N shards: a Ray task per shard, on the node that keeps it")
    index.add_argument(
        "paths", nargs="+", metavar="PATH", help="Folders and files, readable at the same path on every node"
    )
    index.add_argument("--shards", type=positive, required=True, metavar="N", help="How many shards")

    up = command("up", "Serve each shard on its node and start the coordinator; print its address")
    up.add_argument(
        "--port",
        type=port_number,
        metavar="BASE",
        help="Shard K listens on BASE+K-1 (default: 7701+K-1, or as before)",
    )
    up.add_argument(
        "--coordinator-port",
        type=port_number,
        metavar="P",
        help="The coordinator's port (default 7700, or as before)",
    )
    up.add_argument(
        "--host",
        default="127.0.0.1",
        help="The address servers listen on (default 127.0.0.1: one machine); "
        "`node` for each node's own, with --public",
    )
    up.add_argument(
        "--public", action="store_true", help="Allow listening on an address others can reach (no token)"
    )
    up.add_argument(
        "--shard-timeout", type=float, metavar="SECONDS", help="How long the coordinator waits for a shard"
    )

    command("down", "Stop the coordinator and the shard servers (stopping what is not running is fine)")

    status = command("status", "Which shard is where, whether it answers, and how many articles it holds")
    status.add_argument("--json", action="store_true", help="Print one JSON document")
    status.add_argument(
        "--copies",
        action="store_true",
        help="Also count exact copies indexed in more than one shard (reads every article once)",
    )
    return top


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number from 1")
    return value


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port (1 to 65535)")
    return value


def dateline_binary(given: str) -> str:
    """An absolute path when the binary is found here: workers do not share
    this shell's PATH or folder."""
    if os.sep in given:
        return os.path.abspath(given)
    return shutil.which(given) or given


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    # Imported here: `--help` should not wait for Ray to load.
    from . import indexing, serving, status
    from .connection import ConnectError
    from .state import StateError

    dateline = dateline_binary(args.dateline)
    try:
        if args.command == "index":
            indexing.index(args.paths, args.shards, args.root, args.address, dateline)
        elif args.command == "up":
            cluster = serving.up(
                args.root,
                args.address,
                dateline,
                port=args.port,
                coordinator_port=args.coordinator_port,
                host=args.host,
                public=args.public,
                shard_timeout=args.shard_timeout,
            )
            for place in cluster.shards:
                print(f"shard {place.shard}/{place.of}  node {place.node_id}  {place.url}")
            print(f"coordinator  {cluster.coordinator.url}")
        elif args.command == "down":
            for line in serving.down(args.root, args.address):
                print(line)
        elif args.command == "status":
            report = status.status(args.root, args.address, dateline, copies=args.copies)
            if args.json:
                print(json.dumps(report, indent=2))
            else:
                print(status.render(report))
            return 0 if status.healthy(report) else 1
    except (StateError, ConnectError, indexing.ShardsFailed, serving.UpFailed) as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
