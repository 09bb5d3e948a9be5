"""Dedupe by outlet and title: a republished article is caught, a recurring title is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from bot.store import articles as article_store
from bot.store.database import open_database

DAY1 = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
BRIEFING_1 = (
    "Good morning. The harbour ferry strike enters its second week, the council votes on the new"
    " cycle lanes tonight, and a local bakery wins a national award for its rye loaf."
)
BRIEFING_2 = (
    "Good morning. Ferry workers and the operator return to talks today, heavy rain is expected"
    " across the valley this afternoon, and the library reopens after its roof repair."
)
LIVE_1 = "Live: overnight shelling near the river crossing; talks in Geneva postponed."
LIVE_2 = "Live: a prisoner exchange is under way at the border; grain convoys resume."
STORY = (
    "The regional water board approved a plan to replace ageing mains across the old town over"
    " the next four years, at a cost it put at 40 million, with the first streets closed in spring."
)


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return open_database(tmp_path / "nd.db")


def _row(guid: str, url: str | None, title: str, text: str, when: datetime) -> dict[str, object]:
    return {
        "feed_id": None,
        "source": "Valley Courier",
        "guid": guid,
        "url": url,
        "canonical_url": url,
        "title": title,
        "text": text,
        "author": None,
        "published": when,
        "seen_at": when,
    }


def test_daily_editions_under_one_title_on_their_own_pages_are_stored(
    db: sqlite_utils.Database,
) -> None:
    rows = [
        _row(
            "b1",
            "https://courier.example/2026/11/20/briefing",
            "Morning briefing",
            BRIEFING_1,
            DAY1,
        ),
        _row(
            "b2",
            "https://courier.example/2026/11/21/briefing",
            "Morning briefing",
            BRIEFING_2,
            DAY1 + timedelta(days=1),
        ),
        _row("l1", "https://courier.example/live/war-1", "War: live updates", LIVE_1, DAY1),
        _row(
            "l2",
            "https://courier.example/live/war-2",
            "War: live updates",
            LIVE_2,
            DAY1 + timedelta(days=2),
        ),
        # A title-only feed: no text is no evidence of a repeat.
        _row("t1", "https://courier.example/quiz/1", "Daily quiz", "", DAY1),
        _row("t2", "https://courier.example/quiz/2", "Daily quiz", "", DAY1 + timedelta(days=1)),
    ]
    stored = article_store.insert_new(db, rows)
    assert [a.url for a in stored] == [r["url"] for r in rows]


@pytest.mark.parametrize(
    ("url", "text"),
    [
        # Same page, only the query differs (a non-tracking parameter the canonical form keeps).
        ("https://courier.example/news/water-mains?output=amp", "Rewritten intro. " + STORY),
        # Same page under another scheme and the www. host.
        ("http://www.courier.example/news/water-mains/", "Rewritten intro entirely."),
        # Moved to a new URL, text unchanged apart from case and spacing.
        ("https://courier.example/2026/11/21/water-mains", "  " + STORY.upper()),
        # Moved to a new URL with a light edit (one figure corrected).
        ("https://courier.example/a/98765", STORY.replace("40 million", "42 million")),
        # No link at all, or only the site's home page: the title is all there is to go on.
        (None, "Something else entirely."),
        ("https://courier.example/", "Something else entirely."),
    ],
)
def test_a_republished_article_under_a_new_guid_is_still_a_duplicate(
    db: sqlite_utils.Database, url: str | None, text: str
) -> None:
    title = "Water board approves mains renewal"
    first = _row("w1", "https://courier.example/news/water-mains", title, STORY, DAY1)
    assert len(article_store.insert_new(db, [first])) == 1
    again = _row("w2", url, title, text, DAY1 + timedelta(hours=20))
    assert article_store.insert_new(db, [again]) == []
    assert article_store.count(db) == 1


def test_a_rewrite_on_a_new_page_is_a_new_article(db: sqlite_utils.Database) -> None:
    title = "Water board approves mains renewal"
    first = _row("w1", "https://courier.example/news/water-mains", title, STORY, DAY1)
    rewrite = _row(
        "w2",
        "https://courier.example/news/water-mains-follow-up",
        title,
        "Residents of the old town say they were not consulted about two years of roadworks.",
        DAY1 + timedelta(days=1),
    )
    assert len(article_store.insert_new(db, [first, rewrite])) == 2


def test_a_page_whose_stored_copy_linked_only_the_home_page_is_still_a_duplicate(
    db: sqlite_utils.Database,
) -> None:
    """The other way round: the stored copy came with only the site's home page, the new one
    with a page of its own and other text. Nothing tells them apart but the title, so the
    cautious rule holds and the new item is the same article."""
    title = "Water board approves mains renewal"
    first = _row("w1", "https://courier.example/", title, STORY, DAY1)
    assert len(article_store.insert_new(db, [first])) == 1
    again = _row(
        "w2",
        "https://courier.example/news/water-mains",
        title,
        "Something else entirely.",
        DAY1 + timedelta(hours=20),
    )
    assert article_store.insert_new(db, [again]) == []
    assert article_store.count(db) == 1
