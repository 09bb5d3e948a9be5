"""Cuts that leave a fragment: a participle phrase, a "that"/"if" clause with no verb, a question.

Every sentence here is invented. Reviewers found TL;DR bullets such as "Speaking at the town's
harbour celebrations." and "The mayor announced on Tuesday that if the port authority and the
fishing union agree on a lease for the quay." cut from longer sentences.
"""

from __future__ import annotations

from bot.summarize.clauses import clause_prefixes, clean_cut, cut_to_words
from bot.summarize.finite_verbs import is_clause


def test_a_head_opening_on_a_participle_needs_a_finite_verb() -> None:
    sentence = (
        "Speaking at the town's harbour festival on Saturday evening, a parade of restored "
        "trawlers and a brass band underlined the mayor's promise to reopen the old port."
    )
    assert clause_prefixes(sentence, 24, 5) == []
    assert not clean_cut("Asked about the quay on Monday evening", "the mayor said nothing.")
    # With its own verb the participle phrase is only the opening of a whole clause.
    assert clean_cut(
        "Speaking at the festival, the mayor vowed to reopen the old fishing port",
        "a promise she first made in 2019.",
    )


def test_a_plural_after_a_capitalised_word_is_no_verb() -> None:
    assert not is_clause("Speaking at the Harbour Day celebrations.")
    assert not is_clause("The Lindmark Harbour Days.")
    assert is_clause("The harbour master reports record catches.")


def test_a_that_or_if_clause_without_its_verb_is_no_cut() -> None:
    sentence = (
        "The mayor announced on Tuesday that if the port authority and the fishing union agree "
        "on a lease for the quay, she would put it to a council vote."
    )
    assert clause_prefixes(sentence, 24, 5) == []
    assert not clean_cut(
        "The complaint says that the shipyard's chief lawyer Anton Reis",
        "who drafted the contract, tried to silence the welders.",
    )
    assert clean_cut(
        "The complaint says that the shipyard's lawyer tried to silence the welders",
        "who had walked out in March.",
    )


def test_a_question_is_kept_whole_or_not_at_all() -> None:
    question = (
        "Will the Lindmark council approve the harbour bridge before the election, which is "
        "due in May, or leave it to the next council?"
    )
    assert clause_prefixes(question, 15, 5) == []
    assert cut_to_words(question, 15) is None
    assert cut_to_words("Will the council approve the bridge?", 15) == (
        "Will the council approve the bridge?"
    )


def test_a_plural_inside_the_participle_phrase_is_not_its_verb() -> None:
    assert not clean_cut(
        "Speaking at the town's harbour celebrations",
        "a parade of trawlers underlined the mayor's promise.",
    )
