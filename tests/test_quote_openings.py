"""An angle's quote reads on its own: it does not open on a word pointing back at a sentence the
card does not show ("But that ...", "That was ..."), a cut window starts where a clause does, and a
photo credit or a "Story highlights" box is not a quote."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.quotes import Told, pick_quote, verbatim_quote


def _article(text: str) -> Article:
    return Article(id="1", source="Pell Courier", title="Dock strike ends", text=text)


def _pick(*sentences: str) -> str:
    article = _article(" ".join(sentences))
    others = [(10.0 - i, s, article, s.split()) for i, s in enumerate(sentences)]
    return pick_quote(others, Told())


def test_a_quote_leaning_on_the_sentence_before_gives_way() -> None:
    good = "Night-shift staffing will be reviewed by an independent panel in March."
    for leaning in (
        "But that was not what the members at the eastern gate had voted for.",
        "That was the longest stoppage at the eastern port since the container terminal opened.",
    ):
        assert _pick(leaning, good) == good


def test_only_leaning_candidates_give_no_quote() -> None:
    # "And she said ..." was here: a pronoun after a dropped conjunction now quotes as
    # "…she said ..." (test_quote_openers.py).
    assert _pick("That was the members' answer to the offer from the port.") == ""


def test_credits_and_highlight_boxes_are_not_quotes() -> None:
    good = "Night-shift staffing will be reviewed by an independent panel in March."
    for junk in (
        "Credit Doug Mills/The Pell Courier",
        "Dockers cheer at the gate on Monday. REUTERS/Jonathan Ernst",
        "Story highlights Union leader Tomas Varga said the deal ends a two-week strike",
        "Photo: Pell Courier staff",
    ):
        assert _pick(junk, good) == good, junk


def test_a_cut_window_starts_at_a_clause_boundary() -> None:
    sentence = (
        "After two weeks of pickets at the eastern gate and a long night of talks in the harbour "
        "office, the union secured a promise that an independent panel would review night-shift "
        "staffing rosters before the spring season opens."
    )
    quote = verbatim_quote(sentence, sentence, ["independent", "panel", "rosters"])
    assert quote.startswith(f"{ELLIPSIS}the union secured"), quote
