"""A posted card keeps the headline it was posted with when it is edited, by a thread update or on
its own: a team that saw "Senate approves the bill" must not find the card renamed "House passes
the bill" under them, nor replies in its thread "on" a headline they never saw. The story's
headline now is what new posts show.

Real outbox and adapters (slack-sdk, discord.py over HTTP) against the fake Slack Web API and
Discord REST API; assertions are on the JSON the fakes recorded. The upgrade is a real SQLite
file the previous schema made."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_channel, add_story, grow_story
from test_discord_garbled_posts import ROUTES
from test_discord_garbled_posts import World as DiscordWorld
from test_slack_garbled_posts import T0
from test_slack_garbled_posts import World as SlackWorld

from bot.runner import update_planner
from bot.store import database
from bot.store import deliveries as store
from bot.store import stories as story_store
from bot.store.database import open_database
from bot.store.migrations import MIGRATIONS

HOUR = timedelta(hours=1)
RENAMED = "House passes the s1 bill"


def rename(db: Any) -> None:
    """The clusterer picked another report's headline for the story."""
    db.execute("UPDATE stories SET headline = ? WHERE id = 's1'", [RENAMED])


def header(message: dict[str, Any]) -> str:
    return str(message["blocks"][0]["text"]["text"])


async def test_slack_edits_keep_the_posted_headline_and_new_posts_show_the_new_one(
    slack_api: FakeSlackAPI,
) -> None:
    world = SlackWorld(slack_api)
    await world.drain_hours(0)
    [card] = world.cards()
    assert header(card) == "Story s1"
    rename(world.db)
    # The story grows: the card is edited at once, the reply comes an hour after the card.
    grow_story(world.db, "s1", ["C"], now=world.now)
    assert update_planner.enqueue_updates(world.db, {"s1"}, now=world.now, interval=HOUR) == 1
    await world.outbox.drain()
    world.now += HOUR
    await world.outbox.drain()
    [reply] = world.updates()
    assert reply["text"] == "Update: Story s1 (3 sources)"
    world.now += HOUR / 2
    grow_story(world.db, "s1", ["D"], now=world.now)
    update_planner.enqueue_updates(world.db, {"s1"}, now=world.now, interval=HOUR)
    await world.outbox.drain()
    edits = slack_api.calls_to("chat.update")
    assert len(world.updates()) == 1  # the next reply waits out its gap
    assert [(header(e), e["text"]) for e in edits] == [
        ("Story s1", "Story s1 (3 sources)"),  # on its own
        ("Story s1", "Story s1 (3 sources)"),  # with the reply
        ("Story s1", "Story s1 (4 sources)"),  # on its own
    ]
    assert [card["text"] for card in world.cards()] == ["Story s1 (4 sources)"]
    # Another channel gets the story as it is now, headline and all.
    other = add_channel(world.db, "C2")
    store.enqueue_story(world.db, "s1", other.id, now=world.now)
    await world.outbox.drain()
    [new] = [m for m in slack_api.messages["C2"] if "thread_ts" not in m]
    assert header(new) == RENAMED


@ROUTES
async def test_discord_edits_keep_the_posted_headline(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, route: str
) -> None:
    world = DiscordWorld(discord_api, discord_client, session, route)
    await world.drain_hours(0)
    rename(world.db)
    await world.grow()
    await world.drain_hours(0)
    [card] = world.cards()
    assert card["embeds"][0]["title"] == "Story s1"
    assert card["embeds"][0]["description"].startswith("**3 sources")
    [update] = world.updates()
    assert update["embeds"][0]["title"] == "Update: Story s1"


def test_an_upgrade_keeps_posted_cards_under_the_headline_they_have_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nd.db"
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 28])
        db = open_database(path)
        channel = add_channel(db, "C1")
        add_story(db, "s1", ["A", "B"], now=T0)
        db.execute(
            "INSERT INTO deliveries (story_id, channel_pk, kind, state, nonce, message_ref,"
            " source_count, outlets, sent_at, created_at, updated_at)"
            " VALUES ('s1', ?, 'story', 'sent', 'n1', '1.0', 2, '[\"A\", \"B\"]', ?, ?, ?)",
            [channel.id, *[T0.isoformat()] * 3],
        )
        db.close()
    db = open_database(path)
    rename(db)
    post = store.story_post(db, "s1", channel.id)
    assert post is not None and post.headline == "Story s1"


def test_an_upgrade_leaves_a_merged_story_s_card_to_show_the_headline_of_the_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # C1 was posted s1, C2 s0; then s1 was merged into s0, which moved C1's card onto s0. That
    # card never showed s0's headline: frozen under it, every edit would show one it never had.
    path = tmp_path / "nd.db"
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 28])
        db = open_database(path)
        c1, c2 = add_channel(db, "C1"), add_channel(db, "C2")
        for story_id in ("s0", "s1", "s3"):
            add_story(db, story_id, [f"{story_id}-A", f"{story_id}-B"], now=T0)
        for n, (story_id, channel) in enumerate([("s1", c1), ("s0", c2), ("s3", c1)]):
            db.execute(
                "INSERT INTO deliveries (story_id, channel_pk, kind, state, nonce, message_ref,"
                " source_count, outlets, sent_at, created_at, updated_at)"
                " VALUES (?, ?, 'story', 'sent', ?, ?, 2, '[]', ?, ?, ?)",
                [story_id, channel.id, f"n{n}", f"{n}.0", *[T0.isoformat()] * 3],
            )
        story_store.merge(db, "s1", "s0", now=T0 + HOUR)
        db.close()
    db = open_database(path)
    moved = store.story_post(db, "s0", c1.id)
    assert moved is not None and moved.nonce == "n0"
    assert moved.headline is None
    # s0's own card in C2 may as well have been s1's, as far as the database tells: the same.
    own = store.story_post(db, "s0", c2.id)
    assert own is not None and own.headline is None
    # A story that absorbed none keeps the headline it has now, as before.
    other = store.story_post(db, "s3", c1.id)
    assert other is not None and other.headline == "Story s3"
