"""Dropping a comma segment that opens on an article ("the", "a") is dropping an appositive only
when the segment is one: a segment with its own verb, or one ending on a word that leads on, is
the main clause, and without it the bullet loses what the sentence says."""

from __future__ import annotations

from bot.summarize.clauses import clause_prefixes
from bot.summarize.compress import variants

CLAUSE_AFTER_OPENER = (
    "As more crews return to the docks after the long winter, the question of a pilot's licence "
    "is growing ever more pressing and, at several ports, a condition of being hired."
)


def test_a_segment_with_its_own_verb_is_not_dropped_as_an_aside() -> None:
    forms = variants(CLAUSE_AFTER_OPENER) + clause_prefixes(CLAUSE_AFTER_OPENER, 55)
    assert all("pilot's licence" in f for f in forms)


def test_a_cut_leaves_no_aside_after_a_word_that_leads_on() -> None:
    forms = variants(CLAUSE_AFTER_OPENER) + clause_prefixes(CLAUSE_AFTER_OPENER, 55)
    assert not [f for f in forms if f.endswith("at several ports.")]


def test_an_appositive_with_a_relative_clause_is_still_dropped() -> None:
    sentence = (
        "Ada Holm, a ferry pilot who is a close friend of the mayor, was named harbour master "
        "on Tuesday morning."
    )
    assert "Ada Holm was named harbour master on Tuesday morning." in variants(sentence)
