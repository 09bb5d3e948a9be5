"""A dash look-alike opening a term leaves it out, as `-` does: phones and Macs turn a typed
`--` into an em dash, and folded into the word, `covid —vaccine` read `covid AND vaccine`, the
opposite of what was meant. `--` opening a term is one dash (it read NOT NOT, the word itself).
Inside a word (`covid—vaccine`) a dash is punctuation, as before."""

from __future__ import annotations

import pytest

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.topics import QueryError, StoryDoc, TopicQuery


@pytest.mark.parametrize(
    "query",
    [
        "covid -vaccine",
        "covid \u2014vaccine",  # em dash
        "covid \u2013vaccine",  # en dash
        "covid \u2212vaccine",  # minus sign
        "covid \u2012vaccine",  # figure dash
        "covid \u2015vaccine",  # horizontal bar
        "covid --vaccine",
        "covid (\u2014vaccine)",
    ],
)
def test_a_dash_opening_a_term_leaves_it_out(query: str) -> None:
    parsed = TopicQuery.parse(query)
    assert parsed.describe() == "covid AND NOT vaccine"
    assert parsed.matches(StoryDoc(text="Covid cases rise"))
    assert not parsed.matches(StoryDoc(text="Covid vaccine approved"))


@pytest.mark.parametrize(
    ("query", "read"),
    [
        ("\u2014crypto", "NOT crypto"),
        ('ai \u2014"price target"', 'ai AND NOT "price target"'),
        ("ai \u2014source:tabloid", "ai AND NOT source:tabloid"),
        ("ai \u2014(sports OR celebrity)", "ai AND NOT (sports OR celebrity)"),
    ],
)
def test_a_dash_negates_what_a_hyphen_does(query: str, read: str) -> None:
    assert TopicQuery.parse(query).describe() == read


@pytest.mark.parametrize(
    ("query", "read"),
    [
        ("covid\u2014vaccine", '"covid vaccine"'),
        ("covid\u2013vaccine", '"covid vaccine"'),
        ("covid-19", '"covid 19"'),
    ],
)
def test_a_dash_inside_a_word_is_part_of_it(query: str, read: str) -> None:
    assert TopicQuery.parse(query).describe() == read


@pytest.mark.parametrize("dash", ["\u2014", "\u2013", "--"])
def test_a_dash_standing_alone_names_itself_missing_a_term(dash: str) -> None:
    query = f"covid {dash} vaccine"
    with pytest.raises(QueryError) as info:
        TopicQuery.parse(query)
    assert info.value.position == 6
    assert info.value.message == f"{dash} is missing a term after it"


SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)


@pytest.mark.empty_core
async def test_follow_reads_an_em_dash_as_leaving_the_word_out(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("follow", "x query: covid \u2014vaccine", SLACK)
    assert "read as covid AND NOT vaccine" in reply.text
