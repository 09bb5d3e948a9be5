"""Slack failures as the outbox's error tree (`bot.delivery.adapter`): which ones pause the
channel, which hold back all of Slack, which are our payload's fault, and which may have posted.

slack-sdk's `SlackApiError.response` is not always a `SlackResponse`: an answer whose body is
not JSON comes with aiohttp's raw response (a cut-off body) or, from some code paths, a str, and
one with no body at all (an HTML page served as 200) as a `SlackResponse` with empty data. So
the error code, status and headers are read here defensively, never assumed.

A refusal's explanation, Slack's `response_metadata.messages` ("[ERROR] must be less than 151
characters [json-pointer:/blocks/0/text/text]" for invalid_blocks), is kept in the error's text
(`explained`): it is what says which block was wrong, in the log, /healthz and the failed row.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.adapters.slack.auth import AUTH_ERRORS
from bot.delivery.adapter import (
    AuthDeliveryError,
    DeliveryError,
    PermanentDeliveryError,
    PlatformDeliveryError,
    RateLimitedDeliveryError,
    TransientDeliveryError,
)

# The channel cannot take our posts until a human acts (unarchive, re-invite).
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "restricted_action",
        # A read-only channel (only admins post), a thread-only channel (no top-level posts).
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "team_access_not_granted",
        "ekm_access_denied",
        "no_permission",
    }
)
# What a person does about the codes that have one fix, said in the pause reason.
_INVITE = "invite the bot with /invite @newsdigest in the channel"
PERMANENT_FIXES = {
    # Also a private channel the bot is not in: Slack does not tell it from a wrong id.
    "channel_not_found": (
        "check the channel id (Slack shows it at the bottom of the channel's details, and it "
        f"ends the channel's link), and for a private channel {_INVITE}"
    ),
    "not_in_channel": _INVITE,
}
# For a code in AUTH_ERRORS on a send: the admin reads it in the log and /healthz.
BOT_TOKEN_HELP = (
    "the bot token no longer works: put a new one (OAuth & Permissions > Bot User OAuth Token) "
    "in SLACK_BOT_TOKEN and restart newsdigest"
)
# Nothing in the workspace can be posted (the token lacks a scope): one platform-wide failure,
# not a pause of every channel the next drain happens to try.
PLATFORM_ERRORS = frozenset({"missing_scope"})
# Slack's rate limit as a 429 ("ratelimited"), or as an HTTP 200 answer (chat.postMessage's
# documented "rate_limited": the app posted too many messages).
RATE_LIMITED = frozenset({"ratelimited", "rate_limited"})
# A rate limit that says nothing readable of how long (chat.postMessage's "rate_limited" comes
# without a Retry-After): Slack's rate limit windows are a minute.
RATE_LIMIT_WAIT = 60.0
# The workspace is being moved into an Enterprise org: the Web API is unavailable until done.
MIGRATING_ERRORS = frozenset({"team_added_to_org", "org_login_required"})
TRANSIENT_ERRORS = (
    frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})
    | RATE_LIMITED
    | MIGRATING_ERRORS
)
# Refused before Slack did anything with the request.
NOT_PROCESSED_ERRORS = (
    frozenset({"service_unavailable", "request_timeout"}) | RATE_LIMITED | MIGRATING_ERRORS
)


# What a lookup a command waits on (users.info, conversations.open) may raise when Slack did not
# answer it: Slack's refusal, or no answer at all (a dropped connection, a DNS failure, a
# timeout). The command goes on without the answer rather than fail as a whole.
LOOKUP_FAILURES: tuple[type[BaseException], ...] = (
    SlackClientError,
    aiohttp.ClientError,
    asyncio.TimeoutError,
    OSError,
)


def failure_said(exc: BaseException) -> str:
    """A failed lookup in a log line: Slack's error code, else what kind of failure it was."""
    return error_code(exc) or type(exc).__name__


def error_code(exc: BaseException) -> str:
    """Slack's error code ("invalid_blocks"), or "" when the answer carried none: no body, a
    body that is not JSON, or not a Slack answer at all."""
    response = getattr(exc, "response", None)
    # A SlackResponse keeps the body in `data`; an error built by hand may carry the body itself.
    data = response if isinstance(response, Mapping) else getattr(response, "data", None)
    if isinstance(data, Mapping):
        return str(data.get("error") or "")
    return ""


# Where each Slack token is made, for a start it was refused: Socket Mode's connection is opened
# with the app-level token, everything else with the bot token.
TOKEN_PLACES = {
    "SLACK_APP_TOKEN": "Basic Information > App-Level Tokens",
    "SLACK_BOT_TOKEN": "OAuth & Permissions > Bot User OAuth Token",
}


def start_error(exc: BaseException) -> AuthDeliveryError | None:
    """A start Slack refused a token for, as the error the runner does not retry, naming the
    variable (told by the method that refused it), its code and what to do; None for any other
    error. slack-sdk's own message is the request URL and the raw response over two lines, which
    read badly in a log line or /healthz and never named the variable."""
    if not isinstance(exc, SlackApiError) or (code := error_code(exc)) not in AUTH_ERRORS:
        return None
    url = str(getattr(exc.response, "api_url", "") or "")
    env_var = "SLACK_APP_TOKEN" if url.endswith("apps.connections.open") else "SLACK_BOT_TOKEN"
    return AuthDeliveryError(
        f"Slack refused {env_var} ({code}): put a valid one ({TOKEN_PLACES[env_var]}) in "
        f"{env_var} and restart newsdigest"
    )


def http_status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    # SlackResponse says status_code, aiohttp's raw ClientResponse says status.
    for name in ("status_code", "status"):
        status = getattr(response, name, None)
        if isinstance(status, int):
            return status
    return None


def is_rate_limited(exc: BaseException) -> bool:
    """Slack refused the call for its rate limit: a 429, or chat.postMessage's "rate_limited"."""
    return http_status(exc) == 429 or error_code(exc) in RATE_LIMITED


def retry_after(exc: BaseException) -> float | None:
    """The seconds a 429's Retry-After asks for, or None when it says nothing readable."""
    return header_wait(getattr(getattr(exc, "response", None), "headers", None))


def header_wait(headers: Any) -> float | None:
    """Retry-After read from an answer's headers (slack-sdk hands them over in several shapes)."""
    if not isinstance(headers, Mapping):
        return None
    retry = headers.get("Retry-After") or headers.get("retry-after")
    if isinstance(retry, list):
        retry = retry[0] if retry else None
    try:
        seconds = float(retry) if retry else None
    except (TypeError, ValueError):
        return None
    # "nan" and "inf" are floats too: no number of seconds, so the outbox's own backoff applies.
    return seconds if seconds is not None and math.isfinite(seconds) and seconds >= 0 else None


def delivery_error(exc: Exception, what: str) -> DeliveryError:
    """A Slack failure as the outbox's error tree: permanent pauses the channel, transient retries."""
    if isinstance(exc, DeliveryError):  # already one (a post answered without its ts)
        return exc
    if isinstance(exc, SlackApiError):
        return _api_error(exc, what)
    if isinstance(exc, aiohttp.ClientConnectorError):
        # Never connected, so nothing was sent.
        return TransientDeliveryError(f"Slack {what}: {type(exc).__name__}: {exc}")
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ClientError | OSError):
        # The request may have been written and processed before the answer got lost.
        return TransientDeliveryError(f"Slack {what}: {type(exc).__name__}: {exc}", maybe_sent=True)
    return DeliveryError(f"Slack {what}: {exc}")


# Of Slack's explanation of a refusal, the lines kept and each line's length: enough to name
# the blocks at fault, not a page of them in every log line and /healthz.
EXPLAINED_LINES = 3
EXPLAINED_CHARS = 200
# A Slack token (bot, user, app-level, refresh) in Slack's explanation, never echoed on.
_TOKEN = re.compile(r"\bx(?:ox[a-z]|app)-[\w-]+", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def explained(exc: BaseException) -> str:
    """Slack's explanation of a refusal (`response_metadata.messages`, which for invalid_blocks
    and its kin names the block by a json-pointer) on one line: its first `EXPLAINED_LINES`
    lines, each cut to `EXPLAINED_CHARS`, control characters and tokens taken out; "" when the
    answer has none."""
    response = getattr(exc, "response", None)
    data = response if isinstance(response, Mapping) else getattr(response, "data", None)
    meta = data.get("response_metadata") if isinstance(data, Mapping) else None
    messages = meta.get("messages") if isinstance(meta, Mapping) else None
    if not isinstance(messages, list):
        return ""
    lines = []
    for message in messages[:EXPLAINED_LINES]:
        line = " ".join(_TOKEN.sub("[token]", _CONTROL.sub(" ", str(message))).split())
        if len(line) > EXPLAINED_CHARS:
            line = line[: EXPLAINED_CHARS - 1].rstrip() + "…"
        if line:
            lines.append(line)
    if len(messages) > EXPLAINED_LINES:
        lines.append(f"{len(messages) - EXPLAINED_LINES} more")
    return "; ".join(lines)


def _api_error(exc: SlackApiError, what: str) -> DeliveryError:
    code = error_code(exc)
    status = http_status(exc)
    # The code as said in the error: with Slack's explanation after it, when it gave one
    # ("invalid_blocks ([ERROR] ... [json-pointer:/blocks/0/text/text])").
    note = explained(exc)
    said = f"{code} ({note})" if code and note else code
    if code in AUTH_ERRORS:
        return AuthDeliveryError(f"Slack {what}: {said}; {BOT_TOKEN_HELP}")
    if code in PLATFORM_ERRORS:
        return PlatformDeliveryError(f"Slack {what}: {said}")
    if code in PERMANENT_ERRORS:
        return PermanentDeliveryError(f"Slack {what}: {said}", fix=PERMANENT_FIXES.get(code))
    if is_rate_limited(exc):
        # Slack refused the request, so nothing was posted; nothing here waits it out either
        # (`settings.make_client`): the outbox holds the call for the Retry-After.
        wait = retry_after(exc)
        return RateLimitedDeliveryError(
            f"Slack {what}: rate limited", retry_after=RATE_LIMIT_WAIT if wait is None else wait
        )
    if (status is not None and status >= 500) or code in TRANSIENT_ERRORS:
        # Slack documents internal_error/fatal_error as "some aspect of the operation may
        # have succeeded"; only a refusal before processing is known not to have posted.
        return TransientDeliveryError(
            f"Slack {what}: {said or status}", maybe_sent=code not in NOT_PROCESSED_ERRORS
        )
    if not code and status is not None and 400 <= status < 500:
        # Refused before Slack read it (a proxy's 403 or 407, a 413): nothing landed, and the
        # row's own attempts count, as a refused payload's do, so it is given up in time
        # instead of holding every Slack channel back for two days.
        return DeliveryError(f"Slack {what}: answered HTTP {status} without a Slack error")
    if not code:
        # No Slack answer to read (an HTML page from a proxy, a body cut off, none at all): the
        # request got through, so the post may well have landed, and resending blindly would
        # post it twice; nor is the row's payload shown to be at fault, so no attempt is used.
        shown = f"HTTP {status}" if status is not None else "HTTP"
        return TransientDeliveryError(
            f"Slack {what}: answered {shown} with a body that is not JSON", maybe_sent=True
        )
    # invalid_blocks, msg_too_long...: our bug, not the channel's; neither pause nor retry.
    return DeliveryError(f"Slack {what}: {said}")
