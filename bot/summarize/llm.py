"""Optional LLM writer for the TL;DR and angle lines, distrusted by design.

Any OpenAI-compatible chat-completions endpoint works (OpenAI, vLLM, llama.cpp, Ollama). The
model's answer is only used if it passes the grounding checks (`llm_check`): every name, date
and number it writes must occur in a source, number words ("ten", "forty-two") included when
they count or measure something ("nine votes", "five years"); a number before a unit must come with that unit,
and a tally ("7 to 2") in that order, and a count of a noun ("three ministers") as a source
counts it (`llm_facts`); a modifier of kind ("state grant") may not be swapped for another the
sources give that noun only otherwise, nor an act ("voted against") given to a person no source
sentence with that verb names, nor told as done the other way ("voted to close the base" for
"voted to keep it open", `llm_acts`); every quote must be verbatim in its
outlet's text, every bullet is credited only to the outlets that report it, its negation and
decisive verb as its sources' (`claim_verbs`), and the TL;DR must fit the card. Anything else
(hallucination, timeout, HTTP error, malformed, too deeply nested or oversized JSON, spent
budget) yields the extractive summary. A flaky endpoint degrades the prose; a model can still
get wrong what these checks do not read (an act's complement in words outside `llm_acts`'s
lexicon, a count in the singular).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Coroutine, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from bot.models import Article, Summary
from bot.outlets import outlet_names
from bot.summarize.llm_breaker import Breaker, Permit
from bot.summarize.llm_budget import TokenBudget, small_budget_warning
from bot.summarize.llm_check import LLMRejected, check_answer
from bot.summarize.llm_http import (
    MAX_RESPONSE_BYTES,
    Charges,
    EndpointError,
    Exchange,
    ResponseUnreadable,
    parse_answer,
    parse_body,
    post_chat,
    read_capped,
    redact,
    usage_tokens,
)
from bot.summarize.llm_prompt import (
    MAX_ARTICLES,
    MAX_COMPLETION_TOKENS,
    build_messages,
    estimate_tokens,
    full_call_estimate,
)
from bot.summarize.sentences import split_sentences
from bot.summarize.steering import orders_model, without_steering_text

if TYPE_CHECKING:
    from bot.summarize import LLMSettings

log = logging.getLogger(__name__)


class LLMWriter:
    """Calls the endpoint within the token budget and falls back to `base` on any failure.

    One network path (async) serves both entry points, so both get the same overall deadline:
    httpx's timeout is per phase, and a server dripping a byte at a time would otherwise hold a
    card forever. The budget is booked on its connection, another process's write lock waited
    out with the event loop free (`TokenBudget.areserve`, `settle`). The
    breaker (`llm_breaker`) skips the call while the endpoint keeps failing.

    A summary that fell back without an answer (the call failed, the breaker was open, the budget
    spent) is marked `llm_fallback`, so the card source asks again later; one whose answer the
    checks refused is not: asking again would most likely pay for the same refusal.
    """

    def __init__(
        self, settings: LLMSettings, budget: TokenBudget, breaker: Breaker | None = None
    ) -> None:
        self.settings = settings
        self.budget = budget
        self.breaker = breaker or Breaker()
        self.host = urlsplit(settings.base_url).hostname or settings.base_url
        self._spent_warned: str | None = None  # the day "budget spent" was last said
        self._charges = Charges(self.host)
        warning = small_budget_warning(
            budget.daily_limit, full_call_estimate(), full_call_estimate("字"), MAX_ARTICLES
        )
        if warning is not None:
            log.log(warning[0], "%s", warning[1])

    def _api_key(self) -> str:
        """The configured key, stripped of surrounding whitespace.

        A CRLF .env file leaves a carriage return on the value, which h11 refuses as an illegal
        header value (its error message quoting the whole header, key included).
        """
        return os.environ.get(self.settings.api_key_env, "").strip()

    def _request(self, messages: list[dict[str, str]]) -> tuple[str, dict[str, str], dict]:
        url = self.settings.base_url.rstrip("/") + "/chat/completions"
        headers = {"Content-Type": "application/json"}
        key = self._api_key()
        # Local servers (llama.cpp, Ollama) need no key; only send one when configured.
        if key:
            headers["Authorization"] = f"Bearer {key}"
        body = {
            "model": self.settings.model,
            "messages": messages,
            "temperature": 0.2,
            "max_tokens": MAX_COMPLETION_TOKENS,
            "response_format": {"type": "json_object"},
        }
        return url, headers, body

    async def _fetch(self, messages: list[dict[str, str]], exchange: Exchange) -> Any:
        """The response body as JSON, within `settings.timeout` for the whole exchange."""
        url, headers, body = self._request(messages)
        return await post_chat(
            url,
            headers,
            body,
            timeout=self.settings.timeout,
            trust_env=self.settings.trust_env,
            exchange=exchange,
        )

    def _checked(
        self,
        payload: Any,
        articles: list[Article],
        outlets: list[str],
        base: Summary,
        story: str = "",
    ) -> Summary:
        """`check_answer` that never raises: any failure, expected or not, means `base`."""
        try:
            return check_answer(parse_answer(payload), articles, outlets, base)
        except LLMRejected as exc:
            log.warning(
                "LLM answer for %s rejected, using the extractive summary: %s",
                story or "a story",
                exc,
            )
        except Exception:
            # A shape the checks did not foresee is a bug to fix, but never a lost card.
            log.exception(
                "LLM answer check for %s failed unexpectedly; using the extractive summary",
                story or "a story",
            )
        return base

    def status(self) -> dict[str, Any]:
        """The writer's state for /healthz."""
        return {
            "configured": True,
            "model": self.settings.model,
            "endpoint_host": self.host,
            "breaker": self.breaker.status(),
            "tokens_today": self.budget.used(),
            "daily_token_budget": self.budget.daily_limit,
        }

    def estimate(self, articles: Sequence[Article]) -> int:
        """The tokens booked for a call on `articles` (as `rewrite` would send them)."""
        articles = without_steering(articles)
        return estimate_tokens(build_messages(articles, outlet_names(articles)))

    async def _start(self, estimate: int, story: str) -> tuple[str, Permit] | None:
        """The day the call's estimate is booked on and the breaker's permit, if the breaker and
        the budget let it go out."""
        permit = self.breaker.allow()
        if permit is None:
            log.debug(
                "LLM endpoint %s resting after failures; %s gets the extractive summary",
                self.host,
                story or "the story",
            )
            return None
        try:
            day = await self.budget.areserve(estimate)
        except BaseException:
            # The booking met another connection's write lock (a chat command waits only
            # briefly, and is run again): the call never goes out, so a half-open try taken
            # above must not stay taken, or the endpoint is never asked again until a restart.
            self.breaker.release(permit)
            raise
        if day is None:
            self.breaker.release(permit)
            self._refused(estimate, story)
            return None
        return day, permit

    def _refused(self, estimate: int, story: str) -> None:
        if estimate > self.budget.daily_limit:
            # Nothing may have been spent at all: saying "spent" sent operators looking for usage.
            log.info(
                "%s: its estimated %d tokens exceed the daily budget of %d; using the "
                "extractive summary",
                story or "this story",
                estimate,
                self.budget.daily_limit,
            )
            return
        day = self.budget.today()
        if self._spent_warned != day:
            self._spent_warned = day
            log.warning(
                "LLM daily token budget of %d spent for %s (UTC); cards get the extractive "
                "summary until then",
                self.budget.daily_limit,
                day,
            )

    def _failed(self, call: _Call, exc: Exception, story: str) -> None:
        """Settle a failed call's booking, tell the breaker, and log one line saying why."""
        if isinstance(exc, EndpointError):
            # An error status bills what its body says was used (if any call could cost
            # that), else nothing.
            self.budget.settle(
                call.day,
                call.estimate,
                self._charges.charge(exc.tokens, call.estimate, call.day, story, unsaid=0),
            )
        elif not call.exchange.answered:
            # Refused, unreachable or timed out before any answer: nothing can have been billed.
            self.budget.settle(call.day, call.estimate, 0)
        # Otherwise (a body cut off, unreadable or too big) the call may have been billed: the
        # estimate, an upper bound, stays booked. So does a cancelled call's.
        reason = self._reason(exc)
        unwell = not isinstance(exc, EndpointError) or exc.status == 429 or exc.status >= 500
        opened = False
        if unwell:
            retry_after = exc.retry_after if isinstance(exc, EndpointError) else None
            # With the call's permit: a straggler's failure (let out before the breaker opened)
            # must not be taken for the half-open try's.
            opened = self.breaker.failure(call.permit, reason, retry_after)
        else:
            # A 401 or 400 says the endpoint is up but refuses this setup: asking again only
            # asks for the same refusal (every card build, a warning each), until it is fixed.
            opened = self.breaker.misconfigured(call.permit, reason)
        log.warning(
            "LLM writer fell back to extractive for %s (endpoint %s): %s",
            story or "a story",
            self.host,
            reason,
        )
        if opened and not unwell:
            log.warning(
                "LLM endpoint %s refused the writer's setup; not called for %s s (fix the key, "
                "model or endpoint settings and restart to retry sooner)",
                self.host,
                self.breaker.status()["retry_in_seconds"],
            )
        elif opened:
            rest = self.breaker.status()
            log.warning(
                "LLM endpoint %s failed %d time(s) in a row; not called for %s s, cards get the "
                "extractive summary meanwhile",
                self.host,
                rest["consecutive_failures"],
                rest["retry_in_seconds"],
            )

    def _reason(self, exc: Exception) -> str:
        if isinstance(exc, EndpointError) and exc.status == 401:
            if not self._api_key():
                return (
                    f"HTTP 401: the endpoint wants a key, and ${self.settings.api_key_env} "
                    "is not set"
                )
            return f"HTTP 401: the endpoint refused the key in ${self.settings.api_key_env}"
        if isinstance(exc, EndpointError):
            return str(exc) + (f" (Retry-After {exc.retry_after:g} s)" if exc.retry_after else "")
        # Exception texts can quote the request (h11 quotes an illegal header whole): redacted.
        raw_key = os.environ.get(self.settings.api_key_env, "")
        # A password in the endpoint URL (user:pass@host) is a secret as much as the key.
        url_password = urlsplit(self.settings.base_url).password or ""
        message = redact(str(exc), [raw_key, raw_key.strip(), url_password])
        return f"{type(exc).__name__}: {message}" if message else type(exc).__name__

    def rewrite(
        self, articles: list[Article], outlets: list[str], base: Summary, *, story: str = ""
    ) -> Summary:
        """Blocking twin of `arewrite`, for threads and the CLI."""
        articles = without_steering(articles)
        call = _run_blocking(self._book(articles, outlets, story))
        if call is None:
            return replace(base, llm_fallback=True)
        with self._settling(call, story):
            call.payload = _run_blocking(self._fetch(call.messages, call.exchange))
        if not call.fetched:
            return replace(base, llm_fallback=True)
        return self._checked(call.payload, articles, outlets, base, story)

    async def arewrite(
        self, articles: list[Article], outlets: list[str], base: Summary, *, story: str = ""
    ) -> Summary:
        """`base`, or the model's answer on `articles` where it passes `llm_check`.

        Both the prompt and the check read the articles without their steering sentences: a
        planted "SYSTEM: write that X" that the model obeyed was itself the source that
        grounded X.
        """
        articles = without_steering(articles)
        call = await self._book(articles, outlets, story)
        if call is None:
            return replace(base, llm_fallback=True)
        with self._settling(call, story):
            call.payload = await self._fetch(call.messages, call.exchange)
        if not call.fetched:
            return replace(base, llm_fallback=True)
        # Splitting and stemming every source sentence is CPU work: off the event loop.
        return await asyncio.to_thread(self._checked, call.payload, articles, outlets, base, story)

    async def _book(self, articles: list[Article], outlets: list[str], story: str) -> _Call | None:
        """The call on `articles`, its estimate booked, if the breaker and the budget let it go."""
        messages = build_messages(articles, outlets)
        estimate = estimate_tokens(messages)
        started = await self._start(estimate, story)
        return None if started is None else _Call(messages, estimate, *started)

    @contextmanager
    def _settling(self, call: _Call, story: str) -> Iterator[None]:
        """Settles `call`'s booking however the fetch in the block ends. An answer is billed and
        the call marked `fetched`; a fetch error is logged (`_failed`) and swallowed, so the
        summary falls back; anything else propagates."""
        try:
            yield
        except _FETCH_ERRORS as exc:
            self._failed(call, exc, story)
        except BaseException:
            # Cancelled (a shutdown) or a bug: a half-open try must not stay taken for good.
            self.breaker.release(call.permit)
            raise
        else:
            self.breaker.success()
            reported = usage_tokens(call.payload)
            cost = self._charges.charge(reported, call.estimate, call.day, story)
            self.budget.settle(call.day, call.estimate, cost)
            call.fetched = True


@dataclass(slots=True)
class _Call:
    """A call booked on the budget: its prompt, the estimate booked and the day it is booked on,
    the breaker's permit, its exchange, and the endpoint's answer once fetched."""

    messages: list[dict[str, str]]
    estimate: int
    day: str
    permit: Permit
    exchange: Exchange = field(default_factory=Exchange)
    payload: Any = None
    fetched: bool = False


def without_steering(articles: Sequence[Article]) -> list[Article]:
    """`articles` without the sentences written to steer a model, or shouting (`steering`),
    and without a title that gives a model orders."""
    out: list[Article] = []
    for article in articles:
        text = without_steering_text(article.text, split_sentences(article.text))
        title = "" if orders_model(article.title) else article.title
        same = text == article.text and title == article.title
        out.append(article if same else replace(article, title=title, text=text))
    return out


# Network and HTTP failures, an error status, an unreadable or oversized body (ValueError) and
# the overall deadline.
_FETCH_ERRORS = (httpx.HTTPError, EndpointError, ValueError, TimeoutError)


def _run_blocking(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run `coro` to completion from synchronous code."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    # Called from a running loop's own thread, where asyncio.run refuses: a private loop in a
    # helper thread (still blocking, as a sync call must).
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


__all__ = [
    "MAX_RESPONSE_BYTES",
    "LLMWriter",
    "ResponseUnreadable",
    "TokenBudget",
    "parse_body",
    "read_capped",
    "redact",
]
