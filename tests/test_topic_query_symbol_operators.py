"""Programming languages' operators typed into a query: `&&` and `||` alone were refused as a
"term with no words"; `!vaccine` read as the word `vaccine`, required where it was meant left
out; `ukraine&&russia` was the phrase "ukraine russia". Each is refused naming this language's
operator, the caret at the mark (a saved `!word` keeps its meaning and is pointed out)."""

from __future__ import annotations

import pytest

from bot.topics import QueryError, TopicQuery
from bot.topics.saved import saved_query_note


@pytest.mark.parametrize(
    ("query", "position", "meant"),
    [
        ("ukraine && russia", 8, "use AND"),
        ("ukraine || russia", 8, "use OR"),
        ("covid ! vaccine", 6, "use -word or NOT"),
    ],
)
def test_a_symbol_operator_alone_names_the_operator(query: str, position: int, meant: str) -> None:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse(query)
    assert info.value.position == position
    assert info.value.message.endswith(meant)
    assert "^" in str(info.value)


@pytest.mark.parametrize(
    ("query", "position", "meant"),
    [
        ("covid !vaccine", 6, "use -word or NOT word"),
        ("ukraine&&russia", 7, "use AND"),
        ("ukraine||russia", 7, "use OR"),
    ],
)
def test_a_symbol_operator_on_a_word_is_refused_when_typed(
    query: str, position: int, meant: str
) -> None:
    TopicQuery.parse(query)  # a saved query keeps its meaning
    with pytest.raises(QueryError) as info:
        TopicQuery.parse_typed(query)
    assert info.value.position == position
    assert meant in info.value.message


@pytest.mark.parametrize("query", ["AT&T earnings", "hey!", "wow! chips", "R&D", "||spoiler||"])
def test_words_with_the_marks_in_them_are_words(query: str) -> None:
    TopicQuery.parse_typed(query)


def test_a_saved_bang_is_pointed_out() -> None:
    note = saved_query_note("covid !vaccine")
    assert note is not None
    assert str(note) == "! is no operator here, just punctuation: read as covid AND vaccine"
    assert "-word" in note.fix
