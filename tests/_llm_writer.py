"""The optional LLM writer run against the fake chat-completions endpoint (`fakes.llm_api`), for
the tests of what its answers must pass."""

from __future__ import annotations

import json
from typing import Any

from fakes.llm_api import FakeCompletions, chat_body

from bot.models import Article, Summary
from bot.summarize import LLMSettings, Summarizer


def llm_summary(url: str, answer: Any, story: list[Article]) -> Summary:
    """The card `story` gets when the endpoint at `url` answers `answer` (JSON-encoded)."""
    FakeCompletions.body = chat_body(json.dumps(answer))
    settings = LLMSettings(base_url=url, model="test-model", api_key_env="NEWSDIGEST_TEST_KEY")
    return Summarizer(settings).summarize(story)
