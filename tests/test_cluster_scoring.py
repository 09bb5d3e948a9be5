"""The join-score upper bound: whatever a retrain does to the weights, it must stay an upper bound."""

from __future__ import annotations

import itertools
import random

from bot.cluster.pair import STORY_NAMES, PairModel
from bot.cluster.scoring import Bound
from bot.cluster.settings import ClusterSettings

_EXACT = ("max_full", "mean_full", "centroid", "rival")


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
        for corner in itertools.product((0.0, 1.0), repeat=len(free)):
            feats = [0.0] * len(STORY_NAMES)
            for i, v in zip(free, corner, strict=True):
                feats[i] = v
            feats[STORY_NAMES.index("max_full")] = best
            feats[STORY_NAMES.index("mean_full")] = mean
            feats[STORY_NAMES.index("centroid")] = centroid
            feats[STORY_NAMES.index("rival")] = rival
            assert top >= model.logit(feats) - 1e-9
