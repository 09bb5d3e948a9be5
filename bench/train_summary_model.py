"""Fit the summariser's word model and TL;DR reranker on the NeuS training split.

    .venv/bin/python bench/train_summary_model.py [clusters-train.jsonl] [--folds 5]
        [--stage words|rerank|all] [--l2 3] [--limit N] [--every-story] [--dry-run]

Word model (`_weights.py`, `_lexicon.py`): each content stem of a story is one example, its
features (`bot.summarize.wordmodel.FEATURES`) and whether the story's reference summary uses it.
Logistic regression with a little L2, fitted by Newton's method in numpy; k-fold CV by story
reports log-loss and AUC so a new feature can be judged before it ships.

Reranker (`_rerank_weights.py`): each candidate TL;DR the beam search returns is one example, its
features (`bot.summarize.rerank.RERANK_FEATURES`) and its ROUGE-1 F1 against the reference; ridge
regression within each story. CV reports the ROUGE-1 of the candidate shipped: the search's own
first, the reranked pick, and the best candidate (oracle). It uses the word model just fitted
(stage "all") or the shipped one (stage "rerank"). Only aggregate weights are written: no words,
no text from the data.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._summary_data import Rouge1, Story, clusters_path, read_stories
from bot.outlets import outlet_names
from bot.summarize import wordmodel
from bot.summarize.candidates import TldrParams
from bot.summarize.lexicon import module_text
from bot.summarize.rerank import RERANK_FEATURES
from bot.summarize.rerank import features as candidate_features
from bot.summarize.sentences import content_stems
from bot.summarize.tldr import candidate_tldrs
from bot.summarize.wordmodel import FEATURES, word_features

PACKAGE = Path(__file__).resolve().parent.parent / "bot" / "summarize"
WEIGHTS_FILE = PACKAGE / "_weights.py"
RERANK_FILE = PACKAGE / "_rerank_weights.py"
LEXICON_FILE = PACKAGE / "_lexicon.py"
# Stems seen in fewer training articles get the defaults: their statistics would be noise.
MIN_DF = 3


@dataclass(slots=True)
class StoryRows:
    stems: list[str]
    x: np.ndarray
    y: np.ndarray
    # Content stems of each article (title and text): the documents of the background counts.
    docs: list[set[str]]


def dataset(stories: Sequence[Story]) -> list[StoryRows]:
    out: list[StoryRows] = []
    for story in stories:
        gold = set(content_stems(story.reference))
        stems, rows = word_features(story.articles, outlet_names(story.articles))
        docs = [set(content_stems(f"{a.title}\n{a.text}")) for a in story.articles]
        y = np.array([1.0 if s in gold else 0.0 for s in stems])
        out.append(StoryRows(stems, np.array(rows), y, docs))
    return out


Lexicon = tuple[int, dict[str, int]]


def build_lexicon(stories: list[StoryRows], min_df: int = MIN_DF) -> Lexicon:
    """In how many training articles each stem occurs: the background for the idf feature."""
    df: Counter[str] = Counter()
    for story in stories:
        for doc in story.docs:
            df.update(doc)
    n_docs = sum(len(story.docs) for story in stories)
    return n_docs, {stem: count for stem, count in df.items() if count >= min_df}


def with_lexicon(stories: list[StoryRows], lexicon: Lexicon) -> tuple[np.ndarray, np.ndarray]:
    """All rows with the idf column (the last feature) computed from `lexicon`."""
    n_docs, table = lexicon
    xs = []
    for story in stories:
        x = story.x.copy()
        for i, stem in enumerate(story.stems):
            x[i, -1] = math.log((n_docs + 1) / (table.get(stem, 0) + 1)) / 10.0
        xs.append(x)
    return np.vstack(xs), np.concatenate([s.y for s in stories])


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 30) -> np.ndarray:
    """Weights (bias last) of an L2-regularised logistic regression, by Newton's method."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    reg = l2 * np.eye(xb.shape[1])
    reg[-1, -1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-xb @ w))
        grad = xb.T @ (p - y) + reg @ w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def predict(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ w[:-1] + w[-1])))


def auc(y: np.ndarray, p: np.ndarray) -> float:
    order = np.argsort(p)
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    pos = y == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def cross_validate(stories: list[StoryRows], folds: int, drop: Sequence[int] = ()) -> None:
    """Out-of-fold log-loss and AUC; the lexicon too is rebuilt without the held-out fold."""
    keep = [i for i in range(len(FEATURES)) if i not in drop]
    ys, ps = [], []
    for k in range(folds):
        train = [s for i, s in enumerate(stories) if i % folds != k]
        test = [s for i, s in enumerate(stories) if i % folds == k]
        lexicon = build_lexicon(train)
        x_train, y_train = with_lexicon(train, lexicon)
        x_test, y_test = with_lexicon(test, lexicon)
        w = fit(x_train[:, keep], y_train)
        ps.append(predict(x_test[:, keep], w))
        ys.append(y_test)
    y, p = np.concatenate(ys), np.concatenate(ps)
    print(f"cv: log-loss {log_loss(y, p):.4f}  auc {auc(y, p):.4f}  base rate {y.mean():.3f}")


def write_lexicon(lexicon: Lexicon) -> None:
    n_docs, table = lexicon
    LEXICON_FILE.write_text(module_text(n_docs, dict(table)), encoding="utf-8")


def write_weights(w: np.ndarray) -> None:
    lines = [
        '"""Word-model weights, written by bench/train_summary_model.py (NeuS train); do not edit."""',
        "",
        f"BIAS = {w[-1]:.4f}",
        "WEIGHTS = (",
        *(f"    {v:.4f},  # {name}" for v, name in zip(w[:-1], FEATURES, strict=True)),
        ")",
        "",
    ]
    WEIGHTS_FILE.write_text("\n".join(lines), encoding="utf-8")


# --- Reranker: which of the search's candidates to ship --------------------------------------


@dataclass(slots=True)
class CandidateRows:
    x: np.ndarray
    # ROUGE-1 F1 of each candidate against the story's reference.
    y: np.ndarray


def rerank_dataset(stories: Sequence[Story], every_story: bool = False) -> list[CandidateRows]:
    """Per story, the features and ROUGE-1 of the candidates the shipped word model leads to.

    Only stories with a choice train the model. `every_story` keeps the others in the tally, as
    the dev bench counts them (one candidate: it; none: an empty TL;DR, ROUGE 0), so two pools of
    candidates are compared on the same stories: a pool that gives a story its first or second
    candidate would otherwise change which stories the mean is over.
    """
    rouge = Rouge1()
    params = TldrParams()
    out: list[CandidateRows] = []
    for story in stories:
        candidates, ctx = candidate_tldrs(story.articles, outlet_names(story.articles), params)
        if len(candidates) < 2:
            if every_story:
                ref = rouge.tokens(story.reference)
                y = rouge.f1(ref, [o.text for o in candidates[0].options]) if candidates else 0.0
                out.append(CandidateRows(np.zeros((1, len(RERANK_FEATURES))), np.array([y])))
            continue
        ref = rouge.tokens(story.reference)
        rows = [candidate_features(c, ctx, params) for c in candidates]
        ys = [rouge.f1(ref, [o.text for o in c.options]) for c in candidates]
        out.append(CandidateRows(np.array(rows), np.array(ys)))
    return out


def fit_rerank(stories: Sequence[CandidateRows], l2: float = 1.0) -> np.ndarray:
    """Ridge regression of ROUGE-1 on the features, both centred within each story.

    Only differences between a story's own candidates matter for picking one, so story-level
    difficulty (some references are just far from every source sentence) is taken out first.
    """
    xs = np.vstack([s.x - s.x.mean(axis=0) for s in stories])
    ys = np.concatenate([s.y - s.y.mean() for s in stories])
    return np.linalg.solve(xs.T @ xs + l2 * np.eye(xs.shape[1]), xs.T @ ys)


def picked_rouge(stories: Sequence[CandidateRows], w: np.ndarray | None) -> float:
    """Mean ROUGE-1 of the candidate each story would ship: the search's first without `w`."""
    picks = [s.y[0] if w is None else s.y[int(np.argmax(s.x @ w))] for s in stories]
    return 100 * float(np.mean(picks))


def cross_validate_rerank(stories: list[CandidateRows], folds: int, l2: float) -> None:
    picks: list[float] = []
    for k in range(folds):
        train = [s for i, s in enumerate(stories) if i % folds != k]
        test = [s for i, s in enumerate(stories) if i % folds == k]
        w = fit_rerank(train, l2)
        picks.extend(s.y[int(np.argmax(s.x @ w))] for s in test)
    print(
        f"rerank cv (ROUGE-1 of the shipped candidate): search {picked_rouge(stories, None):.2f}"
        f"  reranked {100 * float(np.mean(picks)):.2f}"
        f"  oracle {100 * float(np.mean([s.y.max() for s in stories])):.2f}"
        f"  ({len(stories)} stories, l2 {l2})"
    )


def write_rerank(w: np.ndarray) -> None:
    lines = [
        '"""Reranker weights, written by bench/train_summary_model.py (NeuS train); do not edit."""',
        "",
        "RERANK_WEIGHTS = (",
        *(f"    {v:.5f},  # {name}" for v, name in zip(w, RERANK_FEATURES, strict=True)),
        ")",
        "",
    ]
    RERANK_FILE.write_text("\n".join(lines), encoding="utf-8")


def train_words(stories: list[Story], args: argparse.Namespace) -> None:
    rows = dataset(stories)
    print(f"examples: {sum(len(s.y) for s in rows)} from {len(rows)} stories")
    drop = [FEATURES.index(name) for name in args.drop]
    cross_validate(rows, args.folds, drop)
    lexicon = build_lexicon(rows)
    x, y = with_lexicon(rows, lexicon)
    keep = [i for i in range(len(FEATURES)) if i not in drop]
    # A dropped feature keeps its slot with weight 0, so the runtime code needs no change.
    w = np.zeros(len(FEATURES) + 1)
    w[[*keep, len(FEATURES)]] = fit(x[:, keep], y)
    for name, v in zip(FEATURES, w[:-1], strict=True):
        print(f"  {name:<16}{v:8.3f}")
    print(f"  {'bias':<16}{w[-1]:8.3f}")
    # The reranker is trained on the candidates this word model leads to, so use it right away.
    wordmodel.BIAS, wordmodel.WEIGHTS = float(w[-1]), tuple(float(v) for v in w[:-1])
    wordmodel.DOCS, wordmodel.DOC_FREQ = lexicon
    if not args.dry_run:
        write_weights(w)
        write_lexicon(lexicon)
        print(f"wrote {WEIGHTS_FILE} and {LEXICON_FILE} ({len(lexicon[1])} stems)")


def train_rerank(stories: list[Story], args: argparse.Namespace) -> None:
    rows = rerank_dataset(stories, args.every_story)
    cross_validate_rerank(rows, args.folds, args.l2)
    w = fit_rerank(rows, args.l2)
    for name, v in zip(RERANK_FEATURES, w, strict=True):
        print(f"  {name:<16}{v:8.4f}")
    if not args.dry_run:
        write_rerank(w)
        print(f"wrote {RERANK_FILE}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default="clusters-train.jsonl")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--holdout", type=int, help="leave fold K out of training entirely")
    parser.add_argument("--drop", nargs="*", default=[], help="features to leave out (weight 0)")
    parser.add_argument("--stage", choices=("words", "rerank", "all"), default="all")
    parser.add_argument("--l2", type=float, default=3.0, help="reranker ridge penalty")
    parser.add_argument(
        "--every-story",
        action="store_true",
        help="count stories with fewer than 2 candidates in the CV mean too",
    )
    parser.add_argument("--limit", type=int, default=0, help="first N stories only")
    parser.add_argument("--dry-run", action="store_true", help="report CV, do not write weights")
    args = parser.parse_args()
    path = Path(args.file) if "/" in args.file else clusters_path(args.file)
    if not path.exists():
        print(f"training skipped: {path} not found (set NEWSDIGEST_DATA)")
        return 0
    stories = [s for s in read_stories(path) if s.reference and s.articles]
    if args.limit:
        stories = stories[: args.limit]
    if args.holdout is not None:
        # Leave one fold out of everything, to measure the whole summariser on it afterwards.
        stories = [s for i, s in enumerate(stories) if i % args.folds != args.holdout]
    if args.stage in ("words", "all"):
        train_words(stories, args)
    if args.stage in ("rerank", "all"):
        train_rerank(stories, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
