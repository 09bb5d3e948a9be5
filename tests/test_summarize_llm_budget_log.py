"""The token budget's log says what it means: a story whose estimate alone is over the daily
budget is not "budget spent", and a budget too small for a large story is warned of once."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from fakes.llm_api import FakeCompletions, chat_body, serve_completions

from bot.summarize import LLMSettings, Summarizer
from tests.test_summarize_fixtures import harbor_bridge_story

CORE = "Millbrook closed its harbor bridge on Tuesday after a storm left cracks in the main span."
COST = "The repair bill could reach $14 million and the work may take eight months."


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(b"") as url:
        yield url


def _ask(url: str, answer: object, budget: int) -> Summarizer:
    FakeCompletions.body = chat_body(json.dumps(answer))
    return Summarizer(LLMSettings(base_url=url, model="m", daily_token_budget=budget))


def test_a_story_over_the_whole_budget_is_not_called_spent(
    endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.summarize.llm"):
        summarizer = _ask(endpoint, {"tldr": [CORE, COST]}, budget=500)
        summary = summarizer.summarize(harbor_bridge_story())
    assert summary.writer == "extractive" and FakeCompletions.requests == []
    assert "exceed the daily budget of 500" in caplog.text
    assert "spent" not in caplog.text


def test_a_budget_below_a_full_call_is_warned_of_once(
    endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.summarize.llm_prompt import full_call_estimate

    full = full_call_estimate()
    with caplog.at_level(logging.WARNING, logger="bot.summarize.llm"):
        summarizer = _ask(endpoint, {"tldr": [CORE, COST]}, budget=full - 1)
        for _ in range(3):
            summarizer.summarize(harbor_bridge_story())
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and f"below the estimated {full}" in warnings[0]
    assert f"({full_call_estimate('字')} in Chinese, Japanese or Korean)" in warnings[0]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bot.summarize.llm"):
        _ask(endpoint, {"tldr": [CORE, COST]}, budget=full_call_estimate("字"))
    assert not caplog.records


def test_a_budget_that_holds_a_full_call_but_not_a_cjk_one_is_told_at_info(
    endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    # A CJK story is billed about a token a character, some four times a Latin one's estimate:
    # a budget between the two keeps every large Chinese story extractive. That is said, but as
    # INFO: a bot with no CJK feeds loses nothing and should not be warned at every start.
    from bot.summarize.llm_prompt import full_call_estimate

    full, cjk = full_call_estimate(), full_call_estimate("字")
    assert cjk > 3 * full
    with caplog.at_level(logging.INFO, logger="bot.summarize.llm"):
        _ask(endpoint, {"tldr": [CORE, COST]}, budget=full)
    said = [r for r in caplog.records if "daily_token_budget" in r.getMessage()]
    assert [r.levelno for r in said] == [logging.INFO]
    assert (
        f"below the estimated {cjk} of one call for a story of 8 articles in Chinese"
        in said[0].getMessage()
    )
