"""Plural folding stays within a word's own plural: it never lands on a stopword, a month's
abbreviation or another common word of its own ("goods", "arms", "economics", "news")."""

from __future__ import annotations

import pytest

from bot.textutil import STOPWORDS
from bot.topics import StoryDoc, TopicQuery
from bot.topics.inflect import inflections


def q(query: str, text: str) -> bool:
    return TopicQuery.parse(query).matches(StoryDoc(text=text))


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("doe", "It does not"),  # a stopword
        ("does", "a doe and a fawn"),
        ("ares", "they are here"),  # a short -es word keeps its s
        ("dos", "two doses given"),
        ("aid", "the AIDS epidemic"),
        ("aids", "foreign aid"),
        ("mars", "filed on Mar 3"),  # the month's abbreviation
        ("economic", "a degree in economics"),
        ("economics", "economic growth"),
        ("arm", "arms sales"),
        ("arms", "his left arm"),
        ("good", "goods trade"),
        ("goods", "a good year"),
        ("new", "the news"),
        ("news", "new rules"),
    ],
)
def test_a_word_does_not_reach_a_lookalike(query: str, text: str) -> None:
    assert not q(query, text)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("vaccine", "new vaccines"),
        ("vaccines", "a vaccine trial"),
        ("gas", "greenhouse gases"),
        ("bus", "the buses"),
        ("chips", "a chip plant"),
        ("lies", "a lie"),
        ("tax", "new taxes"),
        ("mars", "a rover on Mars"),
    ],
)
def test_regular_plurals_still_fold(query: str, text: str) -> None:
    assert q(query, text)


def test_no_derived_form_is_a_stopword() -> None:
    for word in ("doe", "ares", "thi", "ours", "others", "thes", "wer"):
        assert not (inflections(word) - {word}) & STOPWORDS, word
