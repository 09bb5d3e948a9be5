"""Discord answering a post with a body that is not a Discord message (a proxy's HTML page served
as 200, JSON cut off mid-way, a message without its id) says nothing about whether the post
landed. The bot must look in the channel before resending, and such answers must not use up the
row's attempts: each story ends up in the channel exactly once, and nothing is dropped once
Discord answers properly again. A 4xx, though, whatever its body (a proxy's page, Discord's
JSON cut off), is a refusal: the row's own; and a 429 a rate limit.

Real outbox and Discord adapter (discord.py over HTTP, the bot's route and a webhook channel with
the bot) against the fake REST API; every assertion is on what the fake recorded."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
from fakes.discord_api import HTML_PAGE, NO_ID, TRUNCATED_JSON, FakeDiscord
from fakes.discord_channel import CHANNEL, DiscordChannel
from fakes.stories import add_story, grow_story, make_card_source

from bot.adapters.discord.errors import SEND_TIMEOUT
from bot.delivery.outbox import OutboxSettings
from bot.runner import update_planner
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
# More garbled answers in a row than any attempt limit allows: they must cost no attempts.
MANY = OutboxSettings().max_attempts + 1

ANSWERS = pytest.mark.parametrize(
    "answer", [HTML_PAGE, TRUNCATED_JSON, NO_ID], ids=["html", "truncated", "no-id"]
)
ROUTES = pytest.mark.parametrize("route", ["bot", "webhook"])


class World(DiscordChannel):
    """One Discord channel (through the bot, or its webhook with the bot to look), one story;
    drains as the hours pass."""

    def __init__(
        self,
        fake: FakeDiscord,
        client: discord.Client,
        session: Any,
        route: str,
        *,
        bot: bool = True,
        send_timeout: float = SEND_TIMEOUT,
    ) -> None:
        db = open_database(":memory:")
        super().__init__(
            db,
            make_card_source(db, T0),
            fake,
            client,
            session,
            route,
            now=T0,
            bot=bot,
            send_timeout=send_timeout,
        )
        add_story(self.db, "s1", ["A", "B"], now=T0)
        store.enqueue_story(self.db, "s1", self.channel.id, now=T0)

    async def drain_hours(self, hours: int) -> None:
        """A drain every hour: every check or retry the outbox scheduled comes due (backoffs
        top out at an hour), well inside the two days after which a row is stale."""
        for _ in range(hours):
            # Discord de-duplicates a nonce for minutes only; hours pass here.
            self.fake.forget_nonces()
            await self.outbox.drain()
            self.now += timedelta(hours=1)
        await self.outbox.drain()

    async def grow(self) -> None:
        """The posted story gains an outlet: one thread update is queued."""
        grow_story(self.db, "s1", ["C"], now=self.now)
        assert (
            update_planner.enqueue_updates(self.db, {"s1"}, now=self.now, interval=timedelta(0))
            == 1
        )

    def cards(self) -> list[dict[str, Any]]:
        return [m for m in self.fake.channel_messages(CHANNEL) if not _is_update(m)]

    def updates(self) -> list[dict[str, Any]]:
        return [m for m in self.fake.messages.values() if _is_update(m)]

    def rows(self, kind: str) -> list[store.DeliveryRow]:
        return [
            row
            for state in ("pending", "sending", "sent", "failed")
            for row in store.in_state(self.db, state)
            if row.kind == kind
        ]


def _is_update(message: dict[str, Any]) -> bool:
    return any((e.get("title") or "").startswith("Update:") for e in message.get("embeds", []))


def assert_one_card(world: World) -> None:
    [card] = world.cards()
    [row] = world.rows("story")
    assert row.state == "sent" and row.message_ref == card["id"]


def assert_no_errors(caplog: pytest.LogCaptureFixture) -> None:
    """A garbled answer is Discord's edge failing, not an unknown error with a traceback."""
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def assert_no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    """Many in a row show the route as failing (an ERROR for /healthz's sake), never as an
    unknown error."""
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


@ROUTES
@ANSWERS
async def test_a_card_that_landed_under_a_garbled_answer_is_not_posted_again(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    route: str,
    answer: tuple[str, str],
) -> None:
    caplog.set_level(logging.INFO)
    world = World(discord_api, discord_client, session, route)
    discord_api.garble_next("POST", world.post, answer, landed=True)
    await world.drain_hours(3)
    assert_one_card(world)
    assert len(discord_api.calls("POST", world.post)) == 1
    assert discord_api.calls("GET", rf"/channels/{CHANNEL}/messages")  # looked before deciding
    # Discord's edge, not the row, was at fault.
    assert world.rows("story")[0].attempts == 0
    assert_no_errors(caplog)


@ROUTES
@ANSWERS
async def test_garbled_answers_without_the_post_cost_no_attempts_and_it_goes_out_once(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    route: str,
    answer: tuple[str, str],
) -> None:
    caplog.set_level(logging.INFO)
    world = World(discord_api, discord_client, session, route)
    discord_api.garble_next("POST", world.post, answer, times=MANY)
    await world.drain_hours(MANY + 6)
    assert_one_card(world)
    assert world.rows("story")[0].attempts == 1  # only the send that got through
    # Each resend came after a look in the channel that found nothing.
    assert len(discord_api.calls("GET", rf"/channels/{CHANNEL}/messages")) >= MANY
    assert_no_tracebacks(caplog)


@ROUTES
@ANSWERS
async def test_an_update_that_landed_under_a_garbled_answer_is_not_posted_again(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    route: str,
    answer: tuple[str, str],
) -> None:
    caplog.set_level(logging.INFO)
    world = World(discord_api, discord_client, session, route)
    await world.drain_hours(0)
    await world.grow()
    discord_api.garble_next("POST", rf"{world.post}|/channels/\d+/messages", answer, landed=True)
    await world.drain_hours(3)
    assert_one_card(world)
    [update] = world.updates()
    assert update["channel_id"] == world.cards()[0]["id"]  # in the story's thread
    [row] = world.rows("update")
    assert row.state == "sent" and row.attempts == 0
    assert_no_errors(caplog)


@ROUTES
@ANSWERS
async def test_garbled_answers_to_an_update_cost_no_attempts_and_it_goes_out_once(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    route: str,
    answer: tuple[str, str],
) -> None:
    caplog.set_level(logging.INFO)
    world = World(discord_api, discord_client, session, route)
    await world.drain_hours(0)
    await world.grow()
    discord_api.garble_next("POST", rf"{world.post}|/channels/\d+/messages", answer, times=MANY)
    await world.drain_hours(MANY + 6)
    assert_one_card(world)
    [update] = world.updates()
    assert update["channel_id"] == world.cards()[0]["id"]
    [row] = world.rows("update")
    assert row.state == "sent" and row.attempts == 1
    assert_no_tracebacks(caplog)


@ANSWERS
async def test_a_garbled_answer_to_starting_the_thread_costs_no_attempt(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    answer: tuple[str, str],
) -> None:
    caplog.set_level(logging.INFO)
    world = World(discord_api, discord_client, session, "bot")
    await world.drain_hours(0)
    await world.grow()
    discord_api.garble_next("POST", r"/channels/\d+/messages/\d+/threads", answer, landed=True)
    await world.drain_hours(3)
    [update] = world.updates()
    assert update["channel_id"] == world.cards()[0]["id"]
    [row] = world.rows("update")
    assert row.state == "sent" and row.attempts == 1
    assert_no_errors(caplog)


@ROUTES
async def test_a_garbled_answer_to_editing_the_original_card_does_not_resend_the_update(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    route: str,
) -> None:
    caplog.set_level(logging.INFO)
    world = World(discord_api, discord_client, session, route)
    await world.drain_hours(0)
    await world.grow()
    # The update landed; only the edit of the card's source count got the garbled answer.
    discord_api.garble_next("PATCH", r".*/messages/\d+", TRUNCATED_JSON, landed=True)
    await world.drain_hours(0)
    [_update] = world.updates()
    [row] = world.rows("update")
    assert row.state == "sent" and row.attempts == 1
    assert_no_errors(caplog)


@ROUTES
@pytest.mark.parametrize(
    ("answer", "status"),
    [(HTML_PAGE, 403), (TRUNCATED_JSON, 400), (TRUNCATED_JSON, 403), (TRUNCATED_JSON, 404)],
    ids=["html-403", "truncated-400", "truncated-403", "truncated-404"],
)
async def test_a_4xx_fails_the_row_in_its_own_attempts_whatever_its_body(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    route: str,
    answer: tuple[str, str],
    status: int,
) -> None:
    # A 4xx is a refusal whether or not its body can be read: a proxy's 403 page in front of
    # Discord, or Discord's JSON cut off on the way. Nothing landed, so nothing to look for (a
    # cut-off body was taken for a success's and waited on until the row went stale); nor is
    # the channel known to refuse us, so it is not paused; the row's attempts count and it is
    # given up in time.
    world = World(discord_api, discord_client, session, route)
    discord_api.garble_next("POST", world.post, answer, status=status, times=MANY)
    await world.drain_hours(MANY + 6)
    [row] = world.rows("story")
    assert row.state == "failed" and row.attempts == OutboxSettings().max_refused_attempts
    assert world.cards() == []
    assert not discord_api.calls("GET", rf"/channels/{CHANNEL}/messages")
    channel = channel_store.get_channel(world.db, "discord", str(CHANNEL))
    assert channel is not None and channel.paused_reason is None


@ROUTES
async def test_a_429_with_its_body_cut_off_is_still_a_rate_limit(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, route: str
) -> None:
    # Refused, not maybe sent: no looking in the channel, no attempt used, the wait kept.
    world = World(discord_api, discord_client, session, route)
    discord_api.garble_next(
        "POST", world.post, TRUNCATED_JSON, status=429, headers={"Retry-After": "600"}
    )
    await world.outbox.drain()
    [row] = world.rows("story")
    assert row.state == "pending" and row.attempts == 0
    assert not discord_api.calls("GET", rf"/channels/{CHANNEL}/messages")
    await world.drain_hours(2)
    assert_one_card(world)
    assert not discord_api.calls("GET", rf"/channels/{CHANNEL}/messages")
