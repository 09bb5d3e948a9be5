"""How a quote may open: a personal pronoun is an ordinary news quote ("He said the plan would
fail."), a leading conjunction is dropped behind an ellipsis when the rest stands on its own, and
a demonstrative that only points back ("That was ...", "It was the ...") is still no quote."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.quotes import Told, pick_quote

GOOD = "Night-shift staffing will be reviewed by an independent panel in March."


def _pick(*sentences: str) -> str:
    article = Article(
        id="1", source="Pell Courier", title="Dock strike ends", text=" ".join(sentences)
    )
    others = [(10.0 - i, s, article, s.split()) for i, s in enumerate(sentences)]
    return pick_quote(others, Told())


def test_a_quote_opening_on_a_personal_pronoun_is_a_quote() -> None:
    for sentence in (
        "He said the plan would fail before the spring season opened.",
        "She told reporters the union would vote on the offer next week.",
        "They walked out of the harbour office after six hours of talks.",
        "His lawyer said the dismissal would be challenged in court.",
    ):
        assert _pick(sentence, GOOD) == sentence


def test_a_leading_conjunction_is_dropped_behind_an_ellipsis() -> None:
    assert _pick("But he stopped short of calling the agreement a victory.", GOOD) == (
        f"{ELLIPSIS}he stopped short of calling the agreement a victory."
    )
    assert _pick("And the port authority said it would hire forty more staff.", GOOD) == (
        f"{ELLIPSIS}the port authority said it would hire forty more staff."
    )


def test_so_far_and_yet_another_are_not_conjunctions() -> None:
    sentence = "So far, twelve ships have been diverted to the western terminal."
    assert _pick(sentence, GOOD) == sentence


def test_what_only_points_back_is_still_skipped() -> None:
    for leaning in (
        "That was the longest stoppage at the eastern port in a decade.",
        "It was the first strike at the port since the terminal opened.",
        "But that was not enough for the members at the eastern gate.",
        "Also, the panel will report by March on night-shift rosters.",
    ):
        assert _pick(leaning, GOOD) == GOOD, leaning


def test_a_conjunction_before_a_fragment_leaves_no_quote() -> None:
    assert _pick("But not yet.", GOOD) == GOOD
