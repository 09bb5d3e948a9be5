"""Markup the renderers would neutralise is still refused in the LLM writer's prose, as other
markup is: a line opening as a heading, subtext or quote block, a control that reorders the text
as shown, and a mention hidden behind an invisible character or a full-width sign."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fakes.llm_api import FakeCompletions, chat_body, serve_completions

from bot.models import Summary
from bot.summarize import LLMSettings, Summarizer, summarize
from bot.summarize.llm_prose import ProseRejected, check_prose
from tests.test_summarize_fixtures import harbor_bridge_story
from tests.test_summarize_llm_markup import ANGLE, CORE, COST

DISGUISED = [
    "# ",
    "### ",
    "-# ",
    "> ",
    ">>> ",
    ">",
    "\u202e",  # right-to-left override
    "\u202b",  # right-to-left embedding
    "\u2067",  # right-to-left isolate
    "@\u200beveryone ",  # a zero-width space inside the mention
    "@\u2060here ",  # a word joiner
    "\uff20everyone ",  # full-width commercial at
    "\ufe6beveryone ",  # small commercial at
    "\ufe64!channel> ",  # small less-than
]


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(b"") as url:
        yield url


def _summary(url: str, answer: object) -> Summary:
    FakeCompletions.body = chat_body(json.dumps(answer))
    settings = LLMSettings(base_url=url, model="m", api_key_env="NEWSDIGEST_TEST_KEY")
    return Summarizer(settings).summarize(harbor_bridge_story())


def test_the_plain_answer_is_used(endpoint: str) -> None:
    summary = _summary(endpoint, {"tldr": [CORE, COST], "angles": [ANGLE]})
    assert summary.writer == "llm"


@pytest.mark.parametrize("opening", DISGUISED)
def test_a_bullet_or_line_opening_on_disguised_markup_gets_the_extractive_card(
    endpoint: str, opening: str
) -> None:
    fallback = summarize(harbor_bridge_story())
    assert _summary(endpoint, {"tldr": [opening + CORE, COST], "angles": [ANGLE]}) == fallback
    line = {**ANGLE, "line": opening + ANGLE["line"]}
    assert _summary(endpoint, {"tldr": [CORE, COST], "angles": [line]}) == fallback


@pytest.mark.parametrize("opening", ["# ", "-# ", "> "])
def test_markup_opening_a_later_line_of_a_bullet_is_refused_too(opening: str) -> None:
    with pytest.raises(ProseRejected):
        check_prose(f"The bridge closed.\n{opening}The repairs may take months.", ())


@pytest.mark.parametrize(
    "text",
    [
        "The #1 seed lost, and turnout was > 60% by 5 p.m.",
        "The contract ran to 3\uff5e5 months.",  # a full-width tilde, as Japanese prose writes ranges
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u062f",  # Persian, with a zero-width non-joiner
        "The mayor (\u05d9\u05d5\u05e1\u05d9\u200f) spoke.",  # a right-to-left mark
        "The office said\uff1a the bridge stays shut.",  # a full-width colon,
    ],
)
def test_prose_near_these_characters_is_kept(text: str) -> None:
    check_prose(text, ())
