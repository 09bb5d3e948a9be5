"""A topic unfollowed (or followed, or its query changed) while a digest is chosen in a worker
thread: the write that queues the digest reads the channel's topics again, so a story no topic
it follows picks any more gets neither a card nor a line, and the next story takes its card, as
for a story muted meanwhile. A channel left following no topic takes every story. Real SQLite
file; the selection is held at a gate while the test changes the channel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fakes.runner import stop
from test_digest_off_loop import FOUR_STORIES, listed_stories, scheduled_digest_changed_meanwhile

from bot.runner.service import Service
from bot.store import channels as channel_store

# Two cards a digest; s1 and s2 are "first"'s stories, s3 and s4 "second"'s; s1 is the biggest.
STORIES = FOUR_STORIES


def two_topics(service: Service) -> None:
    channel_store.upsert_topic(service.db, "first", "s1 OR s2", origin="chat")
    channel_store.upsert_topic(service.db, "second", "s3 OR s4", origin="chat")


def following_both(service: Service) -> None:
    two_topics(service)
    channel_store.follow(service.db, 1, "first")
    channel_store.follow(service.db, 1, "second")


async def digest_after(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Service], object],
    *,
    setup: Callable[[Service], object] = following_both,
) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """C1's two-card digest of STORIES with `change` made while it is chosen: its cards, the
    stories listed after them, and the topic matches kept for what it gave."""
    service, chat = await scheduled_digest_changed_meanwhile(
        tmp_path,
        monkeypatch,
        change,
        STORIES,
        digest_size=2,
        setup=setup,
    )
    cards = [m.story_id or "" for m in chat.cards() if m.channel_id == "C1"]
    listed = listed_stories(service)
    matches = [
        (r[0], r[1])
        for r in service.db.execute(
            "SELECT story_id, topic_slug FROM topic_matches WHERE channel_pk = 1"
            " ORDER BY story_id, topic_slug"
        )
    ]
    await stop(service)
    return cards, listed, matches


@pytest.mark.parametrize(
    ("change", "setup"),
    [
        pytest.param(
            lambda s: channel_store.unfollow(s.db, 1, "first"),
            following_both,
            id="a_topic_unfollowed_while_its_digest_is_chosen",
        ),
        pytest.param(
            lambda s: channel_store.remove_topic(s.db, "first"),
            following_both,
            id="a_topic_removed_while_its_digest_is_chosen",
        ),
        pytest.param(
            lambda s: channel_store.follow(s.db, 1, "second"),
            two_topics,
            id="a_topic_followed_meanwhile_by_a_channel_that_followed_none_narrows_it",
        ),
    ],
)
async def test_a_topic_change_leaving_only_second_followed_gives_it_the_cards(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Service], object],
    setup: Callable[[Service], object],
) -> None:
    cards, listed, matches = await digest_after(tmp_path, monkeypatch, change, setup=setup)
    # s1 and s2 would have been the cards; with "first" no longer followed (or the channel
    # narrowed to "second"), "second"'s stories take both slots, and neither of "first"'s is
    # carded nor listed.
    assert cards == ["s3", "s4"]
    assert listed == []
    assert matches == [("s3", "second"), ("s4", "second")]


async def test_a_story_another_followed_topic_still_matches_keeps_its_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def setup(service: Service) -> None:
        following_both(service)
        channel_store.upsert_topic(service.db, "first", "s1 OR s2 OR s3", origin="chat")

    cards, listed, matches = await digest_after(
        tmp_path, monkeypatch, lambda s: channel_store.unfollow(s.db, 1, "second"), setup=setup
    )
    assert cards == ["s1", "s2"]
    # s3 is still "first"'s; s4 was only "second"'s.
    assert listed == ["s3"]
    assert ("s4", "second") not in matches
    assert matches == [("s1", "first"), ("s2", "first"), ("s3", "first")]


async def test_a_query_changed_while_its_digest_is_chosen_is_asked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards, listed, matches = await digest_after(
        tmp_path,
        monkeypatch,
        lambda s: channel_store.upsert_topic(s.db, "first", "s2", origin="chat"),
    )
    assert cards == ["s2", "s3"]
    assert listed == ["s4"]
    assert ("s1", "first") not in matches


async def test_the_last_topic_unfollowed_meanwhile_leaves_a_channel_taking_every_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def setup(service: Service) -> None:
        two_topics(service)
        channel_store.follow(service.db, 1, "first")

    cards, listed, matches = await digest_after(
        tmp_path, monkeypatch, lambda s: channel_store.unfollow(s.db, 1, "first"), setup=setup
    )
    # Following no topic is no filter: the cards chosen stand, with no match to keep.
    assert cards == ["s1", "s2"]
    assert listed == []
    assert matches == []


async def test_topics_unchanged_meanwhile_give_the_digest_as_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards, listed, matches = await digest_after(tmp_path, monkeypatch, lambda s: None)
    assert cards == ["s1", "s2"]
    assert listed == ["s3", "s4"]
    assert matches == [("s1", "first"), ("s2", "first"), ("s3", "second"), ("s4", "second")]
