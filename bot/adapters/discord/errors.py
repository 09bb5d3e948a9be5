"""Discord's errors as the outbox's DeliveryError tree: a channel that cannot take posts (403,
Unknown Channel, Unknown Webhook) is permanent; 5xx, timeouts and connection errors are transient;
a 400 about our own payload is neither (retrying will not help, but the channel is fine and must
not be paused), and so is any 4xx whose body cannot be read (a proxy's page, JSON cut off:
`unreadable_error`), which is refused, not "maybe sent"; a bot token Discord refuses (401 on a
request that carried it: revoked or reset) is fatal for the bot's delivery route
(`AuthDeliveryError` naming `BOT_ROUTE`, whichever channel's post made the request), while a 401 on
a webhook URL is that one channel's dead webhook. Every 429 is a rate limit, read in
`ratelimits.py` (whose limit, how long to wait): Discord's global limit refuses that kind of call
(`RateLimitedDeliveryError`, held by the outbox until its wait has passed, no outage), its other
429s (a bucket's) only the row (`DeferredDeliveryError`, the row put off, and its channel's posts
after it, no hold), while Cloudflare's (a page, or no `Via`: it limits the IP, often for long) is
the whole route's (`PlatformDeliveryError`). A request the bot makes for a webhook channel (a
thread start, a look in its history) fails on the bot's route, not the webhooks' (`on_bot_route`).
Also the card's edit (`edit_card`, and `edit_after_reply`, which reports a failure instead of
raising it), whether a failed post may have landed (`maybe_posted`), a send whose answer is not a
Discord message (`answered`), a history the bot may not read (`HistoryHidden`), the check that an
id is a Discord snowflake, and what to do about gateway close code 4014 (`intents_refused`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable
from typing import TypeVar

import aiohttp
import discord

from bot.adapters.discord.ratelimits import discord_answer, too_many_requests
from bot.delivery.adapter import (
    AuthDeliveryError,
    DeliveryError,
    PermanentDeliveryError,
    RateLimitedDeliveryError,
    TransientDeliveryError,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

# Seconds a bot request may take. discord.py's own session allows 300: one hung request held back
# its channel's posts for that long (every post, Slack's too, while the outbox drained every
# channel under one lock; each drains on its own now, `bot.delivery.channel_drain`); webhooks'
# session allows 30 (`webhook.WEBHOOK_TIMEOUT`), and the bot's route is held to the same.
SEND_TIMEOUT = 30.0

# What discord.py raises when a 2xx answer is not a Discord message: an HTML page comes back as a
# str (TypeError indexing it), cut-off JSON as JSONDecodeError (a ValueError), a message without
# its id as KeyError, all while building the Message after the request went through. The same
# types come from its checks before any request (11 embeds, a payload it cannot encode), which
# are our bugs: `garbled` tells them apart.
GARBLED = (TypeError, ValueError, KeyError)
# Where discord.py builds a message from Discord's answer, as (file under discord/, function):
# an error raised under one of these came after the request went through.
READING_ANSWER = frozenset(
    {
        ("state.py", "create_message"),
        ("message.py", "__init__"),
        ("webhook/async_.py", "_create_message"),
    }
)

PLATFORM = "discord"
# The delivery routes of platform "discord" (`bot.delivery.adapter.delivery_route`): the bot, which
# needs DISCORD_TOKEN and is withdrawn while its gateway restarts, and channel webhooks, which
# need neither and go on meanwhile.
BOT_ROUTE = PLATFORM
WEBHOOK_ROUTE = "discord-webhook"

# Discord's JSON error codes that mean "this channel/webhook is gone or closed to us".
PERMANENT_CODES = {10003: "Unknown Channel", 10015: "Unknown Webhook", 50001: "Missing Access"}
PERMANENT_CODES |= {50013: "Missing Permissions", 50007: "Cannot send messages to this user"}
PERMANENT_CODES |= {50027: "Invalid Webhook Token"}
# A channel's webhook URL refused: deleted, or its token wrong. Posting through the bot needs no
# webhook, so the fix is a new URL (or none) in the file; its sync lifts the pause.
WEBHOOK_CODES = frozenset({10015, 50027})
WEBHOOK_FIX = (
    "make a new webhook (Channel settings > Integrations > Webhooks > Copy Webhook URL) and put "
    "it in the channel's webhook_url in the config file: the next sync (the bot's start, or "
    "`newsdigest poll`) resumes posting"
)
UNKNOWN_MESSAGE = 10008
UNKNOWN_CHANNEL = 10003
UNKNOWN_INTERACTION = 10062  # expired (3 s to answer) or answered already
THREAD_EXISTS = 160004
WRONG_CHANNEL_TYPE = 50024  # e.g. starting a thread on a message that is in a thread
# Gateway close code: the token sent in IDENTIFY (or RESUME) was refused.
AUTHENTICATION_FAILED = 4004
BOT_TOKEN_HELP = (
    "Discord refuses the bot token (revoked or reset): put a new one (Developer Portal > Bot > "
    "Reset Token) in DISCORD_TOKEN and restart newsdigest"
)

# Gateway close code: the bot asked for a privileged intent not enabled for it.
PRIVILEGED_INTENTS_REQUIRED = 4014
# discord.py's flag -> the switch's name under Developer Portal > Bot > Privileged Gateway Intents.
PRIVILEGED_INTENTS = {
    "members": "Server Members Intent",
    "presences": "Presence Intent",
    "message_content": "Message Content Intent",
}


def intents_refused(intents: discord.Intents | None) -> str:
    """What to do about close code 4014, naming the switches for the intents the bot asks for."""
    wanted = [name for flag, name in PRIVILEGED_INTENTS.items() if getattr(intents, flag, False)]
    switches = ", ".join(wanted) if wanted else "the privileged intents the bot asks for"
    return (
        f"Discord gateway: privileged intents not enabled (close code "
        f"{PRIVILEGED_INTENTS_REQUIRED}); enable {switches} under Developer Portal > "
        "Applications > your bot > Bot > Privileged Gateway Intents, then restart newsdigest"
    )


async def edit_card(edit: Awaitable[object], what: str, *, timeout: float = SEND_TIMEOUT) -> None:
    """Edit the original card (`refresh_card`), raising the DeliveryError tree as a post does: a
    timeout or a 5xx is transient. A card deleted meanwhile (Unknown Message) is nothing to edit."""
    async with delivering(what):
        try:
            await answered(edit, what, timeout=timeout)
        except discord.NotFound as exc:
            if exc.code != UNKNOWN_MESSAGE:
                raise
            log.info("%s: the original card is gone, nothing to edit", what)


async def edit_after_reply(edit: Awaitable[None], what: str) -> bool:
    """The card's edit once an update's reply landed: whether it was made. A failure is logged,
    not raised, as raising would make the outbox post the reply again; it makes the edit later
    (`PostedMessage.card_unedited`)."""
    try:
        await edit
    except DeliveryError as exc:
        log.warning("%s: could not edit the original card (tried again later): %s", what, exc)
        return False
    except Exception:
        log.exception("%s: could not edit the original card (tried again later)", what)
        return False
    return True


async def answered(send: Awaitable[T], what: str, *, timeout: float | None = None) -> T:
    """Await one request that creates something on Discord (a post, a thread), for at most
    `timeout` seconds. Only this call is covered, so the same exceptions raised by our own code
    elsewhere still surface as bugs."""
    try:
        return await asyncio.wait_for(send, timeout)
    except TimeoutError as exc:
        if timeout is None:
            raise  # the session's or BotRest's own timeout: `delivering` says what it means
        # Sent but unanswered: it may have landed, so look before resending.
        raise TransientDeliveryError(
            f"{what}: no answer from Discord within {timeout:g} s", maybe_sent=True
        ) from exc
    except GARBLED as exc:
        if not garbled(exc):
            raise  # discord.py refused our payload before sending it: a bug, to surface
        refused = unreadable_error(exc)
        if refused is not None:
            raise translate_error(refused, what) from exc
        # The request got through, so the post may well have landed: the outbox looks before
        # resending, and no attempt is used, as the row's payload is not shown to be at fault.
        raise TransientDeliveryError(
            f"{what}: Discord answered with a body that is not a Discord message "
            f"({type(exc).__name__}: {exc})",
            maybe_sent=True,
        ) from exc


class HistoryHidden(DeliveryError):
    """The bot sees the channel but may not read its history (no Read Message History), where
    Discord answers history with no messages rather than an error: whether a post landed cannot
    be checked (`post_lookup`, `notice_lookup`). Neither a refusal of the channel, whose posts go
    on, nor the bot's route's trouble: the outbox checks the row again with backoff, each check
    an attempt, and fails it visibly in the end rather than post it twice."""


class NotAMessage(ValueError):
    """A 2xx answer to a request that creates something, read by our own code, that is not the
    JSON object with an id Discord sends."""


def garbled(exc: BaseException) -> bool:
    """Whether `exc` came from reading Discord's answer rather than from discord.py's checks of
    our payload before the request, which raise the same types."""
    if isinstance(exc, json.JSONDecodeError | NotAMessage | UnicodeDecodeError):
        return True  # only decoding an answer raises these; encoding ours raises TypeError
    if not isinstance(exc, GARBLED):
        return False
    tb = exc.__traceback__
    while tb is not None:
        path = tb.tb_frame.f_code.co_filename.replace("\\", "/")
        _, sep, module = path.rpartition("/discord/")
        if sep and (module, tb.tb_frame.f_code.co_name) in READING_ANSWER:
            return True
        tb = tb.tb_next
    return False


def unreadable_error(exc: BaseException) -> discord.HTTPException | None:
    """The HTTP error behind `exc`, an answer discord.py could not decode (JSON cut off, bytes
    that are not UTF-8), when its status was 4xx or 5xx. discord.py decodes every answer before
    it looks at the status, so such a refusal raised as a garbled success does and was taken for
    "maybe sent"; what the status says does not depend on the body (as for Slack: a 4xx without
    a readable error is a refused payload), and a 429 stays a rate limit."""
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "json_or_text" and code.co_filename.replace("\\", "/").endswith(
            "/discord/http.py"
        ):
            response = tb.tb_frame.f_locals.get("response")
            status = getattr(response, "status", None)
            if not isinstance(status, int) or status < 400:
                return None
            body = exc.doc if isinstance(exc, json.JSONDecodeError) else ""
            return discord.HTTPException(response, body)
        tb = tb.tb_next
    return None


def translate_error(exc: BaseException, what: str) -> DeliveryError:
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, GARBLED) and (refused := unreadable_error(exc)) is not None:
        exc = refused
    if isinstance(exc, discord.RateLimited):
        # discord.py's own requests (a read of history), when a wait would exceed the
        # client's max_ratelimit_timeout: refused before it was sent, for that long.
        return RateLimitedDeliveryError(f"{what}: rate limited", retry_after=exc.retry_after)
    if isinstance(exc, discord.HTTPException):
        detail = f"{what}: HTTP {exc.status} (code {exc.code}) {exc.text}".strip()
        if 400 <= exc.status < 500 and exc.status != 429 and not discord_answer(exc):
            # Refused before Discord read it (a proxy's 403 or 407 page, a 413): nothing landed
            # and the channel has not refused us, so no pause; the row's own attempts count.
            return DeliveryError(
                f"{what}: answered HTTP {exc.status} without a Discord error: {exc.text[:200]}"
            )
        if exc.code in PERMANENT_CODES:
            fix = WEBHOOK_FIX if exc.code in WEBHOOK_CODES else None
            return PermanentDeliveryError(f"{what}: {PERMANENT_CODES[exc.code]}", fix=fix)
        if exc.status == 401:
            if _sent_bot_token(exc):
                # Every bot channel fails alike and no retry helps until someone sets a new token;
                # the bot's route, even when a webhook channel's post needed the bot.
                return AuthDeliveryError(f"{detail}; {BOT_TOKEN_HELP}", route=BOT_ROUTE)
            # A webhook URL's own token: that channel's webhook was deleted or its URL is wrong.
            return PermanentDeliveryError(
                f"{what}: webhook refused (HTTP 401): {exc.text}", fix=WEBHOOK_FIX
            )
        if exc.code == UNKNOWN_MESSAGE:
            # The message was deleted, not the channel: nothing to pause.
            return DeliveryError(detail)
        if isinstance(exc, discord.Forbidden | discord.NotFound):
            return PermanentDeliveryError(detail)
        if exc.status == 429:
            return too_many_requests(exc, what)
        if exc.status >= 500:
            # A 5xx (a gateway timeout in particular) can come after the message was created.
            return TransientDeliveryError(detail, maybe_sent=True)
        return DeliveryError(detail)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return TransientDeliveryError(f"{what}: {type(exc).__name__}: {exc}")
    if isinstance(exc, aiohttp.ClientError | TimeoutError | OSError):
        # Webhooks carry no nonce: after a timeout the post may exist; look before resending.
        return TransientDeliveryError(f"{what}: {type(exc).__name__}: {exc}", maybe_sent=True)
    return DeliveryError(f"{what}: {type(exc).__name__}: {exc}")


def maybe_posted(exc: BaseException) -> bool:
    """Whether a failed post may still have created its message (a 5xx, a timeout, a connection
    dropped after the request went out): sending it again blind could show it twice."""
    error = translate_error(exc, "post")
    return isinstance(error, TransientDeliveryError) and error.maybe_sent


def _sent_bot_token(exc: discord.HTTPException) -> bool:
    """Whether the refused request carried the bot token. Webhook requests authenticate by the
    URL alone, and a webhook post may also make bot requests (threads, history), so the request
    itself is the only reliable witness of whose credentials were refused."""
    info = getattr(exc.response, "request_info", None)
    headers = getattr(info, "headers", None) or {}
    return str(headers.get("Authorization", "")).startswith("Bot ")


def on_bot_route(exc: BaseException, what: str) -> DeliveryError:
    """`exc`, raised by a request the bot made, as the DeliveryError it means, charged to the
    bot's route when it is the route's trouble (a 5xx, a timeout, a rate limit). A webhook
    channel's update has the bot start its thread: that request failing says nothing about the
    webhooks, whose route (the channel's own) must not be held back or shown down for it."""
    error = translate_error(exc, what)
    if isinstance(error, TransientDeliveryError) and error.route is None:
        error.route = BOT_ROUTE
    return error


@contextlib.asynccontextmanager
async def delivering(what: str, *, bot: bool = False) -> AsyncIterator[None]:
    """Errors raised inside as the DeliveryError tree; `bot`: the requests are the bot's, so the
    route's trouble is the bot's route's (`on_bot_route`), whichever channel they were for."""
    translate = on_bot_route if bot else translate_error
    try:
        yield
    except DeliveryError as exc:
        translate(exc, what)  # the same error, charged to the bot's route if `bot`
        raise
    except (discord.DiscordException, aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise translate(exc, what) from exc
    except GARBLED as exc:
        # An edit or a read answered with an error whose body was cut off: an HTTP error as any
        # other. Anything else of these types is a bug, and surfaces.
        if unreadable_error(exc) is None:
            raise
        raise translate(exc, what) from exc


def snowflake(value: str, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PermanentDeliveryError(f"{what} {value!r} is not a Discord id") from None
