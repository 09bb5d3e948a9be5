"""Fit the summariser's word model on the NeuS training split and write `bot/summarize/_weights.py`.

    .venv/bin/python bench/train_summary_model.py [clusters-train.jsonl] [--folds 5] [--dry-run]

Each content stem of a story is one example: its features (`bot.summarize.wordmodel.FEATURES`)
and whether the story's reference summary uses it. Logistic regression with a little L2, fitted
by Newton's method in numpy; k-fold cross-validation by story reports log-loss and AUC so a new
feature can be judged before it ships. Only aggregate feature weights are written: no words, no
text from the data.
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

from bench._summary_data import clusters_path, read_stories
from bot.summarize import outlet_keys
from bot.summarize.sentences import content_stems
from bot.summarize.wordmodel import FEATURES, word_features

PACKAGE = Path(__file__).resolve().parent.parent / "bot" / "summarize"
WEIGHTS_FILE = PACKAGE / "_weights.py"
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


def dataset(path: Path) -> list[StoryRows]:
    out: list[StoryRows] = []
    for story in read_stories(path):
        if not story.reference or not story.articles:
            continue
        gold = set(content_stems(story.reference))
        stems, rows = word_features(story.articles, outlet_keys(story.articles))
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
    body = "".join(f"    {stem!r}: {df},\n" for stem, df in sorted(table.items()))
    LEXICON_FILE.write_text(
        '"""Background document frequencies, written by bench/train_summary_model.py.\n\n'
        "In how many NeuS training articles each word stem occurs (aggregate counts only; stems\n"
        'in fewer than a few articles are left out). Used for the word model\'s idf feature.\n"""\n\n'
        f"DOCS = {n_docs}\nDOC_FREQ: dict[str, int] = {{\n{body}}}\n",
        encoding="utf-8",
    )


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default="clusters-train.jsonl")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--holdout", type=int, help="leave fold K out of training entirely")
    parser.add_argument("--drop", nargs="*", default=[], help="features to leave out (weight 0)")
    parser.add_argument("--dry-run", action="store_true", help="report CV, do not write weights")
    args = parser.parse_args()
    path = Path(args.file) if "/" in args.file else clusters_path(args.file)
    if not path.exists():
        print(f"training skipped: {path} not found (set NEWSDIGEST_DATA)")
        return 0
    stories = dataset(path)
    if args.holdout is not None:
        # Leave one fold out of everything, to measure the whole summariser on it afterwards.
        stories = [s for i, s in enumerate(stories) if i % args.folds != args.holdout]
    print(f"examples: {sum(len(s.y) for s in stories)} from {len(stories)} stories")
    drop = [FEATURES.index(name) for name in args.drop]
    cross_validate(stories, args.folds, drop)
    lexicon = build_lexicon(stories)
    x, y = with_lexicon(stories, lexicon)
    keep = [i for i in range(len(FEATURES)) if i not in drop]
    # A dropped feature keeps its slot with weight 0, so the runtime code needs no change.
    w = np.zeros(len(FEATURES) + 1)
    w[[*keep, len(FEATURES)]] = fit(x[:, keep], y)
    for name, v in zip(FEATURES, w[:-1], strict=True):
        print(f"  {name:<16}{v:8.3f}")
    print(f"  {'bias':<16}{w[-1]:8.3f}")
    if not args.dry_run:
        write_weights(w)
        write_lexicon(lexicon)
        print(f"wrote {WEIGHTS_FILE} and {LEXICON_FILE} ({len(lexicon[1])} stems)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
