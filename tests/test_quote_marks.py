"""Renderers wrap a quote in “ ”: double marks inside it are shown single, so a quote reads
“Putin’s ‘negotiators … Ukraine.’” and not “Putin’s “negotiators … Ukraine.””; an opening mark
whose closing one the window cut off is not shown hanging. The card's quote itself stays the
outlet's words, as verified: only what is shown changes."""

from __future__ import annotations

from bot.models import Article
from bot.render.text import bare_quote
from bot.summarize.grounding import is_verbatim
from bot.summarize.quotes import Told, pick_quote


def _pick(sentence: str) -> str:
    article = Article(id="1", source="Pell Courier", title="Talks stall", text=sentence)
    quote = pick_quote([(1.0, sentence, article, sentence.split())], Told())
    assert is_verbatim(quote.removeprefix("…").removesuffix("…"), sentence), quote
    return quote


def _rendered(quote: str) -> str:
    return f"“{bare_quote(quote)}”"


def test_inner_curly_double_marks_are_shown_single() -> None:
    quote = _pick("The envoy said Putin’s “negotiators have no mandate to end the war in Ukraine.”")
    assert _rendered(quote) == (
        "“The envoy said Putin’s ‘negotiators have no mandate to end the war in Ukraine.’”"
    )


def test_inner_straight_double_marks_are_shown_single() -> None:
    quote = _pick('Union leader Tomas Varga called the offer "a first step" on Monday.')
    assert (
        _rendered(quote) == "“Union leader Tomas Varga called the offer ‘a first step’ on Monday.”"
    )


def test_a_quote_that_is_all_speech_keeps_one_pair_of_marks() -> None:
    quote = _pick("“We will not sign a deal that leaves the night shift without cover.”")
    assert (
        _rendered(quote) == "“We will not sign a deal that leaves the night shift without cover.”"
    )
    said = _pick('"We will not sign this deal," union leader Tomas Varga said on Monday.')
    assert (
        _rendered(said)
        == "“‘We will not sign this deal,’ union leader Tomas Varga said on Monday.”"
    )


def test_an_opening_mark_cut_from_its_close_is_not_shown() -> None:
    sentence = (
        "“Our members have worked every night shift of this long winter without cover, without "
        "thanks and without the pay they were promised by the port authority last spring, and "
        "they will not go back,” Varga said."
    )
    shown = bare_quote(_pick(sentence))
    assert shown.lstrip("…").startswith("Our members have worked"), shown
    assert not any(mark in shown for mark in '“”‘’"'), shown
