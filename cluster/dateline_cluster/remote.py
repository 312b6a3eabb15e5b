"""What runs on the cluster's nodes: the index task and the server actor.

This module uses the standard library and Ray only, and is sent to the
workers by value (see `connection.connect`), so a node needs Ray and the
`dateline` binary but not this package.
"""

import ctypes
import hashlib
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

import ray

# prctl(2): the signal a process gets when the thread that started it dies.
PR_SET_PDEATHSIG = 1


def _dies_with(parent_pid):
    """A `preexec_fn` that makes the child get SIGTERM when its parent
    dies, however it dies (a kill -9 of a Ray worker runs no Python)."""
    # Loaded before the fork: dlopen in the child of a threaded process
    # may deadlock.
    libc = ctypes.CDLL(None, use_errno=True)

    def preexec():
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        # The parent may have died between fork and prctl.
        if os.getppid() != parent_pid:
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def node_id():
    return ray.get_runtime_context().get_node_id()


class IndexFailed(Exception):
    """`dateline index` exited with an error: retrying cannot help."""


def index_shard(dateline, shard, of, index_dir, paths):
    """Runs `dateline index --shard K/N` on this node. Safe to run again
    after a crash: the index resumes from its last commit and converges."""
    os.makedirs(os.path.dirname(index_dir) or ".", exist_ok=True)
    argv = [dateline, "index", "--color", "never", "--shard", f"{shard}/{of}"]
    argv += ["--index", index_dir, *paths]
    started = time.monotonic()
    try:
        done = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            preexec_fn=_dies_with(os.getpid()),
        )
    except OSError as err:
        raise IndexFailed(f"cannot run {dateline}: {err.strerror}") from None
    if done.returncode != 0:
        said = done.stderr.strip().splitlines()[-3:] or [f"exit status {done.returncode}"]
        raise IndexFailed("; ".join(said))
    warnings = [line for line in done.stderr.splitlines() if line.startswith("dateline: warning")]
    return {
        "shard": shard,
        "node_id": node_id(),
        "index": index_dir,
        "summary": (done.stdout.strip().splitlines() or [""])[-1],
        "warnings": len(warnings),
        "seconds": round(time.monotonic() - started, 2),
    }


# Unicode White_Space, as Rust's `split_whitespace` splits on (Python's
# `str.split` also splits on the ASCII separators \x1c-\x1f).
_WHITE_SPACE = re.compile("[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


def content_digest(headline, body, date):
    """What makes two articles exact copies for dateline (its
    `content_hash`): headline and body with case and runs of white space
    ignored, and the day it ran. The same text is hashed here; the hash
    itself need not be dateline's, only the same for the same text."""
    normal = []
    for text in (headline or "", body or ""):
        for word in _WHITE_SPACE.split(text):
            if word:
                # Character by character, as Rust's `char::to_lowercase`
                # (no final-sigma rule).
                normal.append("".join(c.lower() for c in word) + " ")
        normal.append("\n")
    if date:
        normal.append(date)
    return hashlib.blake2b("".join(normal).encode(), digest_size=12).hexdigest()


def article_digests(dateline, index_dir):
    """(content digest, id) of every article of an index on this node, read
    with `dateline search` (each article's text is read once: minutes for
    millions)."""
    argv = [dateline, "search", "--color", "never", "--index", index_dir]
    argv += ["--limit", "all", "--no-fold", "--format", "jsonl"]
    argv += ["--fields", "id,date,headline,body"]
    digests = []
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            preexec_fn=_dies_with(os.getpid()),
        ) as child,
    ):
        for line in child.stdout:
            hit = json.loads(line)
            digests.append((content_digest(hit["headline"], hit["body"], hit["date"]), hit["id"]))
        child.wait()
        errors.seek(0)
        err = errors.read().decode(errors="replace").strip()
    if child.returncode != 0:
        raise IndexFailed(err or f"dateline search exited with {child.returncode}")
    return digests


def answers(url, timeout=2.0):
    """Whether an HTTP server answers at `url` (any status counts)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
        return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


class Server:
    """A Ray actor that keeps one `dateline serve` process: started in
    `__init__` (which returns once it answers HTTP), stopped with the actor.

    The process is started by a thread that lives as long as it does, with
    PR_SET_PDEATHSIG, so a killed actor takes its server with it. If the
    server dies on its own the actor exits too, and Ray restarts both.
    """

    def __init__(self, argv, url, log_path, patience=60.0):
        self._argv = list(argv)
        self._url = url
        self._log_path = log_path
        self._lock = threading.Lock()
        self._process = None
        self._stopping = False
        self._started_at = time.time()
        self._start(patience)

    def _start(self, patience):
        deadline = time.monotonic() + patience
        while True:
            process = self._spawn()
            while process.poll() is None and time.monotonic() < deadline:
                if answers(self._url + "api/stats"):
                    with self._lock:
                        if process.poll() is None:
                            self._process = process
                            return
                time.sleep(0.1)
            if process.poll() is None:
                self._terminate(process)
                raise RuntimeError(f"{self._url} did not answer in {patience:.0f} s")
            said = self._log_tail()
            # The port of the server this actor had before a restart may
            # not be free yet: try again until the deadline. Anything else
            # is for a person to fix.
            if "in use" not in said or time.monotonic() >= deadline:
                raise RuntimeError(
                    f"`{' '.join(self._argv)}` exited with status {process.returncode}: {said}"
                )
            time.sleep(0.5)

    def _spawn(self):
        spawned = []
        ready = threading.Event()
        thread = threading.Thread(target=self._run, args=(spawned, ready), daemon=True)
        thread.start()
        ready.wait()
        if not spawned:
            raise RuntimeError(f"cannot run {self._argv[0]}: {self._log_tail()}")
        return spawned[0]

    def _run(self, spawned, ready):
        """The thread that starts the server and waits for it."""
        try:
            with open(self._log_path, "ab") as log:
                log.write(f"--- {time.ctime()}: {' '.join(self._argv)}\n".encode())
                log.flush()
                try:
                    process = subprocess.Popen(
                        self._argv,
                        stdin=subprocess.DEVNULL,
                        stdout=log,
                        stderr=log,
                        preexec_fn=_dies_with(os.getpid()),
                    )
                except OSError as err:
                    log.write(f"cannot start: {err}\n".encode())
                    return
                spawned.append(process)
        finally:
            ready.set()
        process.wait()
        with self._lock:
            ours = self._process is process and not self._stopping
        if ours:
            # The server died under a live actor: end the actor, so Ray
            # restarts it (and the server) at the same address.
            os._exit(1)

    def _log_tail(self):
        try:
            with open(self._log_path, "rb") as log:
                lines = log.read().decode(errors="replace").strip().splitlines()
            # What the last run said, not the line that started it.
            return (lines[-1] if lines else "").removeprefix("dateline: ")
        except OSError as err:
            return str(err)

    @staticmethod
    def _terminate(process, patience=10.0):
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(patience)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def info(self):
        """Where this actor and its server are."""
        with self._lock:
            process = self._process
        return {
            "url": self._url,
            "argv": self._argv,
            "node_id": node_id(),
            "actor_pid": os.getpid(),
            "server_pid": process.pid if process else None,
            "serving": process is not None and process.poll() is None,
            "since": self._started_at,
        }

    def stop(self):
        """Stops the server (the actor stays until killed)."""
        with self._lock:
            self._stopping = True
            process = self._process
        if process is not None:
            self._terminate(process)
        return True

    def __ray_shutdown__(self):
        # Ray calls this when the actor exits gracefully.
        self.stop()
