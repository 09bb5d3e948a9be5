"""Wrong facts a model can build from grounded words: a number with another unit or count, a
tally reversed, a modifier swapped, an act given to someone else, an invented name opening a
sentence. Each is refused and the card keeps the extractive summary; the honest answer beside
each passes. The story is invented for the project."""

from __future__ import annotations

import json

import pytest
from fakes.llm_api import chat_body, serve_completions

from bot.models import Article
from bot.summarize import LLMSettings, Summarizer, summarize
from bot.summarize.grounding import ungrounded
from bot.summarize.llm_check import LLMRejected, check_answer
from bot.summarize.llm_facts import misstated

HERALD, GAZETTE, POST = "Quay Herald", "Fenmoor Gazette", "Coastal Post"
VOTE = "Kestrel Bay's council voted 7 to 2 on Monday to build a 9 million dollar flood barrier."
FUNDS = "Money will come from a state recovery grant and a local bond."


def kestrel_story() -> list[Article]:
    return [
        Article(
            id="k1",
            source=HERALD,
            title="Kestrel Bay council backs flood barrier",
            text=(
                f"{VOTE} The barrier will run 600 metres along the quay. Work is due to begin in "
                "June and last two years. The council approved the barrier with 7 votes for and 2 "
                "against."
            ),
            url="https://herald.example/barrier",
        ),
        Article(
            id="k2",
            source=GAZETTE,
            title="Kestrel Bay approves 9 million dollar flood barrier",
            text=(
                f"{VOTE} Councillor Mira Dale voted against the barrier, calling it too costly. "
                f"{FUNDS} Boat owners asked the council to keep the old ramp open during the works."
            ),
            url="https://gazette.example/kestrel",
        ),
        Article(
            id="k3",
            source=POST,
            title="Kestrel Bay to build flood barrier",
            text=(
                f"{VOTE} Mayor Tom Reyes said the town could not wait for the next surge. "
                "The barrier will run 600 metres along the quay."
            ),
            url="https://post.example/kestrel",
        ),
    ]


HONEST = [
    "Kestrel Bay approved a 9 million dollar flood barrier by seven votes to two.",
    "Kestrel Bay's council voted 7 to 2 on Monday to build a flood barrier.",
    "Kestrel Bay's council voted seven to two on Monday to build a flood barrier.",
    "The barrier will run 600 metres along the quay.",
    "Work on the barrier is due to begin in June and last two years.",
    "Councillor Mira Dale voted against the barrier, calling it too costly.",
    "Money for the barrier will come from a state grant and a local bond.",
]
WRONG = {
    # Number words up to ten count as numbers when they count something.
    "Kestrel Bay approved a 9 million dollar flood barrier by nine votes to two.": (
        "nine votes to two"
    ),
    "The barrier will run 600 metres along the quay and take five years.": "five years",
    # A tally reversed, a unit swapped.
    "Kestrel Bay's council voted by 2 votes to 7 on Monday to build a flood barrier.": "2 votes to 7",
    "The barrier will run 600 kilometres along the quay.": "600 kilometres",
    # Another kind of grant and of bond than the sources give.
    "Money for the barrier will come from a federal grant and a state bond.": "federal grant",
    # An act given to someone the sources do not give it to.
    "The mayor voted against the barrier, calling it too costly.": "The mayor voted",
    # What an act was done to, told the other way.
    "Boat owners asked the council to close the old ramp during the works.": (
        "asked the council to close the old ramp"
    ),
}
SECOND = "Mayor Tom Reyes said the town could not wait for the next surge."


def _check(bullet: str) -> None:
    story = kestrel_story()
    answer = {"tldr": [bullet, SECOND], "angles": []}
    check_answer(answer, story, [a.source for a in story], summarize(story))


@pytest.mark.parametrize("bullet", HONEST)
def test_honest_bullets_pass(bullet: str) -> None:
    _check(bullet)


@pytest.mark.parametrize(("bullet", "wrong"), WRONG.items())
def test_wrong_facts_from_grounded_words_are_refused(bullet: str, wrong: str) -> None:
    assert misstated(bullet, [f"{a.title}\n{a.text}" for a in kestrel_story()]) == wrong
    with pytest.raises(LLMRejected):
        _check(bullet)


@pytest.mark.parametrize(
    "text",
    [
        "One of the councillors voted against the barrier.",
        "No one spoke against the barrier at the vote.",
        "The vote came on Monday, June 9, after the debate.",
        "Two councillors voted against the barrier.",
    ],
)
def test_number_words_that_count_nothing_or_count_as_the_sources_do_pass(text: str) -> None:
    sources = [f"{a.title}\n{a.text}" for a in kestrel_story()]
    assert misstated(text, [*sources, "Two councillors voted against it."]) is None


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        # "2" and "two" are the sources' (the tally, "two years"), counting no councillors.
        ("The two councillors who backed it said little.", "two councillors"),
        ("The vote came on Monday, June 9, after two debates.", "two debates"),
    ],
)
def test_a_count_of_what_no_source_counts_so_is_refused(text: str, wrong: str) -> None:
    assert misstated(text, [f"{a.title}\n{a.text}" for a in kestrel_story()]) == wrong


def test_an_angle_line_is_held_to_its_own_outlet() -> None:
    story = kestrel_story()
    angle = {
        "source": GAZETTE,
        "line": "Says Councillor Mira Dale voted against the barrier by 2 votes to 7.",
        "quote": "calling it too costly",
    }
    with pytest.raises(LLMRejected, match="states otherwise"):
        check_answer(
            {"tldr": [HONEST[0], SECOND], "angles": [angle]},
            story,
            [a.source for a in story],
            summarize(story),
        )


def test_an_invented_name_opening_a_sentence_is_refused_though_a_common_word() -> None:
    sources = [f"{a.title}\n{a.text}" for a in kestrel_story()]
    # "bond" and "grant" are in the sources, but only as things: a thing is no name to ground
    # (a bullet may open on one), but one that did what no source says it did is refused.
    assert misstated("Bond approved a 9 million dollar flood barrier.", sources) == "Bond approved"
    assert misstated("Grant approved the flood barrier on Monday.", sources) == "Grant approved"
    # A thing never speaks: before "said" it is someone's name, which no source gives.
    assert ungrounded("Bond said the barrier was needed.", sources) == ["Bond"]
    # Words the sources use as subjects, plurals and names they give pass.
    for text in [
        "Boat owners asked to keep the old ramp open.",
        "Work is due to begin in June.",
        "Reyes said the town could not wait.",
        "Councillors voted 7 to 2.",
    ]:
        assert ungrounded(text, sources) == [], text
    # Capitalised inside a sentence, a source gives it as a name.
    named = [*sources, "The plan was drafted by Grant Hale."]
    assert ungrounded("Grant approved the flood barrier on Monday.", named) == []


def test_the_card_keeps_the_extractive_summary() -> None:
    story = kestrel_story()
    answer = {"tldr": [next(iter(WRONG)), SECOND], "angles": []}
    with serve_completions(chat_body(json.dumps(answer))) as url:
        settings = LLMSettings(base_url=url, model="m", daily_token_budget=100_000)
        assert Summarizer(settings).summarize(story) == summarize(story)
    honest = {"tldr": [HONEST[0], SECOND], "angles": []}
    with serve_completions(chat_body(json.dumps(honest))) as url:
        settings = LLMSettings(base_url=url, model="m", daily_token_budget=100_000)
        assert Summarizer(settings).summarize(story).writer == "llm"
