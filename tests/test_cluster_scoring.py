"""The join-score upper bound: whatever a retrain does to the weights, it must stay an upper bound."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

from bot.cluster.pair import FIGURE_NAMES, STORY_NAMES, PairModel
from bot.cluster.scoring import Bound
from bot.cluster.settings import ClusterSettings

_EXACT = ("max_full", "mean_full", "centroid", "rival")


def _corners(
    free: list[int], fixed: dict[int, float], exact: tuple[float, float, float, float]
) -> Iterator[list[float]]:
    """Every corner of the box of the `free` features (each 0 or 1), with the `fixed` ones and
    the four the bound reads exactly (`_EXACT`, in that order) set as given."""
    for corner in itertools.product((0.0, 1.0), repeat=len(free)):
        feats = [0.0] * len(STORY_NAMES)
        for i, v in [*zip(free, corner, strict=True), *fixed.items()]:
            feats[i] = v
        for name, v in zip(_EXACT, exact, strict=True):
            feats[STORY_NAMES.index(name)] = v
        yield feats


def test_bound_holds_at_every_corner_of_the_feature_ranges():
    # Features other than the four the bound reads exactly lie in [0, 1]; an extreme model is
    # worst at a corner of that box, so every corner is checked (each feature 0 or 1).
    rng = random.Random(3)
    free = [i for i, name in enumerate(STORY_NAMES) if name not in _EXACT]
    for _ in range(30):
        model = PairModel([rng.uniform(-8.0, 8.0) for _ in STORY_NAMES], rng.uniform(-6.0, 2.0))
        bound = Bound.of(model, ClusterSettings())
        best, centroid, rival = rng.random(), rng.random(), rng.random()
        mean = best * rng.random()  # the mean pair cosine never exceeds the best one
        top = bound.at(best, mean, centroid, rival)
        for feats in _corners(free, {}, (best, mean, centroid, rival)):
            assert top >= model.logit(feats) - 1e-9


def test_figure_features_tighten_the_bound_and_it_still_holds():
    # `figures_gap` swaps the allowance for the figure features for their members' actual maxima:
    # it may only lower the bound, and the bound must still hold at every corner of the rest.
    rng = random.Random(4)
    figures = [STORY_NAMES.index(f"max_{n}") for n in FIGURE_NAMES]
    free = [i for i, name in enumerate(STORY_NAMES) if name not in _EXACT and i not in figures]
    for _ in range(30):
        model = PairModel([rng.uniform(-8.0, 8.0) for _ in STORY_NAMES], rng.uniform(-6.0, 2.0))
        bound = Bound.of(model, ClusterSettings())
        members = [
            tuple(float(rng.random() < 0.3) for _ in FIGURE_NAMES) for _ in range(rng.randint(1, 4))
        ]
        gap = bound.figures_gap(members)
        assert gap <= 0.0
        best, centroid, rival = rng.random(), rng.random(), rng.random()
        mean = best * rng.random()
        top = bound.at(best, mean, centroid, rival) + gap
        actual = dict(zip(figures, map(max, zip(*members, strict=True)), strict=True))
        for feats in _corners(free, actual, (best, mean, centroid, rival)):
            assert top >= model.logit(feats) - 1e-9
