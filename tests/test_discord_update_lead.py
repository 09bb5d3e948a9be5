"""A Discord thread update naming many new outlets with long names keeps its parts: each name cut
to 80 as on Slack, the names past the lead's room counted, so the count the lead ends with and
the "In the TL;DR with them" section stay, and no cut lands inside a bullet's markup."""

from __future__ import annotations

from fakes.discord_api.limits import validate_message
from test_discord_delivery import card

from bot.adapters.discord.embeds import update_embed
from bot.cards import UPDATE_BULLETS_HEADING
from bot.models import Bullet
from bot.render.cuts import units

NAMES = [
    f"The Northern Coastal Independent Evening Chronicle and Weekly Advertiser, edition {k:02d} "
    "*regional*"
    for k in range(30)
]


def test_many_long_new_outlet_names_leave_the_count_and_the_tldr_section() -> None:
    story = card(3)
    story.outlets += NAMES
    story.source_count = 33
    story.tldr = [Bullet("Twelve lighthouses will be restored.", NAMES[:2])]
    embed = update_embed(story, NAMES)
    description = embed.description or ""
    lead, rest = description.split("\n\n", 1)
    assert lead.endswith(" more joined. Now 33 sources tracking this story.")
    named = lead.split(" +")[0].split(", The ")
    assert 0 < len(named) < 30 and all(units(n) <= 80 for n in named)
    assert lead.split(" +")[1].startswith(f"{30 - len(named)} more joined.")
    assert rest == (
        f"**{UPDATE_BULLETS_HEADING}**\n"
        "• Twelve lighthouses will be restored. *(reported by 2 of 33)*"
    )
    assert not validate_message({"embeds": [embed.to_dict()]})


def test_a_few_new_outlets_are_all_named() -> None:
    story = card(3)
    embed = update_embed(story, ["Outlet 1", "Outlet 2"])
    assert (embed.description or "").startswith(
        "Outlet 1, Outlet 2 joined. Now 3 sources tracking this story."
    )
