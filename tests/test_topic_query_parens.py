"""Where a parenthesis error points: at the `(` left open (the innermost one), or at the stray
`)`, and the caret under it stays there after wide (CJK, full-width) or combining characters."""

from __future__ import annotations

import pytest

from bot.topics import QueryError, TopicQuery


def _error(query: str) -> QueryError:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse(query)
    return info.value


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ("(ai OR chips", 0),
        ("((a OR b) AND c", 0),
        ("(((a)", 1),  # the innermost of the two left open
        ("(a) (b", 4),
        ("a OR (b", 5),
        ("(a OR (b) (c", 10),
        ("x (", 2),
    ],
)
def test_an_unclosed_paren_is_pointed_at_not_the_end_of_the_query(
    query: str, position: int
) -> None:
    err = _error(query)
    assert err.position == position
    assert query[err.position] == "("
    assert "never closed" in err.message


@pytest.mark.parametrize(("query", "position"), [("a)", 1), ("ai OR chips)", 11), ("(a)) b", 3)])
def test_a_stray_closing_paren_is_pointed_at_itself(query: str, position: int) -> None:
    err = _error(query)
    assert err.position == position
    assert "closes nothing" in err.message


def test_paren_errors_still_say_unbalanced_parenthesis() -> None:
    assert "unbalanced parenthesis" in _error("(a").message
    assert "unbalanced parenthesis" in _error("a)").message


def _caret_column(err: QueryError) -> int:
    caret = str(err).splitlines()[2]
    return len(caret) - len("  ^")


@pytest.mark.parametrize(
    ("query", "before"),
    [
        ("日本語 (a", "日本語 "),  # three wide characters: six columns, then the space
        ("ＡＢ (a", "ＡＢ "),  # full-width Latin is wide too
        ("cafe\u0301 (a", "cafe "),  # the combining accent takes no column of its own
        ("ascii (a", "ascii "),
    ],
)
def test_the_caret_sits_under_the_paren_after_wide_or_combining_characters(
    query: str, before: str
) -> None:
    err = _error(query)
    wide = sum(2 if "\u3000" <= c <= "\uffef" else 1 for c in before)
    assert _caret_column(err) == wide


def test_caret_stays_aligned_in_a_long_query_shown_in_part() -> None:
    query = "日本 " * 40 + "(a"
    err = _error(query)
    shown = str(err).splitlines()[1][2:]
    assert shown.startswith("…")  # only the part around the "(" is shown
    head = shown[: shown.index("(")]
    cols = sum(2 if "\u3000" <= c <= "\uffef" else 1 for c in head)
    assert _caret_column(err) == cols
