"""Shared bench helpers: locating the labelled data, sampling it, scoring clusterers on it.

The data lives outside the repo (`<repo>/../shared/data`, or $NEWSDIGEST_DATA) and is never
copied in: it is other people's copyrighted writing, usable for evaluation only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # benches run as plain scripts: `python bench/x.py`
    sys.path.insert(0, str(REPO))

from bot.eval.jsonl import (  # noqa: E402
    EvalInputError,
    in_arrival_order,
    read_articles,
    read_objects,
)
from bot.eval.metrics import bcubed, pairwise  # noqa: E402
from bot.models import Article  # noqa: E402

STREAM = "news/articles-dev-stream.jsonl"
POOLED = "news/articles-dev.jsonl"
TRAIN = "news/clusters-train.jsonl"


def data_dir() -> Path | None:
    """The evaluation data folder, or None when it isn't there (benches then skip)."""
    root = Path(os.environ.get("NEWSDIGEST_DATA") or REPO.parent / "shared" / "data")
    return root if (root / STREAM).is_file() else None


def skip_without_data(bench: str) -> Path:
    root = data_dir()
    if root is None:
        print(
            f"{bench}: evaluation data not found (set NEWSDIGEST_DATA or add ../shared/data); "
            "skipping"
        )
        raise SystemExit(0)
    return root


def load(path: Path) -> tuple[list[Article], dict[str, str]]:
    """Articles and their gold story labels."""
    gold: dict[str, str] = {}
    with path.open(encoding="utf-8", errors="surrogateescape") as fh:
        try:
            articles = read_articles(fh, gold)
        except EvalInputError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            raise SystemExit(1) from None
    return articles, gold


def train_article_ids(root: Path) -> set[str]:
    """Ids of the articles in the training stories (articles-dev.jsonl contains all of them)."""
    ids = set()
    path = root / TRAIN
    if path.is_file():
        with path.open(encoding="utf-8", errors="surrogateescape") as fh:
            try:
                for n, obj in read_objects(fh):
                    raw = obj.get("articles")
                    if not isinstance(raw, list):
                        raise EvalInputError(f"line {n}: 'articles' must be a list")
                    ids.update(str(a["id"]) for a in raw if isinstance(a, dict) and "id" in a)
            except EvalInputError as exc:
                print(f"{path}: {exc}", file=sys.stderr)
                raise SystemExit(1) from None
    return ids


def score(assign: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    g = {i: gold[i] for i in assign}
    b = bcubed(assign, g)
    pw = pairwise(assign, g)
    return {
        "P": b.precision,
        "R": b.recall,
        "F1": b.f1,
        "pairF1": pw.f1,
        "clusters": len(set(assign.values())),
        "stories": len(set(g.values())),
    }


def run(
    cluster: Callable[[Iterable[Article]], dict[str, str]], articles: list[Article]
) -> dict[str, str]:
    return cluster(in_arrival_order(articles))
