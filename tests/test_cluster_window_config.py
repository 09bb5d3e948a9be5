"""`[clustering] window_hours` is the clusterer's window: a story stays open to new articles that
long after its newest one. It used to reach only the start-up reload and the first-report rule,
while the clusterer itself kept its 48 hours whatever the config said."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.pipeline.clustering import StoryClusterer
from bot.store import articles as article_store
from bot.store import feeds as feed_store
from bot.store.database import open_database

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
OPENING = (
    "Harbour bridge in Calderport closes for a year of repairs",
    "Calderport's harbour bridge closed on Monday for a year of repairs to its steel deck, the"
    " city's transport office said, sending 40,000 daily drivers onto the ring road.",
)
FOLLOW_UP = (
    "Calderport harbour bridge closure: ring road traffic doubles",
    "Traffic on Calderport's ring road has doubled since the harbour bridge closed for a year of"
    " repairs, the transport office said, as 40,000 daily drivers look for other routes.",
)


def _stories(tmp_path: Path, window_hours: int, gap: timedelta) -> int:
    db = open_database(tmp_path / f"nd{window_hours}.db")
    feed = feed_store.add_feed(db, "https://x.example/rss")
    feed_store.mark_first_read(db, feed.id, T0 - timedelta(days=30))
    stage = StoryClusterer(db, window_hours=window_hours)
    for n, ((title, text), when) in enumerate(((OPENING, T0), (FOLLOW_UP, T0 + gap))):
        row = {
            "feed_id": feed.id,
            "source": f"Outlet {n}",
            "guid": f"g{n}",
            "url": f"https://x.example/{n}",
            "canonical_url": f"https://x.example/{n}",
            "title": title,
            "text": text,
            "published": when,
            "seen_at": when,
        }
        stage.assign(article_store.insert_new(db, [row]))
    return db.execute("SELECT COUNT(DISTINCT story_id) FROM articles").fetchone()[0]


def test_a_longer_window_keeps_a_story_open_past_48_hours(tmp_path: Path) -> None:
    gap = timedelta(hours=60)
    assert _stories(tmp_path, 48, gap) == 2  # closed by then: the follow-up opens a story
    assert _stories(tmp_path, 240, gap) == 1


def test_a_shorter_window_closes_a_story_sooner(tmp_path: Path) -> None:
    gap = timedelta(hours=30)
    assert _stories(tmp_path, 48, gap) == 1
    assert _stories(tmp_path, 24, gap) == 2
