"""Open stories and the inverted index over their centroids: where an article's candidates come from.

The index maps each term to the open stories whose centroid has it, with the centroid's weight, so
an article's best candidates accumulate as partial centroid dot products over its strongest terms,
without a scan of the open stories. Stories live in reusable integer slots: the postings and the
norm table are keyed by slot, plain ints and lists being the cheapest things to index in the inner
loops (this is most of the clusterer's time per article).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from operator import mul, truediv

from bot.cluster.profile import Profile
from bot.cluster.settings import ClusterSettings


@dataclass(slots=True)
class Doc:
    """An article as the clusterer sees it."""

    article_id: str
    source: str | None  # folded outlet name, None when unknown (no outlet signal)
    t: float  # seconds; "now" of the stream for undated articles
    dated: bool  # False: `t` is a stand-in and carries no time signal
    p: Profile
    vec: dict[str, float]  # `p.vec` as a plain field: inner loops read it (a property costs a call)


@dataclass(slots=True)
class Story:
    id: str
    members: list[Doc]
    centroid: dict[str, float]  # sum of member vectors
    norm2: float  # squared norm of centroid, maintained incrementally
    norm: float  # its square root, kept for the candidate ranking's inner loop
    last_t: float  # the story is in the index under its centroid's terms
    slot: int = -1  # row of the story in the index's postings and the norm table
    # The periods its members state (`periods.py`), those that state one: few stories have any,
    # and the veto reads these rather than every member.
    periods: list[dict[str, frozenset[str]]] = field(default_factory=list)


class StoryIndex:
    def __init__(self) -> None:
        # term -> {story slot: centroid weight}: candidate scores accumulate as centroid dot
        # products. Slots are small reusable ints indexing `slots` and `_norms`.
        # A defaultdict: `add` stores through a missing term's new posting in one subscript, and
        # readers use `get`, which never creates one.
        self.postings: defaultdict[str, dict[int, float]] = defaultdict(dict)
        self.slots: list[Story | None] = []
        self._free: list[int] = []
        # Centroid norm by slot, as C doubles side by side: the candidate ranking reads one per
        # accumulated story, and a list's float objects lie scattered over the heap (a cache
        # miss each).
        self._norms = array("d")

    def open(self, story_id: str, t: float) -> Story:
        """A new, empty story in a free slot (`add` puts its first article in)."""
        if self._free:
            slot = self._free.pop()
        else:
            slot = len(self.slots)
            self.slots.append(None)
            self._norms.append(1.0)
        story = Story(story_id, [], {}, 0.0, 1.0, t, slot)
        self.slots[slot] = story
        return story

    def add(self, story: Story, doc: Doc) -> None:
        """`doc` joins `story`: its centroid, norm and postings grow by the article's vector."""
        story.members.append(doc)
        if doc.p.periods:
            story.periods.append(doc.p.periods)
        c = story.centroid
        postings = self.postings
        slot = story.slot
        vec = doc.vec
        if not c:
            # A new story, the commonest case: the centroid is the vector, and the running norm
            # below reduces to a sum of squares (0.0 + x is x), added in the same order.
            c.update(vec)
            norm2 = sum(map(mul, vec.values(), vec.values()), story.norm2)
            for t, v in vec.items():
                postings[t][slot] = v
        else:
            get = c.get
            norm2 = story.norm2
            for t, v in vec.items():
                old = get(t, 0.0)
                c[t] = new = old + v
                norm2 += 2.0 * old * v + v * v
                postings[t][slot] = new
        story.norm2 = norm2
        story.norm = max(norm2, 1e-12) ** 0.5
        self._norms[slot] = story.norm

    def drop(self, story: Story) -> None:
        """Take `story` out of the index and free its slot."""
        postings = self.postings
        slot = story.slot
        for t in story.centroid:  # its terms: `add` put the story under each of them
            posting = postings[t]
            del posting[slot]
            if not posting:
                del postings[t]
        if 0 <= slot < len(self.slots) and self.slots[slot] is story:
            self.slots[slot] = None
            self._free.append(slot)

    def candidates(self, p: Profile, s: ClusterSettings) -> list[Story]:
        """The open stories most similar to `p.vec` through its strongest terms, best first."""
        vec = p.vec
        postings = self.postings
        maxp = s.max_posting
        acc: dict[int, float] = {}
        get = acc.get
        for term in p.strongest:
            w = vec[term]
            posting = postings.get(term)
            # A term in hundreds of open stories can't narrow anything down; it still counts in
            # the full score of the candidates that rarer terms bring in.
            if posting is None or len(posting) > maxp:
                continue
            for slot, c in posting.items():
                acc[slot] = get(slot, 0.0) + w * c
        if not acc:
            return []
        # The similarities in C (`map`), with acc's keys and values in the same (insertion) order.
        sims = list(map(truediv, acc.values(), map(self._norms.__getitem__, acc)))
        k = s.max_candidates
        table = self.slots
        if len(sims) > k:
            # Ties with the k-th best break on the story id (as they always have), not the slot.
            cut = sorted(sims)[-k]
            ranked = [(sim, slot) for sim, slot in zip(sims, acc, strict=True) if sim >= cut]
        else:
            ranked = list(zip(sims, acc, strict=True))
        # Each (similarity, id) is distinct, so the sort never goes on to compare the stories.
        best = sorted(
            [(sim, st.id, st) for sim, slot in ranked if (st := table[slot]) is not None],
            reverse=True,
        )
        # The partial centroid similarity already rules out stories that share only a word or
        # two; scoring them in full (member by member) would be most of the cost for nothing.
        return [st for sim, _, st in best[:k] if sim >= s.candidate_floor]
