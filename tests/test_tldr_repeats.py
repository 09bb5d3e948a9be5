"""Bullets that tell one fact twice: the same count rounded in one telling.

Every sentence here is invented. Reviewers found cards whose bullets gave "over 212,000 migrants"
and then "212,672 migrants" as if they were two facts.
"""

from __future__ import annotations

from bot.summarize.candidates import Option, TldrParams, _repeats, sentence_options
from bot.summarize.sentences import make_sentence


def _option(text: str, position: int = 0) -> Option:
    params = TldrParams()
    forms = sentence_options([make_sentence(text, "X", position, 0)], params)[0]
    return next(o for o in forms if o.text == text)


def test_a_count_and_its_rounding_are_one_figure() -> None:
    params = TldrParams()
    a = _option(
        "The coast guard said it rescued more than 4,800 migrants at sea in August, "
        "a record for the summer months."
    )
    b = _option(
        "During a visit to the port, the minister said 4,863 migrants were rescued in August."
    )
    assert _repeats(a, b, params) and _repeats(b, a, params)


def test_counts_further_apart_or_years_stay_different_figures() -> None:
    params = TldrParams()
    a = _option("The coast guard said it rescued more than 4,500 migrants at sea in August.")
    b = _option(
        "During a visit to the port, the minister said 4,863 migrants were rescued in August."
    )
    assert not _repeats(a, b, params)
    c = _option("The port was last dredged in 2000, when the harbour served fishing boats.")
    d = _option("The port was rebuilt in 2024 to let container ships dock at the harbour.")
    assert not _repeats(c, d, params)


def test_a_reworded_restatement_of_the_same_event_is_a_repeat() -> None:
    # One subject, the same rare words (council, tram, airport): the shorter says nothing new.
    params = TldrParams()
    a = _option(
        "The city council on Tuesday approved a $2.4 billion plan to extend the tram network "
        "to the airport."
    )
    b = _option("The council gave the green light on Tuesday to the airport tram line.", 1)
    assert _repeats(a, b, params) and _repeats(b, a, params)


def test_the_same_subject_doing_something_else_is_no_repeat() -> None:
    params = TldrParams()
    a = _option(
        "The city council on Tuesday approved a $2.4 billion plan to extend the tram network "
        "to the airport."
    )
    # A new name or figure, or another event, is news of its own.
    b = _option("The council will ask Mayor Ida Renner to open the airport tram line.", 1)
    c = _option("The council voted to cut airport parking fees for residents.", 1)
    d = _option("The council said the airport tram line would carry 9,000 riders a day.", 1)
    assert not _repeats(a, b, params)
    assert not _repeats(a, c, params)
    assert not _repeats(a, d, params)


def test_a_retelling_by_the_members_of_the_subject_is_a_repeat() -> None:
    # "Councillors" and "the council" are one subject told two ways.
    params = TldrParams()
    a = _option(
        "Councillors voted 9-2 on Tuesday to back a $2.4 billion tram expansion reaching the "
        "airport."
    )
    b = _option("The council gave the green light on Tuesday to the airport tram line.", 1)
    assert _repeats(a, b, params) and _repeats(b, a, params)
