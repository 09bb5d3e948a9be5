"""When two open stories are one event, and which of them survives the merge.

The online clusterer (`online.py`) only ever merges stories, never splits them: an article that
joins one story may show that another open story it was close to reports the same event. Held
apart from the join decision because a merge compares whole stories (average linkage over their
recent members) rather than one article against one story, and because it decides which id (and
so which slug) lives on.
"""

from __future__ import annotations

from bot.cluster.features import dot
from bot.cluster.index import Story
from bot.cluster.pair import PairModel, story_features
from bot.cluster.parties import other_parties
from bot.cluster.periods import other_period
from bot.cluster.scoring import penalty
from bot.cluster.settings import ClusterSettings
from bot.cluster.specifics import conflicts_any

# The log-odds of a story the article can't join (nothing to compare, no member alike enough,
# another occurrence of a templated item: `specifics.py`, or of a recurring report: `periods.py`):
# below every decision threshold.
VETOED = -100.0


def story_score(a: Story, b: Story, model: PairModel, s: ClusterSettings) -> float:
    """Average linkage: the mean pair log-odds between the two stories' recent members."""
    am = a.members[-s.max_members_compared :]
    bm = b.members[-s.max_members_compared :]
    # Two occurrences of a templated item, two periods' reports of a recurring release, or two
    # occurrences of one kind of event (other parties, another amount) stay apart however alike
    # they read, as on a join.
    if other_period(a.periods, b.periods) or any(
        conflicts_any(x, bm, b.members, a.members) or other_parties(x.p, [y.p for y in bm])
        for x in am
    ):
        return VETOED
    total = 0.0
    for x in am:
        for y in bm:
            # No rival is known here: count the pair's own similarity as one, so a merge
            # needs evidence beyond it (a missing rival would read as "nothing else close").
            sim = dot(x.vec, y.vec)
            f = story_features(x.p, [y.p], sim, rival=sim)
            total += model.logit(f) - penalty(x, [y], s)
    return total / (len(am) * len(bm))


def outranks(a: Story, b: Story) -> bool:
    """The survivor of a merge: the bigger story, then the older one (its id and slug stay)."""
    if len(a.members) != len(b.members):
        return len(a.members) > len(b.members)
    return a.members[0].t <= b.members[0].t
