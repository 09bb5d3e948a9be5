"""A story with no titles takes its headline from body text; a body written in capitals gives a
headline in sentence case, its words in the case the story's other texts write them, like a
shouted title's. A weekday or a month keeps its capital wherever a shouted word is lowered."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.casing import is_shouted
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.headline import choose_headline, clean_title


def _headline(*texts: str) -> str:
    articles = [
        Article(id=str(i), source=f"Outlet {i}", title="", text=t) for i, t in enumerate(texts)
    ]
    return choose_headline(articles)[0]


def test_a_shouted_body_gives_a_headline_in_sentence_case() -> None:
    headline = _headline(
        "THE HARBOUR COUNCIL VOTED ON TUESDAY TO SHUT THE QUAY. IT REOPENS IN JUNE."
    )
    assert headline == "The harbour council voted on Tuesday to shut the quay"


def test_the_other_texts_give_the_names_their_case() -> None:
    headline = _headline(
        "MARROW BAY FERRIES DROP THE NIGHT ROUTE AFTER A LOSS. CREWS WERE TOLD ON FRIDAY.",
        "Marrow Bay Ferries said the night route had lost money for three years.",
    )
    assert headline == "Marrow Bay Ferries drop the night route after a loss"
    assert not is_shouted(headline)


def test_a_shouted_teaser_is_not_shouted_either() -> None:
    headline = _headline("THE HARBOUR COUNCIL VOTED TO SHUT THE QUAY FOR THE WINTER AND...")
    assert not is_shouted(headline), headline
    assert headline.startswith("The harbour council voted") and headline.endswith(ELLIPSIS)


def test_a_shouted_title_keeps_its_weekday_capitalised() -> None:
    assert clean_title("FERRY SERVICE RESUMES ON MONDAY AFTER STORM") == (
        "Ferry service resumes on Monday after storm"
    )
    assert clean_title("Ferry STRIKE ENDS on Monday") == "Ferry strike ends on Monday"
