"""A 429 on a call someone is waiting for: a command's reply (chat.postMessage, chat.postEphemeral,
its response_url), the admin check before it (users.info, usergroups.*), slack-bolt's auth.test
on the first request, the answer to a mention or the greeting in a channel the bot joins.

The Web API client never waits out a 429 by itself (`settings.make_client`): the outbox's calls
must come back at once, for the outbox to hold the rows that need the call
(`bot.delivery.rate_limits`). A command's reply has no row to hold, and the person who typed the
command is looking at the channel: a short Retry-After (`SHORT_WAIT`, 3 s) is waited out once,
as a person barely notices it, and the call made again, which cannot post twice, since a 429
means Slack took nothing. A longer one is given up at once with a log line: a reply half a
minute late, after the person has typed the command again, helps nobody, and waiting would hold
the command's task that long. A reply
of several messages waits once in all (`responder`). The token's auth.test (at start, and
slack-bolt's on the first request of a bot served without `start`, where we cannot catch the
429) waits out a short one once too: `AuthTestRetry` lets the client do that for this call and no
other, so a start is not failed, nor a first command answered "please reinstall the app", for a
short rate limit. A started bot's requests never wait for it (`token_check`). A card's overflow
message waits in the background instead (`overflow`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.webhook.async_client import AsyncWebhookClient
from slack_sdk.webhook.webhook_response import WebhookResponse

from bot.adapters.slack.errors import header_wait, is_rate_limited, retry_after

log = logging.getLogger(__name__)

# The longest Retry-After a reply waits out (once); a longer one gives the reply up.
SHORT_WAIT = 3.0

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[Any]]


def short(wait: float | None) -> float | None:
    """The wait, when it is one a reply waits out; None when it is unknown or too long."""
    return wait if wait is not None and 0 <= wait <= SHORT_WAIT else None


async def once_more_if_short(
    call: Callable[[], Awaitable[T]], *, what: str, sleep: Sleep = asyncio.sleep
) -> T:
    """`call()`, made once more after a short 429's Retry-After; a long one, or a second 429,
    is raised as it came (the caller's usual failure path), with a log line saying why."""
    try:
        return await call()
    except SlackApiError as exc:
        if not is_rate_limited(exc):
            raise
        wait = short(retry_after(exc))
        if wait is None:
            log.warning(
                "Slack: %s rate limited (Retry-After %s s): not waited for, given up",
                what,
                _shown(retry_after(exc)),
            )
            raise
    log.info("Slack: %s rate limited; trying once more in %.1fs", what, wait)
    await sleep(wait)
    try:
        return await call()
    except SlackApiError as exc:
        if is_rate_limited(exc):
            log.warning("Slack: %s rate limited again: given up", what)
        raise


async def send_once_more_if_short(
    webhook: AsyncWebhookClient, body: dict[str, Any], *, what: str, sleep: Sleep = asyncio.sleep
) -> WebhookResponse:
    """A response_url POST, made once more after a short 429; its answer is returned either way
    (the caller logs an answer that is not 2xx)."""
    response = await webhook.send_dict(body)
    if response.status_code != 429:
        return response
    wait = short(header_wait(response.headers))
    if wait is None:
        log.warning(
            "Slack: %s rate limited (Retry-After %s s): not waited for, given up",
            what,
            _shown(header_wait(response.headers)),
        )
        return response
    log.info("Slack: %s rate limited; trying once more in %.1fs", what, wait)
    await sleep(wait)
    response = await webhook.send_dict(body)
    if response.status_code == 429:
        log.warning("Slack: %s rate limited again: given up", what)
    return response


def _shown(wait: float | None) -> str:
    return "unknown" if wait is None else f"{wait:.0f}"


class AuthTestRetry(AsyncRetryHandler):
    """slack-sdk's retry of one call only, auth.test (our check of the token at start, and
    bolt's on the first request when there was none): a short Retry-After is waited out once."""

    def __init__(self, sleep: Sleep = asyncio.sleep) -> None:
        super().__init__(max_retry_count=1)
        self._sleep = sleep

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return (
            response is not None
            and response.status_code == 429
            and urlsplit(request.url).path.endswith("/auth.test")
            and short(header_wait(response.headers)) is not None
        )

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        wait = short(header_wait(response.headers if response is not None else None)) or 0.0
        log.info("Slack: auth.test rate limited; trying once more in %.1fs", wait)
        state.next_attempt_requested = True
        await self._sleep(wait)
        state.increment_current_attempt()
