"""A phrase quoted with one straight and one curly mark reads the same either way round:
`"climate change” OR warming` (straight open, curly close) was refused as an unterminated quote
while `“climate change" OR warming` was read. A quote ending a word with no opening one says so
whether it is straight or curly (`climate change"` said "unterminated quote")."""

from __future__ import annotations

import pytest

from bot.topics import QueryError, TopicQuery


@pytest.mark.parametrize(
    "query",
    [
        '"solar panels" OR wind',
        "\u201csolar panels\u201d OR wind",
        '"solar panels\u201d OR wind',
        '\u201csolar panels" OR wind',
    ],
)
def test_mixed_straight_and_curly_quotes_make_a_phrase(query: str) -> None:
    assert TopicQuery.parse(query).describe() == '"solar panels" OR wind'


def test_a_source_name_in_mixed_quotes() -> None:
    assert TopicQuery.parse('source:"harbor times\u201d').describe() == 'source:"harbor times"'


@pytest.mark.parametrize("mark", ['"', "\u201d"])
def test_a_quote_closing_nothing_says_so_straight_or_curly(mark: str) -> None:
    query = f"solar panels{mark} OR wind"
    with pytest.raises(QueryError) as info:
        TopicQuery.parse(query)
    assert info.value.message == "closing quote without an opening one"
    assert info.value.position == len("solar panels")


@pytest.mark.parametrize("query", ['solar "panels', 'source:"harbor times', '("solar'])
def test_a_quote_opening_a_word_is_still_unterminated(query: str) -> None:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse(query)
    assert info.value.message == "unterminated quote"
