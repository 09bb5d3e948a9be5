"""A Discord 429 whose body is not Discord's JSON (Cloudflare's page, or a proxy's) is a rate limit
of the whole route: it waits what the headers ask (Retry-After, else X-RateLimit-Reset-After,
else the outbox's backoff), and the log says so once per episode, as a warning, not an ERROR at
every retry. Real outbox and Discord adapters (bot and webhook routes) against the fake REST API."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import discord
import pytest
from fakes.discord_api import HTML_PAGE, FakeDiscord
from fakes.discord_channel import CHANNEL
from test_discord_garbled_posts import ROUTES, T0, World

from bot.adapters.discord.errors import translate_error
from bot.delivery.adapter import (
    DeferredDeliveryError,
    RateLimitedDeliveryError,
    TransientDeliveryError,
)

HEADERS = pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "600"}, 600.0),
        ({"X-RateLimit-Reset-After": "450.5"}, 450.5),
        ({"Retry-After": "600", "Via": "1.1 proxy"}, 600.0),
    ],
    ids=["retry-after", "reset-after", "proxy-via"],
)


def route_name(route: str) -> str:
    return "discord-webhook" if route == "webhook" else "discord"


def ours(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= level and r.name != "discord"]


@ROUTES
@HEADERS
async def test_a_429_page_waits_what_its_headers_ask_and_warns_once(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    route: str,
    headers: dict[str, str],
    wait: float,
) -> None:
    caplog.set_level(logging.INFO)
    world = World(discord_api, discord_client, session, route)
    discord_api.garble_next("POST", world.post, HTML_PAGE, status=429, headers=headers, times=3)
    await world.outbox.drain()
    outage = world.outbox.outages[route_name(route)]
    assert outage.retry_at == T0 + timedelta(seconds=wait)
    for _ in range(2):  # the same episode: still rate limited at each retry
        world.now = outage.retry_at
        await world.outbox.drain()
        outage = world.outbox.outages[route_name(route)]
        assert outage.retry_at == world.now + timedelta(seconds=wait)
    assert world.cards() == []
    world.now = outage.retry_at
    await world.outbox.drain()
    [card] = world.cards()
    [row] = world.rows("story")
    assert row.state == "sent" and row.message_ref == card["id"] and row.attempts == 1
    assert route_name(route) not in world.outbox.outages
    assert ours(caplog, logging.ERROR) == []
    [warning] = [m for m in ours(caplog, logging.WARNING) if "rate limit" in m]
    assert "429" in warning and "<html>" not in warning
    assert len(ours(caplog, logging.WARNING)) == 1


@ROUTES
async def test_without_headers_it_waits_the_outboxs_backoff(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    route: str,
) -> None:
    world = World(discord_api, discord_client, session, route)
    discord_api.garble_next("POST", world.post, HTML_PAGE, status=429, times=2)
    await world.outbox.drain()
    first = world.outbox.outages[route_name(route)].retry_at - T0
    world.now += first
    await world.outbox.drain()
    second = world.outbox.outages[route_name(route)].retry_at - world.now
    # 30 s, then twice that (each within the outbox's jitter): growing, never hammering.
    assert timedelta(seconds=24) <= first <= timedelta(seconds=36)
    assert timedelta(seconds=48) <= second <= timedelta(seconds=72)
    world.now += second
    await world.outbox.drain()
    assert len(world.cards()) == 1
    assert ours(caplog, logging.ERROR) == []
    assert len([m for m in ours(caplog, logging.WARNING) if "rate limit" in m]) == 1


async def test_a_new_episode_after_a_send_went_through_warns_again(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    limited = {"Retry-After": "60"}
    discord_api.garble_next("POST", world.post, HTML_PAGE, status=429, headers=limited)
    await world.outbox.drain()
    world.now += timedelta(minutes=2)
    await world.outbox.drain()  # the card goes out: the episode is over
    await world.grow()
    discord_api.garble_next(
        "POST", r"/channels/\d+/messages", HTML_PAGE, status=429, headers=limited
    )
    await world.outbox.drain()
    assert len([m for m in ours(caplog, logging.WARNING) if "rate limit" in m]) == 2
    assert ours(caplog, logging.ERROR) == []


@pytest.mark.parametrize(
    ("headers", "wait"),
    [({"Retry-After": "3"}, 3.0), ({"X-RateLimit-Reset-After": "2.5"}, 2.5)],
    ids=["retry-after", "reset-after"],
)
@pytest.mark.parametrize(
    ("scope", "kind"),
    [
        ({"X-RateLimit-Scope": "user"}, DeferredDeliveryError),
        ({"X-RateLimit-Scope": "shared"}, DeferredDeliveryError),
        ({"X-RateLimit-Scope": "global"}, RateLimitedDeliveryError),
        ({"X-RateLimit-Global": "true"}, RateLimitedDeliveryError),
    ],
    ids=["user", "shared", "global-scope", "global-flag"],
)
def test_a_429_that_is_discords_own_json_refuses_for_its_wait(
    headers: dict[str, str], wait: float, scope: dict[str, str], kind: type[Exception]
) -> None:
    # Discord's own limit (JSON, Via), no outage (not PlatformDeliveryError:
    # `bot.delivery.rate_limits`): its global limit holds that kind of call for its wait, a
    # bucket's (a channel's) only the row.
    response = SimpleNamespace(
        status=429,
        reason="Too Many Requests",
        headers={"Via": "1.1 google", "Content-Type": "application/json", **headers, **scope},
    )
    body = {"message": "slow down", "retry_after": 3, "code": 0}
    exc = discord.HTTPException(response, body)  # type: ignore[arg-type]
    error = translate_error(exc, f"post to discord:{CHANNEL}")
    assert type(error) is kind
    assert getattr(error, "retry_after", None) == wait
    assert not isinstance(error, TransientDeliveryError) or (
        error.route is None and not error.maybe_sent
    )


def test_a_429_that_says_no_wait_is_left_to_the_routes_backoff() -> None:
    response = SimpleNamespace(
        status=429,
        reason="Too Many Requests",
        headers={"Via": "1.1 google", "Content-Type": "application/json"},
    )
    exc = discord.HTTPException(response, {"message": "slow down", "code": 0})  # type: ignore[arg-type]
    error = translate_error(exc, f"post to discord:{CHANNEL}")
    assert type(error) is TransientDeliveryError
    assert error.rate_limited and error.retry_after is None


def test_discord_pys_own_long_rate_limit_refuses_that_call_for_its_wait() -> None:
    # A notice or a read of history, when the wait is longer than the client sleeps out.
    error = translate_error(discord.RateLimited(45.0), f"notice to discord:{CHANNEL}")
    assert type(error) is RateLimitedDeliveryError and error.retry_after == 45.0


@pytest.mark.parametrize(("retry_after", "shown"), [("3600", True), ("20", False)])
async def test_a_long_rate_limit_shows_in_healthz_at_once(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    retry_after: str,
    shown: bool,
) -> None:
    # Cloudflare's hour-long ban is an outage from its first answer, not after three hours of
    # silence; a short leftover wait stays out of /healthz until it repeats.
    world = World(discord_api, discord_client, session, "bot")
    ban = {"Retry-After": retry_after}
    discord_api.garble_next("POST", world.post, HTML_PAGE, status=429, headers=ban)
    await world.outbox.drain()
    assert world.cards() == []
    assert ("discord" in world.outbox.outages.reported()) is shown
