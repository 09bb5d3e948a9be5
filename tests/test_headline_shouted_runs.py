"""A title shouting only in part ("CITY COUNCIL APPROVES new budget") is sentence-cased in its
shouted runs, as a wholly shouted one is, while acronyms keep their capitals; a title that never
shouted is preferred as the headline."""

from __future__ import annotations

import re

from bot.models import Article
from bot.summarize import summarize
from bot.summarize.headline import case_forms, choose_headline, clean_title

# An all-caps word of three letters or more that is not one of the acronyms the stories use.
_SHOUTED_WORD_RE = re.compile(r"\b(?!(?:NASA|FBI|NATO|COVID|TSMC)\b)[A-Z]{3,}\b")


def test_shouted_runs_are_sentence_cased() -> None:
    assert clean_title("CITY COUNCIL APPROVES new transit budget after long debate") == (
        "City council approves new transit budget after long debate"
    )
    assert clean_title("FED RAISES RATES again as inflation bites") == (
        "Fed raises rates again as inflation bites"
    )
    assert clean_title("Jobs report: US ADDS 200,000 JOBS in March") == (
        "Jobs report: US adds 200,000 jobs in March"
    )
    assert clean_title("Mayor says CITY WILL RECOVER quickly") == (
        "Mayor says city will recover quickly"
    )


def test_acronyms_in_a_shouted_run_keep_their_capitals() -> None:
    assert clean_title("NASA AND FBI LAUNCH joint probe into leaks") == (
        "NASA and FBI launch joint probe into leaks"
    )
    assert clean_title("NATO ALLIES BACK new EU and UK sanctions") == (
        "NATO allies back new EU and UK sanctions"
    )
    assert clean_title("COVID CASES CLIMB in US hospitals") == "COVID cases climb in US hospitals"


def test_the_story_text_gives_a_run_its_case() -> None:
    forms = case_forms(
        [
            "Shares of TSMC fell on Monday after chair Lisa Moreau warned of weaker chip demand.",
        ]
    )
    assert clean_title("TSMC SHARES SLIDE after chip warning", (), forms) == (
        "TSMC shares slide after chip warning"
    )
    assert clean_title("LISA MOREAU WARNS of weaker chip demand", (), forms) == (
        "Lisa Moreau warns of weaker chip demand"
    )


def test_lone_and_adjacent_acronyms_are_not_a_run() -> None:
    for title in (
        "Port of LA and NYC MTA sign a freight deal",
        "UNESCO lists a mountain monastery",
        "Doctors at WHO urge faster measles shots",
    ):
        assert clean_title(title) == title
    assert clean_title("SHOCKING video shows FBI raid") == "Shocking video shows FBI raid"


def test_a_title_that_never_shouted_is_preferred() -> None:
    body = "The city council approved a new transit budget on Monday after a long debate."
    articles = [
        Article(
            id="1",
            source="Daily Ledger",
            title="CITY COUNCIL APPROVES new transit budget after long debate",
            text=body,
        ),
        Article(
            id="2",
            source="Metro Wire",
            title="City council approves new transit budget after debate",
            text=body,
        ),
    ]
    # The shouted title tells a word more, but recased it is only a guess at the right case.
    assert choose_headline(articles)[0] == "City council approves new transit budget after debate"


def test_a_shouted_run_teaches_no_case_to_the_cluster() -> None:
    # The wholly shouted title makes the cluster learn case; the partly shouted one must not
    # teach its own capitals, or its run would pass for acronyms and stay shouted.
    body = "The city council approved a new transit budget on Monday after a long debate."
    articles = [
        Article(
            id="1",
            source="Daily Ledger",
            title="CITY COUNCIL APPROVES new transit budget after long debate",
            text=body,
        ),
        Article(id="2", source="Loud Desk", title="COUNCIL PASSES TRANSIT BUDGET", text=body),
    ]
    headline, _ = choose_headline(articles)
    assert not _SHOUTED_WORD_RE.search(headline), headline


def test_card_headline_has_no_shouting_when_every_title_shouts() -> None:
    articles = [
        Article(
            id="b1",
            source="Daily Ledger",
            title="CITY COUNCIL APPROVES new transit budget after long debate",
            text="The city council approved a new transit budget on Monday after a long debate.",
            url="https://l.example/c",
        ),
        Article(
            id="b2",
            source="Metro Wire",
            title="CITY COUNCIL APPROVES transit budget",
            text="The council approved the transit budget.",
            url="https://m.example/d",
        ),
    ]
    headline = summarize(articles).headline
    assert not _SHOUTED_WORD_RE.search(headline), headline
    assert headline.startswith("City council approves")
