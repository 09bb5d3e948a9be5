"""Double marks shown single inside a card's quote: an inch mark after a figure is no quotation
mark and stays as written, and a German „…“ pair is shown as its single form ‚…‘, not as an
English opening mark closed by another opening one."""

from __future__ import annotations

from bot.render.text import bare_quote


def test_an_inch_mark_after_a_figure_stays_straight() -> None:
    assert bare_quote('The crew laid 14" mains under Elm Row.') == (
        'The crew laid 14" mains under Elm Row.'
    )
    assert bare_quote("The keeper, 6'2\", saved twice.") == "The keeper, 6'2\", saved twice."


def test_an_inch_mark_beside_a_real_quotation() -> None:
    shown = bare_quote('A 9" crack opened near "Gate 7", the engineer said.')
    assert shown == 'A 9" crack opened near ‘Gate 7’, the engineer said.'
    shown = bare_quote('"The beam is 8" too short," the foreman said.')
    assert shown == '‘The beam is 8" too short,’ the foreman said.'


def test_a_quotation_ending_in_a_figure_still_closes() -> None:
    assert bare_quote('Fans chanted "Route 66" all night.') == "Fans chanted ‘Route 66’ all night."


def test_a_german_quotation_keeps_its_own_closing_mark() -> None:
    assert bare_quote("Die Ministerin sagte: „Wir öffnen die Brücke im Mai.“") == (
        "Die Ministerin sagte: ‚Wir öffnen die Brücke im Mai.‘"
    )
    said = bare_quote("„Wir öffnen die Brücke“, sagte die Ministerin.")
    assert said == "‚Wir öffnen die Brücke‘, sagte die Ministerin."


def test_an_english_quotation_is_still_shown_with_english_marks() -> None:
    assert bare_quote("The mayor called it “a fair deal” on Friday.") == (
        "The mayor called it ‘a fair deal’ on Friday."
    )
