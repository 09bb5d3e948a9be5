"""A time phrase built on a clause ("The week after the storm hit the coast") opens a sentence but
is not one: its noun is no subject, the main clause comes after its comma.

Every sentence here is invented. Reviewers found angle lines such as "The week after the storm hit
the coast" cut from a longer sentence.
"""

from __future__ import annotations

from bot.summarize.clauses import clause_prefixes, clean_cut
from bot.summarize.finite_verbs import is_clause

SENTENCE = (
    "The week after the storm hit the coast, the council closed three schools for repairs "
    "and moved their pupils to the town hall."
)


def test_a_time_phrase_alone_is_no_clause() -> None:
    assert not is_clause("The day before nuclear talks were set to resume.")
    assert not is_clause("The week after the storm hit the coast.")
    assert not is_clause("A month since the ferry sank off the cape.")
    assert not is_clause("The night before the vote was held.")


def test_a_time_phrase_with_its_main_clause_is_one() -> None:
    assert is_clause(SENTENCE)
    assert is_clause("The day before the vote, the mayor resigned.")


def test_a_time_noun_as_the_subject_is_a_clause() -> None:
    assert is_clause("The day began with protests.")
    assert is_clause("The week was the wettest on record.")
    assert is_clause("The year before was calmer, officials said.")


def test_no_cut_leaves_the_time_phrase_alone() -> None:
    assert not clean_cut("The week after the storm hit the coast", SENTENCE.split(", ", 1)[1])
    prefixes = clause_prefixes(SENTENCE, 30, 5)
    assert "The week after the storm hit the coast." not in prefixes
    assert clean_cut("The day began with protests in the square", "the police said nothing.")
