"""When the LLM writer stops asking: a burst of concurrent failures opens the breaker once, a
refused setup (a 4xx) rests it long and shows in /healthz, and a story too big for what is left
of today's budget is not re-summarised on every card build. The endpoint is the fake on
127.0.0.1 (`fakes.llm_api`)."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakes.chat import FakeChatAdapter
from fakes.llm_api import FakeCompletions, chat_body, serve_completions

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config, LLMConfig
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database
from bot.summarize import LLMSettings, Summarizer
from bot.summarize.llm_breaker import (
    CONFIG_COOL_DOWN,
    FIRST_COOL_DOWN,
    THRESHOLD,
    Breaker,
    Permit,
)
from tests.test_summarize_fixtures import harbor_bridge_story

UNUSABLE = chat_body(json.dumps({"tldr": ["Nothing the sources say."], "angles": []}), tokens=50)


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(UNUSABLE) as url:
        yield url


def _summarizer(url: str, **kw: Any) -> Summarizer:
    return Summarizer(LLMSettings(base_url=url, model="m", timeout=5, **kw), db=None)


def _allowed(breaker: Breaker) -> Permit:
    """A call let out now: the breaker must let one out."""
    permit = breaker.allow()
    assert permit is not None
    return permit


def test_concurrent_failures_open_the_breaker_once(
    endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    # 7 cards at once against a 503: each failure past the third re-opened it, 30 s to 480 s.
    FakeCompletions.status, FakeCompletions.body, FakeCompletions.delay = 503, b"{}", 0.3
    summarizer = _summarizer(endpoint)

    async def burst() -> None:
        story = harbor_bridge_story()
        await asyncio.gather(*[summarizer.asummarize(story, story=f"s{i}") for i in range(7)])

    with caplog.at_level(logging.WARNING, logger="bot.summarize.llm"):
        asyncio.run(burst())
    opened = [r for r in caplog.records if "in a row" in r.getMessage()]
    assert len(opened) == 1
    breaker = summarizer.llm_status()["breaker"]
    assert breaker["state"] == "open"
    assert breaker["retry_in_seconds"] <= FIRST_COOL_DOWN


def test_a_late_failure_neither_reopens_nor_lengthens_the_cool_down() -> None:
    now = [0.0]
    breaker = Breaker(clock=lambda: now[0])
    late = breaker.allow()  # a call let out before the opening
    assert late is not None
    for _ in range(THRESHOLD):
        breaker.failure(_allowed(breaker), "HTTP 503")
    assert breaker.failure(late, "HTTP 503") is False
    now[0] = FIRST_COOL_DOWN
    probe = _allowed(breaker)
    assert breaker.failure(probe, "HTTP 503") is True
    assert breaker.status()["retry_in_seconds"] == 2 * FIRST_COOL_DOWN


@pytest.mark.parametrize("status", [400, 401])
def test_a_refused_setup_is_not_asked_again_on_every_card_build(
    endpoint: str, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    FakeCompletions.status, FakeCompletions.body = status, b'{"error": "no such model"}'
    summarizer = _summarizer(endpoint)
    cached = None
    with caplog.at_level(logging.WARNING, logger="bot.summarize.llm"):
        for _ in range(10):
            if summarizer.wants_llm(cached, harbor_bridge_story()):
                cached = summarizer.summarize(harbor_bridge_story(), story="harbor-bridge")
    assert len(FakeCompletions.requests) == 1
    assert cached is not None and cached.llm_fallback
    assert sum("fell back" in r.getMessage() for r in caplog.records) == 1
    breaker = summarizer.llm_status()["breaker"]
    assert breaker["state"] == "open" and breaker["configuration_problem"]
    assert breaker["retry_in_seconds"] > CONFIG_COOL_DOWN - 5
    assert breaker["last_failure"].startswith(f"HTTP {status}")


def test_a_refused_setup_grows_its_rest_and_a_success_clears_it() -> None:
    now = [0.0]
    breaker = Breaker(clock=lambda: now[0])
    first, concurrent = _allowed(breaker), _allowed(breaker)
    assert breaker.misconfigured(first, "HTTP 400") is True
    assert breaker.misconfigured(concurrent, "HTTP 400") is False  # a concurrent call's refusal
    now[0] = CONFIG_COOL_DOWN
    assert breaker.misconfigured(_allowed(breaker), "HTTP 400") is True
    assert breaker.status()["retry_in_seconds"] == 2 * CONFIG_COOL_DOWN
    now[0] = 3 * CONFIG_COOL_DOWN
    assert breaker.allow()
    breaker.success()
    assert breaker.status()["state"] == "closed"
    assert not breaker.status()["configuration_problem"]


def test_a_story_over_the_budget_left_is_not_summarised_again(endpoint: str) -> None:
    # Its estimate never fits a 200-token day: each card build re-ran the extractive pass.
    summarizer = _summarizer(endpoint, daily_token_budget=200)
    story = harbor_bridge_story()
    cached = summarizer.summarize(story, story="harbor-bridge")
    assert cached.llm_fallback and not FakeCompletions.requests
    assert not summarizer.wants_llm(cached, story)
    # A story small enough for what is left is still asked again.
    tiny = [replace(story[0], text="A ramp closed.")]
    roomy = _summarizer(endpoint, daily_token_budget=10**6)
    assert roomy.wants_llm(cached, tiny)


async def test_healthz_names_a_refused_setup_as_a_problem(endpoint: str, tmp_path: Path) -> None:
    FakeCompletions.status, FakeCompletions.body = 400, b'{"error": "unknown model"}'
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C1", schedule="0 9 * * *")],
        llm=LLMConfig(base_url=endpoint, model="m", timeout=5),
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=0, post_pace=0, start_spread=300)
    service = Service(config, core=core, settings=settings, env={})
    service.register_adapter(FakeChatAdapter("slack"))
    await service.start()
    assert service.health_server is not None
    url = f"http://127.0.0.1:{service.health_server.port}/healthz"
    await core.summarizer.asummarize(harbor_bridge_story())
    async with httpx.AsyncClient() as client:
        health = (await client.get(url)).json()
    await service.stop()
    core.close()
    assert health["llm"]["breaker"]["configuration_problem"] is True
    assert health["status"] == "degraded"
    problem = [p for p in health["problems"] if p.startswith("llm: 127.0.0.1")]
    assert problem and "setup" in problem[0] and "HTTP 400" in problem[0]


def test_a_call_let_out_while_closed_gives_back_no_other_calls_try() -> None:
    # A card let out while the breaker was closed; before its booking fails (the database
    # busy), the breaker opens and another card takes the half-open try. Giving back the first
    # card's permit freed that try, and a third card went out beside it: two tries at once.
    now = [0.0]
    summarizer = _summarizer("http://127.0.0.1:9")
    writer = summarizer._writer
    assert writer is not None
    breaker = writer.breaker = Breaker(clock=lambda: now[0])
    taken: list[object] = []

    def busy(estimate: int) -> str | None:
        for _ in range(THRESHOLD):
            breaker.failure(_allowed(breaker), "HTTP 503")  # other cards' calls fail meanwhile
        now[0] = FIRST_COOL_DOWN
        taken.append(breaker.allow())  # another card takes the try
        raise sqlite3.OperationalError("database is locked")

    writer.budget.reserve = busy  # type: ignore[method-assign]
    with pytest.raises(sqlite3.OperationalError):
        summarizer.summarize(harbor_bridge_story(), story="harbor-bridge")
    [trial] = taken
    assert trial is not None
    assert not breaker.allow(), "a second try went out while the first was in flight"
    breaker.release(trial)  # the try itself never went out: due again
    assert breaker.allow()
