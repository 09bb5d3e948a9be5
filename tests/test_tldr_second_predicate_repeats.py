"""A core claim ends before a second predicate on an auxiliary ("was vaccinated and being
treated at ..."): two bullets that each tell the first fact, one with more after it, are one
fact told twice."""

from __future__ import annotations

from bot.summarize.restated import core_claim, same_core
from bot.summarize.sentences import content_stems


def _same(a: str, b: str) -> bool:
    return same_core(a, frozenset(content_stems(a)), b, frozenset(content_stems(b)))


def test_a_second_predicate_ends_the_core() -> None:
    text = "Holm was fully vaccinated and being treated at the Tolberg General Hospital in Lundia."
    assert core_claim(text) == "Holm was fully vaccinated"


def test_one_fact_with_a_second_predicate_after_it_is_told_twice() -> None:
    assert _same(
        "Holm was fully vaccinated and being treated at the Tolberg General Hospital in Lundia.",
        "Holm was fully vaccinated against measles, her family said in a statement.",
    )


def test_a_subject_joined_by_and_is_no_second_predicate() -> None:
    # "and" before a noun joins the subject; only an auxiliary after it opens a predicate.
    text = "The harbour master and the ferry pilots were praised for the rescue."
    assert core_claim(text) == text


def test_two_facts_stay_two() -> None:
    assert not _same(
        "The council voted to close the harbour and was then dissolved by the governor.",
        "The council voted on Friday to keep the harbour open.",
    )
