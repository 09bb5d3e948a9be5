"""The cluster stage against a real database: a failure mid-pass loses nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.pipeline import clustering
from bot.pipeline.clustering import StoryClusterer
from bot.store import articles as article_store
from bot.store import feeds as feed_store
from bot.store.database import open_database

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def _store(db, feed_id: int, n: int) -> list:  # type: ignore[no-untyped-def]
    titles = [
        ("One", "Skyforge lander touches down near lunar south pole"),
        ("Two", "Kestrel-2 lander from Skyforge lands near the Moon's south pole"),
        ("Three", "Central bank holds its key interest rate at 3.5%"),
    ]
    rows = [
        {
            "feed_id": feed_id,
            "source": source,
            "guid": f"g{i}",
            "url": f"https://x.example/{i}",
            "canonical_url": f"https://x.example/{i}",
            "title": title,
            "text": title + ". More details followed in the afternoon.",
            "published": NOW + timedelta(minutes=i),
            "seen_at": NOW + timedelta(minutes=i),
        }
        for i, (source, title) in enumerate(titles[:n])
    ]
    return article_store.insert_new(db, rows)


def test_a_crash_mid_pass_rolls_back_and_the_backlog_retries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(tmp_path / "nd.db")
    feed = feed_store.add_feed(db, "https://x.example/rss")
    articles = _store(db, feed.id, 3)
    stage = StoryClusterer(db)

    calls = {"n": 0}
    real = clustering.make_slug

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk hiccup")
        return real(*args, **kwargs)

    monkeypatch.setattr(clustering, "make_slug", flaky)
    with pytest.raises(RuntimeError):
        stage.assign(articles)
    # Nothing half-written: every article is still waiting for a story.
    assert len(article_store.unclustered(db)) == 3
    assert db["stories"].count == 0

    touched = stage.cluster_backlog()
    assert article_store.unclustered(db) == []
    story_of = dict(db.execute("SELECT source, story_id FROM articles").fetchall())
    assert story_of["One"] == story_of["Two"] != story_of["Three"]
    assert touched == {story_of["One"], story_of["Three"]}


async def test_overlapping_poll_passes_cluster_each_article_once(tmp_path: Path) -> None:
    """Two passes whose fetches overlap: the first pass's clustering must not hand the second
    pass's articles to the clusterer a second time."""
    from bot.app import NewsDigest
    from bot.config import Config

    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    feed = feed_store.add_feed(core.db, "https://x.example/rss")
    articles = _store(core.db, feed.id, 3)
    first = core.clusterer.cluster_backlog()  # pass 1 picks up everything already stored
    second = core.clusterer.cluster_backlog()  # pass 2 finds nothing left to do
    assert first and second == set()
    members = [
        core.clusterer.clusterer.members(sid) for sid in core.clusterer.clusterer.active_story_ids()
    ]
    assert sorted(len(m) for m in members) == [1, 2]
    assert sum(len(m) for m in members) == len(articles)


def test_a_late_article_that_was_published_first_moves_the_first_report(tmp_path: Path) -> None:
    from bot.pipeline.cards import build_card
    from bot.store import stories as story_store
    from bot.summarize import Summarizer

    db = open_database(tmp_path / "nd.db")
    feed = feed_store.add_feed(db, "https://x.example/rss")
    (first,) = _store(db, feed.id, 1)
    stage = StoryClusterer(db)
    (story_id,) = stage.assign([first])
    assert story_store.get_story(db, story_id).first_seen == NOW  # type: ignore[union-attr]

    # A slow feed delivers, an hour later, a report that went out 3 hours before the first one.
    (late,) = article_store.insert_new(
        db,
        [
            {
                "feed_id": feed.id,
                "source": "Two",
                "guid": "late",
                "url": "https://y.example/late",
                "canonical_url": "https://y.example/late",
                "title": "Kestrel-2 lander from Skyforge lands near the Moon's south pole",
                "text": "The Skyforge lander touched down near the lunar south pole.",
                "published": NOW - timedelta(hours=3),
                "seen_at": NOW + timedelta(hours=1),
            }
        ],
    )
    assert stage.assign([late]) == {story_id}
    story = story_store.get_story(db, story_id)
    assert story is not None and story.first_seen == NOW - timedelta(hours=3)
    card = build_card(db, story, Summarizer(), now=NOW + timedelta(hours=1))
    assert card.age_label == "as of 4h after first report"
