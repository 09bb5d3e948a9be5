"""A thread update says the same thing on every platform (`bot.cards.StoryUpdate`): who joined,
the count now worded as on the card, what they bring under the same headings; only the layout
and each platform's size limits differ (Discord's embed shows two angles, naming the rest).
Slack once said "Update: X joined. Now N sources tracking." and Discord "N sources tracking this
story / New sources: X"; with no outlet new to the channel Slack said "new reporting joined"."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils

from bot.adapters.console import ConsoleAdapter
from bot.adapters.discord.embeds import update_embed
from bot.adapters.slack.fitted import update_message
from bot.cards import SourceLink, StoryCard
from bot.delivery.adapter import PostedMessage
from bot.models import Angle, Bullet
from bot.store import channels as channel_store

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
NEW = ["Valley Times", "Ridge Post", "Bay Courier"]


def _card(*, outlets: int = 6, sources: int = 6) -> StoryCard:
    names = ["Harbor Ledger", "Pinecrest Wire", "Dune Gazette", *NEW][:outlets]
    return StoryCard(
        story_id="a1b2c3d4e5f6",
        slug="lighthouse-grant",
        headline="Coastal towns win grant",
        source_count=sources,
        outlets=names,
        tldr=[
            Bullet("Twelve lighthouses will be restored.", ["Harbor Ledger"]),
            Bullet("The grant is the largest of its kind.", ["Valley Times"]),
        ],
        sources=[SourceLink("Harbor Ledger", "Grant", "https://ledger.example/a")],
        angles=[Angle(o, f"{o} notes the storm damage.", None, None) for o in NEW],
        also_reporting=[],
        first_seen=T0,
        as_of=T0 + timedelta(hours=2),
    )


def _slack_lines(card: StoryCard, new: list[str]) -> list[str]:
    message = update_message(card, new)
    return "\n".join(b["text"]["text"] for b in message.blocks).split("\n")


def _discord_lines(card: StoryCard, new: list[str]) -> list[str]:
    return (update_embed(card, new).description or "").split("\n")


@pytest.mark.parametrize(
    ("card", "new", "lead"),
    [
        (
            _card(),
            NEW,
            "Valley Times, Ridge Post, Bay Courier joined. Now 6 sources tracking this story.",
        ),
        (_card(), ["Valley Times"], "Valley Times joined. Now 6 sources tracking this story."),
        # The count grew with no outlet new to the channel (wire copy told apart).
        (_card(), [], "Now 6 sources tracking this story."),
        # Wire copy counted once, said as the card says it.
        (
            _card(sources=4),
            ["Bay Courier"],
            "Bay Courier joined. Now 4 sources tracking this story (6 outlets; shared wire copy"
            " counted once).",
        ),
    ],
)
def test_both_platforms_lead_an_update_with_the_same_words(
    card: StoryCard, new: list[str], lead: str
) -> None:
    assert _slack_lines(card, new)[0] == f"*Update:* {lead}"
    assert _discord_lines(card, new)[0] == lead
    # The headline, as a notification or the embed's title says it.
    assert (
        update_message(card, new).text
        == f"Update: Coastal towns win grant ({card.source_count} sources)"
    )
    assert update_embed(card, new).title == "Update: Coastal towns win grant"


def test_both_platforms_show_what_the_new_outlets_bring_under_the_same_headings() -> None:
    slack = _slack_lines(_card(), NEW)
    assert slack[1:3] == [
        "*In the TL;DR with them*",
        "• The grant is the largest of its kind. _(reported by 1 of 6: Valley Times)_",
    ]
    assert slack[3] == "*New angles*"
    assert [line.split(" — ")[0] for line in slack[4:]] == [
        "1. *Valley Times*",
        "2. *Ridge Post*",
        "3. *Bay Courier*",
    ]
    embed = update_embed(_card(), NEW)
    assert _discord_lines(_card(), NEW)[1:] == [
        "",
        "**In the TL;DR with them**",
        "• The grant is the largest of its kind. *(reported by 1 of 6: Valley Times)*",
    ]
    # Discord's embed holds two angles; the third is named, not dropped.
    assert [(f.name, f.value) for f in embed.fields] == [
        ("New angle: Valley Times", "Valley Times notes the storm damage."),
        ("New angle: Ridge Post", "Ridge Post notes the storm damage."),
        ("More angles", "+1 more (use /story lighthouse-grant)"),
    ]


async def test_the_terminal_says_an_update_in_the_same_words(db: sqlite_utils.Database) -> None:
    channel = channel_store.ensure_channel(db, "console", "terminal")
    out = io.StringIO()
    posted = PostedMessage(message_ref="console-1", thread_ref="console-1")
    await ConsoleAdapter(file=out, width=200).post_update(
        channel, posted, _card(), new_outlets=["Valley Times"], nonce="u1"
    )
    assert out.getvalue().splitlines()[-1] == (
        "↳ Update: Coastal towns win grant — Valley Times joined. Now 6 sources tracking this"
        " story."
    )
