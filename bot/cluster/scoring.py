"""The pieces of a join decision that are not the pair model: penalties and a cheap upper bound.

- `penalty`: log-odds against an article joining some members, from time (a story is as fresh as
  its latest report) and outlet (one outlet rarely files two articles on one event in hours).
- `Bound`: an upper bound on a candidate story's log-odds from what is known before the costly
  member-by-member features. Most candidates share only a few words with the article; when even
  their best possible log-odds is below every decision threshold, they can't change the outcome
  and are not scored in full. The figure features (set comparisons) can tighten it cheaply
  before the member cosines are computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import mul
from typing import Protocol

from bot.cluster.pair import FIGURE_NAMES, STORY_NAMES, PairModel
from bot.cluster.settings import ClusterSettings

HOUR = 3600.0  # seconds; story times are POSIX timestamps


class Dated(Protocol):
    @property
    def source(self) -> str | None: ...
    @property
    def t(self) -> float: ...
    @property
    def dated(self) -> bool: ...


def penalty(x: Dated, ys: Sequence[Dated], s: ClusterSettings) -> float:
    """Log-odds against `x` joining `ys`: time gap to the *nearest* member plus the strongest
    same-outlet collision."""
    gap_h = float("inf")
    src = 0.0
    for y in ys:
        both_dated = x.dated and y.dated
        g = abs(x.t - y.t) / HOUR if both_dated else float("inf")
        gap_h = min(gap_h, g)
        if x.source is not None and x.source == y.source:
            fade = 1.0 - min(g / s.same_source_hours, 1.0) if both_dated else 0.0
            floor = s.same_source_floor
            src = max(src, s.same_source_logit * (floor + (1.0 - floor) * fade))
    time_pen = s.time_logit * min(gap_h / s.time_scale_hours, 2.0) if gap_h < 1e300 else 0.0
    return time_pen + src


@dataclass(frozen=True, slots=True)
class Bound:
    """Constants of the upper bound on a story's log-odds, derived from one model's weights.

    The whole-article pair cosines are >= 0 and sum to the centroid dot product over all members,
    so that dot product caps the best and the mean pair cosine; the centroid similarity and the
    rival are known exactly; every other feature lies in [0, 1], so a positive weight adds at most
    itself and a negative one at most nothing.
    """

    model: PairModel
    base: float
    w_max_full: float
    w_mean_full: float
    w_centroid: float
    w_rival: float
    floor: float  # the lowest decision threshold: below it a score changes nothing
    penalty_nonnegative: bool  # then the bound holds before `penalty` is subtracted, too
    w_figures: tuple[float, ...]  # weights of the `FIGURE_NAMES` maxima, in that order
    figures_cap: float  # what `base` allows for those features: their positive weights

    @classmethod
    def of(cls, model: PairModel, s: ClusterSettings) -> Bound:
        w = model.weights
        i_max, i_mean = STORY_NAMES.index("max_full"), STORY_NAMES.index("mean_full")
        i_cen, i_riv = STORY_NAMES.index("centroid"), STORY_NAMES.index("rival")
        exact = (i_max, i_mean, i_cen, i_riv)
        rest = sum(max(v, 0.0) for i, v in enumerate(w) if i not in exact)
        w_figures = tuple(w[STORY_NAMES.index(f"max_{n}")] for n in FIGURE_NAMES)
        return cls(
            model=model,
            base=model.bias + rest + 1e-6,  # margin for float rounding
            w_max_full=max(w[i_max], 0.0),
            w_mean_full=max(w[i_mean], 0.0),
            w_centroid=w[i_cen],
            w_rival=w[i_riv],
            floor=min(s.join_logit, s.merge_probe),
            # The same-outlet term is a max with 0; the time term has the sign of `time_logit`.
            penalty_nonnegative=s.time_logit >= 0.0,
            w_figures=w_figures,
            figures_cap=sum(max(v, 0.0) for v in w_figures),
        )

    def at(self, best: float, mean: float, centroid_sim: float, rival: float) -> float:
        """The bound, given caps (or exact values) of the best and mean whole-article cosine."""
        return (
            self.base
            + self.w_max_full * best
            + self.w_mean_full * mean
            + self.w_centroid * centroid_sim
            + self.w_rival * rival
        )

    def figures_gap(self, figures: Sequence[tuple[float, ...]]) -> float:
        """How far the members' actual `figure_features` lower the bound (never raise it): their
        maxima, known exactly, replace the positive weights `base` allowed for them."""
        best = figures[0] if len(figures) == 1 else tuple(map(max, *figures))
        return sum(map(mul, self.w_figures, best)) - self.figures_cap
