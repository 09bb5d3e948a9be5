"""Online story clustering: each article is assigned to a story the moment it arrives.

Decisions are final except in one direction: when a later article shows that two open stories are
the same event, they are MERGED (never split, never moved), and the merge is reported so the store
can keep the absorbed story's id (and slug) resolving to the survivor.

Cost per article depends on the active window only: stories leave it once their newest article is
older than `window_hours` before the newest article seen (or when more than `max_active` are open),
and candidates come from an inverted index over active stories' terms, not a scan (`index.py`).
Whether an article joins a candidate (the score, its shortcuts and vetoes) is `join.py`'s;
whether two open stories are one event, and which survives, is `merge.py`'s.
"""

from __future__ import annotations

import heapq
import os
from collections import OrderedDict
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import itemgetter
from typing import Any

from bot.cluster.analysis import Analysis, Kept
from bot.cluster.features import dot
from bot.cluster.index import Doc, Story, StoryIndex
from bot.cluster.join import join_score
from bot.cluster.merge import outranks, story_score
from bot.cluster.pair import PairModel, best_others, default_model, story_features
from bot.cluster.profile import Profile
from bot.cluster.scoring import HOUR, Bound
from bot.cluster.settings import ClusterSettings
from bot.models import Article

# `OnlineClusterer.state()`: plain JSON-ready values (n, scale, now).
ClustererState = dict[str, Any]


@dataclass
class Assignment:
    story_id: str  # the story the article now belongs to
    created: bool  # True if a new story was opened for it
    merges: list[tuple[str, str]]  # (absorbed_story_id, surviving_story_id) decided during this add
    # The article's IDF as weighed on arrival (`profile.pack_idf`): stored, it lets `resume`
    # rebuild the article's profile exactly. The clusterer keeps no copy.
    idf: bytes = b""
    # What its text yielded (`profile.Raw` packed by `kept_raw`): stored, a restart weighs it
    # rather than reading the text again. The clusterer keeps no copy of it either. Not part of
    # the decision: one `Raw` packed in the analysis worker and here may differ in its bytes.
    raw: bytes = field(default=b"", compare=False)


def _source_key(source: str | None) -> str | None:
    if not source:
        return None
    key = source.strip().casefold()
    return None if key in ("", "unknown", "none") else key


def _outlet_key(article: Article) -> str | None:
    """Who the same-outlet penalty goes by: the site and the name its feed is configured with.
    Two sites that both go by "ABC News" are two outlets, and one site's two feeds under one name
    one; but a network's newsrooms on one host (CBS News and CBS New York, both cbsnews.com)
    report separately, and keyed by the site alone they repelled each other's stories."""
    name = _source_key(article.source)
    if not article.outlet:
        return name
    site = article.outlet.strip().casefold()
    return site if name is None else f"{site} {name}"


class OnlineClusterer:
    def __init__(
        self,
        settings: ClusterSettings | None = None,
        id_factory: Callable[[], str] | None = None,
    ) -> None:
        self.settings = settings or ClusterSettings()
        # The 48 random bits `uuid.uuid4().hex[:12]` would give, without building a UUID.
        self._new_id = id_factory or (lambda: os.urandom(6).hex())
        s = self.settings
        self._analysis = Analysis(s)
        self._stats = self._analysis.stats  # the IDF statistics (read by the training script)
        self.model: PairModel = default_model()
        self._bound = Bound.of(self.model, s)
        self._active: OrderedDict[str, Story] = OrderedDict()  # least recently touched first
        self._index = StoryIndex()
        self._expiry: list[tuple[float, str]] = []  # (last_t, story id), lazily invalidated
        self._merged: dict[str, str] = {}  # absorbed id -> survivor id
        self._now: float | None = None
        self._window = timedelta(hours=s.window_hours)
        # Open stories changed, and stories closed, since `story_changes` (None: not tracked yet).
        self._touched: set[str] | None = None
        self._closed: set[str] = set()

    # ---- public API -------------------------------------------------------------------------

    def add(self, article: Article) -> Assignment:
        return self._handed(self._doc(article))

    def add_many(self, articles: Iterable[Article]) -> Generator[Assignment, None, None]:
        """`add` for each article in order, lazily. Same decisions; a big batch has its text
        analysed ahead in a worker process (see `analysis.py`) while the decisions are made here."""
        for article, prof in self._analysis.profiles(articles):
            yield self._handed(self._doc(article, prof))

    def _handed(self, doc: Doc) -> Assignment:
        decision = self._decide(doc)
        decision.idf, doc.p.idf = doc.p.idf, b""
        decision.raw, doc.p.raw = doc.p.raw, b""
        return decision

    def close(self) -> None:
        """Stop the analysis worker, if one was started (it also stops with this object)."""
        self._analysis.close()

    def _decide(self, doc: Doc) -> Assignment:
        self._expire()
        s = self.settings
        cands = self._candidates(doc)
        raws = [dot(doc.vec, story.centroid) for story in cands]
        rivals = best_others([r / st.norm for r, st in zip(raws, cands, strict=True)])
        bound = self._bound
        if bound.model is not self.model:  # the model may be swapped (training, tests)
            bound = self._bound = Bound.of(self.model, s)
        scored = [
            (join_score(doc, story, self.model, bound, s, rival=rival, raw=raw), story)
            for story, rival, raw in zip(cands, rivals, raws, strict=True)
        ]
        scored.sort(key=itemgetter(0), reverse=True)
        if scored and scored[0][0] >= s.join_logit:
            story, created = scored[0][1], False
            self._attach(story, doc)
        else:
            story, created = self._open(self._new_id(), [doc]), True
        # Only stories the article itself found close are worth a (costlier) story-level look.
        near = [st for sc, st in scored if st is not story and sc >= s.merge_probe]
        merges = self._revisit(story, near)
        self._expire()  # the cap holds after the add, too
        survivor = self.resolve(story.id)
        return Assignment(story_id=survivor, created=created, merges=merges)

    def restore(self, story_id: str, articles: Sequence[Article]) -> None:
        """Re-open a stored story after a restart, so new articles can join it again."""
        docs = [self._doc(a) for a in articles]
        if not docs:
            return
        for doc in docs:  # stored already: the open stories keep no copy
            doc.p.idf = doc.p.raw = b""
        live = self._active.get(self.resolve(story_id))
        if live is None:
            self._open(story_id, docs)
        else:
            for doc in docs:
                self._attach(live, doc)
        self._expire()

    def state(self) -> ClustererState | None:
        """What, with the IDF statistics' counts (`idf_counts`), the open stories (`open_stories`)
        and the stored articles and their `Assignment.idf`, lets `resume` go on exactly as this
        clusterer would: the statistics' scalars and the stream's clock. None while a batch is
        analysed ahead: the statistics are the worker's until it ends."""
        if self._analysis.busy:
            return None
        _df, n, scale = self._stats.counts()
        return {"n": n, "scale": scale, "now": self._now}

    def open_stories(self) -> list[tuple[str, list[str]]]:
        """The open stories, least recently touched first, with their members' ids in order."""
        return [(sid, [d.article_id for d in st.members]) for sid, st in self._active.items()]

    def story_changes(self) -> tuple[list[tuple[str, list[str]]], list[str] | None]:
        """For a copy of `open_stories` to stay equal: the open stories changed since the last
        call (in their order, after all the others), and the ids of the stories closed since;
        all of them, and None, when the copy is to be replaced whole (the first call)."""
        touched, self._touched = self._touched, set()
        closed, self._closed = self._closed, set()
        if touched is None:
            return self.open_stories(), None
        changed = [
            (sid, [d.article_id for d in st.members])
            for sid, st in self._active.items()
            if sid in touched
        ]
        return changed, sorted(closed)

    def idf_changes(self) -> Mapping[str, float] | None:
        """The IDF statistics' counts (term -> stored units) of the terms counted since the last
        call, for a copy of `idf_counts` to stay equal; None when all may have changed (the first
        call, once per half-life, after a batch analysed ahead). Not while a batch is analysed
        (`state()` is None)."""
        return self._stats.take_changes()

    def idf_counts(self) -> Mapping[str, float]:
        """All the IDF statistics' counts, to go with `state()`."""
        return self._stats.counts()[0]

    def resume(
        self,
        state: ClustererState,
        counts: dict[str, float],
        stories: Sequence[tuple[str, Sequence[str]]],
        stored: Mapping[str, Kept],
    ) -> None:
        """Take up from `state` (of `state()`) on a new clusterer, with `counts` and `stories`
        the statistics' counts and the open stories as of it: `stored` maps the stories' members'
        ids to each article, its IDF as weighed on arrival, and what its text yielded then
        (`Assignment.raw`). A member no longer stored is left out; one without its IDF (or whose
        text changed) is weighed with the statistics as they are, and one without its `Raw`
        (stored by an older version, or by other analysis code) is read from its text again.
        Raises ValueError (or TypeError, KeyError) on a state of another shape."""
        n, scale, now = float(state["n"]), float(state["scale"]), state["now"]
        if now is not None:
            now = float(now)
        self._stats.set_counts((counts, n, scale))
        self._stats.take_changes()  # `counts` is the copy: changes are counted from here
        for story_id, member_ids in stories:
            if not isinstance(story_id, str) or not all(isinstance(a, str) for a in member_ids):
                raise ValueError(f"a saved story is not an id and its members' ids: {story_id!r}")
        # Counted in the statistics already: weighed with them, never added again. All profiles
        # first (half in the analysis worker), then the stories opened in order as before.
        kept = [[a for a in member_ids if a in stored] for _sid, member_ids in stories]
        profiles = iter(self._analysis.reweighed([stored[a] for ids in kept for a in ids]))
        for (story_id, _members), ids in zip(stories, kept, strict=True):
            docs = [self._doc(stored[a][0], next(profiles)) for a in ids]
            if docs:
                self._open(story_id, docs)
        self._now = now
        self._expire()
        # `stories` is the copy: changes count from here; those not reopened (pruned) are closed.
        self._touched, self._closed = set(), {sid for sid, _ in stories} - self._active.keys()

    def unreadable_profiles(self) -> list[str]:
        """The articles whose stored `Raw` the last `resume` could not use (damaged or forged:
        each read from its text instead), for the caller to delete."""
        return list(self._analysis.unreadable)

    def resolve(self, story_id: str) -> str:
        """Follow merges to the surviving story id (an unknown id resolves to itself)."""
        path = []
        while story_id in self._merged:
            path.append(story_id)
            story_id = self._merged[story_id]
        for p in path[:-1]:  # path compression keeps long merge chains cheap
            self._merged[p] = story_id
        return story_id

    def active_story_ids(self) -> list[str]:
        return list(self._active)

    def members(self, story_id: str) -> list[str]:
        story = self._active.get(self.resolve(story_id))
        return [d.article_id for d in story.members] if story else []

    # ---- building blocks --------------------------------------------------------------------

    def _doc(self, article: Article, prof: Profile | None = None) -> Doc:
        # A stale published date (an explainer dated weeks back) would open a story already out
        # of the window, and today's reports a second one: the story's clock, not the feed's.
        when: datetime | None = article.reported_at(self._window)
        if when is not None:
            t, dated = when.timestamp(), True
            self._now = t if self._now is None else max(self._now, t)
        else:
            t, dated = (self._now if self._now is not None else 0.0), False
        if prof is None:
            prof = self._analysis.profile(article)
        source = _outlet_key(article)
        return Doc(article.id, source, t, dated, prof, prof.vec)

    def _candidates(self, doc: Doc) -> list[Story]:
        return self._index.candidates(doc.p, self.settings)

    def _features(self, doc: Doc, story: Story, *, rival: float) -> list[float]:
        s = self.settings
        centroid_sim = dot(doc.vec, story.centroid) / story.norm
        members = [m.p for m in story.members[-s.max_members_compared :]]
        return story_features(doc.p, members, centroid_sim, rival=rival)

    def _open(self, story_id: str, docs: list[Doc]) -> Story:
        story = self._index.open(story_id, docs[0].t)
        self._active[story_id] = story
        for doc in docs:
            self._attach(story, doc)
        return story

    def _attach(self, story: Story, doc: Doc) -> None:
        self._index.add(story, doc)
        story.last_t = max(story.last_t, doc.t)
        self._active.move_to_end(story.id)
        heapq.heappush(self._expiry, (story.last_t, story.id))
        if self._touched is not None:
            self._touched.add(story.id)

    def _revisit(self, story: Story, others: list[Story]) -> list[tuple[str, str]]:
        """Merge open stories that the newly grown `story` shows to be the same event."""
        s = self.settings
        merges: list[tuple[str, str]] = []
        for other in others:
            if other.id not in self._active or story.id not in self._active:
                continue
            if story_score(story, other, self.model, s) < s.merge_logit:
                continue
            keep, gone = (story, other) if outranks(story, other) else (other, story)
            self._absorb(keep, gone)
            merges.append((gone.id, keep.id))
            story = keep
        return merges

    def _absorb(self, keep: Story, gone: Story) -> None:
        self._drop(gone)
        for doc in gone.members:
            self._attach(keep, doc)
        keep.members.sort(key=lambda d: d.t)
        self._merged[gone.id] = keep.id

    def _drop(self, story: Story) -> None:
        self._active.pop(story.id, None)
        self._index.drop(story)
        if self._touched is not None:
            self._touched.discard(story.id)
            self._closed.add(story.id)

    def _expire(self) -> None:
        """Close stories that aged out of the window, and the least recent beyond `max_active`."""
        s = self.settings
        if self._now is not None:
            cutoff = self._now - s.window_hours * HOUR
            heap = self._expiry
            while heap and heap[0][0] < cutoff:
                last_t, sid = heapq.heappop(heap)
                story = self._active.get(sid)
                if story is not None and story.last_t <= last_t:
                    self._drop(story)
        while len(self._active) > s.max_active:
            _, story = next(iter(self._active.items()))
            self._drop(story)
        if len(self._expiry) > 4 * len(self._active) + 1024:  # keep stale heap entries bounded
            self._expiry = [(st.last_t, sid) for sid, st in self._active.items()]
            heapq.heapify(self._expiry)
