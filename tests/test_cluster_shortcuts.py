"""The clusterer's speed shortcuts claim the very floats of the plain computation: check them.

Decisions are compared to the last bit elsewhere (`test_cluster_online.py`); these pin the
individual claims, so a change that breaks one fails here with a reason, not as a drifted score.
"""

from __future__ import annotations

import itertools
import random

from _cluster_fixtures import event_articles

from bot.cluster.features import dot, first_words
from bot.cluster.online import OnlineClusterer


def _split_first_words(text: str, n: int) -> str:
    # The definition `first_words` keeps: the cut is the n-th space at index >= 1, exclusive.
    parts = text[1:].split(" ", n)
    if len(parts) <= n:
        return text
    return text[: len(text) - len(parts[-1]) - 1]


def test_first_words_counts_spaces_as_the_split_did():
    rng = random.Random(3)
    pieces = ["a", "bb", " ", "  ", "\n", "x y", "é", "."]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 25)))
        n = rng.randrange(0, 8)
        assert first_words(text, n) == _split_first_words(text, n), (text, n)


def test_a_one_article_story_scores_its_centroid_as_its_article():
    # `join_score` takes the article-to-member dot product of a one-article story to be the one
    # with its centroid; that holds bit for bit only while the centroid is a copy of the vector.
    counter = itertools.count(1)
    c = OnlineClusterer(id_factory=lambda: f"s{next(counter)}")
    items = [a for _, a in event_articles()]
    for a in items:
        doc = c._doc(a)
        for story in c._candidates(doc):
            if len(story.members) == 1:
                assert story.centroid == story.members[0].vec
                assert list(story.centroid) == list(story.members[0].vec)
                assert dot(doc.vec, story.centroid) == dot(doc.vec, story.members[0].vec)
        c._decide(doc)
