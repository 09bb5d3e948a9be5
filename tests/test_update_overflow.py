"""A thread update too big for one message names what it left out, never drops it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.adapters.discord.embeds import EMBED_TOTAL_LIMIT, embed_size, update_embed
from bot.adapters.slack.blocks import MAX_BLOCKS, MAX_MESSAGE_CHARS, block_chars
from bot.adapters.slack.fitted import update_message
from bot.cards import SourceLink, StoryCard
from bot.models import Angle, Bullet

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
NEW = [f"New Outlet {i}" for i in range(12)]


def _card(*, tldr: list[Bullet], angles: list[Angle]) -> StoryCard:
    outlets = ["Harbor Ledger", "Pinecrest Wire", "Valley Times", *NEW]
    return StoryCard(
        story_id="a1b2c3d4e5f6",
        slug="lighthouse-grant",
        headline="Coastal towns win grant",
        source_count=len(outlets),
        outlets=outlets,
        tldr=tldr,
        sources=[SourceLink("Harbor Ledger", "Grant", "https://ledger.example/a")],
        angles=angles,
        also_reporting=[],
        first_seen=T0,
        as_of=T0 + timedelta(hours=2),
    )


def _angle(outlet: str) -> Angle:
    return Angle(outlet, "L" * 500, "Q" * 500, "https://e.example/" + outlet.replace(" ", ""))


def _angle_line(n: int, outlet: str) -> str:
    url = "https://e.example/" + outlet.replace(" ", "")
    return f"{n}. *{outlet}* — {'L' * 500}\n> “{'Q' * 500}” <{url}|Read>"


def _section_text(blocks: list[dict]) -> str:
    # Sections split only between lines, so joined they read as the lines in order.
    assert all(b["type"] == "section" for b in blocks)
    return "\n".join(b["text"]["text"] for b in blocks)


LEAD = f"*Update:* {', '.join(NEW)} joined. Now 15 sources tracking this story."


def test_angles_that_do_not_fit_are_named_with_the_story_command() -> None:
    message = update_message(_card(tldr=[], angles=[_angle(o) for o in NEW]), NEW)
    expected = [LEAD, "*New angles*"]
    expected += [_angle_line(n, o) for n, o in enumerate(NEW[:10], 1)]
    expected.append("_+2 more (use `/story lighthouse-grant`)_")
    assert _section_text(message.blocks) == "\n".join(expected)
    assert message.text == "Update: Coastal towns win grant (15 sources)"
    assert sum(block_chars(b) for b in message.blocks) <= MAX_MESSAGE_CHARS


def test_bullets_that_do_not_fit_are_named_too() -> None:
    tldr = [Bullet(f"{i:02d} " + "B" * 497, [o]) for i, o in enumerate(NEW)]
    tldr += [Bullet(f"{i:02d} " + "B" * 497, [NEW[0]]) for i in range(12, 40)]
    message = update_message(_card(tldr=tldr, angles=[_angle(o) for o in NEW]), NEW)
    lines = _section_text(message.blocks).split("\n")
    assert lines[:2] == [LEAD, "*In the TL;DR with them*"]
    shown = [line for line in lines if line.startswith("• ")]
    assert shown == [f"• {b.text} _(reported by 1 of 15: {b.sources[0]})_" for b in tldr[:21]]
    assert lines[2 + len(shown) :] == [
        "_+19 more (use `/story lighthouse-grant`)_",
        "*New angles*",
        "_+12 more (use `/story lighthouse-grant`)_",
    ]
    assert len(message.blocks) <= MAX_BLOCKS
    assert sum(block_chars(b) for b in message.blocks) <= MAX_MESSAGE_CHARS


def test_an_update_that_fits_has_no_note() -> None:
    message = update_message(_card(tldr=[], angles=[_angle(o) for o in NEW[:2]]), NEW[:2])
    assert _section_text(message.blocks) == "\n".join(
        [
            "*Update:* New Outlet 0, New Outlet 1 joined. Now 15 sources tracking this story.",
            "*New angles*",
            _angle_line(1, "New Outlet 0"),
            _angle_line(2, "New Outlet 1"),
        ]
    )


def test_discord_update_names_the_angles_it_leaves_out() -> None:
    # Discord's update embed holds two angles (see MAX_UPDATE_ANGLES): the rest are named too.
    embed = update_embed(_card(tldr=[], angles=[_angle(o) for o in NEW]), NEW)
    names = [f.name for f in embed.fields]
    assert names == ["New angle: New Outlet 0", "New angle: New Outlet 1", "More angles"]
    assert embed.fields[-1].value == "+10 more (use /story lighthouse-grant)"
    assert embed_size(embed) <= EMBED_TOTAL_LIMIT
