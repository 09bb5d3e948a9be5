"""A straggler, an LLM call let out before the breaker opened and answered late, changes nothing
in the breaker (`bot.summarize.llm_breaker`): its failure is not taken for the half-open try's,
its 429's Retry-After or its 401 does not lengthen the rest, and landing after a newer try closed
the breaker it does not open it again. A call let out in the same closed spell as a success is
no straggler: its failure, a 429's Retry-After too, still counts. The endpoint is the fake on
127.0.0.1 (`fakes.llm_api`), holding the straggler's request while the other cards' calls are
answered; the breaker's clock is the test's."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from fakes.llm_api import FakeCompletions, Held, serve_completions

from bot.summarize import Summarizer
from bot.summarize.llm_breaker import CONFIG_COOL_DOWN, FIRST_COOL_DOWN, THRESHOLD, Breaker
from tests.test_llm_writer_rest import UNUSABLE, _summarizer
from tests.test_summarize_fixtures import harbor_bridge_story

SLOW_DOWN = (429, b'{"error": "slow down"}', {"Retry-After": str(int(CONFIG_COOL_DOWN))})
REFUSED = (401, b'{"error": "invalid key"}', {})
UNWELL = (503, b"{}", {})
USABLE_ENOUGH = (200, UNUSABLE, {})  # answered: the check rejects it, the breaker counts success


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(UNUSABLE) as url:
        yield url


class Cards:
    """A summarizer whose breaker keeps the test's clock (`now`), and its calls."""

    def __init__(self, url: str) -> None:
        self.now = 0.0
        self.summarizer: Summarizer = _summarizer(url)
        writer = self.summarizer._writer
        assert writer is not None
        self.breaker = writer.breaker = Breaker(clock=lambda: self.now)
        self.count = 0

    async def card(self) -> None:
        self.count += 1
        await self.summarizer.asummarize(harbor_bridge_story(), story=f"s{self.count}")

    async def out(self, held: Held) -> asyncio.Task[object]:
        """A card whose call is on its way, its request held at the endpoint."""
        self.count += 1
        task = asyncio.ensure_future(
            self.summarizer.asummarize(harbor_bridge_story(), story=f"s{self.count}")
        )
        assert await asyncio.to_thread(held.arrived.wait, 5)
        return task

    async def opened(self) -> None:
        """`THRESHOLD` cards' calls fail: the breaker opens for its first rest."""
        answer(UNWELL)
        for _ in range(THRESHOLD):
            await self.card()
        assert self.breaker.status()["state"] == "open"


def answer(reply: tuple[int, bytes, dict[str, str]]) -> None:
    FakeCompletions.status, FakeCompletions.body, FakeCompletions.headers_out = reply


async def _answered(
    task: asyncio.Task[object], held: Held, reply: tuple[int, bytes, dict[str, str]]
) -> None:
    answer(reply)
    held.release()
    await task


@pytest.mark.parametrize("late", [SLOW_DOWN, REFUSED], ids=["429", "401"])
async def test_a_stragglers_failure_does_not_lengthen_the_rest(
    endpoint: str, late: tuple[int, bytes, dict[str, str]]
) -> None:
    cards = Cards(endpoint)
    held = FakeCompletions.hold(0)
    straggler = await cards.out(held)
    await cards.opened()
    await _answered(straggler, held, late)
    rest = cards.breaker.status()
    assert rest["retry_in_seconds"] == FIRST_COOL_DOWN
    assert not rest["configuration_problem"]
    assert rest["last_failure"].startswith(f"HTTP {late[0]}")  # said in /healthz all the same


async def test_a_stragglers_failure_is_not_taken_for_the_tries(endpoint: str) -> None:
    cards = Cards(endpoint)
    held_late, held_try = FakeCompletions.hold(0), FakeCompletions.hold(THRESHOLD + 1)
    straggler = await cards.out(held_late)
    await cards.opened()
    cards.now = FIRST_COOL_DOWN
    trial = await cards.out(held_try)
    await _answered(straggler, held_late, UNWELL)
    # The try is still out: the breaker waits for its answer, and lets no second try out.
    assert cards.breaker.status()["state"] == "half-open"
    assert cards.breaker.allow() is None
    cards.now += 10
    await _answered(trial, held_try, UNWELL)
    # The try's failure opens it for twice as long, counted from the try's answer.
    assert cards.breaker.status()["retry_in_seconds"] == 2 * FIRST_COOL_DOWN


@pytest.mark.parametrize("late", [SLOW_DOWN, UNWELL, REFUSED], ids=["429", "503", "401"])
async def test_a_stragglers_failure_does_not_reopen_a_breaker_a_try_closed(
    endpoint: str, late: tuple[int, bytes, dict[str, str]]
) -> None:
    cards = Cards(endpoint)
    held = FakeCompletions.hold(0)
    straggler = await cards.out(held)
    await cards.opened()
    cards.now = FIRST_COOL_DOWN
    answer(USABLE_ENOUGH)
    await cards.card()  # the try: the endpoint is back
    assert cards.breaker.status()["state"] == "closed"
    await _answered(straggler, held, late)
    assert cards.breaker.status()["state"] == "closed"
    assert cards.breaker.status()["consecutive_failures"] == 0
    calls = len(FakeCompletions.requests)
    answer(USABLE_ENOUGH)
    await cards.card()
    assert len(FakeCompletions.requests) == calls + 1


async def test_a_parallel_calls_429_opens_the_breaker_after_anothers_success(
    endpoint: str,
) -> None:
    # Two cards out at once while the endpoint starts rate-limiting: one is answered, the other
    # gets a 429 with Retry-After. Both were let out in the same closed spell, so the 429 counts.
    cards = Cards(endpoint)
    held = FakeCompletions.hold(0)
    parallel = await cards.out(held)
    answer(USABLE_ENOUGH)
    await cards.card()
    assert cards.breaker.status()["state"] == "closed"
    await _answered(parallel, held, SLOW_DOWN)
    rest = cards.breaker.status()
    assert rest["state"] == "open"
    assert rest["retry_in_seconds"] == CONFIG_COOL_DOWN  # the endpoint's Retry-After
    calls = len(FakeCompletions.requests)
    await cards.card()  # extractive at once: nothing goes back to the rate-limited endpoint
    assert len(FakeCompletions.requests) == calls


async def test_failures_of_calls_out_beside_a_success_count_towards_opening(
    endpoint: str,
) -> None:
    cards = Cards(endpoint)
    helds = [FakeCompletions.hold(i) for i in range(THRESHOLD)]
    out = [await cards.out(held) for held in helds]
    answer(USABLE_ENOUGH)
    await cards.card()  # answered while the others are still out
    for task, held in zip(out, helds, strict=True):
        await _answered(task, held, UNWELL)
    assert cards.breaker.status()["state"] == "open"
    assert cards.breaker.status()["retry_in_seconds"] == FIRST_COOL_DOWN
