"""Slugs come from the story's distinctive words, are re-made once from all its headlines when
a second source joins, and never change after a channel was sent the story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

from bot.cluster.slugs import make_slug
from bot.models import Article
from bot.pipeline.clustering import StoryClusterer
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store.database import iso, open_database

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
HEADLINES = [
    ("Harbor Times", "Ministry pledges 4 billion crowns for Nordic language model"),
    ("Tech Current", "Nordic language model will be open to every company, minister says"),
    ("Market Pulse", "Nordtel shares rise 6% after winning Nordic language model contract"),
]


def _slug(title: str) -> str:
    return make_slug([Article(id="1", source="s", title=title, text="")], lambda s: False)


def test_one_headline_gives_its_rare_words_and_names_not_its_first_words() -> None:
    # Before: the first two content words, "china-agree".
    slug = _slug("U.S. and China agree on trade truce")
    assert "agree" not in slug.split("-")
    assert "china" in slug.split("-")
    # "U.S." is a name; only the word "us" is a stopword.
    assert "us" in _slug("U.S. imposes sanctions").split("-")


def _add(db: sqlite_utils.Database, i: int) -> list[Article]:
    source, title = HEADLINES[i]
    when = NOW + timedelta(minutes=i)
    row = {
        "source": source,
        "guid": f"g{i}",
        "url": f"https://x.example/{i}",
        "title": title,
        "text": f"{title}. The government said the Nordic language model would be trained on local texts.",
        "published": when,
        "seen_at": when,
    }
    return article_store.insert_new(db, [row])


def _only_story(db: sqlite_utils.Database) -> story_store.StoryRow:
    (row,) = [r for r in db["stories"].rows_where("merged_into IS NULL")]
    return story_store.get_story(db, row["id"])  # type: ignore[return-value]


def test_the_slug_is_remade_from_all_headlines_once_a_second_source_joins(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    stage = StoryClusterer(db)
    stage.assign(_add(db, 0))
    first = _only_story(db).slug
    assert first == "ministry-nordic"  # one headline's words
    stage.assign(_add(db, 1))
    story = _only_story(db)
    assert story.source_count == 2
    assert story.slug == "nordic-language"  # the words both headlines use
    # The first name still finds the story.
    assert story_store.find_by_name(db, [first]) == (story, "alias")
    # Settled: a third source does not rename it again.
    settled = story.slug
    stage.assign(_add(db, 2))
    assert _only_story(db).slug == settled


def test_a_story_already_sent_to_a_channel_keeps_its_slug(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    stage = StoryClusterer(db)
    stage.assign(_add(db, 0))
    story = _only_story(db)
    # A channel that takes one-source stories was sent it under its first slug.
    channel = channel_store.ensure_channel(db, "slack", "C1")
    db.execute(
        "INSERT INTO deliveries (story_id, channel_pk, nonce, state, created_at, updated_at)"
        " VALUES (?, ?, 'n', 'sent', ?, ?)",
        [story.id, channel.id, iso(NOW), iso(NOW)],
    )
    stage.assign(_add(db, 1))
    assert _only_story(db).source_count == 2
    assert _only_story(db).slug == story.slug


def _report(
    db: sqlite_utils.Database, guid: str, title: str, text: str, at: datetime
) -> list[Article]:
    row = {
        "source": "Capital Wire",
        "guid": guid,
        "url": f"https://x.example/{guid}",
        "title": title,
        "text": text,
        "published": at,
        "seen_at": at,
    }
    return article_store.insert_new(db, [row])


def test_a_new_story_is_not_named_an_older_slug_in_another_order(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    stage = StoryClusterer(db)
    stage.assign(
        _report(
            db,
            "g1",
            "U.S. and Iran end second round of talks",
            "Negotiators left the lakeside venue after six hours of meetings.",
            NOW,
        )
    )
    (first,) = [r["slug"] for r in db["stories"].rows]
    assert first == "us-iran"
    stage.assign(
        _report(
            db,
            "g2",
            "Iran and U.S. trade blame over stalled talks",
            "Each side said the other had walked back an earlier offer on sanctions.",
            NOW + timedelta(hours=3),
        )
    )
    slugs = {r["slug"] for r in db["stories"].rows_where("merged_into IS NULL")}
    assert first in slugs and len(slugs) == 2  # the shown slug never changes
    (second,) = slugs - {first}
    assert set(second.split("-")) != set(first.split("-")), second
