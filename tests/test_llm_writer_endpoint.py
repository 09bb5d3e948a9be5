"""The LLM writer against an endpoint that is down, slow, rate limiting or refusing the key: the
breaker stops waiting on it, failed calls cost no budget, a fallback is asked again later, a
preview spends nothing, and what went wrong is said where an operator looks (logs, /healthz,
`config check`). The endpoint is the fake on 127.0.0.1 (`fakes.llm_api`)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from fakes.chat import FakeChatAdapter
from fakes.llm_api import FakeCompletions, chat_body, serve_completions
from fakes.stories import add_channel, add_story

import bot.summarize.llm as llm
from bot.app import NewsDigest
from bot.cli import cli
from bot.config import ChannelConfig, Config, LLMConfig
from bot.models import Article
from bot.runner.cards import CardSource
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import summaries as summary_store
from bot.store.database import open_database, utcnow
from bot.summarize import MAX_TEXT_CHARS, LLMSettings, Summarizer
from bot.summarize.llm_breaker import MAX_COOL_DOWN, THRESHOLD, Breaker
from bot.summarize.llm_prompt import MAX_PROMPT_TITLE_CHARS, build_messages
from tests.test_summarize_fixtures import harbor_bridge_story

KEY_VAR = "NEWSDIGEST_TEST_KEY"
# Not an answer the checks would take for harbor_bridge_story: only whether a call was made counts.
UNUSABLE = chat_body(json.dumps({"tldr": ["Nothing the sources say."], "angles": []}), tokens=50)


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(UNUSABLE) as url:
        yield url


def _summarizer(url: str, db: Any = None, **kw: Any) -> Summarizer:
    return Summarizer(LLMSettings(base_url=url, model="m", api_key_env=KEY_VAR, **kw), db=db)


def test_a_hanging_endpoint_is_not_waited_on_for_every_card(endpoint: str) -> None:
    # Each card waited the whole timeout: 7 cards took 140 s at the default 20 s.
    # The endpoint answers only after 20 s, so one call not cut at its 0.2 s timeout takes
    # longer than the whole bound: a hang guard, not a speed budget (the 7 cards take about
    # 1 s on a quiet machine, 2.5 s was seen on a loaded one).
    FakeCompletions.delay = 20.0
    summarizer = _summarizer(endpoint, timeout=0.2)
    start = time.monotonic()
    summaries = [summarizer.summarize(harbor_bridge_story()) for _ in range(7)]
    assert time.monotonic() - start < 18.0
    assert len(FakeCompletions.requests) == THRESHOLD
    assert all(s.writer == "extractive" and s.llm_fallback for s in summaries)
    assert summarizer.llm_status()["breaker"]["state"] == "open"


def test_a_429_rests_the_endpoint_for_its_retry_after(endpoint: str) -> None:
    FakeCompletions.status, FakeCompletions.body = 429, b'{"error": "slow down"}'
    FakeCompletions.headers_out = {"Retry-After": "120"}
    summarizer = _summarizer(endpoint)
    for _ in range(3):
        summarizer.summarize(harbor_bridge_story())
    assert len(FakeCompletions.requests) == 1
    breaker = summarizer.llm_status()["breaker"]
    assert breaker["state"] == "open" and breaker["retry_in_seconds"] > 100


def test_breaker_cool_down_grows_capped_and_lets_one_call_try() -> None:
    now = [0.0]
    breaker = Breaker(clock=lambda: now[0])
    for _ in range(THRESHOLD - 1):
        assert (permit := breaker.allow()) and not breaker.failure(permit, "timeout")
    assert (permit := breaker.allow()) and breaker.failure(permit, "timeout")
    assert not breaker.allow()
    cool_downs = []
    for _ in range(8):
        start = now[0]
        while not (trial := breaker.allow()):
            now[0] += 1
        cool_downs.append(now[0] - start)
        assert not breaker.allow()  # one try at a time
        breaker.failure(trial, "timeout")
    assert cool_downs[:3] == [30, 60, 120] and max(cool_downs) == MAX_COOL_DOWN
    now[0] += MAX_COOL_DOWN
    assert breaker.allow()
    breaker.success()
    assert breaker.status()["state"] == "closed" and breaker.allow() and breaker.allow()


def test_a_fallback_card_asks_the_llm_again_and_a_refused_answer_does_not(
    endpoint: str, tmp_path: Path
) -> None:
    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    core.summarizer = _summarizer(endpoint, db=core.db)
    add_story(core.db, "s1", ["A", "B"], now=utcnow())
    channel = add_channel(core.db, "C1")
    source = CardSource(core, clock=utcnow)
    FakeCompletions.status = 500

    async def card() -> None:
        assert await source.card_for_async("s1", channel) is not None

    asyncio.run(card())
    cached = summary_store.cached_summary(core.db, "s1", 2)
    assert cached is not None and cached.llm_fallback and len(FakeCompletions.requests) == 1
    # The endpoint is back: the next card (an edit, another channel's) asks again.
    FakeCompletions.status = 200
    asyncio.run(card())
    assert len(FakeCompletions.requests) == 2
    cached = summary_store.cached_summary(core.db, "s1", 2)
    # Its answer was refused by the checks: kept, not paid for again on every card.
    assert cached is not None and not cached.llm_fallback
    asyncio.run(card())
    assert len(FakeCompletions.requests) == 2
    core.close()


def test_a_digest_preview_spends_nothing(endpoint: str, tmp_path: Path) -> None:
    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    core.summarizer = _summarizer(endpoint, db=core.db)
    add_story(core.db, "s1", ["A", "B"], now=utcnow())
    channel = add_channel(core.db, "C1")
    digest = core.digest(channel, include_delivered=True)
    assert len(digest.cards) == 1 and FakeCompletions.requests == []
    # Stored as a fallback, so the real card still gets the LLM's words.
    cached = summary_store.cached_summary(core.db, "s1", 2)
    assert cached is not None and cached.llm_fallback
    assert core.summarizer.llm_status()["tokens_today"] == 0
    core.close()


def test_the_llm_reads_what_the_extractive_pass_reads(
    endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[Article]] = []
    real = llm.check_answer

    def spy(answer: Any, articles: list[Article], *rest: Any) -> Any:
        seen.append(articles)
        return real(answer, articles, *rest)

    monkeypatch.setattr(llm, "check_answer", spy)
    story = harbor_bridge_story()
    huge = story[0].text + " filler" * 60_000
    story = [replace(story[0], text=huge), *story[1:]]
    _summarizer(endpoint).summarize(story)
    assert seen and max(len(a.text) for a in seen[0]) <= MAX_TEXT_CHARS
    # A title is feed text too: cut in the prompt.
    long_title = Article(id="x", source="Desk", title="word " * 100_000, text="Body.")
    [item] = json.loads(build_messages([long_title], ["Desk"])[1]["content"])
    assert len(item["title"]) <= MAX_PROMPT_TITLE_CHARS


def test_proxy_variables_do_not_reach_the_endpoint(
    endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy set for something else (here one that is down) took the prompt and the key.
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    _summarizer(endpoint).summarize(harbor_bridge_story())
    assert len(FakeCompletions.requests) == 1
    _summarizer(endpoint, trust_env=True).summarize(harbor_bridge_story())
    assert len(FakeCompletions.requests) == 1  # configured to follow them: it went to the proxy


def test_failure_lines_name_the_story_host_and_the_key_variable(
    endpoint: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    FakeCompletions.status, FakeCompletions.body = 401, b'{"error": "bad key"}'
    monkeypatch.delenv(KEY_VAR, raising=False)
    with caplog.at_level(logging.INFO, logger="bot.summarize.llm"):
        _summarizer(endpoint).summarize(harbor_bridge_story(), story="harbor-bridge")
        monkeypatch.setenv(KEY_VAR, "sk-wrong")
        summarizer = _summarizer(endpoint)  # a refused key rests the writer: a restart
        summarizer.summarize(harbor_bridge_story(), story="harbor-bridge")
        FakeCompletions.status, FakeCompletions.body = 200, UNUSABLE
        _summarizer(endpoint).summarize(harbor_bridge_story(), story="harbor-bridge")
    said = [r.getMessage() for r in caplog.records]
    unset, refused, rejected = [m for m in said if "harbor-bridge" in m]
    assert "rejected" in rejected and "harbor-bridge" in rejected
    assert "harbor-bridge" in unset and "127.0.0.1" in unset
    assert f"${KEY_VAR} is not set" in unset
    assert f"refused the key in ${KEY_VAR}" in refused and "sk-wrong" not in refused
    assert summarizer.llm_status()["breaker"]["last_failure"].startswith("HTTP 401")


def test_a_spent_budget_is_said_once_at_warning(
    endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Two calls spend the day: each reports what a call could cost (`llm_http.Charges`: within
    # ten times its estimate of some 1,200 tokens), so it is believed.
    FakeCompletions.body = chat_body("{}", tokens=11_000)
    summarizer = _summarizer(endpoint, daily_token_budget=20_000)
    with caplog.at_level(logging.INFO, logger="bot.summarize.llm"):
        for _ in range(4):
            summarizer.summarize(harbor_bridge_story())
    spent = [r for r in caplog.records if "budget" in r.getMessage()]
    assert len(spent) == 1 and spent[0].levelno == logging.WARNING
    status = summarizer.llm_status()
    assert status["tokens_today"] >= status["daily_token_budget"] == 20_000


def test_config_check_warns_of_the_llm_settings_that_cannot_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text(
        '[llm]\nbase_url = "api.example.com/v1/chat/completions"\nmodel = "m"\n'
        f'api_key_env = "{KEY_VAR}"\n',
        "utf-8",
    )
    monkeypatch.delenv(KEY_VAR, raising=False)
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    result = CliRunner().invoke(cli, ["--config", str(config), "config", "check"])
    assert result.exit_code == 0, result.output
    assert "has no http:// or https://" in result.output
    assert "ends in /chat/completions" in result.output
    assert f"${KEY_VAR} (llm.api_key_env) is not set" in result.output
    assert "3 warnings" in result.output


async def test_healthz_shows_the_writer_and_its_resting_endpoint(
    endpoint: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C1", schedule="0 9 * * *")],
        llm=LLMConfig(base_url=endpoint, model="m", api_key_env=KEY_VAR, timeout=0.2),
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=0, post_pace=0, start_spread=300)
    service = Service(config, core=core, settings=settings, env={})
    service.register_adapter(FakeChatAdapter("slack"))
    with caplog.at_level(logging.INFO, logger="bot.runner.service"):
        await service.start()
    assert any(
        "LLM writer: model m at 127.0.0.1" in r.getMessage() and KEY_VAR in r.getMessage()
        for r in caplog.records
    )
    assert service.health_server is not None
    url = f"http://127.0.0.1:{service.health_server.port}/healthz"
    async with httpx.AsyncClient() as client:
        before = (await client.get(url)).json()
        FakeCompletions.delay = 1.0
        for _ in range(THRESHOLD):
            await core.summarizer.asummarize(harbor_bridge_story())
        after = (await client.get(url)).json()
    await service.stop()
    core.close()
    assert before["llm"]["breaker"]["state"] == "closed" and before["status"] == "ok"
    writer = after["llm"]
    assert (writer["configured"], writer["model"], writer["endpoint_host"]) == (
        True,
        "m",
        "127.0.0.1",
    )
    assert writer["breaker"]["state"] == "open"
    assert "Timeout" in writer["breaker"]["last_failure"]
    assert (writer["tokens_today"], writer["daily_token_budget"]) == (0, 200_000)
    assert after["status"] == "degraded"
    assert any(p.startswith("llm: 127.0.0.1") for p in after["problems"])


async def test_a_cancelled_try_does_not_keep_the_endpoint_rested(endpoint: str) -> None:
    now = [0.0]
    summarizer = _summarizer(endpoint, timeout=5)
    writer = summarizer._writer
    assert writer is not None
    writer.breaker = Breaker(clock=lambda: now[0])
    for _ in range(THRESHOLD):
        permit = writer.breaker.allow()
        assert permit is not None
        writer.breaker.failure(permit, "timeout")
    now[0] += MAX_COOL_DOWN  # the rest is over: one try may go
    FakeCompletions.delay = 1.0
    task = asyncio.ensure_future(summarizer.asummarize(harbor_bridge_story()))
    while not FakeCompletions.requests:
        await asyncio.sleep(0.02)
    task.cancel()  # a shutdown mid-call
    with pytest.raises(asyncio.CancelledError):
        await task
    assert writer.breaker.allow(), "the cancelled try kept the breaker half-open for good"
