"""A model bullet that keeps a sentence's names and figures but changes what happened is refused:
"Acme acquired Birch for $4 million" when the sources say Acme bid $4 million for Birch. Only
decisive verbs (a deal done, a verdict, a death, a vote's outcome) are held to their supporting
sentence, so honest paraphrase, which changes other verbs freely, still reaches the card; one event
told from its other side ("sold" for "bought") or in a phrase ("washed away") is the same fact,
and a verb in a sense that decides nothing ("fired on", "raised concerns") is not checked. A
bullet may not say surely what its sentence says only may or will happen ("agreed to buy")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _llm_paraphrases import (
    CHANGED,
    CHANGED_HELD_OUT,
    HONEST,
    HONEST_HELD_OUT,
    MISSED,
    OTHER_FACT,
    verb_story,
)
from _llm_paraphrases_governed import CHANGED_ROLES, HONEST_HEDGE_ELSEWHERE, HONEST_ROLES
from _llm_paraphrases_more import CHANGED_MODALITY, CHANGED_OTHER, HONEST_OTHER_WORDS
from _llm_writer import llm_summary
from fakes.llm_api import serve_completions

from bot.models import Article, Summary
from bot.summarize import summarize
from bot.summarize.acts import main_verbs, other_acts
from bot.summarize.llm_check import LLMRejected, check_answer
from bot.summarize.modality import DONE, FUTURE, HEDGED, level_before, tokens
from bot.summarize.verb_groups import GROUPS, decisive_group

BID = "Acme bid $4 million for the furniture maker Birch on Tuesday."


def bid_story() -> list[Article]:
    """An invented bid, told by two outlets in their own words."""
    return [
        Article(
            id="b1",
            source="Trade Post",
            title="Acme bids for Birch",
            text=f"{BID} Birch's board will meet next week to weigh the offer.",
            url="https://post.example/bid",
        ),
        Article(
            id="b2",
            source="Market Line",
            title="Birch weighs Acme offer",
            text="Acme offered $4 million for Birch on Tuesday. Birch makes oak tables.",
            url="https://line.example/bid",
        ),
    ]


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(b"") as url:
        yield url


def _ask(url: str, bullets: list[str]) -> Summary:
    return llm_summary(url, {"tldr": bullets}, bid_story())


BOARD = "Birch's board will meet next week to weigh the offer."


def test_a_bid_told_as_an_acquisition_falls_back(
    endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    summary = _ask(endpoint, ["Acme acquired Birch for $4 million on Tuesday.", BOARD])
    assert summary == summarize(bid_story())
    assert "'acquired'" in caplog.text


@pytest.mark.parametrize(
    "bullet",
    [
        "Acme made a $4 million bid for Birch on Tuesday.",
        "Acme offered $4 million for Birch on Tuesday.",
        "Acme has bid $4 million for Birch, a maker of oak tables.",
    ],
)
def test_the_bid_in_other_words_is_used(endpoint: str, bullet: str) -> None:
    summary = _ask(endpoint, [bullet, BOARD])
    assert summary.writer == "llm"
    assert [b.text for b in summary.tldr] == [bullet, BOARD]


def _check(sentence: str, bullet: str) -> None:
    story = verb_story(sentence)
    check_answer({"tldr": [bullet, OTHER_FACT]}, story, [a.source for a in story], summarize(story))


@pytest.mark.parametrize(("sentence", "bullet"), HONEST + HONEST_HELD_OUT)
def test_honest_paraphrases_pass(sentence: str, bullet: str) -> None:
    _check(sentence, bullet)


_CHECKED = [c for c in CHANGED + CHANGED_HELD_OUT if c[1] not in MISSED]


@pytest.mark.parametrize(("sentence", "bullet"), [c for c in _CHECKED if not other_acts(*c)])
def test_a_changed_decisive_verb_is_refused(sentence: str, bullet: str) -> None:
    with pytest.raises(LLMRejected, match=r"which (no sentence|the sentences) carrying it"):
        _check(sentence, bullet)


@pytest.mark.parametrize(("sentence", "bullet"), [c for c in _CHECKED if other_acts(*c)])
def test_the_opposite_act_is_refused_as_reported_by_no_outlet(sentence: str, bullet: str) -> None:
    # "rejected" for "approved": the sentence tells another fact (`acts.two_facts`), so it backs
    # nothing, before the verb check is asked.
    with pytest.raises(LLMRejected, match="no outlet reports bullet"):
        _check(sentence, bullet)


@pytest.mark.parametrize(("sentence", "bullet"), HONEST_OTHER_WORDS)
def test_one_event_from_its_other_side_or_in_a_phrase_passes(sentence: str, bullet: str) -> None:
    _check(sentence, bullet)


@pytest.mark.parametrize(("sentence", "bullet"), CHANGED_MODALITY)
def test_what_may_or_will_happen_told_as_done_is_refused(sentence: str, bullet: str) -> None:
    with pytest.raises(LLMRejected, match="only say may or will happen"):
        _check(sentence, bullet)


@pytest.mark.parametrize(("sentence", "bullet"), HONEST_HEDGE_ELSEWHERE)
def test_a_hedge_governing_another_word_puts_nothing_off(sentence: str, bullet: str) -> None:
    _check(sentence, bullet)


@pytest.mark.parametrize(("sentence", "bullet"), CHANGED_ROLES)
def test_the_other_side_of_the_event_said_of_the_same_party_is_refused(
    sentence: str, bullet: str
) -> None:
    with pytest.raises(LLMRejected, match="say did the other side of it"):
        _check(sentence, bullet)


@pytest.mark.parametrize(("sentence", "bullet"), HONEST_ROLES)
def test_the_other_side_of_the_event_said_of_the_other_party_passes(
    sentence: str, bullet: str
) -> None:
    _check(sentence, bullet)


@pytest.mark.parametrize(("sentence", "bullet"), CHANGED_OTHER)
def test_another_decisive_fact_is_refused(sentence: str, bullet: str) -> None:
    with pytest.raises(LLMRejected):
        _check(sentence, bullet)


def test_a_verb_s_group_is_its_own() -> None:
    verbs = [stem for group in GROUPS for stem in group.verbs]
    assert len(verbs) == len(set(verbs))


@pytest.mark.parametrize(
    ("clause", "verb", "decisive"),
    [
        ("The hospital fired two surgeons", "fired", True),
        ("Soldiers fired on protesters", "fired", False),
        ("Police fired tear gas at the crowd", "fired", False),
        ("The bank raised its key rate to 4.5%", "raised", True),
        ("The report raised fresh questions", "raised", False),
        ("The council paid $2 million for the library", "paid", True),
        ("The council paid tribute to Reed", "paid", False),
        ("Smith beat Jones", "beat", True),
        ("Acme beat forecasts", "beat", False),
        ("Three hikers lost their lives", "lost", False),
        ("Jones lost the race to Smith", "lost", True),
        ("The Senate passed the bill", "passed", True),
        ("Cases passed one million", "passed", False),
        ("The board approved the merger", "approved", True),
        ("The court dismissed the lawsuit", "dismissed", False),
        ("Google will begin preventing ads", "begin", False),
        ("Acme launched a phone", "launched", False),
    ],
)
def test_a_verb_is_checked_only_in_its_decisive_sense(
    clause: str, verb: str, decisive: bool
) -> None:
    words = tokens(clause)
    assert (decisive_group(verb, words, words.index(verb)) is not None) == decisive


@pytest.mark.parametrize(
    ("sentence", "verb", "level"),
    [
        ("Acme bought Birch", "bought", DONE),
        ("Police said they had arrested two men", "arrested", DONE),
        ("Acme, which could face a fine, bought Birch", "bought", DONE),
        ("Acme agreed to buy Birch", "buy", FUTURE),
        ("Acme said it would buy Birch", "buy", FUTURE),
        ("The bridge is set to reopen", "reopen", FUTURE),
        ("Reed could be charged", "charged", HEDGED),
        ("a plan that would ban cars", "ban", FUTURE),
        ("the council proposed a ban on cars", "ban", HEDGED),
        ("Reed faces up to ten years in prison", "prison", HEDGED),
        ("the mayor called for a ban", "ban", HEDGED),
        ("Police can confirm two men were arrested", "arrested", DONE),
        ("Acme made an offer and has bought Birch", "bought", DONE),
        ("Acme agreed on Monday to buy Birch", "buy", FUTURE),
        ("Reed is expected to be charged", "charged", HEDGED),
        ("Acme is considering buying Birch", "buying", HEDGED),
        ("Acme proposed a $4 million takeover of Birch", "takeover", HEDGED),
        ("Lind was asked to resign", "resign", HEDGED),
        ("The storm expected on Monday destroyed 40 homes", "destroyed", DONE),
        ("A man facing fraud charges was jailed", "jailed", DONE),
        ("The proposed merger was approved", "approved", DONE),
        ("Hopes of a deal faded as the union rejected the offer", "rejected", DONE),
    ],
)
def test_a_clause_s_own_words_say_how_surely_it_happened(
    sentence: str, verb: str, level: int
) -> None:
    words = tokens(sentence)
    assert level_before(words, words.index(verb)) == level


def test_a_bullet_in_the_present_progressive_says_what_will_happen() -> None:
    _check(
        "The United States will end its combat mission in Lowland this year.",
        "The United States is ending its combat mission in Lowland this year.",
    )
    with pytest.raises(LLMRejected, match="only say may or will happen"):
        _check(
            "The United States will end its combat mission in Lowland this year.",
            "The United States ended its combat mission in Lowland this year.",
        )


def test_facing_charges_is_being_charged() -> None:
    words = tokens("Reed faces charges of fraud")
    assert level_before(words, words.index("charges")) == HEDGED
    group = decisive_group("charged")
    assert group is not None
    assert level_before(words, words.index("charges"), group.not_hedges) == DONE
    _check("Tom Reed faces three charges of fraud.", "Tom Reed was charged with fraud.")


@pytest.mark.parametrize(
    ("bullet", "verbs"),
    [
        ("Acme acquired Birch for $4 million.", ["acquired"]),
        ("Two men were arrested after the break-in.", ["arrested"]),
        ("The minister has not resigned.", ["resigned"]),
        ("Harbor Rail plans to cut 300 jobs.", ["plans", "cut"]),
        ("The injured workers were sent home.", ["sent"]),
        ("Nine workers were taken to hospital.", []),
        ("Officials said the bridge reopened on Friday.", ["reopened"]),
        ("Acme made a $4 million bid for Birch.", []),
        ("Electric car sales doubled in May.", ["doubled"]),
        ("A man who was charged with fraud was jailed on Monday.", []),
    ],
)
def test_the_main_verb_is_read_past_auxiliaries_reporting_and_light_verbs(
    bullet: str, verbs: list[str]
) -> None:
    assert main_verbs(bullet) == verbs
