"""`find_posted` for Slack: look for a delivery's nonce in the metadata of our recent messages.

A failed lookup only means "could not check", never "the channel refuses posts": the bot may post
in a public channel it never joined (chat:write.public) yet not read it (`not_in_channel`), or
lack a history scope for one kind of channel. Pausing the channel or marking all of Slack down
for that would stop deliveries that work; a `TransientDeliveryError` instead makes the outbox
check again with backoff and fail the row visibly when checking never works.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.errors import error_code
from bot.delivery.adapter import DeliveryError, PostedMessage, TransientDeliveryError

log = logging.getLogger(__name__)

HISTORY_PAGES = 3
# Errors that mean only that we may not read here; the channel and the token may be fine.
CANNOT_READ_ERRORS = frozenset({"not_in_channel", "missing_scope"})

MapError = Callable[[Exception, str], DeliveryError]


async def find_by_nonce(
    client: AsyncWebClient,
    channel_id: str,
    *,
    event_type: str,
    nonce: str,
    root: str | None,
    map_error: MapError,
) -> PostedMessage | None:
    """Top-level history (`root` None) or the thread under `root`, newest pages first.

    In a public channel the bot posts to without being a member, history answers
    not_in_channel: it joins once (channels:join) and looks again."""
    method = "conversations.replies" if root else "conversations.history"
    try:
        try:
            return await _search(client, channel_id, event_type, nonce, root)
        except SlackApiError as exc:
            if error_code(exc) != "not_in_channel" or not await _join(client, channel_id):
                raise
            return await _search(client, channel_id, event_type, nonce, root)
    except SlackApiError as exc:
        # An answer that is not JSON has no code: `map_error` makes it a transient "could not
        # check", which waits without using an attempt, as an outage does.
        code = error_code(exc)
        if root and code == "thread_not_found":
            return None
        if code in CANNOT_READ_ERRORS:
            raise TransientDeliveryError(f"Slack {method}: {code} (cannot check)") from exc
        raise map_error(exc, method) from exc
    except Exception as exc:
        raise map_error(exc, method) from exc


async def _search(
    client: AsyncWebClient, channel_id: str, event_type: str, nonce: str, root: str | None
) -> PostedMessage | None:
    call: Callable[..., Awaitable[Any]]
    extra: dict[str, Any] = {}
    if root:
        call, extra = client.conversations_replies, {"ts": root}
    else:
        call = client.conversations_history
    cursor: str | None = None
    for _ in range(HISTORY_PAGES):
        kwargs: dict[str, Any] = {
            "channel": channel_id,
            "include_all_metadata": True,
            "limit": 200,
            **extra,
        }
        if cursor:
            kwargs["cursor"] = cursor
        response = await call(**kwargs)
        for message in response.get("messages") or []:
            meta = message.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if meta.get("event_type") == event_type and payload.get("nonce") == nonce:
                ts = str(message["ts"])
                return PostedMessage(message_ref=ts, thread_ref=root or ts)
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            break
    return None


async def _join(client: AsyncWebClient, channel_id: str) -> bool:
    """True when the bot is now a member. Private channels cannot be joined, and installs from
    before channels:join was in the manifest lack the scope: then the lookup stays impossible."""
    try:
        await client.conversations_join(channel=channel_id)
    except SlackApiError as exc:
        log.info(
            "Slack: cannot read %s to check for a post, and joining failed: %s",
            channel_id,
            error_code(exc) or exc,
        )
        return False
    log.info("Slack: joined %s to check whether a post landed there", channel_id)
    return True


async def find_bot_text(
    client: AsyncWebClient,
    channel_id: str,
    text: str,
    *,
    oldest: datetime,
    map_error: MapError,
    exclude: frozenset[str] = frozenset(),
) -> str | bool:
    """The ts of the newest top-level message of a bot's with exactly `text` (as posted:
    escaped), posted after `oldest` and not one of `exclude`, in the channel's history (True
    for one without a ts), else False: a digest heading whose answer was lost, which carries no
    metadata of its own. Its text names the digest's time and count, but another digest of the
    same minute and count reads the same: `oldest` (Slack's own bound on conversations.history;
    the caller's, when this heading was sent less an allowance for Slack's clock) keeps to
    messages made since, and `exclude` passes over the ones known to be other headings, and any
    older than them (a ts is the time Slack made the message: ours came after those).
    Raises as `find_by_nonce` does when the history cannot be read."""
    method = "conversations.history"
    # Slack's form of a time: seconds since the epoch, as a message's ts is written.
    bound = f"{oldest.timestamp():.6f}"
    try:
        try:
            return await _search_text(client, channel_id, text, bound, exclude)
        except SlackApiError as exc:
            if error_code(exc) != "not_in_channel" or not await _join(client, channel_id):
                raise
            return await _search_text(client, channel_id, text, bound, exclude)
    except SlackApiError as exc:
        if (code := error_code(exc)) in CANNOT_READ_ERRORS:
            raise TransientDeliveryError(f"Slack {method}: {code} (cannot check)") from exc
        raise map_error(exc, method) from exc
    except Exception as exc:
        raise map_error(exc, method) from exc


async def _search_text(
    client: AsyncWebClient, channel_id: str, text: str, oldest: str, exclude: frozenset[str]
) -> str | bool:
    # conversations.history lists the newest first: the first match is the newest.
    cursor: str | None = None
    for _ in range(HISTORY_PAGES):
        kwargs: dict[str, Any] = {"channel": channel_id, "limit": 200, "oldest": oldest}
        if cursor:
            kwargs["cursor"] = cursor
        response = await client.conversations_history(**kwargs)
        for message in response.get("messages") or []:
            if message.get("bot_id") and message.get("text") == text:
                if _not_newer(ts := message.get("ts"), exclude):
                    continue
                return str(ts) if ts else True
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            break
    return False


def _not_newer(ts: object, known: frozenset[str]) -> bool:
    """Whether the message `ts` is one of `known` or older than one of them."""
    try:
        mine = float(str(ts))
        return any(mine <= float(ref) for ref in known)
    except ValueError:
        return str(ts) in known
