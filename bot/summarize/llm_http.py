"""The LLM writer's one HTTP exchange with a chat-completions endpoint, and what its body says.

A failure says whether the endpoint answered at all (`answered`: nothing can have been billed
for a call refused before its response, so its booking is refunded), the tokens an error body
says were used, and a 429's Retry-After, which the breaker (`llm_breaker`) honours.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from bot.summarize.llm_breaker import retry_after_seconds
from bot.summarize.llm_check import LLMRejected

log = logging.getLogger(__name__)

# A chat completion of MAX_COMPLETION_TOKENS is a few kilobytes; anything near this is not an
# answer, and reading it whole would let a broken or hostile endpoint fill the memory.
MAX_RESPONSE_BYTES = 1_000_000
# An error body is read only for its usage and message: a few kilobytes at most.
MAX_ERROR_BYTES = 64_000


class EndpointError(Exception):
    """An HTTP error status: its code, its Retry-After (seconds) and the tokens it says it used."""

    def __init__(self, status: int, retry_after: float | None, tokens: int | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after
        self.tokens = tokens


@dataclass(slots=True)
class Exchange:
    """What one call got so far: set as it goes, read after a failure."""

    answered: bool = False  # the endpoint's status line arrived


async def post_chat(
    url: str,
    headers: dict[str, str],
    body: dict[str, Any],
    *,
    timeout: float,
    trust_env: bool,
    exchange: Exchange,
) -> Any:
    """The response body as JSON, within `timeout` for the whole exchange.

    `trust_env` False: no proxy variables (nor SSL_CERT_FILE / SSL_CERT_DIR) for this request:
    httpx applies them by default, which sent the prompt and the key through a proxy set for
    something else.
    """

    async def post() -> Any:
        # Streamed, so the body is read only up to MAX_RESPONSE_BYTES.
        async with (
            httpx.AsyncClient(timeout=timeout, trust_env=trust_env) as client,
            client.stream("POST", url, headers=headers, json=body) as response,
        ):
            exchange.answered = True
            if response.status_code >= 400:
                raise await _status_error(response)
            raw = await read_capped(response)
        return parse_body(raw)

    return await asyncio.wait_for(post(), timeout=timeout)


async def _status_error(response: httpx.Response) -> EndpointError:
    try:
        tokens = usage_tokens(parse_body(await read_capped(response, MAX_ERROR_BYTES)))
    except (ValueError, httpx.HTTPError):
        tokens = None
    return EndpointError(
        response.status_code, retry_after_seconds(response.headers.get("Retry-After")), tokens
    )


class ResponseUnreadable(ValueError):
    """The response body is too large or not parseable JSON: a failed call, like a bad status."""


def parse_body(raw: bytes) -> Any:
    """The response body as JSON; `ResponseUnreadable` for anything json.loads cannot take."""
    try:
        return json.loads(raw)
    except RecursionError:
        # Raised (not a ValueError) for deeply nested arrays such as "[[[[...]]]]".
        raise ResponseUnreadable("response body is nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError both
        raise ResponseUnreadable(f"response body is not JSON ({type(exc).__name__})") from None


async def read_capped(response: httpx.Response, limit: int = MAX_RESPONSE_BYTES) -> bytes:
    """The (decoded) body of a streamed response, refusing it once it passes `limit` bytes."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ResponseUnreadable(f"response body over {limit} bytes (Content-Length {declared})")
    chunks: list[bytes] = []
    size = 0
    # Counted after content decoding, so a small gzip bomb is cut as well as a plain huge body.
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise ResponseUnreadable(f"response body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


_BEARER = re.compile(r"(Bearer\s+)\S+", re.IGNORECASE)


def redact(text: str, secrets: Sequence[str]) -> str:
    """`text` without the given secrets or any bearer token: failure logs must not leak the key."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return _BEARER.sub(r"\1[redacted]", text)


def _content(payload: Any) -> str:
    try:
        content = payload["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise LLMRejected("response has no choices[0].message.content") from None
    if not isinstance(content, str):
        raise LLMRejected("message content is not text")
    # Some servers wrap JSON in a markdown fence despite response_format.
    content = content.strip()
    if content.startswith("```"):
        content = content.strip("`").removeprefix("json").strip()
    return content


# How far past its estimate a call's reported cost is believed. The estimate is the prompt at
# four characters a token plus the completion cap; a tokenizer spending a token on every byte of
# the prompt, and the chat template's own tokens, stay within four times it. A count beyond this
# no call on that prompt could cost: a server's bug (or a hostile one). Believed, 10**20 of it
# crashed the booking (past SQLite's INTEGER) and lost the card, and 2*10**18 was booked whole.
MAX_USAGE_PER_ESTIMATE = 10


class Charges:
    """What each call is charged from the tokens its response reports, distrusting a count no
    call could cost (one line a UTC day says so: a server that misreports mostly does so on every
    call)."""

    def __init__(self, host: str) -> None:
        self.host = host
        self._warned: str | None = None  # the day an unbelievable count was last logged

    def charge(
        self,
        reported: int | None,
        estimate: int,
        day: str,
        story: str,
        *,
        unsaid: int | None = None,
    ) -> int:
        """The tokens `reported` for a call booked at `estimate` on `day`; `unsaid` (by default
        the estimate) when none were; the estimate when more than MAX_USAGE_PER_ESTIMATE times
        it were."""
        if reported is None:
            return estimate if unsaid is None else unsaid
        if reported <= estimate * MAX_USAGE_PER_ESTIMATE:
            return reported
        if self._warned != day:
            self._warned = day
            log.warning(
                "LLM endpoint %s reported %d tokens used for %s, booked at an estimated %d: no "
                "call could cost that, so the estimate is charged (said once a day)",
                self.host,
                reported,
                story or "a story",
                estimate,
            )
        return estimate


def usage_tokens(payload: Any) -> int | None:
    """The body's `usage.total_tokens`, if it is a count."""
    usage = payload.get("usage") if isinstance(payload, dict) else None
    tokens = usage.get("total_tokens") if isinstance(usage, dict) else None
    if isinstance(tokens, int) and not isinstance(tokens, bool) and tokens >= 0:
        return tokens
    return None


def parse_answer(payload: Any) -> Any:
    """The model's JSON answer out of a chat-completions response body (any shape: checked later)."""
    try:
        return json.loads(_content(payload))
    except json.JSONDecodeError:
        raise LLMRejected("message content is not JSON") from None
    except RecursionError:
        # Nesting deeper than the parser's stack is no card text, just an unusable answer.
        raise LLMRejected("message content is nested too deeply") from None
