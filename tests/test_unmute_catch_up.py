"""`/watchlist unmute`: the channel catches up once with the story as it is now, in the form it
would have had without the mute: one thread update naming every outlet that joined while it was
muted (and the card edited to the count), or the card itself if it never got one, posted the way
the channel gets cards. Never a burst of the held updates, never a post twice, nothing at all when
nothing happened; a mute still on keeps holding, and a restart in between changes none of it.

Real outbox and adapters (slack-sdk, discord.py over HTTP) on a database file against the fake
Slack Web API and Discord REST API; mutes and unmutes are typed commands. A restart is a new
connection to the file and a new core, commands, outbox and adapter, as a new process has."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_channel, add_story, grow_story

from bot.adapters.slack.adapter import UPDATE_EVENT_TYPE
from bot.commands import CommandContext
from bot.runner import digests, update_planner
from bot.store import deliveries as store
from tests._unmute_rooms import (
    HOUR,
    RESTART,
    T0,
    card_ts,
    lead,
    posted_card,
    slack_posts,
    slack_room,
    sources_tracking,
)


@RESTART
async def test_updates_held_by_a_mute_come_as_one_update_after_the_unmute(
    slack_api: FakeSlackAPI, tmp_path: Path, restart: bool
) -> None:
    room = slack_room(slack_api, tmp_path)
    card = await posted_card(room, slack_api)
    # An update is queued, not yet due (the update interval), when the story is muted.
    grow_story(room.db, "s1", ["C"], now=room.now)
    assert update_planner.enqueue_updates(room.db, {"s1"}, now=room.now, interval=HOUR) == 1
    assert (await room.watchlist("mute story-s1")).startswith("Muted story-s1")
    if restart:
        room.restart()
    # While muted: the queued update comes due and is held back, and two more outlets join.
    await room.poll("s1", ["D"])
    await room.poll("s1", ["E"])
    await room.poll("s1", [])
    assert slack_posts(slack_api) == ([card], []), "a mute still on keeps holding"
    assert not slack_api.calls_to("chat.update")
    if restart:
        room.restart()

    reply = await room.watchlist("unmute story-s1")
    assert reply == (
        "Unmuted story-s1: this channel will get its posts and updates again, starting with one "
        "update in its thread on what it missed while muted."
    )
    await room.outbox.drain()
    await room.poll("s1", [])  # later passes and drains add nothing
    await room.poll("s1", [])

    posts, [update] = slack_posts(slack_api)
    assert posts == [card]
    assert update["thread_ts"] == card_ts(slack_api)
    assert update["metadata"]["event_type"] == UPDATE_EVENT_TYPE
    # Every outlet that joined while muted, once, in one reply.
    assert lead(update) == "*Update:* C, D, E joined. Now 5 sources tracking this story."
    [edit] = slack_api.calls_to("chat.update")
    assert edit["ts"] == card_ts(slack_api) and sources_tracking(edit["blocks"]) == 5

    # Unmuted for good: the next outlet gets its own update, as before the mute.
    await room.poll("s1", ["F"])
    _, updates = slack_posts(slack_api)
    assert [lead(u) for u in updates[1:]] == [
        "*Update:* F joined. Now 6 sources tracking this story."
    ]


async def test_mute_and_unmute_with_nothing_new_posts_nothing(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    room = slack_room(slack_api, tmp_path)
    card = await posted_card(room, slack_api)
    await room.poll("s1", ["C"])  # an update before the mute, sent as usual
    await room.poll("s1", [])
    assert await room.watchlist("mute story-s1")
    await room.poll("s1", [])
    room.restart()
    reply = await room.watchlist("unmute story-s1")
    assert reply == "Unmuted story-s1: this channel will get its posts and updates again."
    await room.outbox.drain()
    await room.poll("s1", [])
    await room.digest()

    posts, [update] = slack_posts(slack_api)
    assert posts == [card]
    assert lead(update) == "*Update:* C joined. Now 3 sources tracking this story."
    assert len(slack_api.calls_to("chat.update")) == 1  # the update's own edit, no other
    assert not store.in_state(room.db, "pending")


async def test_an_update_still_queued_at_the_unmute_is_the_catch_up_and_none_is_added(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    room = slack_room(slack_api, tmp_path)
    await posted_card(room, slack_api)
    room.now += HOUR / 2
    grow_story(room.db, "s1", ["C"], now=room.now)
    # Due an hour after the card (the update interval): still queued through the mute.
    assert update_planner.enqueue_updates(room.db, {"s1"}, now=room.now, interval=HOUR) == 1
    assert await room.watchlist("mute story-s1")
    room.now += HOUR / 4
    grow_story(room.db, "s1", ["D"], now=room.now)
    await room.outbox.drain()
    reply = await room.watchlist("unmute story-s1")
    assert reply.endswith("again; what was queued for it before the mute goes out as planned.")
    await room.poll("s1", [])
    await room.poll("s1", [])

    _, [update] = slack_posts(slack_api)
    assert lead(update) == "*Update:* C, D joined. Now 4 sources tracking this story."


async def test_an_edit_of_the_card_held_by_the_mute_is_made_after_the_unmute(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    """An update's reply landed but its edit of the card failed; the retry came due while the
    story was muted. Nothing new since: the unmute makes that edit, and posts nothing."""
    room = slack_room(slack_api, tmp_path)
    card = await posted_card(room, slack_api)
    slack_api.script("chat.update", status=500, body={"ok": False, "error": "internal_error"})
    await room.poll("s1", ["C"])
    assert sources_tracking(slack_api.calls_to("chat.update")[0]["blocks"]) == 3
    assert await room.watchlist("mute story-s1")
    room.now += timedelta(hours=2)  # past the edit's backoff
    await room.outbox.drain()
    assert len(slack_api.calls_to("chat.update")) == 1  # held back

    reply = await room.watchlist("unmute story-s1")
    assert reply.endswith("again, starting with its card brought up to date.")
    await room.outbox.drain()
    await room.poll("s1", [])

    posts, [update] = slack_posts(slack_api)
    assert (
        posts == [card] and lead(update) == "*Update:* C joined. Now 3 sources tracking this story."
    )
    edits = slack_api.calls_to("chat.update")
    assert len(edits) == 2 and edits[1]["ts"] == card_ts(slack_api)
    assert sources_tracking(edits[1]["blocks"]) == 3


@RESTART
async def test_a_card_held_by_a_mute_comes_with_the_next_digest_after_the_unmute(
    slack_api: FakeSlackAPI, tmp_path: Path, restart: bool
) -> None:
    room = slack_room(slack_api, tmp_path)
    add_story(room.db, "s1", ["A", "B"], now=T0 - HOUR)
    add_story(room.db, "s2", ["A", "B"], now=T0 - HOUR)
    digests.enqueue_digest(room.db, room.channel, now=T0, scheduled_for=T0)
    # Muted after the digest was queued, before its cards went out.
    assert await room.watchlist("mute story-s1")
    await room.outbox.drain()
    [other], _ = slack_posts(slack_api)
    assert "Story s2" in json.dumps(other["blocks"])
    if restart:
        room.restart()
    await room.poll("s1", ["C"])

    reply = await room.watchlist("unmute story-s1")
    assert reply.endswith("again, starting with its card in the next digest.")
    await room.outbox.drain()
    assert slack_posts(slack_api) == ([other], [])  # a digest channel gets cards in its digest
    await room.digest()
    await room.poll("s1", [])
    await room.digest()

    posts, replies = slack_posts(slack_api)
    assert posts[0] == other and len(posts) == 2 and not replies
    assert "Story s1" in json.dumps(posts[1]["blocks"])
    assert sources_tracking(posts[1]["blocks"]) == 3  # as the story is now


async def test_unmute_in_one_channel_leaves_the_others_mute(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    room = slack_room(slack_api, tmp_path)
    await posted_card(room, slack_api)
    other = add_channel(room.db, "C2")
    store.enqueue_story(room.db, "s1", other.id, now=room.now)
    await room.outbox.drain()
    c2 = CommandContext(platform="slack", channel_id="C2", user_id="U1")
    assert await room.watchlist("mute story-s1")
    assert await room.commands.dispatch("watchlist", "mute story-s1", c2)
    await room.poll("s1", ["C"])
    assert await room.watchlist("unmute story-s1")
    await room.outbox.drain()
    _, replies = slack_posts(slack_api)
    assert [r["channel"] for r in replies] == ["C1"]


async def test_a_card_still_queued_at_the_unmute_goes_out_as_queued(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    """Muted and unmuted between the digest's queuing and its drain: the card was never held
    back, and goes out with the digest as the one post of the story, as it is then."""
    room = slack_room(slack_api, tmp_path)
    add_story(room.db, "s1", ["A", "B"], now=T0 - HOUR)
    digests.enqueue_digest(room.db, room.channel, now=T0, scheduled_for=T0)
    assert await room.watchlist("mute story-s1")
    grow_story(room.db, "s1", ["C"], now=room.now)

    reply = await room.watchlist("unmute story-s1")
    assert reply == (
        "Unmuted story-s1: this channel will get its posts and updates again; what was queued "
        "for it before the mute goes out as planned."
    )
    await room.outbox.drain()
    await room.poll("s1", [])
    await room.digest()

    [card], replies = slack_posts(slack_api)
    assert not replies and sources_tracking(card["blocks"]) == 3
    assert not store.in_state(room.db, "pending")


async def test_a_card_given_up_on_before_the_mute_stays_given_up(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    """The digest's card went stale (the bot was down for days) before the story was muted:
    the unmute owes nothing, and does not post it after all."""
    room = slack_room(slack_api, tmp_path)
    add_story(room.db, "s1", ["A", "B"], now=T0 - HOUR)
    digests.enqueue_digest(room.db, room.channel, now=T0, scheduled_for=T0)
    room.now += timedelta(days=3)
    room.restart()
    await room.outbox.drain()
    assert [(r.state, r.last_error) for r in store.in_state(room.db, "failed")] == [
        ("failed", "stale")
    ]
    assert await room.watchlist("mute story-s1")

    reply = await room.watchlist("unmute story-s1")
    assert reply == "Unmuted story-s1: this channel will get its posts and updates again."
    await room.outbox.drain()
    await room.poll("s1", [])
    assert slack_posts(slack_api) == ([], [])


async def test_an_unmute_that_queues_a_catch_up_wakes_the_outbox_and_one_with_none_does_not(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    """The catch-up goes out now, not at the outbox's next timed pass: the unmute wakes it. An
    unmute that owes nothing leaves the outbox asleep."""
    room = slack_room(slack_api, tmp_path)
    await posted_card(room, slack_api)
    kicks: list[int] = []
    room.commands.kick_outbox = lambda: kicks.append(1)

    assert (await room.watchlist("mute story-s1")).startswith("Muted story-s1")
    assert (await room.watchlist("unmute story-s1")).endswith("updates again.")
    assert kicks == []

    assert (await room.watchlist("mute story-s1")).startswith("Muted story-s1")
    await room.poll("s1", ["C"])  # held back by the mute
    reply = await room.watchlist("unmute story-s1")
    assert reply.endswith("starting with one update in its thread on what it missed while muted.")
    assert kicks == [1]
    assert store.in_state(room.db, "pending"), "the catch-up waits in the outbox for the kick"
    await room.outbox.drain()
    _, [update] = slack_posts(slack_api)
    assert lead(update) == "*Update:* C joined. Now 3 sources tracking this story."
