"""A story a channel's topic picked stays picked for that channel as it grows.

A one-outlet story matches `electric` by its only outlet's lead; once a second outlet words it
otherwise, the first outlet's lead is one outlet's aside and the story as it is matches no more
(`bot.topics.storydoc`, tests/test_topic_first_report.py). A digest that listed it after its
cards kept the match, so the channel's next digest still has it; a story the channel was never
given is matched as it is, passing mentions not at all. Unfollowing the topic or changing its
query forgets the kept matches; a merge carries them to the surviving story. Real SQLite files,
the real digest selection and planner (`bot.runner.digests`)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import sqlite_utils
from _cli_env import cli_env
from _kept_matches import (
    LEAD,
    MONDAY,
    OTHERWISE,
    TUESDAY,
    drain,
    listed_on_monday,
    matches_as_it_is,
    queued,
    recount,
    report,
)
from click.testing import CliRunner
from fakes.stories import add_channel

from bot.cli import cli
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import retention, topic_matches
from bot.store import stories as story_store
from bot.store.database import transaction


def test_a_listed_story_that_grew_is_in_the_channels_next_digest(tmp_path: Path) -> None:
    db, channel = listed_on_monday(tmp_path)
    picked = digests.digest_selection(db, channel, now=TUESDAY, default_size=1)
    assert [(c.story.id, c.topics) for c in picked.chosen] == [("budget", ["buses"])]
    assert digests.enqueue_digest(db, channel, now=TUESDAY, default_size=1) == 1
    assert queued(db, channel) == ["ferry", "budget"]


def test_a_passing_mention_still_does_not_match(tmp_path: Path) -> None:
    db, channel = listed_on_monday(tmp_path)
    # Two outlets from the start; one lead recalls electric buses in passing.
    aside = (LEAD[0], "Council debates parking fees", "Parking fees rise; electric buses wait.")
    report(db, "parking", aside, MONDAY + timedelta(hours=4))
    report(db, "parking", (OTHERWISE[0], "Parking fees to rise", "Fees go up in May."), TUESDAY)
    # One outlet's lead at first, but grown before any digest gave it to the channel: nothing
    # was kept, so it is matched as it is.
    report(db, "library", (LEAD[0], "Library hours grow", "Electric bikes are lent too."), TUESDAY)
    report(db, "library", (OTHERWISE[0], "Libraries open longer", "Hours grow in May."), TUESDAY)
    picked = digests.digest_selection(db, channel, now=TUESDAY, default_size=5)
    assert [c.story.id for c in picked.chosen] == ["budget"]
    other = add_channel(db, "C2", min_sources=1)
    channel_store.follow(db, other.id, "buses")
    # A kept match is the channel's own: another channel following the topic matches as is.
    chosen = digests.digest_selection(db, other, now=TUESDAY, default_size=5).chosen
    assert [c.story.id for c in chosen] == ["ferry"]


def test_unfollowing_forgets_the_kept_match(tmp_path: Path) -> None:
    db, channel = listed_on_monday(tmp_path)
    channel_store.unfollow(db, channel.id, "buses")
    channel_store.follow(db, channel.id, "buses")
    assert digests.enqueue_digest(db, channel, now=TUESDAY, default_size=1) == 0
    assert db.execute("SELECT COUNT(*) FROM topic_matches").fetchone()[0] == 0


def test_a_changed_query_forgets_the_kept_match(tmp_path: Path) -> None:
    db, channel = listed_on_monday(tmp_path)
    channel_store.upsert_topic(db, "buses", "electric OR trams", origin="chat")
    assert digests.enqueue_digest(db, channel, now=TUESDAY, default_size=1) == 0


def test_a_config_change_that_keeps_the_topic_keeps_the_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, channel = listed_on_monday(tmp_path)
    channel_store.upsert_topic(db, "trams", "trams", origin="chat")
    # What a config sync does when the channel's entry changed (its schedule, say), after the
    # match: a subscription made anew then would be younger than the match, which would not count.
    monkeypatch.setattr(channel_store, "utcnow", lambda: MONDAY + timedelta(hours=5))
    channel_store.set_subscriptions(db, channel.id, ["buses", "trams"])
    assert digests.enqueue_digest(db, channel, now=TUESDAY, default_size=1) == 1
    assert queued(db, channel) == ["ferry", "budget"]


def test_a_merge_carries_the_kept_match_to_the_survivor(tmp_path: Path) -> None:
    db, channel = listed_on_monday(tmp_path)
    # Another story of the vote, which says nothing of buses, absorbs the listed one.
    report(db, "vote", ("Coast Courier", "Budget vote ends", "A vote ended the debate."), TUESDAY)
    with transaction(db):
        story_store.merge(db, "budget", "vote", now=TUESDAY)
        recount(db, "vote", TUESDAY)
    assert not matches_as_it_is(db, channel, "vote")
    picked = digests.digest_selection(db, channel, now=TUESDAY, default_size=1)
    assert [(c.story.id, c.topics) for c in picked.chosen] == [("vote", ["buses"])]


def test_topics_test_says_the_match_is_kept_from_earlier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _channel = listed_on_monday(tmp_path)
    db.close()
    cli_env(tmp_path, monkeypatch)
    # The lookback is counted from the clock: the test's own, a day after the listing.
    monkeypatch.setattr("bot.app.utcnow", lambda: TUESDAY)
    result = CliRunner().invoke(cli, ["topics", "test", "--topic", "buses"])
    assert result.exit_code == 0, result.output
    budget = next(line for line in result.output.splitlines() if "budget" in line)
    assert "kept from earlier for C1" in budget
    assert "2027-03-08 09:00 UTC" in budget
    ferry = next(line for line in result.output.splitlines() if "ferry" in line)
    assert "electric: headline" in ferry
    # The typed query, not a saved topic's, keeps nothing: it was given to no channel as such.
    typed = CliRunner().invoke(cli, ["topics", "test", "electric OR bus"])
    assert "kept from earlier" not in typed.output


def test_kept_matches_go_with_their_story(tmp_path: Path) -> None:
    db, _channel = listed_on_monday(tmp_path, sent=False)
    kept = "SELECT story_id FROM topic_matches ORDER BY story_id"
    assert [r[0] for r in db.execute(kept)] == ["budget", "ferry"]
    later = MONDAY + timedelta(days=60)
    retention.prune(db, now=later, older_than=timedelta(days=30), window=timedelta(days=2))
    assert story_store.get_story(db, "budget") is None
    # The ferry's card is still queued, so its story stays, and its kept match with it.
    assert [r[0] for r in db.execute(kept)] == ["ferry"]


def test_a_listed_story_that_grew_goes_out_after_quiet_hours(tmp_path: Path) -> None:
    db, channel = listed_on_monday(tmp_path)
    channel = channel_store.update_channel(db, channel.id, quiet_hours="08:00-12:00")
    assert digests.enqueue_digest(db, channel, now=TUESDAY, default_size=1) == 1
    assert queued(db, channel) == ["ferry", "budget"]
    # Sent at noon: the story as it is matches no more, and as it was when queued (Tuesday, both
    # outlets in) neither, so only the kept match says it still does (`bot.delivery.prepare`).
    noon = TUESDAY + timedelta(hours=3, minutes=1)
    chat = asyncio.run(drain(db, noon))
    assert "budget" in [m.story_id for m in chat.cards()]


def test_a_query_changed_and_changed_back_does_not_bring_the_match_back(tmp_path: Path) -> None:
    db, channel = listed_on_monday(tmp_path)
    channel_store.upsert_topic(db, "buses", "electric OR trams", origin="chat")
    # The old query again: what it kept was forgotten with the change, not set aside.
    channel_store.upsert_topic(db, "buses", "electric", origin="chat")
    assert digests.enqueue_digest(db, channel, now=TUESDAY, default_size=1) == 0


def test_a_match_kept_before_the_topic_was_followed_again_does_not_count(
    tmp_path: Path,
) -> None:
    db, channel = listed_on_monday(tmp_path)
    # Unfollowed by a connection without foreign keys (a hand edit, a tool of one's own): the
    # cascade that forgets the kept matches never ran.
    raw = sqlite3.connect(tmp_path / "nd.db")
    raw.execute("DELETE FROM subscriptions WHERE topic_slug = 'buses'")
    raw.commit()
    raw.close()
    assert db.execute("SELECT COUNT(*) FROM topic_matches").fetchone()[0] == 2
    channel_store.follow(db, channel.id, "buses", now=MONDAY + timedelta(hours=5))
    assert topic_matches.kept_for(db, channel.id, "budget") == set()
    assert topic_matches.kept_by_query(db, "electric") == {}
    assert digests.enqueue_digest(db, channel, now=TUESDAY, default_size=1) == 0


def test_a_story_given_again_after_following_again_is_kept_again(tmp_path: Path) -> None:
    db, channel = listed_on_monday(tmp_path)
    raw = sqlite3.connect(tmp_path / "nd.db")  # no foreign keys: the cascade never runs
    raw.execute("DELETE FROM subscriptions WHERE topic_slug = 'buses'")
    raw.commit()
    raw.close()
    channel_store.follow(db, channel.id, "buses", now=MONDAY + timedelta(hours=5))
    # Given the story again under the new following: the row left from the old one must not
    # hold its place.
    with transaction(db):
        topic_matches.remember(
            db, channel.id, [topic_matches.Match("budget", "buses", "electric")], now=TUESDAY
        )
    assert topic_matches.kept_for(db, channel.id, "budget") == {"buses"}


def query_plans(db: sqlite_utils.Database, call: Callable[[], object]) -> list[str]:
    """The plan of every statement `call` runs that reads topic_matches, line by line."""
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)  # each with its parameters filled in
    try:
        call()
    finally:
        db.conn.set_trace_callback(None)
    return [
        row[3]
        for sql in statements
        if "topic_matches" in sql
        for row in db.execute("EXPLAIN QUERY PLAN " + sql)
    ]


def test_kept_matches_are_read_by_story_not_all_the_channels(tmp_path: Path) -> None:
    """A channel keeps more matches with every digest, for good with `retention_days = 0`: a
    selection (its window's stories) and a card or a queued post (its story) look up the ones
    they need by (channel, story), not all of the channel's."""
    db, channel = listed_on_monday(tmp_path)
    for call in (
        lambda: digests.digest_selection(db, channel, now=TUESDAY, default_size=1),
        lambda: topic_matches.kept_for(db, channel.id, "budget"),
    ):
        lookups = [line for line in query_plans(db, call) if "topic_matches" in line]
        assert lookups, query_plans(db, call)
        assert all("(channel_pk=? AND story_id=?)" in line for line in lookups), lookups
    assert topic_matches.kept(db, channel.id, ["budget"]) == {"budget": {"buses"}}


def test_topics_test_reads_only_the_topics_matches(tmp_path: Path) -> None:
    """`topics test` finds the matches a topic of its query keeps by (channel, topic), through
    an index: not by reading every match every channel keeps for every topic."""
    db, _channel = listed_on_monday(tmp_path)
    found: dict[str, list[topic_matches.KeptMatch]] = {}

    def call() -> None:
        found.update(topic_matches.kept_by_query(db, "electric"))

    plan = query_plans(db, call)
    assert sorted(found) == ["budget", "ferry"]
    assert not any(line.startswith("SCAN k") for line in plan), plan
    assert any(
        "topic_matches_subscription (channel_pk=? AND topic_slug=?)" in line for line in plan
    ), plan
