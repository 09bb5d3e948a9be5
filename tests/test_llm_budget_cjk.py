"""The token estimate a call is booked at counts Chinese, Japanese and Korean text as it is
billed, about a token a character: read as English (four characters a token), a CJK story's call
was booked at a quarter of its cost, so the daily budget let through about four times what it
allows. The texts are written for the project."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fakes.llm_api import FakeCompletions, chat_body, serve_completions

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize import LLMSettings, Summarizer
from bot.summarize.llm_budget import text_tokens
from bot.summarize.llm_prompt import MAX_ARTICLE_CHARS, build_messages, estimate_tokens

# "The city council voted on Monday to build a new flood wall along the river."
CHINESE = "市议会周一投票决定沿河修建一道新的防洪墙。"
# "The town decided to reopen the old ferry pier next spring."
JAPANESE = "町は来年の春に古いフェリー桟橋を再開することを決めた。"
# "The county will add two new bus routes this autumn."
KOREAN = "군은 올가을 새 버스 노선 두 개를 추가한다."
ENGLISH = "The city council voted on Monday to build a new flood wall along the river. "


def _story(sentence: str) -> list[Article]:
    text = (sentence * (MAX_ARTICLE_CHARS // len(sentence) + 1))[:MAX_ARTICLE_CHARS]
    return [
        Article(id=f"a{i}", source=f"Outlet {i}", title=sentence[:20], text=text, url="")
        for i in range(2)
    ]


def _estimate(story: list[Article]) -> int:
    return estimate_tokens(build_messages(story, outlet_names(story)))


@pytest.mark.parametrize("sentence", [CHINESE, JAPANESE, KOREAN])
def test_cjk_characters_count_a_token_each(sentence: str) -> None:
    # Kana and hangul as much as han; the spaces and ASCII between at four characters a token.
    letters = sum(1 for ch in sentence if not ch.isspace())
    assert text_tokens(sentence) >= letters
    assert text_tokens(sentence * 10) >= 10 * letters
    # The whole prompt: both articles' texts at least, whatever the JSON around them.
    assert _estimate(_story(sentence)) >= 2 * MAX_ARTICLE_CHARS * 0.9
    assert text_tokens("x" * 400) == 100


@pytest.fixture()
def endpoint() -> Iterator[str]:
    unusable = json.dumps({"tldr": ["Nothing the sources say."], "angles": []})
    with serve_completions(chat_body(unusable, tokens=50)) as url:
        yield url


def test_the_daily_budget_holds_on_a_chinese_feed(endpoint: str) -> None:
    # A budget that holds an English story of this length, not a Chinese one: the Chinese call
    # costs some 4,000 tokens of text, which the old estimate booked as about 1,000.
    budget = 3_500
    english, chinese = _story(ENGLISH), _story(CHINESE)
    assert _estimate(english) <= budget < _estimate(chinese)
    settings = LLMSettings(base_url=endpoint, model="m", daily_token_budget=budget)
    summary = Summarizer(settings).summarize(chinese)
    assert FakeCompletions.requests == []
    assert summary.writer == "extractive" and summary.llm_fallback
    Summarizer(settings).summarize(english)
    assert len(FakeCompletions.requests) == 1
