"""Article text analysis for the online clusterer, inline or ahead of time in a worker process.

Turning an article into its weighed profile (tokenising, stemming, entity runs, IDF weighing) is
about half of the clusterer's cost, and it does not depend on any clustering decision: only on the
articles seen before, in order, through the IDF statistics. So for a big batch a worker process
keeps a replica of those statistics and analyses the upcoming articles while the main process
decides on the current ones: the same profiles in the same order, on the second core.

At the end of a batch the main process takes over the worker's statistics and the worker stops, so
a single `add` (or a restart's `restore`) between batches weighs exactly as before, and an idle bot
keeps no second process (a backlog big enough to need one is rare after the first poll).

A restart's open stories (`OnlineClusterer.resume`) are weighed again, each with the IDF stored
for it or the statistics as saved, none counted: from what its text yielded on arrival when that
was stored (`kept_raw`; 3,000 articles are 0.34 s of CPU), else from its text, where nothing
depends on order, so a big window is split, the worker weighing the tail while this process
weighs the head (`reweighed`; 3,000 articles from their text are 0.8 s of CPU on one core).

The worker process itself (starting it, the pipe's messages and frames, its serve loop) is
`analysis_worker.py`'s; this module decides what it is sent and what happens when it fails.
"""

from __future__ import annotations

import gc
import logging
import pickle
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice

from bot.cluster.analysis_worker import Worker, load_stats
from bot.cluster.background import load_background
from bot.cluster.features import TermStats, first_words
from bot.cluster.kept_raw import pack_raw, stamped_here, unpack_raw
from bot.cluster.profile import Profile, Raw, raw_profile, unpack_idf, weigh_profile
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
CHECKPOINT = 32  # chunks between snapshots of the worker's statistics (see `_ahead`)
# Objects allocated between runs of the cyclic garbage collector's youngest generation while a
# batch streams in (Python's default is 700). Each profile the worker sends arrives as a few
# dozen new containers, and every so often a collection walks the open stories' whole heap: at
# the default that was ~3% of the deciding process's time over 100k articles, at this ~0.2%.
# Nothing in the batch makes reference cycles, so collecting rarer frees nothing later.
BATCH_GC_THRESHOLD = 20_000
# Texts up to this many characters cross the pipe whole (see `_ahead`); longer ones are cut to
# the words the profile reads first, so a chunk of full-text items stays a small message.
WHOLE_TEXT = 8192
# A restart's open stories (`reweighed`): below this many articles (~0.3 s of CPU) they are
# weighed inline, the worker's start-up (~0.2 s) outweighing the share it takes; above, the
# worker weighs the last `RESUME_SHARE` of them meanwhile, a little under half as it starts late
# (at 3,000 articles this process's share and the worker's, start-up included, took alike).
MIN_RESUME = 1000
RESUME_SHARE = 0.45


# A restart's article: the article, the IDF it was weighed with on arrival (`Profile.idf`) and
# what its text yielded then (`Profile.raw`), each None or b"" when none was stored.
Kept = tuple[Article, bytes | None, bytes | None]


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
    profile = weigh_profile(raw, stats, w.max_terms, s.query_terms, stats.idfs(keys))
    profile.raw = pack_raw(raw, w)
    return profile


def reweigh(
    title: str,
    text: str,
    packed: bytes,
    stats: TermStats,
    s: ClusterSettings,
    raw: Raw | None = None,
) -> Profile:
    """The profile of an article counted in `stats` already: weighed with the IDF it was weighed
    with on arrival (`packed`, `Profile.idf`) when that is kept and its text unchanged, else with
    the statistics as they are; never counted again, and carrying no IDF of its own. `raw`: what
    its text yielded on arrival, when that was stored (`kept_raw`), read instead of the text."""
    w = s.features
    if raw is None:
        raw = raw_profile(title, text, w)
    idf = unpack_idf(raw, packed) if packed else None
    return weigh_profile(raw, stats, w.max_terms, s.query_terms, idf, pack=False)


class Analysis:
    """Profiles of articles in arrival order, weighed with the statistics of all before them."""

    def __init__(self, settings: ClusterSettings) -> None:
        self.settings = settings
        self.stats = new_stats(settings)
        self._worker: Worker | None = None  # only while a big batch is being analysed
        self._busy = False  # a batch is being analysed ahead: `self.stats` lags behind it
        # The articles whose stored `Raw` the last `reweighed` could not use (it raised): for the
        # caller to delete, lest every restart meet them again.
        self.unreadable: list[str] = []

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

    def reweighed(self, items: Sequence[Kept]) -> list[Profile]:
        """`reweigh` for each article, with its packed IDF and its stored `Raw` (None or b"": none
        kept), in order: a restart's open stories. Those whose `Raw` was stored and reads back
        (`kept_raw`) are weighed from it here, a third of the cost of reading their text; the
        rest from their text, many of them shared with the worker process (`_from_text`)."""
        if self._busy:
            raise RuntimeError("a restart's articles were weighed while a batch was analysed")
        self.unreadable = []
        kept = [self._from_kept(a, p, k) if k else None for a, p, k in items]
        texts = [(a, p) for (a, p, _k), got in zip(items, kept, strict=True) if got is None]
        from_text = iter(self._from_text(texts) if texts else [])
        return [next(from_text) if got is None else got for got in kept]

    def _from_kept(self, article: Article, packed: bytes | None, kept: bytes) -> Profile | None:
        """`reweigh` from the article's stored `Raw`, or None to read its text instead: stored
        by other analysis code, or not a `Raw` at all. A value of this code that does not read
        back, or cannot be weighed (a damaged or forged row: whatever it raises), costs its
        article only, not the whole saved state, and is noted in `unreadable`."""
        s = self.settings
        try:
            raw = unpack_raw(kept, s.features)
            if raw is not None:
                return reweigh(article.title or "", "", packed or b"", self.stats, s, raw)
            if not stamped_here(kept, s.features):
                return None  # another version's: that version may still read it
        except Exception as exc:  # MemoryError too
            log.debug("stored profile of %s not read: %s: %s", article.id, type(exc).__name__, exc)
        self.unreadable.append(article.id)
        return None

    def _from_text(self, items: Sequence[tuple[Article, bytes | None]]) -> list[Profile]:
        """`reweigh` from the text for each article, with its packed IDF. Many of them are shared
        with the worker process, which weighs the tail while this one weighs the head: the same
        profiles, on the second core (the statistics are only read, so the worker's replica stays
        the same as these)."""
        s = self.settings
        split = len(items) - int(len(items) * RESUME_SHARE)
        if len(items) < MIN_RESUME:
            split = len(items)
        tail: list[Profile] | None = None
        worker: Worker | None = None
        words = s.features.body_words
        # The worker's chunks: sent between the head's, as a pipe full of them before the worker
        # has started reading would hold this process up for its start-up.
        bodies = deque(
            [
                (a.title or "", t if len(t) <= WHOLE_TEXT else first_words(t, words), p or b"")
                for a, p in items[start : start + CHUNK]
                for t in (a.text or "",)
            ]
            for start in range(split, len(items), CHUNK)
        )
        chunks = len(bodies)
        if bodies:
            try:
                worker = self._worker = Worker(s, self.stats)
            except OSError as exc:
                log.warning("text analysis worker did not start (%s); weighing inline", exc)
        head: list[Profile] = []
        try:
            for start in range(0, split, CHUNK):
                if worker is not None and bodies:
                    worker.send(("weigh", bodies.popleft()))
                head.extend(
                    reweigh(a.title or "", a.text or "", p or b"", self.stats, s)
                    for a, p in items[start : min(start + CHUNK, split)]
                )
            if worker is not None:
                while bodies:
                    worker.send(("weigh", bodies.popleft()))
                tail = [Profile(*f) for _ in range(chunks) for f in worker.recv()]
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            log.warning("text analysis worker failed (%r); weighing the rest inline", exc)
            head.extend(
                reweigh(a.title or "", a.text or "", p or b"", self.stats, s)
                for a, p in items[len(head) : split]
            )
        finally:
            # Stopped outright unless it answered all: it may be blocked writing unread replies.
            self.close(kill=tail is None)
        if tail is None:
            tail = [
                reweigh(a.title or "", a.text or "", p or b"", self.stats, s)
                for a, p in items[split:]
            ]
        return head + tail

    def close(self, *, kill: bool = False) -> None:
        if self._worker is not None:
            self._worker.close(kill=kill)
            self._worker = None

    def _ahead(
        self, head: list[Article], rest: Iterator[Article]
    ) -> Iterator[tuple[Article, Profile]]:
        source = chain(head, rest)
        try:
            worker = self._worker = Worker(self.settings, self.stats)
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
                    load_stats(self.stats, worker.recv())
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
                    load_stats(self.stats, checkpoint)
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
