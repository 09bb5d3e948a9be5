"""ROUGE scoring for summaries against references (rouge-score, Porter stemming on).

Shared by `newsdigest eval summarize --score` and the summary benchmarks. rouge-score is a dev
extra, so it is imported only when a scorer is asked for; `RougeUnavailable` says how to get it.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Subset label and the cluster_id prefix that marks it; anything else is "other".
SUBSETS: tuple[tuple[str, str], ...] = (
    ("NeuS", "neus-val"),
    ("AllSides", "as-"),
    ("Multi-News", "mn-"),
)
OTHER = "other"
INSTALL_HINT = "pip install rouge-score (or the dev extra: pip install -e '.[dev]')"


class RougeUnavailable(RuntimeError):
    """The rouge-score package is not installed."""


def subset_of(cluster_id: str) -> str:
    for label, prefix in SUBSETS:
        if cluster_id.startswith(prefix):
            return label
    return OTHER


def subset_order() -> list[str]:
    return [label for label, _ in SUBSETS] + [OTHER]


def rouge_scorer() -> Any:
    """A rouge_score RougeScorer for ROUGE-1/2/L with stemming."""
    try:
        from rouge_score import rouge_scorer as rs
    except ImportError:
        raise RougeUnavailable(f"scoring needs the rouge-score package: {INSTALL_HINT}") from None
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
        """(R-1, R-2, R-L as percentages, mean words, n)."""
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
        try:
            from rouge_score import tokenizers
        except ImportError:
            raise RougeUnavailable(f"needs the rouge-score package: {INSTALL_HINT}") from None
        self._tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)
        self._cache: dict[str, tuple[str, ...]] = {}

    def tokens(self, text: str) -> tuple[str, ...]:
        if text not in self._cache:
            self._cache[text] = tuple(self._tokenizer.tokenize(text))
        return self._cache[text]

    def f1(self, reference: Sequence[str], parts: Sequence[str]) -> float:
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
