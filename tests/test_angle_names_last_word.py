"""A name right after "Shares of" (a capitalised word, then "of", then the name) is read without
looking past the end of the words before it: that crashed the whole card."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angles import build_angles

HEADLINE = "Velmar central bank holds key interest rate at 4.25%"
BULLET = (
    "The Velmar central bank left its key rate at 4.25%, and governor Ada Lind said a cut "
    "could come in the summer if wages cool."
)


def test_a_name_after_a_capitalised_word_and_of_gets_its_line() -> None:
    text = (
        "Shares of Norvik Telecom and carmaker Stale fell in Harbourg trading after the "
        "announcement. Landlords blamed the rent rises on a shortage of flats."
    )
    articles = [
        Article(id="r1", source="Port Herald", title=HEADLINE, text=BULLET),
        Article(id="r2", source="Coast Courier", title="Rates stay put", text=text),
    ]
    angles, also = build_angles(
        articles, [a.source for a in articles], "Port Herald", tldr=[BULLET], headline=HEADLINE
    )
    lines = {a.source: a.line for a in angles}
    assert "Norvik Telecom" in lines.get("Coast Courier", ""), (lines, also)
