"""`US` and `AI` find "U.S." and "A.I.", and a query written in capitals ("US", "EU", "NATO")
means the initialism, so it no longer matches the pronoun "us"."""

from __future__ import annotations

import pytest

from bot.topics import StoryDoc, TopicQuery


def q(query: str, text: str) -> bool:
    return TopicQuery.parse(query).matches(StoryDoc(text=text))


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("US", "The U.S. economy grew"),
        ("US", "US stocks fell"),
        ("US", "US-led talks"),
        ("us", "The U.S. economy grew"),
        ("us", "Tell us more"),
        ("AI", "New A.I. rules"),
        ("ai", "New A.I. rules"),
        ("AI", "AI-powered robots"),
        ("UK", "the U.K. budget"),
        ("NATO", "NATO allies met"),
        ('"U.S."', "US tariffs"),
        ('"us economy"', "The U.S. economy grew"),
        ('"US economy"', "The U.S. economy grew"),
        ("EU", "EU ministers"),
        ("chip", "CHIP SHORTAGE DEEPENS"),  # a shouted title still matches a lowercase word
    ],
)
def test_initialisms_match(query: str, text: str) -> None:
    assert q(query, text)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("US", "Tell us more"),
        ("US", "It's up to us."),
        ('"US economy"', "us economy"),
        ("IT", "it rained"),  # a common word in capitals asks for the initialism
        ("WHO", "who said it"),
    ],
)
def test_a_capitals_query_does_not_match_the_lowercase_word(query: str, text: str) -> None:
    assert not q(query, text)


def test_describe_keeps_the_capitals() -> None:
    assert TopicQuery.parse("US chips").describe() == "US AND chips"
    assert TopicQuery.parse('"U.S. tariffs"').describe() == '"US tariffs"'
    assert TopicQuery.parse("Us").describe() == "us"
    for text in ("US AND chips", '"US tariffs"'):
        assert TopicQuery.parse(text).describe() == text


@pytest.mark.parametrize(
    ("query", "text"),
    [
        # An initialism that is no common word keeps the forms papers write it in: British
        # papers' "Nato", plurals.
        ("NATO", "Nato allies meet in Brussels"),
        ("GPU", "GPUs sold out again"),
        ("CEO", "Three CEOs quit"),
        ("AI", "Ai Weiwei spoke"),
        ("EU", "the eu"),
        ("WHO", "The WHO said"),
    ],
)
def test_an_initialism_that_is_no_common_word_matches_as_written_anywhere(
    query: str, text: str
) -> None:
    assert q(query, text)
