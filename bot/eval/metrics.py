"""Clustering quality metrics against gold story labels.

B-cubed (Bagga & Baldwin 1998) scores every article by how much of its predicted cluster shares
its gold story (precision) and how much of its gold story shares its predicted cluster (recall),
so big stories don't dominate the way they do in pairwise counting. Pairwise F1 is reported too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def _check(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> None:
    if set(pred) != set(gold):
        missing = len(set(gold) - set(pred))
        extra = len(set(pred) - set(gold))
        raise ValueError(f"prediction and gold differ: {missing} missing, {extra} extra ids")


def bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> PRF:
    """B-cubed precision, recall and F1 over article ids (`pred` and `gold` map id -> label)."""
    _check(pred, gold)
    if not gold:
        return PRF(1.0, 1.0, 1.0)
    joint = Counter((pred[i], gold[i]) for i in gold)
    pred_size = Counter(pred.values())
    gold_size = Counter(gold.values())
    # Each article in the (pred, gold) cell of size c gets precision c/|pred| and recall c/|gold|.
    p = sum(c * c / pred_size[pl] for (pl, _), c in joint.items()) / len(gold)
    r = sum(c * c / gold_size[gl] for (_, gl), c in joint.items()) / len(gold)
    return PRF(p, r, _f1(p, r))


def pairwise(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> PRF:
    """Precision/recall/F1 over unordered pairs of articles placed in the same cluster."""
    _check(pred, gold)

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    joint = Counter((pred[i], gold[i]) for i in gold)
    together = sum(pairs(c) for c in joint.values())
    pred_pairs = sum(pairs(c) for c in Counter(pred.values()).values())
    gold_pairs = sum(pairs(c) for c in Counter(gold.values()).values())
    p = together / pred_pairs if pred_pairs else 1.0
    r = together / gold_pairs if gold_pairs else 1.0
    return PRF(p, r, _f1(p, r))
