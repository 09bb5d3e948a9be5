"""What an act was done to: "voted to close the base" when every source that tells the vote says
it was to keep the base open. The names, the verb and the thing are all grounded, so only the
complement's direction tells it. Honest paraphrase of a complement, in other words or the same
direction by another verb, still passes. The stories are invented for the project."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize import summarize
from bot.summarize.llm_acts import wrong_object
from bot.summarize.llm_check import LLMRejected, check_answer
from bot.summarize.llm_facts import misstated

VOTE = "The Hollin assembly voted on Tuesday to keep the Carrow air base open."
JOBS = "About 900 people work at the base, which the defence ministry had planned to shut."
RAMP = "Boat owners asked the council to keep the old ramp open during the works."
BARRIER = "Kestrel Bay's council voted 7 to 2 on Monday to build a flood barrier."
DALE = "Councillor Mira Dale voted against the barrier, calling it too costly."


def base_story() -> list[Article]:
    return [
        Article(
            id="c1",
            source="Hollin Standard",
            title="Assembly votes to keep Carrow base open",
            text=f"{VOTE} {JOBS}",
            url="https://standard.example/carrow",
        ),
        Article(
            id="c2",
            source="Valley Wire",
            title="Carrow air base stays open after assembly vote",
            text=f"{VOTE} The ministry said it would study the decision. {JOBS}",
            url="https://wire.example/carrow",
        ),
    ]


def _texts(story: list[Article]) -> list[str]:
    return [f"{a.title}\n{a.text}" for a in story]


def _check(bullet: str) -> None:
    story = base_story()
    answer = {"tldr": [bullet, JOBS], "angles": []}
    check_answer(answer, story, [a.source for a in story], summarize(story))


def test_an_act_told_as_done_to_the_other_end_is_refused() -> None:
    bullet = "The Hollin assembly voted on Tuesday to close the Carrow air base."
    assert (
        misstated(bullet, _texts(base_story())) == "voted on Tuesday to close the Carrow air base"
    )
    with pytest.raises(LLMRejected, match="to close the Carrow air base"):
        _check(bullet)
    _check("The Hollin assembly voted on Tuesday to keep the Carrow air base open.")


@pytest.mark.parametrize(
    ("claim", "wrong"),
    [
        ("The assembly voted to shut the air base.", "voted to shut the air base"),
        ("The assembly voted for the closure of the base.", "voted for the closure of the base"),
        (
            "The assembly voted against keeping the base open.",
            "voted against keeping the base open",
        ),
        ("The assembly voted to keep the base closed.", "voted to keep the base closed"),
        (
            "The assembly voted seven to two to scrap the base.",
            "voted seven to two to scrap the base",
        ),
    ],
)
def test_the_other_direction_in_other_words_is_refused(claim: str, wrong: str) -> None:
    assert wrong_object(claim, _texts(base_story())) == wrong


@pytest.mark.parametrize(
    "claim",
    [
        # The same direction in other words: another verb, another state word, a negation.
        "The assembly voted to keep the base running.",
        "The assembly voted to keep the Carrow base.",
        "The assembly voted to retain the air base.",
        "The assembly voted not to close the base.",
        "The assembly voted against closing the base.",
        "The assembly voted against the closure of the base.",
        "The assembly voted in favour of the base.",
        # Complements read for no direction, or on another thing, are left alone.
        "The assembly voted to back the ministry's study.",
        "The assembly voted to go ahead with the base.",
        "The ministry had planned to shut the base.",  # another act: the sources' own words
        "The assembly voted to cut the base's budget.",
    ],
)
def test_paraphrases_of_the_act_pass(claim: str) -> None:
    assert misstated(claim, _texts(base_story())) is None


@pytest.mark.parametrize(
    "claim",
    [
        "Boat owners asked the council to leave the old ramp open during the works.",
        "Boat owners asked to keep the ramp open.",
        "The council voted to approve the flood barrier.",
        "The council voted 7 to 2 for the flood barrier.",
        "The council voted to build the barrier to protect the quay.",
        "The council voted against scrapping the barrier.",
        # Sources that tell the act both ways (the council, and one councillor) refuse neither.
        "Councillor Mira Dale voted against the barrier.",
    ],
)
def test_paraphrases_of_a_ramp_and_a_barrier_pass(claim: str) -> None:
    assert wrong_object(claim, [f"{RAMP} {BARRIER} {DALE}"]) is None


def test_what_an_asked_act_was_for_is_held_to_its_source() -> None:
    sources = [f"{RAMP} {BARRIER}"]
    wrong = "Boat owners asked the council to close the old ramp during the works."
    assert wrong_object(wrong, sources) == "asked the council to close the old ramp"
    # A passive ("to be shut") is read for no direction: left alone, never refused.
    assert wrong_object("Boat owners asked for the ramp to be shut.", sources) is None
    assert (
        wrong_object("Boat owners asked the council to keep the old ramp closed.", sources)
        == "asked the council to keep the old ramp closed"
    )


@pytest.mark.parametrize(
    ("claim", "wrong"),
    [
        # The head of what the act was for, past a possessive or an adjective, sets its way.
        ("The assembly voted against the base's closure.", None),
        ("The assembly voted for the base's closure.", "voted for the base's closure"),
        ("The assembly voted against the proposed closure of the base.", None),
        (
            "The assembly voted for the proposed closure of the base.",
            "voted for the proposed closure of the base",
        ),
        # A direction word that is not the head ("closure" naming a plan): left alone.
        ("The assembly voted for the base closure plan.", None),
    ],
)
def test_a_possessive_or_adjective_before_the_outcome_is_read_past(
    claim: str, wrong: str | None
) -> None:
    assert wrong_object(claim, _texts(base_story())) == wrong


def test_against_a_things_closure_is_against_closing_it() -> None:
    sources = ["The Fenwick board voted against closing the library on Elm Street."]
    assert wrong_object("The board voted against the library's closure.", sources) is None
    assert (
        wrong_object("The board voted for the library's closure.", sources)
        == "voted for the library's closure"
    )


def test_each_source_is_split_once_for_all_of_an_answers_sentences(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import bot.summarize.llm_acts as acts

    split: list[str] = []

    def counting(text: str, limit: int | None = None) -> list[str]:
        split.append(text)
        return acts_split(text, limit)

    acts_split = acts.split_sentences
    monkeypatch.setattr(acts, "split_sentences", counting)
    # Text no other test uses, so no earlier call has read it.
    sources = [f"The Orrin quay trust voted to keep the ferry slip open. {JOBS}", BARRIER]
    for claim in (
        "The trust voted to close the ferry slip.",
        "The trust voted for the ferry slip.",
        "Councillor Dale voted to build the barrier.",
        "The council voted against the barrier.",
    ):
        acts.wrong_object(claim, sources)
        acts.wrong_actor(claim, sources)
    assert sorted(split) == sorted(set(split)), "a source was split more than once"
