"""A first poll's slugs do not depend on how its backlog was cut into commits: the same articles
in the same order get the same slugs, with batches of one article, of seven, of a hundred, or all
at once. The demo's sample news (written for the project) four times over, four days apart: the
same events again, so later copies compete with earlier ones for their slugs."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.demo.sample_news import ITEMS, OUTLETS
from bot.pipeline.clustering import StoryClusterer
from bot.store import articles as article_store
from bot.store.database import open_database

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
ROUNDS = 4  # 124 articles: a batch of 100 cuts the backlog in two
NAMES = {o.slug: o.name for o in OUTLETS}


def _rows() -> list[dict[str, Any]]:
    rows = []
    for rnd in range(ROUNDS):
        for i, item in enumerate(ITEMS):
            when = NOW + timedelta(days=4 * rnd, hours=-item.hours_ago)
            rows.append(
                {
                    "source": NAMES[item.outlet],
                    "guid": f"r{rnd}-{i}",
                    "url": f"https://news.example/{rnd}/{i}",
                    "canonical_url": f"https://news.example/{rnd}/{i}",
                    "title": item.title,
                    "text": item.text,
                    "published": when,
                    "seen_at": when,
                }
            )
    return rows


Slugs = dict[tuple[str, ...], str]


def _slugs_by_members(tmp_path: Path, batch_size: int | None) -> Slugs:
    """Each live story's slug, keyed by its articles' guids (story ids are random)."""
    db = open_database(tmp_path / f"nd-{batch_size}.db")
    article_store.insert_new(db, _rows())
    stage = StoryClusterer(db)
    backlog = stage.backlog()
    assert len(backlog) == ROUNDS * len(ITEMS)
    # Drained for its side effect: each batch is clustered and filed as it is consumed.
    deque(stage.assign_in_batches(backlog, set(), batch_size=batch_size or len(backlog)), maxlen=0)
    out = {}
    for story_id, slug in db.execute("SELECT id, slug FROM stories WHERE merged_into IS NULL"):
        rows = db.execute("SELECT guid FROM articles WHERE story_id = ?", [story_id])
        out[tuple(sorted(r[0] for r in rows))] = slug
    db.close()
    return out


@pytest.fixture(scope="module")
def one_by_one(tmp_path_factory: pytest.TempPathFactory) -> Slugs:
    slugs = _slugs_by_members(tmp_path_factory.mktemp("one"), 1)
    # Each round's events are stories of their own, and the later rounds' found the first
    # round's names taken: every slug in use is distinct.
    assert len(slugs) == ROUNDS * len({item.story for item in ITEMS})
    assert len(set(slugs.values())) == len(slugs)
    return slugs


@pytest.mark.parametrize("batch_size", [7, 100, None])
def test_a_backlog_s_slugs_are_those_of_one_article_at_a_time(
    tmp_path: Path, batch_size: int | None, one_by_one: Slugs
) -> None:
    batched = _slugs_by_members(tmp_path, batch_size)
    assert batched.keys() == one_by_one.keys()  # the same stories (membership never varied)
    assert batched == one_by_one
