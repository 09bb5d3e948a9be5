"""Online story clustering: each article is assigned to a story the moment it arrives.

Decisions are final except in one direction: when a later article shows that two open stories are
the same event, they are MERGED (never split, never moved), and the merge is reported so the store
can keep the absorbed story's id (and slug) resolving to the survivor.

Cost per article depends on the active window only: stories leave it once their newest article is
older than `window_hours` before the newest article seen (or when more than `max_active` are open),
and candidates come from an inverted index over active stories' terms, not a scan.
"""

from __future__ import annotations

import heapq
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import compress
from operator import itemgetter, mul

from bot.cluster.analysis import Analysis
from bot.cluster.features import dot
from bot.cluster.pair import PairModel, best_others, default_model, story_features
from bot.cluster.profile import Profile
from bot.cluster.scoring import Bound, penalty
from bot.cluster.settings import ClusterSettings
from bot.models import Article

_HOUR = 3600.0


@dataclass
class Assignment:
    story_id: str  # the story the article now belongs to
    created: bool  # True if a new story was opened for it
    merges: list[tuple[str, str]]  # (absorbed_story_id, surviving_story_id) decided during this add


@dataclass(slots=True)
class _Doc:
    article_id: str
    source: str | None  # folded outlet name, None when unknown (no outlet signal)
    t: float  # seconds; "now" of the stream for undated articles
    dated: bool  # False: `t` is a stand-in and carries no time signal
    p: Profile
    vec: dict[str, float]  # `p.vec` as a plain field: inner loops read it (a property costs a call)


@dataclass(slots=True)
class _Story:
    id: str
    members: list[_Doc]
    centroid: dict[str, float]  # sum of member vectors
    norm2: float  # squared norm of centroid, maintained incrementally
    norm: float  # its square root, kept for the candidate ranking's inner loop
    last_t: float  # the story is in the inverted index under its centroid's terms
    slot: int = -1  # row of the story in the index's postings and the norm array


def _source_key(source: str | None) -> str | None:
    if not source:
        return None
    key = source.strip().casefold()
    return None if key in ("", "unknown", "none") else key


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
        self._active: OrderedDict[str, _Story] = OrderedDict()  # least recently touched first
        # term -> {story slot: centroid weight}: candidate scores accumulate as centroid dot
        # products. Slots are small reusable ints indexing `_slots` and `_norms` (plain lists).
        self._index: dict[str, dict[int, float]] = {}
        self._slots: list[_Story | None] = []
        self._free_slots: list[int] = []
        self._norms: list[float] = []  # centroid norm by slot
        self._expiry: list[tuple[float, str]] = []  # (last_t, story id), lazily invalidated
        self._merged: dict[str, str] = {}  # absorbed id -> survivor id
        self._now: float | None = None

    # ---- public API -------------------------------------------------------------------------

    def add(self, article: Article) -> Assignment:
        return self._decide(self._doc(article))

    def add_many(self, articles: Iterable[Article]) -> Iterator[Assignment]:
        """`add` for each article in order, lazily. Same decisions; a big batch has its text
        analysed ahead in a worker process (see `analysis.py`) while the decisions are made here."""
        for article, prof in self._analysis.profiles(articles):
            yield self._decide(self._doc(article, prof))

    def close(self) -> None:
        """Stop the analysis worker, if one was started (it also stops with this object)."""
        self._analysis.close()

    def _decide(self, doc: _Doc) -> Assignment:
        self._expire()
        s = self.settings
        cands = self._candidates(doc)
        raws = [dot(doc.vec, story.centroid) for story in cands]
        rivals = best_others([r / st.norm for r, st in zip(raws, cands, strict=True)])
        scored = [
            (self._score(doc, story, rival=rival, raw=raw), story)
            for story, rival, raw in zip(cands, rivals, raws, strict=True)
        ]
        scored.sort(key=lambda pair: pair[0], reverse=True)
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
        live = self._active.get(self.resolve(story_id))
        if live is None:
            self._open(story_id, docs)
        else:
            for doc in docs:
                self._attach(live, doc)
        self._expire()

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

    def _doc(self, article: Article, prof: Profile | None = None) -> _Doc:
        when: datetime | None = article.published or article.seen
        if when is not None:
            t, dated = when.timestamp(), True
            self._now = t if self._now is None else max(self._now, t)
        else:
            t, dated = (self._now if self._now is not None else 0.0), False
        if prof is None:
            prof = self._analysis.profile(article)
        return _Doc(article.id, _source_key(article.source), t, dated, prof, prof.vec)

    def _candidates(self, doc: _Doc) -> list[_Story]:
        s = self.settings
        query = sorted(doc.vec.items(), key=itemgetter(1), reverse=True)[: s.query_terms]
        index = self._index
        maxp = s.max_posting
        acc: dict[int, float] = {}
        get = acc.get
        for term, w in query:
            posting = index.get(term)
            # A term in hundreds of open stories can't narrow anything down; it still counts in
            # the full score of the candidates that rarer terms bring in.
            if posting is None or len(posting) > maxp:
                continue
            for slot, c in posting.items():
                acc[slot] = get(slot, 0.0) + w * c
        if not acc:
            return []
        slots = list(acc)
        norms = self._norms
        sims = [a / norms[slot] for slot, a in acc.items()]
        k = s.max_candidates
        table = self._slots
        ranked = zip(sims, slots, strict=True)
        if len(sims) > k:
            # Ties with the k-th best break on the story id (as they always have), not the slot.
            cut = sorted(sims)[-k]
            ranked = compress(ranked, map(cut.__le__, sims))
        pairs = [(sim, table[slot]) for sim, slot in ranked]
        # Each (similarity, id) is distinct, so the sort never goes on to compare the stories.
        best = sorted([(sim, st.id, st) for sim, st in pairs], reverse=True)
        # The partial centroid similarity already rules out stories that share only a word or
        # two; scoring them in full (member by member) would be most of the cost for nothing.
        return [st for sim, _, st in best[:k] if sim >= s.candidate_floor]

    def _features(self, doc: _Doc, story: _Story, *, rival: float) -> list[float]:
        s = self.settings
        centroid_sim = dot(doc.vec, story.centroid) / story.norm
        members = [m.p for m in story.members[-s.max_members_compared :]]
        return story_features(doc.p, members, centroid_sim, rival=rival)

    def _score(self, doc: _Doc, story: _Story, *, rival: float, raw: float | None = None) -> float:
        """`rival`: the article's best centroid similarity to any *other* candidate story;
        `raw`: dot(doc.vec, story.centroid) when the caller already has it."""
        if story.norm2 <= 0.0:
            return -100.0
        members = story.members[-self.settings.max_members_compared :]
        bound = self._bound
        if bound.model is not self.model:  # the model may be swapped (training, tests)
            bound = self._bound = Bound.of(self.model, self.settings)
        if raw is None:
            raw = dot(doc.vec, story.centroid)
        centroid_sim = raw / story.norm
        best = raw if raw < 1.0 else 1.0
        mean = raw / len(members)
        top = bound.at(best, mean if mean < best else best, centroid_sim, rival)
        # Most candidates are ruled out here. A score below the floor is never acted on, only
        # ranked below the decision thresholds, so it may leave out a penalty that can't raise it.
        if top < bound.floor and bound.penalty_nonnegative:
            return top
        pen = penalty(doc, members, self.settings)
        top -= pen
        if top < bound.floor:
            return top
        # Tighter with the actual pair cosines of the compared members; the remaining pair
        # features (headline, lead, cross, entities) cost three to four more dots per member.
        xv = doc.vec
        profiles = [m.p for m in members]
        # A story of one article has that article's vector as its centroid, term for term in the
        # same order: the pair dot product is `raw`, to the last bit.
        single = len(story.members) == 1
        fulls = [raw] if single else [dot(xv, p.vec) for p in profiles]
        top = bound.at(max(fulls), sum(fulls) / len(fulls), centroid_sim, rival) - pen
        if top < bound.floor:
            return top
        feats = story_features(doc.p, profiles, centroid_sim, fulls, rival=rival)
        return self.model.logit(feats) - pen

    def _story_score(self, a: _Story, b: _Story) -> float:
        """Average linkage: the mean pair log-odds between the two stories' recent members."""
        s = self.settings
        am = a.members[-s.max_members_compared :]
        bm = b.members[-s.max_members_compared :]
        total = 0.0
        for x in am:
            for y in bm:
                # No rival is known here: count the pair's own similarity as one, so a merge
                # needs evidence beyond it (a missing rival would read as "nothing else close").
                sim = dot(x.vec, y.vec)
                f = story_features(x.p, [y.p], sim, rival=sim)
                total += self.model.logit(f) - penalty(x, [y], s)
        return total / (len(am) * len(bm))

    def _open(self, story_id: str, docs: list[_Doc]) -> _Story:
        story = _Story(story_id, [], {}, 0.0, 1.0, docs[0].t, self._take_slot())
        self._slots[story.slot] = story
        self._active[story_id] = story
        for doc in docs:
            self._attach(story, doc)
        return story

    def _attach(self, story: _Story, doc: _Doc) -> None:
        story.members.append(doc)
        c = story.centroid
        index = self._index
        slot = story.slot
        vec = doc.vec
        if not c:
            # A new story, the commonest case: the centroid is the vector, and the running norm
            # below reduces to a sum of squares (0.0 + x is x), added in the same order.
            c.update(vec)
            norm2 = sum(map(mul, vec.values(), vec.values()), story.norm2)
            for t, v in vec.items():
                posting = index.get(t)
                if posting is None:
                    posting = index[t] = {}
                posting[slot] = v
        else:
            get = c.get
            norm2 = story.norm2
            for t, v in vec.items():
                old = get(t, 0.0)
                c[t] = new = old + v
                norm2 += 2.0 * old * v + v * v
                posting = index.get(t)
                if posting is None:  # not setdefault: that builds a throwaway dict per term
                    posting = index[t] = {}
                posting[slot] = new
        story.norm2 = norm2
        story.norm = max(norm2, 1e-12) ** 0.5
        self._norms[story.slot] = story.norm
        story.last_t = max(story.last_t, doc.t)
        self._active.move_to_end(story.id)
        heapq.heappush(self._expiry, (story.last_t, story.id))

    def _revisit(self, story: _Story, others: list[_Story]) -> list[tuple[str, str]]:
        """Merge open stories that the newly grown `story` shows to be the same event."""
        s = self.settings
        merges: list[tuple[str, str]] = []
        for other in others:
            if other.id not in self._active or story.id not in self._active:
                continue
            if self._story_score(story, other) < s.merge_logit:
                continue
            keep, gone = (story, other) if _outranks(story, other) else (other, story)
            self._absorb(keep, gone)
            merges.append((gone.id, keep.id))
            story = keep
        return merges

    def _absorb(self, keep: _Story, gone: _Story) -> None:
        self._drop(gone)
        for doc in gone.members:
            self._attach(keep, doc)
        keep.members.sort(key=lambda d: d.t)
        self._merged[gone.id] = keep.id

    def _drop(self, story: _Story) -> None:
        self._active.pop(story.id, None)
        index = self._index
        slot = story.slot
        for t in story.centroid:  # its terms: `_attach` put the story under each of them
            posting = index[t]
            del posting[slot]
            if not posting:
                del index[t]
        if 0 <= story.slot < len(self._slots) and self._slots[story.slot] is story:
            self._slots[story.slot] = None
            self._free_slots.append(story.slot)

    def _take_slot(self) -> int:
        if self._free_slots:
            return self._free_slots.pop()
        slot = len(self._slots)
        self._slots.append(None)
        self._norms.append(1.0)
        return slot

    def _expire(self) -> None:
        """Close stories that aged out of the window, and the least recent beyond `max_active`."""
        s = self.settings
        if self._now is not None:
            cutoff = self._now - s.window_hours * _HOUR
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


def _outranks(a: _Story, b: _Story) -> bool:
    """The survivor of a merge: the bigger story, then the older one (its id and slug stay)."""
    if len(a.members) != len(b.members):
        return len(a.members) > len(b.members)
    return a.members[0].t <= b.members[0].t
