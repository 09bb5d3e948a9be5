"""A quote shown whole never opens a quotation that does not close in it: the speaker's words go
on in the outlet's next sentence, and the card would give half of them as all."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.quotes import pick_quote
from bot.summarize.told import Told

TEXT = (
    "“We will rebuild the pier before the summer. Nobody will lose a season,” the mayor said. "
    "Repairs to the Pellmouth pier will cost 3 million crowns, the council said."
)
ARTICLE = Article(id="1", source="Grell Observer", title="Pier to be rebuilt", text=TEXT)


def test_a_sentence_opening_a_quotation_it_never_closes_is_passed_over() -> None:
    pool = [
        (3.0, "“We will rebuild the pier before the summer.", ARTICLE, ["rebuild", "summer"]),
        (2.0, TEXT.split(" the mayor said. ")[1], ARTICLE, ["Repairs", "crowns"]),
    ]
    quote = pick_quote(pool, Told())
    assert quote.startswith("Repairs to the Pellmouth pier"), quote


def test_a_quotation_closed_inside_the_quote_stays() -> None:
    sentence = "“Nobody will lose a season,” the mayor said."
    pool = [(3.0, sentence, ARTICLE, ["season", "mayor"])]
    text = f"{TEXT} {sentence}"
    article = Article(id="1", source="Grell Observer", title="Pier", text=text)
    pool = [(3.0, sentence, article, ["season", "mayor"])]
    assert pick_quote(pool, Told()) == sentence
