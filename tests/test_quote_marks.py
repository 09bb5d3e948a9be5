"""Renderers wrap a quote in “ ”: double marks inside it become single ones, so a quote reads
“Putin’s ‘negotiators … Ukraine.’” and not “Putin’s “negotiators … Ukraine.””; an opening mark
whose closing one the window cut off is dropped rather than left hanging."""

from __future__ import annotations

from bot.models import Article
from bot.render.text import bare_quote
from bot.summarize.quotes import Told, pick_quote


def _pick(sentence: str) -> str:
    article = Article(id="1", source="Pell Courier", title="Talks stall", text=sentence)
    return pick_quote([(1.0, sentence, article, sentence.split())], Told())


def _rendered(quote: str) -> str:
    return f"“{bare_quote(quote)}”"


def test_inner_curly_double_marks_become_single() -> None:
    quote = _pick("The envoy said Putin’s “negotiators have no mandate to end the war in Ukraine.”")
    assert (
        quote == "The envoy said Putin’s ‘negotiators have no mandate to end the war in Ukraine.’"
    )
    assert _rendered(quote).count("“") == 1 and _rendered(quote).count("”") == 1


def test_inner_straight_double_marks_become_single() -> None:
    quote = _pick('Union leader Tomas Varga called the offer "a first step" on Monday.')
    assert quote == "Union leader Tomas Varga called the offer ‘a first step’ on Monday."


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


def test_an_opening_mark_cut_from_its_close_is_dropped() -> None:
    sentence = (
        "“Our members have worked every night shift of this long winter without cover, without "
        "thanks and without the pay they were promised by the port authority last spring, and "
        "they will not go back,” Varga said."
    )
    quote = _pick(sentence)
    assert quote.startswith("Our members have worked"), quote
    assert not any(mark in quote for mark in '“”‘’"'), quote
