"""A model bullet that keeps a sentence's names and figures but changes what happened is refused:
"Acme acquired Birch for $4 million" when the sources say Acme bid $4 million for Birch. Only
decisive verbs (a deal done, a verdict, a death, a vote's outcome) are held to their supporting
sentence, so honest paraphrase, which changes other verbs freely, still reaches the card."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from _llm_paraphrases import (
    CHANGED,
    CHANGED_HELD_OUT,
    HONEST,
    HONEST_HELD_OUT,
    MISSED,
    OTHER_FACT,
    verb_story,
)
from fakes.llm_api import FakeCompletions, chat_body, serve_completions

from bot.models import Article, Summary
from bot.summarize import LLMSettings, Summarizer, summarize
from bot.summarize.claim_verbs import main_verbs
from bot.summarize.llm_check import LLMRejected, check_answer

BID = "Acme bid $4 million for the furniture maker Birch on Tuesday."


def bid_story() -> list[Article]:
    """An invented bid, told by two outlets in their own words."""
    return [
        Article(
            id="b1",
            source="Trade Post",
            title="Acme bids for Birch",
            text=f"{BID} Birch's board will meet next week to weigh the offer.",
            url="https://post.example/bid",
        ),
        Article(
            id="b2",
            source="Market Line",
            title="Birch weighs Acme offer",
            text="Acme offered $4 million for Birch on Tuesday. Birch makes oak tables.",
            url="https://line.example/bid",
        ),
    ]


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(b"") as url:
        yield url


def _ask(url: str, bullets: list[str]) -> Summary:
    FakeCompletions.body = chat_body(json.dumps({"tldr": bullets}))
    settings = LLMSettings(base_url=url, model="test-model", api_key_env="NEWSDIGEST_TEST_KEY")
    return Summarizer(settings).summarize(bid_story())


BOARD = "Birch's board will meet next week to weigh the offer."


def test_a_bid_told_as_an_acquisition_falls_back(
    endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    summary = _ask(endpoint, ["Acme acquired Birch for $4 million on Tuesday.", BOARD])
    assert summary == summarize(bid_story())
    assert "'acquired'" in caplog.text


@pytest.mark.parametrize(
    "bullet",
    [
        "Acme made a $4 million bid for Birch on Tuesday.",
        "Acme offered $4 million for Birch on Tuesday.",
        "Acme has bid $4 million for Birch, a maker of oak tables.",
    ],
)
def test_the_bid_in_other_words_is_used(endpoint: str, bullet: str) -> None:
    summary = _ask(endpoint, [bullet, BOARD])
    assert summary.writer == "llm"
    assert [b.text for b in summary.tldr] == [bullet, BOARD]


def _check(sentence: str, bullet: str) -> None:
    story = verb_story(sentence)
    check_answer({"tldr": [bullet, OTHER_FACT]}, story, [a.source for a in story], summarize(story))


@pytest.mark.parametrize(("sentence", "bullet"), HONEST + HONEST_HELD_OUT)
def test_honest_paraphrases_pass(sentence: str, bullet: str) -> None:
    _check(sentence, bullet)


@pytest.mark.parametrize(
    ("sentence", "bullet"), [c for c in CHANGED + CHANGED_HELD_OUT if c[1] not in MISSED]
)
def test_a_changed_decisive_verb_is_refused(sentence: str, bullet: str) -> None:
    with pytest.raises(LLMRejected, match="which no sentence carrying it says"):
        _check(sentence, bullet)


@pytest.mark.parametrize(
    ("bullet", "verbs"),
    [
        ("Acme acquired Birch for $4 million.", ["acquired"]),
        ("Two men were arrested after the break-in.", ["arrested"]),
        ("The minister has not resigned.", ["resigned"]),
        ("Harbor Rail plans to cut 300 jobs.", ["plans", "cut"]),
        ("The injured workers were sent home.", ["sent"]),
        ("Nine workers were taken to hospital.", []),
        ("Officials said the bridge reopened on Friday.", ["reopened"]),
        ("Acme made a $4 million bid for Birch.", []),
        ("Electric car sales doubled in May.", ["doubled"]),
    ],
)
def test_the_main_verb_is_read_past_auxiliaries_reporting_and_light_verbs(
    bullet: str, verbs: list[str]
) -> None:
    assert main_verbs(bullet) == verbs
