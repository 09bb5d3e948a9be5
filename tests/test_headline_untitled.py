"""A story whose items have no titles takes its headline from the first real sentence: whole when
short, else cut at a clause or a word with an ellipsis; never a photo credit or half a phrase."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.headline import choose_headline


def _headline(*texts: str) -> str:
    articles = [
        Article(id=str(i), source=f"Outlet {i}", title="", text=t) for i, t in enumerate(texts)
    ]
    return choose_headline(articles)[0]


def test_a_short_first_sentence_is_the_headline_whole() -> None:
    headline = _headline(
        "Photo: Harbor Times staff. The council approved the airport tram line on Tuesday. "
        "Critics cited the cost."
    )
    assert headline == "The council approved the airport tram line on Tuesday"


def test_a_caption_credit_is_not_in_the_headline() -> None:
    headline = _headline(
        "Hikers gather at the summit cairn on Sunday. REUTERS/Jonathan Ernst Rangers closed the "
        "north trail after a rockfall."
    )
    assert "REUTERS" not in headline and headline == "Hikers gather at the summit cairn on Sunday"


def test_a_long_first_sentence_is_cut_at_a_whole_clause() -> None:
    headline = _headline(
        "The regional council approved on Tuesday a plan to extend the tram network from the "
        "central station to the airport by 2028, ending a decade of delays and disputes over "
        "the route through the old quarter."
    )
    # A whole clause where a phrase opens: no ellipsis, and the council's act kept.
    assert headline == "The regional council approved on Tuesday a plan to extend the tram network"
    assert len(headline.split()) <= 24
    assert not headline.rstrip(ELLIPSIS).endswith((" the", " a", " of", " to")), headline
