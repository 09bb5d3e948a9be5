"""Article text analysis for the online clusterer, inline or ahead of time in a worker process.

Turning an article into its weighed profile (tokenising, stemming, entity runs, IDF weighing) is
about half of the clusterer's cost, and it does not depend on any clustering decision: only on the
articles seen before, in order, through the IDF statistics. So for a big batch a worker process
keeps a replica of those statistics and analyses the upcoming articles while the main process
decides on the current ones: the same profiles in the same order, on the second core.

At the end of a batch the main process takes over the worker's statistics and the worker stops, so
a single `add` (or a restart's `restore`) between batches weighs exactly as before, and an idle bot
keeps no second process (a backlog big enough to need one is rare after the first poll).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
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
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from operator import attrgetter
from pathlib import Path
from typing import IO, Any

try:
    import fcntl  # POSIX only: widens the reply pipe (see `_deepen`)
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

import bot
from bot.cluster.background import load_background
from bot.cluster.features import TermStats, first_words
from bot.cluster.profile import Profile, raw_profile, weigh_profile
from bot.cluster.settings import ClusterSettings
from bot.models import Article

log = logging.getLogger(__name__)

# Below this many articles the worker's start-up (a fresh interpreter, ~0.3 s) and the statistics
# hand-over cost more than the second core saves (~0.5 ms an article).
MIN_BATCH = 1000
CHUNK = 64  # articles per message: amortises pipe round trips, keeps the first answer quick
# Chunks in flight: the worker runs this far ahead, so neither side waits on the other's uneven
# moments (a slow article here, a statistics snapshot there) as long as the replies fit in the pipe.
DEPTH = 12
PIPE_BYTES = 1 << 20  # reply pipe size asked for: ~12 chunks' replies (Linux's default is 64 KiB)
CHECKPOINT = 32  # chunks between snapshots of the worker's statistics (see `_ahead`)
# A chunk takes the worker tens of milliseconds. One that has not answered (or taken a message)
# in this long is hung, not slow: it is killed, and the batch finishes inline from there.
PIPE_TIMEOUT = 60.0
# Objects allocated between runs of the cyclic garbage collector's youngest generation while a
# batch streams in (Python's default is 700). Each profile the worker sends arrives as a few
# dozen new containers, and every so often a collection walks the open stories' whole heap: at
# the default that was ~3% of the deciding process's time over 100k articles, at this ~0.2%.
# Nothing in the batch makes reference cycles, so collecting rarer frees nothing later.
BATCH_GC_THRESHOLD = 20_000
# A reply frame's header: a mark, then the marshal data's length in bytes, little-endian. The
# mark makes stray bytes on the pipe (whatever reached the worker's stdout) a garbled reply, not
# a length of exabytes to allocate; no real reply comes near the cap.
_FRAME_MARK = b"ndw\x01"
_FRAME_HEAD = len(_FRAME_MARK) + 8
_MAX_FRAME = 1 << 30
_MARSHAL_VERSION = 4  # shares repeated strings within a reply (as pickle's memo did)
# Texts up to this many characters cross the pipe whole (see `_ahead`); longer ones are cut to
# the words the profile reads first, so a chunk of full-text items stays a small message.
WHOLE_TEXT = 8192
# What the child interpreter runs.
_WORKER_MAIN = "from bot.cluster.analysis import _serve; _serve()"


def new_stats(s: ClusterSettings) -> TermStats:
    return TermStats(
        s.idf_prior,
        s.idf_pseudo_docs,
        s.idf_max,
        background=load_background() if s.background else None,
        background_weight=s.background_weight,
    )


def _profile(title: str, text: str, stats: TermStats, s: ClusterSettings) -> Profile:
    w = s.features
    raw = raw_profile(title, text, w)
    # Figures' document counts would never be read: only the weighed keys are counted.
    keys = raw.weighed_keys()
    stats.add(keys)
    return weigh_profile(raw, stats, w.max_terms, s.query_terms, stats.idfs(keys))


class Analysis:
    """Profiles of articles in arrival order, weighed with the statistics of all before them."""

    def __init__(self, settings: ClusterSettings) -> None:
        self.settings = settings
        self.stats = new_stats(settings)
        self._worker: _Worker | None = None  # only while a big batch is being analysed
        self._busy = False  # a batch is being analysed ahead: `self.stats` lags behind it

    @property
    def busy(self) -> bool:
        """A batch is being analysed ahead: `stats` lags behind the articles handed out."""
        return self._busy

    def profile(self, article: Article) -> Profile:
        if self._busy:
            raise RuntimeError("an article was added while an add_many batch was still open")
        return _profile(article.title or "", article.text or "", self.stats, self.settings)

    def profiles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Profile]]:
        """`(article, profile)` in order; a big batch is analysed ahead in the worker."""
        if self._busy:
            raise RuntimeError("add_many was called while another add_many batch was still open")
        it = iter(articles)
        head = list(islice(it, MIN_BATCH))
        if len(head) < MIN_BATCH:
            for a in head:
                yield a, self.profile(a)
            return
        yield from self._ahead(head, it)

    def close(self, *, kill: bool = False) -> None:
        if self._worker is not None:
            self._worker.close(kill=kill)
            self._worker = None

    def _ahead(
        self, head: list[Article], rest: Iterator[Article]
    ) -> Iterator[tuple[Article, Profile]]:
        source = chain(head, rest)
        try:
            worker = self._worker = _Worker(self.settings, self.stats)
        except OSError as exc:  # no processes to spare (limits, sandbox): the slow path still works
            log.warning("text analysis worker did not start (%s); analysing inline", exc)
            for a in source:
                yield a, self.profile(a)
            return
        words = self.settings.features.body_words
        pending: deque[list[Article]] = deque()
        current: list[Article] = []  # taken from `pending`, not yet handed to the consumer
        done = finished = False
        self._busy = True
        gc_was = _collect_rarely()
        sent = 0
        # The main process's statistics are brought up to date once, from the worker's, at the
        # end (cheaper than adding every article's keys here too). Should the consumer stop
        # early or the worker fail, they are rebuilt from the last checkpoint plus the articles
        # yielded since.
        checkpoint: bytes | None = None  # pickled statistics, after the articles before `since`
        since: list[Article] = []
        try:
            while True:
                while not done and len(pending) < DEPTH:
                    chunk = list(islice(source, CHUNK))
                    done = len(chunk) < CHUNK
                    if chunk:
                        pending.append(chunk)  # before sending: a failed send leaves it to do
                        # Only the text the profile reads crosses the pipe (cutting twice cuts
                        # the same). A text short enough goes whole: the worker cuts it anyway,
                        # and counting its words here cost the deciding process ~7 us an article.
                        body = [
                            (a.title or "", t if len(t) <= WHOLE_TEXT else first_words(t, words))
                            for a in chunk
                            for t in (a.text or "",)
                        ]
                        sent += 1
                        worker.send(("docs", (body, sent % CHECKPOINT == 0)))
                if not pending:
                    worker.send(("stats", None))
                    _load(self.stats, worker.recv())
                    finished = True
                    return
                current = pending.popleft()
                profiles, snapshot = worker.recv()
                for a, fields in zip(current, profiles, strict=True):
                    since.append(a)
                    yield a, Profile(*fields)
                current = []
                if snapshot is not None:
                    checkpoint, since = snapshot, []
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            failure: Exception = exc
        finally:
            self._busy = False
            _restore_collections(gc_was)
            # Unfinished, the worker may be blocked writing replies nobody will read: stop it
            # outright rather than wait for an exit that can't come.
            self.close(kill=not finished)
            if not finished:  # the worker had counted articles the consumer never took
                if checkpoint is not None:
                    _load(self.stats, checkpoint)
                for a in since:
                    raw = raw_profile(a.title or "", a.text or "", self.settings.features)
                    self.stats.add(raw.weighed_keys())
        # Only a worker failure gets here: finish the batch inline, from where the worker stopped.
        log.warning("text analysis worker failed (%r); analysing the rest inline", failure)
        for a in chain(current, *pending, source):
            yield a, self.profile(a)


def _collect_rarely() -> tuple[int, int, int] | None:
    """Raise the garbage collector's first threshold to `BATCH_GC_THRESHOLD` for a batch; the
    thresholds to restore after it, or None when they were left alone (already as high, or 0:
    automatic collection off)."""
    was = gc.get_threshold()
    if was[0] == 0 or was[0] >= BATCH_GC_THRESHOLD:
        return None
    gc.set_threshold(BATCH_GC_THRESHOLD, was[1], was[2])
    return was


def _restore_collections(was: tuple[int, int, int] | None) -> None:
    # Only our own setting is undone: had the host changed the thresholds meanwhile, theirs stay.
    if was is not None and gc.get_threshold()[0] == BATCH_GC_THRESHOLD:
        gc.set_threshold(*was)


def _load(stats: TermStats, snapshot: bytes) -> None:
    stats.set_counts(pickle.loads(snapshot))


def _dump(stats: TermStats) -> bytes:
    # Not the background table: both sides rebuild it from the shipped blob.
    return pickle.dumps(stats.counts(), protocol=pickle.HIGHEST_PROTOCOL)


# Profile fields in declaration order: what crosses the pipe and what `Profile(*fields)` expects.
_PROFILE_FIELDS = tuple(f.name for f in dataclasses.fields(Profile))


class _Worker:
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
        self.send(("init", (settings, _dump(stats))))

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


def _serve() -> None:
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
            stats = new_stats(settings)
            _load(stats, snapshot)
            continue
        assert settings is not None and stats is not None
        if kind == "stats":
            reply: Any = _dump(stats)
        else:
            texts, checkpoint = body
            profiles = []
            for title, text in texts:
                p = _profile(title, text, stats, settings)
                # Fields as a tuple (marshal takes no dataclass), rebuilt in order.
                profiles.append(fields(p))
            reply = (profiles, _dump(stats) if checkpoint else None)
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
