"""`newsdigest eval cluster INPUT.jsonl`: the bot's own online clusterer over an article file.

Articles are fed one at a time in arrival order (`in_arrival_order`), exactly as the bot would see
them; each output line gives the story the article ended up in, after any later merges. With
`--score`, the assignments are scored against each line's gold "story" label instead.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import IO, Any

from bot.cluster.online import OnlineClusterer
from bot.eval.jsonl import Advance, Start, in_arrival_order, read_articles, ticker, write_jsonl
from bot.eval.metrics import PRF, bcubed, pairwise
from bot.eval.sample import SAMPLE_SEED, whole_story_sample
from bot.models import Article


@dataclass(frozen=True, slots=True)
class Sampling:
    """`--sample N --seed S`: cluster whole gold stories, undated and shuffled, not the file."""

    min_articles: int
    seed: int = SAMPLE_SEED


def _read(inp: IO[str], gold: dict[str, str] | None, sampling: Sampling | None) -> list[Article]:
    if sampling is None:
        return read_articles(inp, gold)
    labels: dict[str, str] = {} if gold is None else gold
    articles = read_articles(inp, labels, need="--sample")
    return whole_story_sample(articles, labels, sampling.min_articles, sampling.seed)


def assign_stories(articles: list[Article], advance: Advance) -> dict[str, str]:
    """Article id -> final story id, clustering online in arrival order."""
    counter = itertools.count(1)
    clusterer = OnlineClusterer(id_factory=lambda: f"s{next(counter)}")
    assigned: dict[str, str] = {}
    for article in in_arrival_order(articles):
        assigned[article.id] = clusterer.add(article).story_id
        advance()
    return {a.id: clusterer.resolve(assigned[a.id]) for a in articles}


def cluster_jsonl(
    inp: IO[str], out: IO[str], start: Start | None = None, sampling: Sampling | None = None
) -> None:
    """Read articles from `inp`, write `{"id", "story"}` per article to `out` (input order, or
    the sample's order with `sampling`).

    `start(total)`, when given, is called once the input is read and returns a per-article tick.
    """
    articles = _read(inp, None, sampling)
    pred = assign_stories(articles, ticker(start, len(articles)))
    write_jsonl(({"id": a.id, "story": pred[a.id]} for a in articles), out)


@dataclass(frozen=True, slots=True)
class ClusterScore:
    articles: int
    predicted_stories: int
    gold_stories: int
    bcubed: PRF
    pairwise: PRF

    def as_dict(self) -> dict[str, Any]:
        def prf(m: PRF) -> dict[str, float]:
            return {"precision": m.precision, "recall": m.recall, "f1": m.f1}

        return {
            "articles": self.articles,
            "predicted_stories": self.predicted_stories,
            "gold_stories": self.gold_stories,
            "bcubed": prf(self.bcubed),
            "pairwise": prf(self.pairwise),
        }

    def text(self) -> str:
        def row(name: str, m: PRF) -> str:
            return f"{name:<10}P {m.precision:.4f}  R {m.recall:.4f}  F1 {m.f1:.4f}"

        return "\n".join(
            [
                f"articles: {self.articles}",
                f"stories: {self.predicted_stories} predicted, {self.gold_stories} gold",
                row("B-cubed", self.bcubed),
                row("pairwise", self.pairwise),
            ]
        )


def score_clusters(pred: dict[str, str], gold: dict[str, str]) -> ClusterScore:
    return ClusterScore(
        articles=len(gold),
        predicted_stories=len(set(pred.values())),
        gold_stories=len(set(gold.values())),
        bcubed=bcubed(pred, gold),
        pairwise=pairwise(pred, gold),
    )


def score_jsonl(
    inp: IO[str], start: Start | None = None, sampling: Sampling | None = None
) -> ClusterScore:
    """Cluster the articles in `inp` (or a sample of them) and score them against each line's
    gold "story"."""
    gold: dict[str, str] = {}
    articles = _read(inp, gold, sampling)
    pred = assign_stories(articles, ticker(start, len(articles)))
    return score_clusters(pred, {a.id: gold[a.id] for a in articles})
