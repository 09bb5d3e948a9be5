"""/follow's confirmation names the query as typed, as /watchlist lists it: it showed only the
query's reading, its words folded, so `/follow lodz query: Łódź` answered "(matching lodz)"
while /watchlist said `Łódź`. The reading follows when it says more than case and accents do
(an AND the query left implicit, a character no search reads)."""

from __future__ import annotations

import pytest

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands

pytestmark = pytest.mark.empty_core

SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)


@pytest.mark.parametrize(
    ("typed", "matching"),
    [
        ("lodz query: Łódź", "Łódź"),
        ('chips query: "Chip Export" OR Semiconductor', '"Chip Export" OR Semiconductor'),
        ("cw query: chip wafer", "chip wafer, read as chip AND wafer"),
        ("cpp query: C++", "C++, read as c"),
    ],
)
async def test_follow_confirms_the_query_as_typed(
    core: NewsDigest, typed: str, matching: str
) -> None:
    commands = Commands(core)
    reply = await commands.dispatch("follow", typed, SLACK)
    slug = typed.split()[0]
    assert reply.text.startswith(f"This channel now follows {slug} (matching {matching}).")
    query = typed.split("query: ", 1)[1]
    listed = await commands.dispatch("watchlist", "", SLACK)
    assert any(query in str(line) for line in listed.lines), listed.lines


async def test_a_changed_query_is_confirmed_as_typed(core: NewsDigest) -> None:
    commands = Commands(core)
    await commands.dispatch("follow", "lodz query: Łódź", SLACK)
    reply = await commands.dispatch("follow", "lodz query: Łódź OR Kraków", SLACK)
    assert reply.text.startswith(
        "This channel now follows lodz (matching Łódź OR Kraków, changed from Łódź for every "
        "channel that follows it)."
    )
