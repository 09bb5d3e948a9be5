"""The undated clustering benchmark's sample: whole gold stories, dates stripped, order shuffled.

Shared by `newsdigest eval cluster --sample` and `bench/cluster_quality.py`, so the command and
the bench measure the same articles for the same seed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace

from bot.models import Article

SAMPLE_SEED = 20240601


def whole_story_sample(
    articles: list[Article], gold: dict[str, str], min_articles: int, seed: int = SAMPLE_SEED
) -> list[Article]:
    """Whole stories drawn with a fixed seed until `min_articles` are in, dates stripped, shuffled.

    Dates are removed so only content can separate stories; the order is shuffled (same seed)
    because a pooled file that lists each story's articles together would hand an online
    clusterer the answer. A story is skipped when one of its articles is already in the sample
    word for word under another label: the pooled dev file lists most AllSides roundups twice (as
    `as-*` and again as `neus-val-*`), and two gold labels on one text measure nothing about a
    clusterer (no method can split identical articles, so each such pair costs precision).
    """
    by_story: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_story[gold[a.id]].append(a)
    rng = random.Random(seed)
    stories = sorted(by_story)
    rng.shuffle(stories)
    picked: list[Article] = []
    texts: set[tuple[str, str]] = set()
    for sid in stories:
        if len(picked) >= min_articles:
            break
        keys = [_content_key(a) for a in by_story[sid]]
        if texts.intersection(keys):
            continue
        texts.update(keys)
        picked.extend(replace(a, published=None, seen=None) for a in by_story[sid])
    rng.shuffle(picked)
    return picked


def _content_key(a: Article) -> tuple[str, str]:
    return (" ".join(a.title.split()).casefold(), " ".join(a.text.split()).casefold())
