"""Shared helpers for the summary benchmarks: where the evaluation data lives, how to read it, how
to score it. The data is other people's copyrighted writing, so it is only ever read from disk here,
never copied into the repository.
"""

from __future__ import annotations

import json
import os
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.eval.jsonl import article_from_json
from bot.models import Article

REPO = Path(__file__).resolve().parent.parent
SUBSETS: tuple[tuple[str, str], ...] = (
    ("NeuS", "neus-val"),
    ("AllSides", "as-"),
    ("Multi-News", "mn-"),
)


def data_dir() -> Path:
    """`NEWSDIGEST_DATA` when set, else the shared checkout next to the repository."""
    override = os.environ.get("NEWSDIGEST_DATA")
    return Path(override) if override else REPO.parent / "shared" / "data"


def clusters_path(name: str = "clusters-dev.jsonl") -> Path:
    return data_dir() / "news" / name


@dataclass(slots=True)
class Story:
    cluster_id: str
    articles: list[Article]
    reference: str
    raw_sources: list[str | None] = field(default_factory=list)

    @property
    def subset(self) -> str:
        for label, prefix in SUBSETS:
            if self.cluster_id.startswith(prefix):
                return label
        return "other"


def read_stories(path: Path) -> Iterator[Story]:
    with path.open(encoding="utf-8") as stream:
        for line_no, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            obj: dict[str, Any] = json.loads(line)
            raw = obj.get("articles") or []
            articles = [article_from_json(a, line_no) for a in raw]
            reference = ((obj.get("reference") or {}).get("summary")) or ""
            yield Story(
                cluster_id=str(obj.get("cluster_id")),
                articles=articles,
                reference=reference,
                raw_sources=[a.get("source") for a in raw],
            )


def rouge_scorer() -> Any:
    from rouge_score import rouge_scorer as rs

    return rs.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)


@dataclass(slots=True)
class Tally:
    """Running ROUGE F1 means and lengths for one system on one subset."""

    r1: list[float] = field(default_factory=list)
    r2: list[float] = field(default_factory=list)
    rl: list[float] = field(default_factory=list)
    n_words: list[int] = field(default_factory=list)

    def add(self, scorer: Any, reference: str, summary: str) -> None:
        scores = scorer.score(reference, summary)
        self.r1.append(scores["rouge1"].fmeasure)
        self.r2.append(scores["rouge2"].fmeasure)
        self.rl.append(scores["rougeL"].fmeasure)
        self.n_words.append(len(summary.split()))

    def row(self) -> tuple[float, float, float, float, int]:
        if not self.r1:
            return (0.0, 0.0, 0.0, 0.0, 0)
        return (
            100 * statistics.fmean(self.r1),
            100 * statistics.fmean(self.r2),
            100 * statistics.fmean(self.rl),
            statistics.fmean(self.n_words),
            len(self.r1),
        )


class Rouge1:
    """ROUGE-1 F1 exactly as rouge_score computes it, with tokens cached per text.

    Training the reranker scores dozens of candidates per story built from the same few bullets;
    tokenising (and Porter-stemming) each bullet once makes that affordable.
    """

    def __init__(self) -> None:
        from rouge_score import tokenizers

        self._tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)
        self._cache: dict[str, tuple[str, ...]] = {}

    def tokens(self, text: str) -> tuple[str, ...]:
        if text not in self._cache:
            self._cache[text] = tuple(self._tokenizer.tokenize(text))
        return self._cache[text]

    def f1(self, reference: Sequence[str], parts: Sequence[str]) -> float:
        from collections import Counter

        ref = Counter(reference)
        hyp: Counter[str] = Counter()
        for part in parts:
            hyp.update(self.tokens(part))
        overlap = sum((ref & hyp).values())
        if not overlap:
            return 0.0
        precision = overlap / sum(hyp.values())
        recall = overlap / sum(ref.values())
        return 2 * precision * recall / (precision + recall)
