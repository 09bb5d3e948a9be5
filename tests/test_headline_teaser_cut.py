"""A story with no titles takes its headline from body text; when that text is a teaser its feed
cut off ("... is suing Mayor..."), the headline ends before the cut (at its last clean clause, or
on a word the cut did not touch) with one ellipsis, never "..", or comes from the next text."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.headline import choose_headline


def _headline(*texts: str) -> str:
    articles = [
        Article(id=str(i), source=f"Outlet {i}", title="", text=t) for i, t in enumerate(texts)
    ]
    return choose_headline(articles)[0]


@pytest.mark.parametrize(
    ("teaser", "expected"),
    [
        ("The ferry company is suing Mayor...", f"The ferry company is suing{ELLIPSIS}"),
        (
            "The harbour trust is suing the ferry company…",
            f"The harbour trust is suing the ferry{ELLIPSIS}",
        ),
        (
            "The quay reopened on Tuesday, two years after a storm wrecked the...",
            "The quay reopened on Tuesday",  # a whole clause before the feed's cut
        ),
    ],
)
def test_a_cut_teaser_ends_before_its_cut(teaser: str, expected: str) -> None:
    headline = _headline(teaser)
    assert ".." not in headline, headline
    assert headline == expected


def test_a_teaser_cut_after_a_comma_keeps_no_comma_or_dots() -> None:
    headline = _headline("The former harbour master, who lost his post over the tender,...")
    assert ".." not in headline and not headline.removesuffix(ELLIPSIS).endswith(","), headline
    assert headline.endswith(ELLIPSIS)


def test_too_short_a_teaser_gives_way_to_the_next_text() -> None:
    assert _headline("Ferry sued...", "The ferry company was sued on Monday.") == (
        "The ferry company was sued on Monday"
    )


@pytest.mark.parametrize(
    ("teaser", "expected"),
    [
        ("Storm floods the quay...", f"Storm floods the quay{ELLIPSIS}"),
        ("Quay flooded...", f"Quay flooded{ELLIPSIS}"),
        ("Ferry staff welcomed “the...", f"Ferry staff welcomed{ELLIPSIS}"),
        (
            "The trustees of Port Ellis Ferries Ltd. ...",
            f"The trustees of Port Ellis Ferries Ltd{ELLIPSIS}",
        ),
    ],
)
def test_a_short_teaser_alone_keeps_its_words(teaser: str, expected: str) -> None:
    assert _headline(teaser) == expected


@pytest.mark.parametrize(
    ("teaser", "expected"),
    [
        ("Ferry crews agreed (but the...", f"Ferry crews agreed{ELLIPSIS}"),
        (
            # "May" may be the verb: the cut goes back past it too, never ends on the dash.
            "Crews said the quay would reopen in May — but the ...",
            f"Crews said the quay would reopen{ELLIPSIS}",
        ),
    ],
)
def test_a_teaser_ends_on_no_bracket_dash_or_word_that_leads_on(teaser: str, expected: str) -> None:
    assert _headline(teaser) == expected
