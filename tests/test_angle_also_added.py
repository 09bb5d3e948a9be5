""" "Also reporting" says an outlet added nothing: never of one that did. An editor found it on 4
of the 5 reviewed cards that had the section: a return date no other outlet gave (dates were no
facts), an allegation and an accusation no one else quoted, and an outlet whose own sentence a
TL;DR bullet was. Every sentence here is invented."""

from __future__ import annotations

from bot.models import Article, Bullet
from bot.summarize.angle_checkable import fold, own_claim
from bot.summarize.angle_facts import KnownFigures, own_dates
from bot.summarize.angles import build_angles

OUTLETS = ["Tarn Observer", "Wick Gazette", "Holm Herald"]
BULLET = "The harbour board suspended the Tallow Sound ferry for two years on Friday."


def _card(third_title: str, third_text: str, sources: list[str]) -> tuple[list, list[str]]:
    articles = [
        Article(id="1", source=OUTLETS[0], title="Tallow ferry suspended", text=BULLET),
        Article(
            id="2",
            source=OUTLETS[1],
            title="Board halts Tallow ferry",
            text="The harbour board halted the Tallow Sound ferry for two years on Friday.",
        ),
        Article(id="3", source=OUTLETS[2], title=third_title, text=third_text),
    ]
    tldr = [Bullet(BULLET, sources)]
    return build_angles(articles, OUTLETS, OUTLETS[0], tldr=tldr, headline="Tallow ferry suspended")


def test_a_date_of_its_own_is_a_fact() -> None:
    known = KnownFigures({"a": "Sailings resume on Jan. 7, 2028.", "b": "Sailings stop."}, "")
    assert own_dates("Sailings resume on Jan. 7, 2028.", "a", known) == ["Jan. 7, 2028"]
    known = KnownFigures({"a": "Sailings resume on Jan. 7.", "b": "Back on January 7."}, "")
    assert own_dates("Sailings resume on Jan. 7.", "a", known) == []


def test_an_outlet_adding_a_return_date_gets_it_as_its_line() -> None:
    angles, also = _card(
        "Tallow ferry could sail again in 2028",
        "The harbour board's Tallow Sound ferry could return on March 4, 2028.",
        OUTLETS[:2],
    )
    lines = {a.source: a.line for a in angles}
    assert "March 4, 2028" in lines.get(OUTLETS[2], ""), (angles, also)
    assert OUTLETS[2] not in also


def test_a_quoted_allegation_no_one_else_gives_is_a_claim_of_its_own() -> None:
    sentence = 'The suit alleges the board "ignored every warning from its own engineers".'
    assert own_claim([sentence], [], [fold("The board suspended the ferry.")])
    assert not own_claim(
        [sentence], [], [fold('It "ignored every warning from its own engineers".')]
    )
    # A scare-quoted word is no claim, nor a quotation no one is said to make.
    assert not own_claim(['The "indefinite" ban ended.'], [], [])


def test_an_outlet_with_an_allegation_of_its_own_is_not_listed() -> None:
    _, also = _card(
        "Tallow ferry suspended",
        "The harbour board suspended the Tallow Sound ferry for two years on Friday. The "
        "ferrymen's suit, filed in the county court in Pellmouth last spring against the "
        "harbour board and its chair, alleges the board “ignored every warning from its own "
        "engineers about the cracked hull plates, the failing ramps and the worn mooring lines "
        "for years on end.”",
        OUTLETS[:2],
    )
    assert OUTLETS[2] not in also, also


def test_an_outlet_whose_sentence_a_bullet_is_is_not_listed() -> None:
    _, also = _card(
        "Tallow ferry suspended",
        "The harbour board suspended the Tallow Sound ferry for two years on Friday.",
        [OUTLETS[2], OUTLETS[0], OUTLETS[1]],
    )
    assert OUTLETS[2] not in also, also
