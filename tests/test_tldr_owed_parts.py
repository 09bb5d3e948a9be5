"""A cut never drops a part the words kept still owe: a verb's second argument past a name's
aside ("will allow the pier's owner, a Tolberg firm, extra time"), the rest of a list a count
or a dash announced, nor the speaker of a second "and that" report."""

from __future__ import annotations

import pytest

from bot.summarize.clauses import clause_prefixes
from bot.summarize.compress import compress, variants
from bot.summarize.owed_parts import mid_argument, mid_list


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        (
            "The harbour board's ruling will allow the pier's owner, shipping firm Vennmark "
            "Lines, extra time to win approval from the council, though a ban still looms.",
            [],
        ),
        (
            "Councillor Ada Holm spent much of the meeting comparing Mayor Piet Vos, a former "
            "pilot, to a smuggler, who had run the port in the 1950s.",
            [
                "Councillor Ada Holm spent much of the meeting comparing Mayor Piet Vos, a "
                "former pilot, to a smuggler."
            ],
        ),
        (
            "The harbour plan, according to notes seen by the Post, has three main parts — "
            "dredging the channel; rebuilding the north pier; and opening a ferry line.",
            ["The harbour plan, according to notes seen by the Post, has three main parts."],
        ),
        (
            "The harbour plan, according to notes seen by the Post, has four pillars: "
            "dredging, piers, ferries and a new fish market for the town.",
            ["The harbour plan, according to notes seen by the Post, has four pillars."],
        ),
    ],
)
def test_no_cut_drops_an_owed_part(sentence: str, kept: list[str]) -> None:
    assert clause_prefixes(sentence, 40) == kept


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        ("The mayor thanked Ada Holm, the pilot", "and the crew of the ferry."),
        ("The mayor met Ada Holm, the pilot", "in the harbour office on Monday."),
        ("The mayor praised Ada Holm", "who has piloted the ferry for years."),
    ],
)
def test_a_cut_after_an_aside_may_drop_what_opens_its_own(head: str, tail: str) -> None:
    assert not mid_argument(", ", head, tail)


def test_a_closed_dash_pair_announces_no_list() -> None:
    head = "The mayor — elected in May — said the pier would reopen"
    assert not mid_list("; ", head)


def test_a_second_report_keeps_its_speaker() -> None:
    sentence = (
        "Vennmark announced Monday that its ferry had passed every sea trial and that it plans "
        "to open the line to passengers in May."
    )
    assert compress(sentence) == sentence
    assert all(form.startswith("Vennmark announced") for form in variants(compress(sentence)))
    # One report alone still loses its attribution.
    assert compress(
        "Vennmark announced Monday that its ferry had passed every sea trial in the fjord."
    ).startswith("Its ferry")


def test_no_cut_opens_a_dash_pair_the_sentence_closes() -> None:
    sentence = (
        "On Thursday, the harbour's many crews — pilots and dockers, clerks with a job to do "
        "and sailors with a night to spare — joined, for an hour, in a rally for the ferry."
    )
    assert all("joined" in cut for cut in clause_prefixes(sentence, 40))
