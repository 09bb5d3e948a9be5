"""A response's `usage.total_tokens` is believed only as far as a call could cost: a count far
past the call's estimate (a server's bug, or a hostile one) is charged as the estimate, logged
once a day, and the card is built from the answer as ever."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator

import pytest
from fakes.llm_api import FakeCompletions, serve_completions
from sqlite_utils import Database

from bot.store.database import open_database
from bot.summarize import LLMSettings, Summarizer
from bot.summarize.llm_http import MAX_USAGE_PER_ESTIMATE
from tests.test_summarize_fixtures import harbor_bridge_story
from tests.test_summarize_llm import GOOD


def _answer(tokens: int, status: int = 200) -> None:
    """The fake endpoint's next reply: GOOD (or an error) saying it used `tokens`."""
    content = {"choices": [{"message": {"role": "assistant", "content": json.dumps(GOOD)}}]}
    reply = content if status == 200 else {"error": "overloaded"}
    FakeCompletions.status = status
    FakeCompletions.body = json.dumps({**reply, "usage": {"total_tokens": tokens}}).encode()


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(b"") as url:
        yield url


def _summarizer(url: str) -> tuple[Summarizer, Database]:
    """A summariser booking its calls on a fresh database, and that database."""
    db = open_database(":memory:")
    settings = LLMSettings(base_url=url, model="test-model", api_key_env="NEWSDIGEST_TEST_KEY")
    return Summarizer(settings, db=db), db


def _booked(db: Database) -> list[int]:
    """The tokens booked, a row a day."""
    return [row["tokens"] for row in db["llm_usage"].rows]


def _estimate(summarizer: Summarizer) -> int:
    assert summarizer._writer is not None
    return summarizer._writer.estimate(harbor_bridge_story())


@pytest.mark.parametrize("tokens", [10**20, 2 * 10**18])
def test_an_answer_reporting_more_than_sqlite_holds_is_charged_its_estimate(
    endpoint: str, tokens: int, caplog: pytest.LogCaptureFixture
) -> None:
    # 10**20 passed SQLite's INTEGER and raised out of the card build; 2*10**18 was booked.
    _answer(tokens)
    summarizer, db = _summarizer(endpoint)
    with caplog.at_level(logging.WARNING):
        summary = summarizer.summarize(harbor_bridge_story(), story="harbor-bridge")
    assert summary.writer == "llm"
    assert [b.text for b in summary.tldr] == GOOD["tldr"]
    assert _booked(db) == [_estimate(summarizer)]
    said = [r.getMessage() for r in caplog.records if "no call could cost" in r.getMessage()]
    assert len(said) == 1 and str(tokens) in said[0] and "harbor-bridge" in said[0]


def test_the_service_s_cards_are_charged_the_estimate_too(endpoint: str) -> None:
    _answer(10**20)
    summarizer, db = _summarizer(endpoint)
    summary = asyncio.run(summarizer.asummarize(harbor_bridge_story(), story="harbor-bridge"))
    assert summary.writer == "llm"
    estimate = _estimate(summarizer)
    assert _booked(db) == [estimate]
    # The next call's true cost is settled as usual on top.
    _answer(5)
    assert summarizer.summarize(harbor_bridge_story()).writer == "llm"
    assert _booked(db) == [estimate + 5]


def test_an_error_status_reporting_an_impossible_count_keeps_its_estimate(endpoint: str) -> None:
    _answer(10**20, status=500)
    summarizer, db = _summarizer(endpoint)
    summary = summarizer.summarize(harbor_bridge_story())
    assert summary.writer == "extractive" and summary.llm_fallback
    assert _booked(db) == [_estimate(summarizer)]


def test_a_count_a_call_could_cost_is_believed_and_the_warning_is_once_a_day(
    endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    summarizer, db = _summarizer(endpoint)
    estimate = _estimate(summarizer)
    # Over the estimate (a tokenizer dearer than four characters a token) but within reach.
    _answer(estimate * MAX_USAGE_PER_ESTIMATE)
    summarizer.summarize(harbor_bridge_story())
    assert _booked(db) == [estimate * MAX_USAGE_PER_ESTIMATE]
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            _answer(estimate * MAX_USAGE_PER_ESTIMATE + 1)
            assert summarizer.summarize(harbor_bridge_story()).writer == "llm"
    assert _booked(db) == [estimate * (MAX_USAGE_PER_ESTIMATE + 3)]
    assert sum("no call could cost" in r.getMessage() for r in caplog.records) == 1
