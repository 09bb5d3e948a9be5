"""One fact twice in the TL;DR: a count written in words and in digits ("half a billion" /
"500 million"), and one predicate said of one subject in the same words.

Every sentence here is invented. An editor found cards giving "another half billion doses" and
"500 million more doses" as two bullets, and "has been permanently shut down" twice.
"""

from __future__ import annotations

from decimal import Decimal

from bot.summarize.candidates import Option, TldrParams, _repeats, sentence_options
from bot.summarize.claim_figures import claim_counts, one_count
from bot.summarize.quantities import quantities
from bot.summarize.restated import same_core, same_predicate
from bot.summarize.sentences import content_stems, make_sentence

HALF = (
    "Premier Ada Holm on Tuesday met the island governors to plan the harvest season, "
    "announcing that Lundia would ship another half billion seed packets to the coast."
)


def _option(text: str, position: int = 0) -> Option:
    forms = sentence_options([make_sentence(text, "X", position, 0)], TldrParams())[0]
    return next(o for o in forms if o.text == text)


def test_half_a_scale_word_is_one_count() -> None:
    assert [q.value for q in quantities("Lundia will ship half a billion seed packets.")] == [
        Decimal(500_000_000)
    ]
    assert [c.value for c in claim_counts("They pledged another half million tonnes.")] == [
        Decimal(500_000)
    ]
    # A half of something else stays a fraction beside its own count.
    found = quantities("Half of the $2 billion fund is spent.")
    assert [q.role for q in found] == ["fraction", "count"]


def test_one_count_in_words_and_in_digits_is_one_fact() -> None:
    a = _option(HALF)
    b = _option("Lundia is to ship 500 million more seed packets to coastal farms next spring.", 1)
    params = TldrParams()
    assert _repeats(a, b, params) and _repeats(b, a, params)


def _stems(text: str) -> frozenset[str]:
    return frozenset(content_stems(text))


def test_the_same_count_of_other_things_or_another_count_is_news() -> None:
    a = "Lundia is to ship 500 million more seed packets to coastal farms next spring."
    assert one_count(a, HALF, _stems(a), _stems(HALF))
    b = "Lundia is to ship 300 million more seed packets to coastal farms next spring."
    assert not one_count(a, b, _stems(a), _stems(b))
    c = "The coastal farms planted 500 million apple trees over the last decade."
    assert not one_count(a, c, _stems(a), _stems(c))
    assert not same_core(c, _stems(c), HALF, _stems(HALF))


def test_one_predicate_said_of_one_subject_twice_is_one_fact() -> None:
    a = (
        "Mayor Jon Berg's newsletter — a weekly letter where he answered readers after the "
        "local papers stopped printing his columns — has been permanently shut down."
    )
    b = (
        "The newsletter, called \u201cNotes from Tolberg Hall,\u201d has been permanently shut "
        "down and will not return, his aide Kari Lund told the Harbour Post."
    )
    assert same_predicate(a, b)
    assert same_core(a, _stems(a), b, _stems(b))


def test_one_predicate_of_two_subjects_is_two_facts() -> None:
    a = "The Tolberg ferry terminal has been permanently shut down after the storm."
    b = "The Grell rail depot has been permanently shut down after the storm."
    assert not same_predicate(a, b)
    # Too short a verb group to say the act twice.
    assert not same_predicate("The mayor was arrested in Tolberg.", "The mayor was arrested.")
