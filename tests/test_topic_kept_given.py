"""A story counts as kept matched for a channel only once the channel got it: its card or the
notice listing it sent (`bot.store.topic_matches`). A notice given up (out of attempts) or a card
dropped unsent keeps nothing, so a story that grew out of the channel's topic is not given to it
later as "matched" when it never saw it; a notice held for a rate limit keeps its match waiting,
and it counts once the notice is sent. Real SQLite files, the real digest planner and outbox, a
fake chat platform (tests/_kept_matches.py)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from _kept_matches import (
    LEAD,
    MONDAY,
    OTHERWISE,
    TUESDAY,
    drain,
    listed_on_monday,
    notice_state,
    queued,
    report,
)
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel

from bot.delivery.adapter import RateLimitedDeliveryError
from bot.delivery.outbox import OutboxSettings
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import migrations, retention, topic_matches
from bot.store import stories as story_store
from bot.store.channels import ChannelRow
from bot.store.database import open_database, transaction


def chosen(
    db: sqlite_utils.Database, channel: ChannelRow, now: datetime = TUESDAY
) -> list[tuple[str, list[str]]]:
    """The stories (and the topics they match by) the channel's digest at `now` gives cards."""
    picked = digests.digest_selection(db, channel, now=now, default_size=1)
    return [(c.story.id, c.topics) for c in picked.chosen]


def test_a_notice_given_up_keeps_no_match(tmp_path: Path) -> None:
    db, channel = listed_on_monday(tmp_path, sent=False)
    chat = FakeChatAdapter("slack")
    # The ferry's card goes out; the notice listing the budget story fails its only attempt.
    chat.failures = [None, RuntimeError("the platform choked on it")]
    asyncio.run(drain(db, MONDAY, chat, OutboxSettings(pace=0, max_attempts=1)))
    assert [m.story_id for m in chat.cards()] == ["ferry"]
    assert notice_state(db) == "failed"
    # The channel never saw the budget story listed: grown out of `electric`, it is not its.
    assert chosen(db, channel) == []
    assert list(topic_matches.kept_by_query(db, "electric")) == ["ferry"]


def test_a_held_notice_keeps_its_match_until_it_is_sent(tmp_path: Path) -> None:
    db, channel = listed_on_monday(tmp_path, sent=False)
    chat = FakeChatAdapter("slack")
    chat.failures = [None, RateLimitedDeliveryError("429", retry_after=3600)]
    asyncio.run(drain(db, MONDAY, chat))
    assert notice_state(db) == "pending"
    # Not seen yet: a digest meanwhile does not give the story as matching.
    assert chosen(db, channel, MONDAY + timedelta(minutes=30)) == []
    asyncio.run(drain(db, MONDAY + timedelta(hours=1, minutes=1), chat))
    assert notice_state(db) == "sent"
    # The wait lost nothing: seen now, it stays matched.
    assert chosen(db, channel) == [("budget", ["buses"])]


def test_a_card_dropped_unsent_keeps_no_match(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", min_sources=1, quiet_hours="08:00-12:00")
    channel_store.upsert_topic(db, "buses", "electric", origin="chat")
    channel_store.follow(db, channel.id, "buses", now=MONDAY - timedelta(days=1))
    report(db, "budget", LEAD, MONDAY - timedelta(hours=3))
    assert digests.enqueue_digest(db, channel, now=MONDAY, default_size=1) == 1
    # Held for quiet hours, then dropped unsent: the channel now wants two sources.
    channel = channel_store.update_channel(db, channel.id, min_sources=2)
    chat = asyncio.run(drain(db, MONDAY + timedelta(hours=3, minutes=1)))
    assert chat.cards() == [] and queued(db, channel) == []
    report(db, "budget", OTHERWISE, MONDAY + timedelta(hours=4))
    # Two sources now, but no longer about electric buses, and never given to the channel.
    assert chosen(db, channel) == []


def test_a_merge_that_drops_a_queued_card_drops_its_match(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", min_sources=1)
    # Following no topic yet, the channel gets every story: the vote's card goes out.
    report(db, "vote", ("Coast Courier", "Budget vote ends", "A vote ended it."), MONDAY)
    digests.enqueue_digest(db, channel, now=MONDAY, default_size=1)
    asyncio.run(drain(db, MONDAY))
    channel_store.upsert_topic(db, "buses", "electric", origin="chat")
    channel_store.follow(db, channel.id, "buses", now=MONDAY)
    later = MONDAY + timedelta(hours=2)
    report(db, "budget", LEAD, later)
    assert digests.enqueue_digest(db, channel, now=later, default_size=1) == 1
    assert topic_matches.kept_for(db, channel.id, "budget", queued=True) == {"buses"}
    # The budget story is the vote's: its queued card goes, the vote's posted one stands.
    with transaction(db):
        story_store.merge(db, "budget", "vote", now=later)
    assert queued(db, channel) == ["vote"]
    assert topic_matches.kept_for(db, channel.id, "vote", queued=True) == set()
    assert db.execute("SELECT COUNT(*) FROM topic_matches").fetchone()[0] == 0


def test_a_pruned_notice_leaves_what_it_gave(tmp_path: Path) -> None:
    db, channel = listed_on_monday(tmp_path)
    # The notice (sent at 09:00) and the ferry go; the budget story, updated since, stays.
    now = MONDAY + timedelta(days=31, hours=1)
    retention.prune(db, now=now, older_than=timedelta(days=31), window=timedelta(days=2))
    assert db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == 0
    assert story_store.get_story(db, "budget") is not None
    assert topic_matches.kept_for(db, channel.id, "budget") == {"buses"}


def test_a_pruned_failed_notice_takes_its_matches(tmp_path: Path) -> None:
    db, _channel = listed_on_monday(tmp_path, sent=False)
    db.execute("UPDATE alerts SET state = 'failed'")
    now = MONDAY + timedelta(days=31, hours=1)
    retention.prune(db, now=now, older_than=timedelta(days=31), window=timedelta(days=2))
    # The budget story stays (updated since the cutoff), but nothing gave it to the channel.
    assert story_store.get_story(db, "budget") is not None
    assert [r[0] for r in db.execute("SELECT story_id FROM topic_matches")] == ["ferry"]


def test_an_upgrade_names_what_gave_each_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.store import database

    path = tmp_path / "nd.db"
    stories = ["carded", "queued", "failed", "listed", "lost", "moved", "survivor"]
    at = {story_id: (MONDAY + timedelta(hours=h)).isoformat() for h, story_id in enumerate(stories)}
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in migrations.MIGRATIONS if m[0] <= 37])
        db = open_database(path)
        channel = add_channel(db, "C1", min_sources=1)
        channel_store.upsert_topic(db, "buses", "electric", origin="chat")
        channel_store.follow(db, channel.id, "buses", now=MONDAY - timedelta(days=1))
        for n, story_id in enumerate(stories):
            report(db, story_id, (f"Outlet {n}", f"Electric {story_id}", "Electric."), MONDAY)
        # Each card queued with its match, at the same moment: one given up, one still queued,
        # and one of a story since merged away, the card moved onto the survivor and given up.
        for story_id, card_of, state in [
            ("carded", "carded", "failed"),
            ("queued", "queued", "pending"),
            ("moved", "survivor", "failed"),
        ]:
            db.execute(
                "INSERT INTO deliveries (story_id, channel_pk, kind, state, nonce, created_at,"
                " updated_at) VALUES (?, ?, 'story', ?, ?, ?, ?)",
                [card_of, channel.id, state, story_id, at[story_id], at[story_id]],
            )
        db.execute("UPDATE stories SET merged_into = 'survivor' WHERE id = 'moved'")
        # The notices of two digests, each listing its story: one given up, one sent.
        for key, state, story_id in [("a", "failed", "failed"), ("b", "sent", "listed")]:
            alert_id = db.execute(
                "INSERT INTO alerts (channel_pk, key, text, state, created_at)"
                " VALUES (?, ?, 'Also matching', ?, ?)",
                [channel.id, f"digest-more:{key}", state, at[story_id]],
            ).lastrowid
            db.execute(
                "INSERT INTO listed_stories (channel_pk, story_id, sources, listed_at, alert_id)"
                " VALUES (?, ?, 1, ?, ?)",
                [channel.id, story_id, at[story_id], alert_id],
            )
        for story_id in ["carded", "queued", "failed", "listed", "lost", "moved"]:
            db.execute(
                "INSERT INTO topic_matches VALUES (?, ?, 'buses', 'electric', ?)",
                [channel.id, story_id, at[story_id]],
            )
        db.close()
    db = open_database(path)
    live = ["carded", "queued", "failed", "listed", "lost", "survivor"]
    # What was given up gave nothing; the sent notice did; a match whose card or notice is not
    # found counts as every match did before; a queued card counts for itself.
    assert topic_matches.kept(db, channel.id, live) == {"listed": {"buses"}, "lost": {"buses"}}
    assert topic_matches.kept_for(db, channel.id, "queued", queued=True) == {"buses"}
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_instant_pass_s_count_keeps_its_match_once_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(digests, "INSTANT_LIMIT", 1)
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", min_sources=1, mode="instant")
    channel_store.upsert_topic(db, "buses", "electric", origin="chat")
    channel_store.follow(db, channel.id, "buses", now=MONDAY - timedelta(days=1))
    # Both picked by their only outlet's lead.
    harbour = (
        "Bay Post",
        "Harbour plan adopted",
        "The plan adds electric ferries, officials said.",
    )
    report(db, "harbour", harbour, MONDAY - timedelta(minutes=20))
    report(db, "budget", LEAD, MONDAY - timedelta(minutes=10))
    # One card at once; the "more" notice counts the other story.
    assert digests.enqueue_instant(db, channel, now=MONDAY) == 1
    (counted,) = {"harbour", "budget"} - set(queued(db, channel))
    grown = (OTHERWISE[0], "Story goes on", "Officials said more on Monday, without details.")
    report(db, counted, grown, MONDAY + timedelta(minutes=5))
    later = MONDAY + timedelta(minutes=10)

    def picked() -> list[str]:
        selection = digests.instant_selection(db, channel, now=later, story_ids={counted})
        return [c.story.id for c in selection.chosen]

    # Grown out of `electric` before the notice went out: not the channel's yet.
    assert picked() == []
    chat = asyncio.run(drain(db, MONDAY + timedelta(minutes=6)))
    assert notice_state(db) == "sent" and len(chat.texts()) == 1
    assert picked() == [counted]
