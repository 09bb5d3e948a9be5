"""A bullet cut at a comma must still read as a sentence: no cut before the infinitive its
clause asks for ("will allow the owner, a Tolberg firm, | to sell"), before the predicate after
a long aside or a present-tense verb, inside an opener's own commas, a reported clause, a "not
only ... but" pair, or between two adjectives of one noun."""

from __future__ import annotations

import pytest

from bot.summarize.clauses import clause_prefixes, clean_cut
from bot.summarize.compress import variants


@pytest.mark.parametrize(
    ("sentence", "infinitive"),
    [
        # An aside between a word and the infinitive it asks for.
        (
            "The ruling shows that the harbour court is not willing, at least for now, to change "
            "the rules on pier leases.",
            "to change",
        ),
        # What an allowing verb allows, after the object's aside.
        (
            "The deal will allow the ferry line's owner, the Tolberg firm Nordvik, to keep a small "
            "stake in the company.",
            "to keep",
        ),
        (
            "The new rules will allow crews sailing for other reasons, like seeing family or for "
            "a holiday, to cross the strait.",
            "to cross",
        ),
    ],
)
def test_no_cut_before_the_infinitive_a_clause_needs(sentence: str, infinitive: str) -> None:
    forms = variants(sentence) + clause_prefixes(sentence, 55)
    assert all(infinitive in f for f in forms), forms


def test_a_long_aside_before_the_predicate_is_no_cut() -> None:
    # The predicate after the subject's aside is what the head still needs.
    head = "The pilots of the night ferries"
    tail = "the crews who work the longest shifts at the port, said on Monday the rota was unsafe."
    assert not clean_cut(head, tail)


def test_a_purpose_clause_after_a_whole_clause_may_still_go() -> None:
    sentence = "The council approved the harbour budget on Monday, to take effect in May."
    assert "The council approved the harbour budget on Monday." in clause_prefixes(sentence, 55)


def test_no_cut_after_an_openers_own_commas() -> None:
    sentence = (
        "While she was one of the last three pilots left on the roster, alongside Roe and Berg, "
        "the harbour's new captain failed to win a single shift."
    )
    assert not [c for c in clause_prefixes(sentence, 55) if c.endswith("Roe and Berg.")]


def test_no_cut_before_a_present_tense_verb_and_its_object() -> None:
    head = "The rule, one of the strictest fishing limits on the coast"
    assert not clean_cut(head, "bans the use of drift nets after dark.")
    # A plural and its verb after the comma is an attribution, and the head stands.
    assert clean_cut("The harbour board met on Monday", "officials said on Tuesday.")


def test_a_reported_clause_without_its_verb_is_no_cut() -> None:
    # "that" before a name or an opener: the reported clause has not reached its verb.
    assert not clean_cut("The harbour paper says that the port's chief lawyer Anton Reis", "a")
    assert not clean_cut(
        "The harbour paper reports that after the pilots' long walkout", "the port will reopen."
    )
    # A relative "that" is no report.
    assert clean_cut("The rule that the council passed bans drift nets", "the paper says.")


def test_a_short_past_tense_after_the_subjects_aside_is_its_verb() -> None:
    head = "Ada Holm, the first woman to pilot the night ferry and a long-serving harbour master"
    assert not clean_cut(head, "died on Monday at the age of 84.")


def test_no_cut_between_not_only_and_its_but() -> None:
    head = "The harbour master has spent the winter feuding not only with the pilots"
    assert not clean_cut(head, "but also with the ferry line's owners.")
    assert clean_cut(head + " but with the crews too", "the paper says.")


def test_no_cut_between_two_adjectives_of_one_noun() -> None:
    head = "The festival closed with fireworks, a brass band and a new"
    assert not clean_cut(head, "glittering harbour light show.")
    # A noun after the article ends the phrase: the cut stands.
    assert clean_cut("The festival closed with a new light show", "organisers said.")
