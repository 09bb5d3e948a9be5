"""Shared helpers for the summary benchmarks: where the evaluation data lives, how to read it, how
to score it. The data is other people's copyrighted writing, so it is only ever read from disk here,
never copied into the repository.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.eval.jsonl import article_from_json, read_objects
from bot.eval.rouge import SUBSETS, Rouge1, Tally, rouge_scorer, subset_of
from bot.models import Article

__all__ = [
    "SUBSETS",
    "Rouge1",
    "Story",
    "Tally",
    "clusters_path",
    "data_dir",
    "read_stories",
    "rouge_scorer",
]

REPO = Path(__file__).resolve().parent.parent


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
        return subset_of(self.cluster_id)


def read_stories(path: Path) -> Iterator[Story]:
    """Stories with their references; a bad line raises EvalInputError naming it."""
    with path.open(encoding="utf-8", errors="surrogateescape") as stream:
        for line_no, obj in read_objects(stream):
            raw = obj.get("articles") or []
            articles = [article_from_json(a, line_no) for a in raw]
            reference = ((obj.get("reference") or {}).get("summary")) or ""
            yield Story(
                cluster_id=str(obj.get("cluster_id")),
                articles=articles,
                reference=reference,
                raw_sources=[a.get("source") for a in raw],
            )
