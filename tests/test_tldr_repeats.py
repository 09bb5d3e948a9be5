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


def test_one_core_claim_told_with_other_background_is_a_repeat() -> None:
    # The same vote told with another verb, and each bullet hangs its own background on it: a
    # reader learns the one fact twice.
    params = TldrParams()
    a = _option(
        "Lundia's parliament voted to censure Premier Oskar Malm, three months after he "
        "succeeded Vera Lind."
    )
    b = _option(
        "Lundia's parliament has voted to dismiss acting Premier Oskar Malm from office as he "
        "faces bribery charges.",
        1,
    )
    assert _repeats(a, b, params) and _repeats(b, a, params)


def test_a_closure_told_as_a_verb_and_as_a_noun_is_one_fact() -> None:
    params = TldrParams()
    a = _option("Norland says it temporarily shut the Kessel Channel — a busy tanker lane.")
    b = _option(
        "Norland announced the temporary shutdown of the Kessel Channel for naval exercises as "
        "its envoys met their neighbours for a second round of border talks.",
        1,
    )
    assert _repeats(a, b, params) and _repeats(b, a, params)


def test_a_swearing_in_told_inside_a_longer_bullet_is_a_repeat() -> None:
    params = TldrParams()
    a = _option("Lundia is opening a new era as Oskar Malm is sworn in as prime minister.")
    b = _option(
        "Lundia's new prime minister has been sworn in after his party won the snap election "
        "last month, the first vote since the 2023 strikes.",
        1,
    )
    assert _repeats(a, b, params) and _repeats(b, a, params)


def test_the_same_actors_in_another_event_are_no_repeat() -> None:
    params = TldrParams()
    a = _option(
        "Lundia's parliament voted to censure Premier Oskar Malm, three months after he "
        "succeeded Vera Lind."
    )
    # The same parliament and premier, doing something else.
    b = _option(
        "Oskar Malm said he would challenge the censure in the supreme court, calling it a plot.",
        1,
    )
    c = _option("Lundia's parliament will elect a new premier from its ranks on Friday.", 1)
    # One verb and place, other figures: another count.
    d = _option("Police arrested nine people in Tarn after the protest turned violent.")
    e = _option("Police arrested two people in Tarn on Sunday, a day before the vote.", 1)
    assert not _repeats(a, b, params)
    assert not _repeats(a, c, params)
    assert not _repeats(d, e, params)


def test_one_event_dated_two_ways_is_a_repeat() -> None:
    # Each telling gives its own dates and an age; without them they share most words.
    params = TldrParams()
    a = _option("Ada Wren, 31, was struck by a falling crane in Tarn's old port last week.")
    b = _option(
        "Ada Wren died on Sunday, three days after being struck in Tarn by a crane that "
        "toppled in the old port.",
        1,
    )
    assert _repeats(a, b, params) and _repeats(b, a, params)


def test_two_actors_doing_the_same_on_other_days_are_two_facts() -> None:
    params = TldrParams()
    a = _option("The Senate approved the bill on Monday night.")
    b = _option("The Assembly approved the bill on Thursday after a long debate.", 1)
    assert not _repeats(a, b, params) and not _repeats(b, a, params)
    # One actor's one event dated two ways stays a repeat.
    c = _option("The Norland assembly passed the ferry bill on Thursday after a long debate.", 1)
    d = _option("The Norland assembly passed the ferry bill late last week.", 2)
    assert _repeats(c, d, params)
