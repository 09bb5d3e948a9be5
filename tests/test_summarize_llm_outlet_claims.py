"""The LLM writer refuses only real claims about the sources: an outlet's name next to a
reporting verb or attribution, a count of the outlets as the coverage. News that merely holds a
number before "reports", "several sources" or an outlet's name as a subject passes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _llm_writer import llm_summary
from fakes.llm_api import serve_completions

from bot.models import Article, Summary
from bot.summarize import summarize
from bot.summarize.llm_prose import ProseRejected, check_prose
from tests.test_summarize_fixtures import harbor_bridge_story


def _article(i: str, source: str, title: str, text: str) -> Article:
    return Article(id=i, source=source, title=title, text=text, url=f"https://{i}.example/x")


def flood_story() -> list[Article]:
    """An invented flood; one outlet is called "The Hill" and another quotes unnamed sources."""
    return [
        _article(
            "f1",
            "Valley Gazette",
            "Floods hit Dunmore after record rain",
            "Police in Dunmore received 12 reports of looting overnight after record rain "
            "flooded the town centre on Sunday. The river peaked at 4.2 metres.",
        ),
        _article(
            "f2",
            "The Hill",
            "Dunmore floods: Capitol Hill weighs aid",
            "Lawmakers on Capitol Hill said on Monday they would consider emergency aid for "
            "Dunmore after floods on Sunday. The river peaked at 4.2 metres.",
        ),
        _article(
            "f3",
            "Regional Wire",
            "Dunmore flood aid talks",
            "Several sources close to the talks said a deal on flood aid for Dunmore was near. "
            "Floods hit the town on Sunday after record rain.",
        ),
    ]


def funding_story() -> list[Article]:
    """An invented vote on public media funding, reported by one of the broadcasters it cuts."""
    return [
        _article(
            "n1",
            "NPR",
            "Senate votes to cut NPR funding",
            "The Senate voted 51-49 on Thursday to cut federal funding for NPR and PBS by "
            "$1.1 billion.",
        ),
        _article(
            "n2",
            "Capitol Report",
            "Public media funding cut passes Senate",
            "The Senate passed a $1.1 billion cut to NPR and PBS funding on Thursday, 51-49.",
        ),
    ]


def closures_story() -> list[Article]:
    """An invented publisher closing its papers: newspapers are the story's subject."""
    return [
        _article(
            "c1",
            "Press Gazette",
            "Lindell Media to close a dozen papers",
            "12 newspapers owned by Lindell Media said on Monday they would close by March, "
            "blaming falling advertising.",
        ),
        _article(
            "c2",
            "Media Desk",
            "Lindell Media shuts titles",
            "Lindell Media will shut 12 regional newspapers by March after advertising fell, "
            "the company said on Monday.",
        ),
    ]


CLOSURES_CORE = "Lindell Media blamed falling advertising for the closures."
FLOOD_CORE = "Record rain flooded Dunmore's town centre on Sunday."
HONEST = {
    "a number before reports": (
        flood_story,
        [FLOOD_CORE, "Police in Dunmore received 12 reports of looting overnight."],
    ),
    "several sources": (
        flood_story,
        [
            FLOOD_CORE,
            "Several sources close to the talks said a deal on flood aid for Dunmore was near.",
        ],
    ),
    "a place sharing a word with an outlet": (
        flood_story,
        [
            FLOOD_CORE,
            "Lawmakers on Capitol Hill said they would consider emergency aid for Dunmore.",
        ],
    ),
    "a number of newspapers as the story's subject": (
        closures_story,
        ["12 newspapers said they would close by March.", CLOSURES_CORE],
    ),
    "an outlet the story is about": (
        funding_story,
        [
            "Federal funding for NPR and PBS will be cut by $1.1 billion.",
            "The Senate passed the cut to NPR and PBS funding 51-49.",
        ],
    ),
}


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(b"") as url:
        yield url


def _ask(url: str, bullets: list[str], story: list[Article]) -> Summary:
    return llm_summary(url, {"tldr": bullets}, story)


@pytest.mark.parametrize("case", HONEST.values(), ids=HONEST.keys())
def test_honest_bullets_are_used(endpoint: str, case: tuple) -> None:
    make_story, bullets = case
    summary = _ask(endpoint, bullets, make_story())
    assert summary.writer == "llm"
    assert [b.text for b in summary.tldr] == bullets


HARBOR_CORE = (
    "Millbrook closed its harbor bridge on Tuesday after a storm left cracks in the main span."
)
DISHONEST = {
    "naming an outlet": "Harbor Daily reports the repair bill could reach $14 million.",
    "counting the outlets": "All outlets report the repair bill could reach $14 million.",
    "attributing to an outlet": (
        "The repair bill could reach $14 million, according to the Coastline Times."
    ),
}


@pytest.mark.parametrize("bullet", DISHONEST.values(), ids=DISHONEST.keys())
def test_claims_about_the_sources_are_still_refused(endpoint: str, bullet: str) -> None:
    summary = _ask(endpoint, [HARBOR_CORE, bullet], harbor_bridge_story())
    assert summary == summarize(harbor_bridge_story())


@pytest.mark.parametrize(
    "bullet",
    [
        "2 outlets report Lindell Media will shut 12 newspapers by March.",
        "Both newspapers report Lindell Media will shut 12 newspapers by March.",
        "Lindell Media will shut 12 newspapers, according to two outlets.",
    ],
)
def test_counting_the_outlets_is_refused_in_a_story_about_newspapers(
    endpoint: str, bullet: str, caplog: pytest.LogCaptureFixture
) -> None:
    summary = _ask(endpoint, [bullet, CLOSURES_CORE], closures_story())
    assert summary == summarize(closures_story())
    assert "counts the outlets" in caplog.text


def test_a_count_of_the_press_is_news_only_when_a_source_gives_it() -> None:
    sources = ["Ten regional newspapers said they would close by March."]
    check_prose("10 newspapers said they would close.", [], sources)
    check_prose("Ten newspapers said they would close.", [], sources)
    with pytest.raises(ProseRejected):
        check_prose("10 newspapers said they would close.", [])
    with pytest.raises(ProseRejected):
        check_prose("3 newspapers report the closures.", [], sources)
    with pytest.raises(ProseRejected):
        # The count is the sources', the noun is not: "outlets" counts the card's outlets.
        check_prose("10 outlets report the closures.", [], sources)


@pytest.mark.parametrize(
    "text",
    [
        "According to three newspapers, the mayor resigned.",
        "Three newspapers report that the mayor resigned.",
        "The mayor resigned, as reported by three newspapers.",
        "3 newspapers said the mayor resigned.",
    ],
)
def test_a_count_the_sources_give_still_may_not_count_the_outlets(text: str) -> None:
    # The sources count three newspapers as news; the model may not count its outlets with it.
    sources = ["Three newspapers in the county will close by March, their owner said."]
    with pytest.raises(ProseRejected, match="counts the outlets"):
        check_prose(text, [], sources)


@pytest.mark.parametrize(
    "text",
    [
        "According to three newspapers, the Orrin mine will close in May.",
        "Three newspapers reported that the Orrin mine would close in May.",
        "The Orrin mine will close in May, according to 3 newspapers.",
    ],
)
def test_a_count_of_reporting_press_a_source_gives_itself_passes(text: str) -> None:
    sources = ["Three regional newspapers reported that the Orrin mine would close in May."]
    check_prose(text, [], sources)
    with pytest.raises(ProseRejected, match="counts the outlets"):
        check_prose(text.replace("hree", "wo").replace("3", "2"), [], sources)
    with pytest.raises(ProseRejected, match="counts the outlets"):
        check_prose(text.replace("newspapers", "outlets"), [], sources)


@pytest.mark.parametrize(
    "text",
    [
        "Three newspapers said they would close by March.",
        "Three newspapers said that their last editions would be printed in March.",
        "Three newspapers agreed to merge.",
    ],
)
def test_the_press_as_the_story_s_subject_passes(text: str) -> None:
    sources = ["Three newspapers in the county will close by March, their owner said."]
    check_prose(text, [], sources)


@pytest.mark.parametrize(
    ("text", "outlets"),
    [
        ("Lawmakers told The Hill they would back the aid.", ["The Hill"]),
        ("NPR said it would cut 10 jobs.", ["NPR"]),
        ("Per Harbor Daily, the bridge stays shut.", ["Harbor Daily"]),
        ("Harbor Daily's reporting puts the bill at $14 million.", ["Harbor Daily"]),
        ("The bill was reported by three outlets.", []),
        ("Most news organizations say the bill is $14 million.", []),
    ],
)
def test_attribution_and_counts_in_other_words_are_refused(text: str, outlets: list[str]) -> None:
    with pytest.raises(ProseRejected):
        check_prose(text, outlets)


@pytest.mark.parametrize(
    ("text", "outlets"),
    [
        ("Lawmakers on the Hill said they would back the aid.", ["The Hill"]),
        ("The river hit 4.2 metres, police said in 12 reports.", []),
        ("Both sources said the deal was near.", []),
    ],
)
def test_news_that_only_looks_like_attribution_passes(text: str, outlets: list[str]) -> None:
    check_prose(text, outlets)
