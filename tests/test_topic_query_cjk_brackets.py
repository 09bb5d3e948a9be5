"""「…」 and 『…』 quote a phrase in a topic query only standing apart from the words around
them. Japanese sets them against the words (首相「辞任」へ), and saved topics written that way
read them as part of the word, as they did before the brackets were quotes."""

from __future__ import annotations

import pytest

from bot.topics import StoryDoc, TopicQuery


def q(query: str, text: str) -> bool:
    return TopicQuery.parse(query).matches(StoryDoc(text=text))


def test_brackets_inside_a_word_stay_part_of_it() -> None:
    assert TopicQuery.parse("首相「辞任」へ").describe() == "首相辞任へ"
    assert TopicQuery.parse("東京「五輪」").describe() == "東京五輪"
    # One term, so the three parts apart do not make a match.
    assert not q("首相「辞任」へ", "首相、会見へ。辞任は否定した")
    assert q("首相「辞任」へ", "首相「辞任」へ 関係者が明かす")


def test_an_unclosed_bracket_is_part_of_the_word_not_an_error() -> None:
    query = TopicQuery.parse("「半導体 OR x")
    assert query.describe() == "半導体 OR x"
    assert q("「半導体 OR x", "半導体の輸出規制")


@pytest.mark.parametrize(
    ("query", "described"),
    [
        ("「辞任」", "辞任"),
        ("『半導体』", "半導体"),
        ("首相 「辞任 表明」", "首相 AND 辞任表明"),
        ("(「辞任」 OR 続投)", "辞任 OR 続投"),
        ("-「辞任」 首相", "NOT 辞任 AND 首相"),
    ],
)
def test_brackets_standing_apart_quote_a_phrase(query: str, described: str) -> None:
    assert TopicQuery.parse(query).describe() == described


def test_a_phrase_in_brackets_must_be_consecutive() -> None:
    assert q("「辞任 表明」", "首相が辞任表明")
    assert not q("「辞任 表明」", "表明は辞任の後")
    assert not q("「chip export」", "export of the chip")
