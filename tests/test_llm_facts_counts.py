"""A count the model makes up from grounded words: "three ministers resigned" when the sources
say ministers resigned and, elsewhere, "three days". Every word is in a source, so only the pair
tells it: a number before a plural noun must count that noun in a source, in digits or words,
in any inflection, with or without the words between. The story is invented for the project."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize import summarize
from bot.summarize.llm_check import LLMRejected, check_answer
from bot.summarize.llm_facts import misstated

RESIGNED = "Ministers resigned on Monday over the Harwick housing scandal."
ELECTION = "Three days later Premier Ada Lund called an early election for June."


def scandal_story() -> list[Article]:
    return [
        Article(
            id="h1",
            source="Harwick Courier",
            title="Ministers quit over Harwick housing scandal",
            text=f"{RESIGNED} The premier said the government would carry on.",
            url="https://courier.example/quit",
        ),
        Article(
            id="h2",
            source="Northern Ledger",
            title="Premier Lund calls early election",
            text=(
                f"{RESIGNED} {ELECTION} Two senior officials of the housing agency were "
                "suspended, and 14 of the agency's contracts will be reviewed."
            ),
            url="https://ledger.example/election",
        ),
    ]


def _sources() -> list[str]:
    return [f"{a.title}\n{a.text}" for a in scandal_story()]


def _check(bullet: str) -> None:
    story = scandal_story()
    answer = {"tldr": [bullet, ELECTION], "angles": []}
    check_answer(answer, story, [a.source for a in story], summarize(story))


def test_a_count_no_source_makes_is_refused() -> None:
    bullet = "Three ministers resigned on Monday over the Harwick housing scandal."
    assert misstated(bullet, _sources()) == "Three ministers"
    with pytest.raises(LLMRejected, match="Three ministers"):
        _check(bullet)
    # The honest bullet beside it is taken.
    _check(RESIGNED)


@pytest.mark.parametrize(
    ("claim", "wrong"),
    [
        ("3 ministers resigned over the scandal.", "3 ministers"),
        ("Three Labour ministers resigned over the scandal.", "Three Labour ministers"),
        ("Two ministers were suspended.", "Two ministers"),
        ("The agency will review 14 housing projects.", "14 housing projects"),
        ("Premier Lund called the election two days later.", "two days"),
    ],
)
def test_a_number_tied_to_another_noun_than_the_sources_tie_it_to(claim: str, wrong: str) -> None:
    assert misstated(claim, _sources()) == wrong


@pytest.mark.parametrize(
    "claim",
    [
        # Digits for words and back, another inflection, words dropped or kept between.
        "3 days later the premier called an early election.",
        "The election was called three days after the resignations.",
        "Two officials of the housing agency were suspended.",
        "2 senior housing agency officials were suspended.",
        "Fourteen agency contracts will be reviewed.",
        "The agency's 14 contracts will be reviewed.",
        # A number before no plural noun counts nothing to check.
        "Ministers resigned, and three days later the premier called an election.",
    ],
)
def test_the_sources_counts_told_in_other_words_pass(claim: str) -> None:
    assert misstated(claim, _sources()) is None


def test_counts_in_other_forms_the_sources_give_pass() -> None:
    sources = [
        "Three of the ministers resigned. The pier is the town's largest project in forty years. "
        "The quake, of magnitude 6.1, damaged dozens of homes. A third of 40 staff left."
    ]
    for claim in [
        "Three ministers resigned.",  # "three of the ministers"
        "It is the largest project in four decades.",  # decades as years
        "A 6.1 magnitude quake struck.",  # no plural noun after the number
        "The quake damaged 30 homes.",  # the sources count homes only roughly
    ]:
        assert misstated(claim, sources) is None, claim


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        # A number ending a clause or after a slash counts nothing after it.
        ("Ned Pike, 49, faces two charges.", "Ned Pike, 49, was charged on two charges."),
        ("It was the worst attack since 9/11 brought two towers down.", "Two towers fell."),
        # Hyphened to the next word, a number measures that word ("two-dose"): no count.
        ("Two-dose vaccines protect best.", "Two doses of vaccine protect best."),
        # Irregular plurals, and a source's quotation marks between number and noun.
        ("The house has 4,100 square feet.", "The 4,100-square-foot house sold."),
        ("He named four candidates.", "He was one of the four “right” candidates."),
        ("Two police dogs found the man.", "Two dogs of the police unit found the man."),
    ],
)
def test_numbers_that_count_nothing_or_count_as_the_source_does_pass(
    claim: str, source: str
) -> None:
    assert misstated(claim, [source]) is None
