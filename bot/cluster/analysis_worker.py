"""The text analysis worker: a child interpreter that profiles a big batch ahead of the clusterer.

`analysis.Analysis` decides what to send and when (chunks, checkpoints, the inline fallback); this
module is the process itself and the wire between the two: starting and stopping the child,
pickled messages in, length-prefixed marshal frames out, the hang watchdog, and the child's serve
loop. Apart from `analysis.py` so the batching logic reads without the pipe plumbing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import marshal
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
import weakref
from operator import attrgetter
from pathlib import Path
from typing import IO, Any

try:
    import fcntl  # POSIX only: widens the reply pipe (see `_deepen`)
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

import bot
from bot.cluster.features import TermStats
from bot.cluster.profile import Profile
from bot.cluster.settings import ClusterSettings

log = logging.getLogger(__name__)

PIPE_BYTES = 1 << 20  # reply pipe size asked for: ~12 chunks' replies (Linux's default is 64 KiB)

# A chunk takes the worker tens of milliseconds. One that has not answered (or taken a message)
# in this long is hung, not slow: it is killed, and the batch finishes inline from there.
PIPE_TIMEOUT = 60.0

# A reply frame's header: a mark, then the marshal data's length in bytes, little-endian. The
# mark makes stray bytes on the pipe (whatever reached the worker's stdout) a garbled reply, not
# a length of exabytes to allocate; no real reply comes near the cap.
_FRAME_MARK = b"ndw\x01"
_FRAME_HEAD = len(_FRAME_MARK) + 8
_MAX_FRAME = 1 << 30
_MARSHAL_VERSION = 4  # shares repeated strings within a reply (as pickle's memo did)
# What the child interpreter runs.
_WORKER_MAIN = "from bot.cluster.analysis_worker import serve; serve()"


def load_stats(stats: TermStats, snapshot: bytes) -> None:
    stats.set_counts(pickle.loads(snapshot))


def dump_stats(stats: TermStats) -> bytes:
    # Not the background table: both sides rebuild it from the shipped blob.
    return pickle.dumps(stats.counts(), protocol=pickle.HIGHEST_PROTOCOL)


# Profile fields in declaration order: what crosses the pipe and what `Profile(*fields)` expects.
_PROFILE_FIELDS = tuple(f.name for f in dataclasses.fields(Profile))


class Worker:
    """A child interpreter with its own replica of the IDF statistics, spoken to over its stdin
    (pickles) and stdout (marshal frames, see `_reply`). A plain child interpreter rather than
    multiprocessing: spawn would re-import the caller's main module, and fork is unsafe in the
    bot's threaded process."""

    def __init__(self, settings: ClusterSettings, stats: TermStats) -> None:
        root = str(Path(bot.__file__).resolve().parent.parent)  # this checkout, not another
        # No empty entry: it would put the working directory ahead of the standard library.
        paths = [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER_MAIN],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
            # Its own session: a Ctrl-C in the bot's terminal is the bot's to handle, not the
            # worker's (which would die mid-reply and print a traceback).
            start_new_session=True,
        )
        self._in, self._out = self._proc.stdin, self._proc.stdout
        # A pipe call that blocks past its deadline means a hung worker: the watchdog kills it,
        # which ends the call with an EOF or a broken pipe (the batch's failure path). The
        # watchdog holds the process, not `self`, so the finalizer below still runs.
        self._deadline = _Deadline()
        self._done = threading.Event()
        threading.Thread(
            target=_watch, args=(self._proc, self._deadline, self._done), daemon=True
        ).start()
        _deepen(self._out)
        # Registered before the first message: a child that can't take it is still reaped.
        self._finalizer = weakref.finalize(self, _stop, self._proc, self._done)
        # The background table is rebuilt from the shipped blob over there, not pickled across.
        self.send(("init", (settings, dump_stats(stats))))

    def send(self, msg: tuple[str, Any]) -> None:
        assert self._in is not None
        self._deadline.at = time.monotonic() + PIPE_TIMEOUT
        try:
            pickle.dump(msg, self._in, protocol=pickle.HIGHEST_PROTOCOL)
            self._in.flush()
        finally:
            self._deadline.at = None

    def recv(self) -> Any:
        assert self._out is not None
        self._deadline.at = time.monotonic() + PIPE_TIMEOUT
        try:
            head = self._out.read(_FRAME_HEAD)
            if len(head) < _FRAME_HEAD:
                raise EOFError("the text analysis worker's reply was cut short")
            if not head.startswith(_FRAME_MARK):
                raise EOFError("the text analysis worker's reply is garbled (no frame mark)")
            size = int.from_bytes(head[len(_FRAME_MARK) :], "little")
            if size > _MAX_FRAME:
                raise EOFError(f"the text analysis worker's reply claims {size} bytes")
            body = self._out.read(size)
            if len(body) < size:
                raise EOFError("the text analysis worker's reply was cut short")
            try:
                return marshal.loads(body)
            except (ValueError, TypeError) as exc:  # not marshal data: as broken as a cut reply
                raise EOFError(f"the text analysis worker's reply is garbled: {exc}") from exc
        finally:
            self._deadline.at = None

    def close(self, *, kill: bool = False) -> None:
        if kill and self._finalizer.alive:
            self._proc.kill()
        self._finalizer()


def _deepen(pipe: IO[bytes] | None) -> None:
    """Widen the reply pipe to `PIPE_BYTES` where the system allows it: with the default 64 KiB
    (less than one chunk's reply) the worker blocks after each reply until it is read, and can't
    run ahead at all. Elsewhere, or above the system's limit, the default still works, slower."""
    setsize = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if pipe is None or setsize is None:
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(pipe.fileno(), setsize, PIPE_BYTES)


class _Deadline:
    """When the pipe call in progress must have finished (monotonic seconds), None between calls."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at: float | None = None


def _watch(proc: subprocess.Popen[bytes], deadline: _Deadline, done: threading.Event) -> None:
    while not done.wait(min(1.0, PIPE_TIMEOUT / 4)):
        at = deadline.at
        if at is not None and time.monotonic() > at:
            log.warning("text analysis worker hung for %.0f s; stopping it", PIPE_TIMEOUT)
            proc.kill()
            return


def _stop(proc: subprocess.Popen[bytes], done: threading.Event) -> None:
    done.set()
    try:
        if proc.stdin is not None:
            proc.stdin.close()  # end of input: the worker exits
        proc.wait(timeout=5.0)
    except (OSError, subprocess.TimeoutExpired):
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def serve() -> None:
    """The child's main loop. `analysis` is imported here, not above: it imports this module, and
    only the child needs its profiling."""
    from bot.cluster import analysis

    # Replies go out on a copy of the pipe, and file descriptor 1 becomes stderr: a stray print,
    # or a write to fd 1 from C code or a child process, must not corrupt the reply stream.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def read() -> None:
        # Reading on a thread: the parent may write its next chunks while we write a result,
        # and two full pipes waiting on each other would deadlock.
        while True:
            try:
                inbox.put(pickle.load(sys.stdin.buffer))
            except BaseException:  # end of input, or a message cut short: either way, stop
                inbox.put(None)
                return

    threading.Thread(target=read, daemon=True).start()
    settings: ClusterSettings | None = None
    stats: TermStats | None = None
    fields = attrgetter(*_PROFILE_FIELDS)
    while (msg := inbox.get()) is not None:
        kind, body = msg
        if kind == "init":
            settings, snapshot = body
            stats = analysis.new_stats(settings)
            load_stats(stats, snapshot)
            continue
        assert settings is not None and stats is not None
        if kind == "stats":
            reply: Any = dump_stats(stats)
        elif kind == "weigh":  # a restart's articles, counted already (`Analysis.reweighed`)
            reply = [
                fields(analysis.reweigh(title, text, packed, stats, settings))
                for title, text, packed in body
            ]
        else:
            texts, checkpoint = body
            profiles = []
            for title, text in texts:
                p = analysis._profile(title, text, stats, settings)
                # Fields as a tuple (marshal takes no dataclass), rebuilt in order.
                profiles.append(fields(p))
            reply = (profiles, dump_stats(stats) if checkpoint else None)
        _reply(out, reply)


def _reply(out: IO[bytes], reply: Any) -> None:
    """One reply as a frame: its length, then its marshal data. Replies are plain containers of
    strings, floats and bytes, which `marshal` reads back 5-15% faster than `pickle` (the
    deciding process loads every profile); both ends are the same interpreter, as marshal needs.
    A field of another type would stop the worker here, and the batch finish inline."""
    body = marshal.dumps(reply, _MARSHAL_VERSION)
    out.write(_FRAME_MARK + len(body).to_bytes(_FRAME_HEAD - len(_FRAME_MARK), "little"))
    out.write(body)
    out.flush()
