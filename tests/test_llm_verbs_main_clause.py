"""The main verb the model bullets' verb check (and the TL;DR's opposite-acts check) reads is the
main clause's own: not the participle of an appositive or the verb of a relative clause set off
by commas ("Ada Wren, the harbour master convicted of fraud, was sentenced"), not a noun before
the verb ("The ferry strike began"), and "dismissed" is a firing only of a person ("dismissed the
challenge" is a court's answer).

Every story here is invented."""

from __future__ import annotations

import pytest
from _llm_paraphrases import OTHER_FACT, verb_story

from bot.summarize import summarize
from bot.summarize.acts import main_verbs, other_acts
from bot.summarize.llm_check import LLMRejected, check_answer
from bot.summarize.modality import tokens
from bot.summarize.verb_groups import decisive_group
from tests.test_tldr_opposite_acts import _two_bullets


def _check(sentence: str, bullet: str) -> None:
    story = verb_story(sentence)
    check_answer({"tldr": [bullet, OTHER_FACT]}, story, [a.source for a in story], summarize(story))


@pytest.mark.parametrize(
    ("bullet", "verbs"),
    [
        (
            "Ada Wren, the harbour master convicted of fraud, was sentenced on Friday.",
            ["sentenced"],
        ),
        ("A Tarn man, who was charged with fraud in May, was jailed on Monday.", ["jailed"]),
        # A participle's segment before an auxiliary's is an aside too; alone it is the verb.
        ("Two Tarn men, arrested on Monday, were charged with fraud.", ["charged"]),
        ("Ada Wren, the harbour master, resigned on Friday.", ["resigned"]),
        ("The ferry strike began on Monday.", ["began"]),
        ("The Quayline ferry strike finally ended on Friday.", ["ended"]),
        # A bare form after a plural subject is its verb.
        ("The ferry workers strike on Monday.", ["strike"]),
        # A scene before the subject sets off no aside.
        ("On Monday, the council approved the tram line, ending years of debate.", ["approved"]),
    ],
)
def test_the_main_verb_is_the_main_clauses_own(bullet: str, verbs: list[str]) -> None:
    assert main_verbs(bullet) == verbs


@pytest.mark.parametrize(
    ("clause", "decisive"),
    [
        ("The Tarn court dismissed the challenge to the quota", False),
        ("The board dismissed the bid from Acme", False),
        ("The judge dismissed the motion", False),
        ("The judge dismissed the appeals", False),
        ("The club dismissed its coach", True),
    ],
)
def test_dismissed_is_a_firing_only_of_a_person(clause: str, decisive: bool) -> None:
    words = tokens(clause)
    assert (decisive_group("dismissed", words, words.index("dismissed")) is not None) == decisive


def test_an_honest_bullet_is_not_held_to_an_asides_verb() -> None:
    _check(
        "Former harbour master Ada Wren was sentenced to six years in prison on Friday.",
        "Ada Wren, the harbour master convicted of fraud, was sentenced to six years on Friday.",
    )
    _check(
        "The Tarn court threw out the challenge to the fishing quota on Thursday.",
        "The Tarn court dismissed the challenge to the fishing quota on Thursday.",
    )


def test_the_verb_after_a_noun_is_checked() -> None:
    with pytest.raises(LLMRejected, match="'began'"):
        _check(
            "The Quayline ferry strike was called off on Monday after a late deal.",
            "The Quayline ferry strike began on Monday after a late deal.",
        )
    began = "The Quayline ferry strike began on Monday after the pay talks failed."
    ended = "The Quayline ferry strike ended on Monday after the pay talks failed."
    assert other_acts(began, ended)
    assert _two_bullets(began, ended)
