"""Whether an article joins a candidate story: the log-odds, cheapest evidence first.

The online clusterer (`online.py`) finds an article's candidate stories and acts on their scores;
this module owns the score of one article against one open story. It is the pair model's log-odds
(`pair.py`) less the time and outlet penalty (`scoring.py`), computed in steps that each tighten
a cheap upper bound (`scoring.Bound`) and stop as soon as it is below every decision threshold
(most candidates share a few words with the article and go no further), then the vetoes: two
events of one person, alike only in the names their headlines share (`_names_only`), another
occurrence of a templated item (`specifics.py`), another period's recurring report (`periods.py`)
or another occurrence of one kind of event, other parties and another amount in the same words
(`parties.py`). Apart from `online.py` because it only reads the article, the story, the model and
the settings, while `online.py` keeps the state: the open stories, the window, the merges.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cluster.features import dot
from bot.cluster.index import Doc, Story
from bot.cluster.merge import VETOED
from bot.cluster.pair import PairModel, figure_features, story_features
from bot.cluster.parties import other_parties
from bot.cluster.periods import other_period
from bot.cluster.profile import Profile
from bot.cluster.scoring import Bound, penalty
from bot.cluster.settings import ClusterSettings
from bot.cluster.specifics import conflicts_any


def join_score(
    doc: Doc,
    story: Story,
    model: PairModel,
    bound: Bound,
    s: ClusterSettings,
    *,
    rival: float,
    raw: float | None = None,
) -> float:
    """The log-odds that `doc` joins `story` (VETOED where it can't), or, where a cheap upper
    bound is already below `bound.floor` (and so below every decision threshold), that bound.
    `bound` is `Bound.of(model, s)` (or one with its floor moved, to test the shortcuts);
    `rival`: the article's best centroid similarity to any *other* candidate story;
    `raw`: dot(doc.vec, story.centroid) when the caller already has it."""
    if story.norm2 <= 0.0:
        return VETOED
    members = story.members[-s.max_members_compared :]
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
    pen = penalty(doc, members, s)
    top -= pen
    if top < bound.floor:
        return top
    # Tighter with the figure features first: set comparisons, where the member cosines below
    # are a dot product each (and rule out fewer: the bound already caps them by `raw`).
    x = doc.p
    profiles = [m.p for m in members]
    figures = [figure_features(x, p) for p in profiles]
    gap = bound.figures_gap(figures)
    top += gap
    if top < bound.floor:
        return top
    # Then with the actual pair cosines of the compared members; the remaining pair features
    # (headline, lead, cross, entities) cost three to four more dots per member.
    xv = doc.vec
    # A story of one article has that article's vector as its centroid, term for term in the
    # same order: the pair dot product is `raw`, to the last bit.
    single = len(story.members) == 1
    fulls = [raw] if single else [dot(xv, p.vec) for p in profiles]
    # Alike this little, the headlines sharing nothing but names: two events of one person (or
    # of one buzzword), not one event.
    if max(fulls) < s.min_join_similarity and _names_only(x, profiles):
        return VETOED
    top = bound.at(max(fulls), sum(fulls) / len(fulls), centroid_sim, rival) - pen + gap
    if top < bound.floor:
        return top
    feats = story_features(x, profiles, centroid_sim, fulls, figures, rival=rival)
    score = model.logit(feats) - pen
    # Checked last, and only where it could matter: a score below the floor is never acted on.
    if score >= bound.floor and (
        conflicts_any(doc, members, story.members)
        or other_period([x.periods], story.periods)
        or other_parties(x, profiles)
    ):
        return VETOED
    return score


def _names_only(x: Profile, members: Sequence[Profile]) -> bool:
    """Does `x`'s headline share no word with any member's but the names (people, places,
    organisations) either text names? A shared word that says what happened ("debate",
    "reform", "bridge") is evidence of one event; a shared name alone is not."""
    mine = x.title.keys()
    own = _names(x)
    for p in members:
        shared = mine & p.title.keys()
        if shared and not shared <= own | _names(p):
            return False
    return True


def _names(p: Profile) -> set[str]:
    """The words of the names `p`'s text states ("p:trump", "e:donald trump")."""
    return {w for key in p.ents for w in key[2:].split()}
