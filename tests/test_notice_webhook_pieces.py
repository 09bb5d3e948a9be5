"""A webhook notice's piece whose answer was lost (a 5xx after Discord created it, a crash before
it was recorded) is looked for through the bot before it is sent again: Execute Webhook takes no
nonce, so Discord would post it twice. Found, it is recorded and the notice goes on from the next
piece; not found (a message of the same text from before the notice does not count), it is sent
again. Without a bot nothing can look: it is sent again, and the log says it may show twice.

Real outbox and Discord adapters (a webhook channel, with and without the bot) against the fake
Discord REST API on 127.0.0.1 and a real SQLite file; assertions read what the fake recorded."""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import CHANNEL, HOOK_POST, WEBHOOK_ID, WEBHOOK_URL
from fakes.stories import add_channel, add_story, make_card_source
from test_discord_garbled_posts import T0, World
from test_notice_pieces import NOTICE, PIECES, SERVER_ERROR, notice_pieces

from bot.store import alerts as alert_store
from bot.store import deliveries as store
from bot.store.database import iso, open_database


def ids_made_at(fake: FakeDiscord, when: Any) -> None:
    """Discord's ids carry the time they were made: the fake's from `when` on."""
    fake._ids = itertools.count(discord.utils.time_snowflake(when))


async def webhook_world(
    fake: FakeDiscord, client: discord.Client, session: Any, tmp_path: Path, *, bot: bool
) -> World:
    """A webhook channel on a real SQLite file, its story's card posted, a notice queued."""
    world = World(fake, client, session, "webhook", bot=bot)
    world.db = world.outbox.db = open_database(tmp_path / "newsdigest.db")
    world.outbox.card_source = make_card_source(world.db, T0)
    world.channel = add_channel(
        world.db, str(CHANNEL), platform="discord", mode="instant", webhook_url=WEBHOOK_URL
    )
    add_story(world.db, "s1", ["A", "B"], now=T0)
    store.enqueue_story(world.db, "s1", world.channel.id, now=T0)
    ids_made_at(fake, T0)
    await world.outbox.drain()  # the card, out of the way
    alert_store.enqueue_alert(world.db, world.channel.id, "feed-off", NOTICE, now=T0)
    return world


def alert(world: World) -> tuple[str, int, int]:
    """The notice's state, attempts used and pieces recorded."""
    return world.db.execute("SELECT state, attempts, pieces_posted FROM alerts").fetchone()


def hook_statuses(fake: FakeDiscord) -> list[int]:
    return [c.status for c in fake.calls("POST", HOOK_POST)]


async def test_a_piece_that_landed_under_a_5xx_is_found_not_posted_twice(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, tmp_path: Path
) -> None:
    world = await webhook_world(discord_api, discord_client, session, tmp_path, bot=True)
    # Discord created the second piece, then answered 503: it may have landed.
    discord_api.fail_next("POST", HOOK_POST, 503, SERVER_ERROR, after=1, landed=True)
    await world.outbox.drain()
    assert notice_pieces(discord_api) == PIECES[:2]
    assert alert(world) == ("pending", 0, 1)

    world.now += timedelta(hours=1)  # past its own backoff
    await world.outbox.drain()
    assert notice_pieces(discord_api) == PIECES  # the second piece once
    assert alert(world) == ("sent", 1, 3)
    # The card, the first piece, the 503, then only the third piece: the second was found.
    assert hook_statuses(discord_api) == [200, 200, 503, 200]
    assert discord_api.calls("GET", rf"/channels/{CHANNEL}/messages")


async def test_a_piece_not_found_is_sent_again_an_older_one_of_its_text_not_counting(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, tmp_path: Path
) -> None:
    world = await webhook_world(discord_api, discord_client, session, tmp_path, bot=True)
    # The same text, posted through the webhook the day before the notice was queued.
    ids_made_at(discord_api, T0 - timedelta(days=1))
    discord_api.add_message(CHANNEL, content=PIECES[1], webhook_id=str(WEBHOOK_ID))
    ids_made_at(discord_api, T0 + timedelta(seconds=1))
    # Answered 503 without creating it.
    discord_api.fail_next("POST", HOOK_POST, 503, SERVER_ERROR, after=1)
    await world.outbox.drain()
    world.now += timedelta(hours=1)
    await world.outbox.drain()
    assert notice_pieces(discord_api) == [PIECES[1], *PIECES]
    assert alert(world) == ("sent", 1, 3)
    assert hook_statuses(discord_api) == [200, 200, 503, 200, 200]


async def test_a_piece_posted_before_a_crash_is_found_not_posted_twice(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, tmp_path: Path
) -> None:
    world = await webhook_world(discord_api, discord_client, session, tmp_path, bot=True)
    await world.outbox.drain()
    assert notice_pieces(discord_api) == PIECES
    # The process died after Discord took the third piece, before it was recorded.
    world.db.execute("UPDATE alerts SET state = 'sending', pieces_posted = 2, sent_at = NULL")
    world.db.conn.commit()
    assert alert_store.requeue_stale_alerts(world.db) == 1
    world.now += timedelta(minutes=1)
    await world.outbox.drain()
    assert alert(world)[0] == "sent"
    assert notice_pieces(discord_api) == PIECES  # not posted twice
    assert hook_statuses(discord_api) == [200, 200, 200, 200]


async def test_without_a_bot_a_piece_whose_answer_was_lost_is_resent_with_a_warning(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    world = await webhook_world(discord_api, discord_client, session, tmp_path, bot=False)
    discord_api.fail_next("POST", HOOK_POST, 503, SERVER_ERROR, after=1, landed=True)
    await world.outbox.drain()
    world.now += timedelta(hours=1)
    with caplog.at_level(logging.WARNING):
        await world.outbox.drain()
    # Nothing can look in the channel: a duplicate piece rather than a notice left short.
    assert notice_pieces(discord_api) == [PIECES[0], PIECES[1], PIECES[1], PIECES[2]]
    assert alert(world)[0] == "sent"
    [warning] = [r for r in caplog.records if "piece may have been posted" in r.getMessage()]
    assert "twice" in warning.getMessage()


async def test_a_piece_the_bot_cannot_look_for_is_resent_after_a_few_tries_not_held_for_ever(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    world = await webhook_world(discord_api, discord_client, session, tmp_path, bot=True)
    # A disabled feed's notice, which never goes stale while the feed stays disabled.
    world.db.execute(
        "INSERT INTO feeds (id, url, created_at, disabled_reason, disabled_at)"
        " VALUES (7, 'http://a.example/rss', ?, 'gone', ?)",
        [iso(T0), iso(T0)],
    )
    world.db.execute("UPDATE alerts SET key = ?", [f"feed-disabled:7:{iso(T0)}"])
    world.db.conn.commit()
    # The second piece answered 503 (nothing created): maybe sent, to be looked for.
    discord_api.fail_next("POST", HOOK_POST, 503, SERVER_ERROR, after=1)
    await world.outbox.drain()
    assert alert(world) == ("pending", 0, 1)
    # Put off for the channel's limit before that (as kept across a crash): it held the cards.
    world.db.execute("UPDATE alerts SET holds_cards = 1")
    world.db.conn.commit()
    add_story(world.db, "s2", ["X", "Y"], now=world.now)
    store.enqueue_story(world.db, "s2", world.channel.id, now=world.now)
    # Discord now refuses the bot token: the bot can no longer read the channel.
    discord_api.revoke_token(rest=True, gateway=False)

    world.now += timedelta(hours=1)
    with caplog.at_level(logging.WARNING):
        await world.outbox.drain()
        # The lookup failed: the notice waits on its own and no longer holds the card.
        assert [r.story_id for r in world.rows("story") if r.state == "sent"] == ["s1", "s2"]
        assert notice_pieces(discord_api) == PIECES[:1]
        await world.drain_hours(24)
    # Not looked for for ever: after a few tries it was sent on, with the warning.
    assert notice_pieces(discord_api) == PIECES
    assert alert(world) == ("sent", 1, 3)
    [warning] = [r for r in caplog.records if "may show twice" in r.getMessage()]
    assert "piece 2" in warning.getMessage()
