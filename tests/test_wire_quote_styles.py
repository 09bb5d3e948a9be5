"""Quoted speech in every common quote style is left out of wire-copy detection."""

from __future__ import annotations

import pytest

from bot.cluster.wire import _QUOTED_RE, independent_sources
from bot.models import Article

STATEMENT = (
    "We are deeply saddened by the loss of our colleagues and will cooperate fully with the"
    " investigation into the causes of this terrible accident at the plant, and we don't expect"
    " production to resume soon"
)


def _outlets(open_q: str, close_q: str) -> list[Article]:
    quoted = f"{open_q}{STATEMENT}.{close_q}"
    return [
        Article(
            id="a",
            source="BBC",
            title="Plant blast kills three",
            text=f"Three workers died. The company said: {quoted} Police are at the scene.",
        ),
        Article(
            id="b",
            source="Guardian",
            title="Explosion at chemical plant",
            text=f"An explosion ripped through a factory. The firm said {quoted} Unions demanded answers.",
        ),
    ]


@pytest.mark.parametrize(
    ("open_q", "close_q"),
    [
        ('"', '"'),
        ("“", "”"),
        ("'", "'"),  # British
        ("‘", "’"),
        ("„", "“"),  # German
        ("„", "”"),  # Polish
        ("‚", "‘"),
        ("« ", " »"),  # French
        ("»", "«"),  # German, Danish
        ("‹", "›"),
        ("「", "」"),
    ],
)
def test_two_outlets_quoting_one_statement_are_two_sources(open_q: str, close_q: str) -> None:
    assert independent_sources(_outlets(open_q, close_q)) == (2, [])


def test_the_same_text_unquoted_is_still_copy() -> None:
    # Control: it is the quote marks that make the difference, not the surrounding text.
    arts = _outlets("", "")
    assert independent_sources(arts) == (1, [["BBC", "Guardian"]])


def test_apostrophes_do_not_hide_shared_copy() -> None:
    # Straight single quotes count only at word boundaries: a wire story full of apostrophes
    # ("workers' union", "don't") is still the same copy.
    text = (
        "The workers' union said the plant's owners hadn't inspected the boilers since 2019 and"
        " didn't tell staff about the leak that the regulator's report had flagged last spring,"
        " the union's lawyer told reporters outside the court on Tuesday afternoon"
    )
    arts = [
        Article(id="a", source="AP copy 1", title="Union blames owners", text=text),
        Article(id="b", source="AP copy 2", title="Union blames plant owners", text=text),
    ]
    assert independent_sources(arts) == (1, [["AP copy 1", "AP copy 2"]])


def test_german_quotes_do_not_pair_across_two_quotations() -> None:
    # „a“ ... „b“: each quotation ends at its own closing mark, so the text between them stays.
    text = "Er sagte „Wir bleiben.“ Dann kam der Rest des Textes. Sie sagte „Nein.“"
    assert _QUOTED_RE.findall(text) == ["„Wir bleiben.“", "„Nein.“"]
