"""What an LLM card says about its sources is true: quotes in any marks are checked, a bullet is
credited only to the outlets that report it, and the model may not name or count the outlets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from _llm_writer import llm_summary
from fakes.llm_api import serve_completions

from bot.models import Article, Summary
from bot.summarize import summarize
from bot.topics.query import QUOTE_MARKS
from tests.test_summarize_fixtures import harbor_bridge_story

HERALD, POST, WIRE = "Bay Herald", "Northern Post", "City Wire"


def strike_story() -> list[Article]:
    """Three outlets on one invented strike vote; only the Bay Herald quotes the union leader."""
    return [
        Article(
            id="s1",
            source=HERALD,
            title="Kestrel Air pilots vote to strike",
            text=(
                "Pilots at Kestrel Air voted on Monday to strike for 48 hours from Friday. "
                "The pilots' union said members don't want to disrupt holiday travel. "
                "Union leader Maria Okafor called the vote a last resort after months of talks."
            ),
            url="https://herald.example/strike",
        ),
        Article(
            id="s2",
            source=POST,
            title="Kestrel Air pilots back 48-hour strike",
            text=(
                "Kestrel Air pilots voted on Monday for a 48-hour strike starting Friday. "
                "The airline said it would run a reduced timetable."
            ),
            url="https://post.example/kestrel",
        ),
        Article(
            id="s3",
            source=WIRE,
            title="Kestrel Air strike vote",
            text=(
                "Pilots at Kestrel Air voted to strike for 48 hours from Friday, the union said. "
                "Chief executive Tom Reyes said the airline's offer remains on the table."
            ),
            url="https://wire.example/vote",
        ),
    ]


CORE = "Pilots at Kestrel Air voted on Monday to strike for 48 hours from Friday."
UNION = "The pilots' union said members don't want to disrupt holiday travel."
WIRE_ANGLE = {
    "source": WIRE,
    "line": "Adds that chief executive Tom Reyes said the airline's offer remains on the table.",
    "quote": "the airline's offer remains on the table",
}


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(b"") as url:
        yield url


def _ask(url: str, answer: Any, story: list[Article]) -> Summary:
    return llm_summary(url, answer, story)


def test_apostrophes_are_no_quotations(endpoint: str) -> None:
    # "pilots'", "don't" and "airline's" are letters, not quotation marks to check.
    summary = _ask(endpoint, {"tldr": [CORE, UNION], "angles": [WIRE_ANGLE]}, strike_story())
    assert summary.writer == "llm"
    assert [b.sources for b in summary.tldr] == [[HERALD, POST, WIRE], [HERALD]]
    assert [a.source for a in summary.angles] == [WIRE]


# Every pair of marks the project reads, and the CJK corners the reviewer tried.
MARKS = [("'", "'"), ("‘", "’"), ("«", "»"), ("»", "«"), ("„", "“"), ("‹", "›"), ("‚", "’")]
MARKS += [("「", "」"), ("『", "』"), ('"', '"'), ("“", "”")]


@pytest.mark.parametrize(("opening", "closing"), MARKS, ids=[o + c for o, c in MARKS])
def test_a_rewritten_quote_is_refused_in_every_mark(
    endpoint: str, opening: str, closing: str
) -> None:
    said = "Union leader Maria Okafor called the vote {o}a last resort after {when} of talks{c}."
    true = said.format(o=opening, c=closing, when="months")
    rewritten = said.format(o=opening, c=closing, when="weeks")
    kept = _ask(endpoint, {"tldr": [CORE, true]}, strike_story())
    assert kept.writer == "llm" and kept.tldr[1].sources == [HERALD]
    refused = _ask(endpoint, {"tldr": [CORE, rewritten]}, strike_story())
    assert refused == summarize(strike_story())
    line = (
        f"Quotes union leader Maria Okafor: {opening}a last resort after weeks of talks{closing}."
    )
    angle = {"source": HERALD, "line": line, "quote": "a last resort after months of talks"}
    answer = {"tldr": ["Kestrel Air pilots voted for a 48-hour strike starting Friday.", UNION]}
    refused = _ask(
        endpoint, {**answer, "angles": [angle]}, [*strike_story()[1:], strike_story()[0]]
    )
    assert refused.writer == "extractive"


def test_the_quote_marks_are_one_table() -> None:
    from bot.summarize.quote_marks import quoted_spans
    from bot.textutil import QUOTATION_PAIRS

    # The LLM check reads every pair topic queries read, and the single marks besides.
    assert set(QUOTE_MARKS) - {"”"} <= set(QUOTATION_PAIRS)
    text = "said 'the owners' offer' and «a» and „b“ and 「c」 in the ’90s; don't"
    assert quoted_spans(text) == ["the owners' offer", "a", "b", "c"]


GOOD_CORE = (
    "Millbrook closed its harbor bridge on Tuesday after a storm left cracks in the main span."
)
MADE_UP = {
    "a claim no source makes, from real names and figures": (
        "Mayor Elena Brandt resigned after the repair bill reached $14 million."
    ),
    "a verbatim quote given to someone else": 'Mayor Elena Brandt said "the work may take eight months."',
    "naming an outlet": "Harbor Daily reports the repair bill could reach $14 million.",
    "counting the outlets": "All outlets report the repair bill could reach $14 million.",
    "every outlet": "Every outlet says the repair bill could reach $14 million.",
    "most outlets": "Most news outlets say the repair bill could reach $14 million.",
}


@pytest.mark.parametrize("bullet", MADE_UP.values(), ids=MADE_UP.keys())
def test_claims_about_the_sources_are_refused(endpoint: str, bullet: str) -> None:
    summary = _ask(endpoint, {"tldr": [GOOD_CORE, bullet]}, harbor_bridge_story())
    assert summary == summarize(harbor_bridge_story())


def test_a_quoted_bullet_is_credited_only_to_the_outlet_quoted(endpoint: str) -> None:
    bullet = (
        "Millbrook closed its harbor bridge on Tuesday after a storm; "
        '"repairs would begin once inspections are complete."'
    )
    ferry = "Ferry operator Bluewater Lines added extra crossings for commuters."
    summary = _ask(endpoint, {"tldr": [bullet, ferry]}, harbor_bridge_story())
    assert summary.writer == "llm"
    # Every outlet reports the closure, but only Harbor Daily has the quote.
    assert summary.tldr[0].sources == ["Harbor Daily"]
    assert summary.tldr[1].sources == ["Regional Wire"]


def test_an_angle_line_must_be_about_its_own_outlet(endpoint: str) -> None:
    good = _ask(endpoint, {"tldr": [CORE, UNION], "angles": [WIRE_ANGLE]}, strike_story())
    assert good.writer == "llm"
    # City Wire's quote under a line telling what the Northern Post reports.
    line = "Adds that the airline said it would run a reduced timetable."
    answer = {"tldr": [CORE, UNION], "angles": [{**WIRE_ANGLE, "line": line}]}
    assert _ask(endpoint, answer, strike_story()) == summarize(strike_story())
