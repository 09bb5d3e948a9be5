"""Cutting feed text to size never hands a formatting marker back to the feed.

`slack_escape` keeps `*`, `_`, `~` and a backtick between two letters ("x*y", "snake_case"): Slack
formats nothing there. An ellipsis right after such a marker puts it at a word edge, where it
could close the bot's own bold, italics or code, so the cut gives it the look-alike an edge
marker gets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.discord.escape import escape_fit
from bot.adapters.slack.blocks import card_messages, esc
from bot.adapters.slack.escape import truncate
from bot.cards import SourceLink, StoryCard
from bot.models import Bullet

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
LOOK_ALIKE = {"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"}


def _card(name: str) -> StoryCard:
    outlets = [name, "Pinecrest Wire"]
    return StoryCard(
        story_id="a1b2c3d4e5f6",
        slug="lighthouse-grant",
        headline="Coastal towns win grant",
        source_count=2,
        outlets=outlets,
        tldr=[Bullet("Twelve lighthouses.", [name])],
        sources=[SourceLink(name, "T", "https://e.example/")],
        angles=[],
        also_reporting=[],
        first_seen=T0,
        as_of=T0 + timedelta(hours=2),
    )


@pytest.mark.parametrize("mark", list(LOOK_ALIKE))
def test_a_marker_inside_a_word_stays_inert_when_cut_after(mark: str) -> None:
    name = "x" * 78 + mark + "yy"
    assert esc(name, 80) == "x" * 78 + LOOK_ALIKE[mark] + "…"


@pytest.mark.parametrize("mark", list(LOOK_ALIKE))
def test_the_cut_outlet_name_cannot_close_the_bold_around_it(mark: str) -> None:
    name = "x" * 78 + mark + "yy"
    sections = [
        b["text"]["text"] for b in card_messages(_card(name))[0].blocks if b["type"] == "section"
    ]
    cut = "x" * 78 + LOOK_ALIKE[mark] + "…"
    assert sections[0] == f"*TL;DR*\n• Twelve lighthouses. _(reported by 1 of 2: {cut})_"
    assert sections[1] == f"*Sources*\n• *{cut}*: <https://e.example/|T>"


def test_a_marker_left_whole_by_the_cut_is_kept() -> None:
    assert esc("x" * 76 + "*yy and more", 80) == "x" * 76 + "*yy…"
    # The bot's own closing marker, followed by a space, is no marker inside a word.
    assert truncate("*Sources* and more", 11) == "*Sources*…"
    assert truncate("ab*cd", 4) == "ab∗…"
    # Plain text for plain_text objects formats nothing: left alone.
    assert truncate("ab*cd", 4, escaped=False) == "ab*…"


def test_discord_cuts_leave_every_marker_escaped() -> None:
    # Discord escapes every marker with a backslash, and `fit` never keeps half an escape.
    assert escape_fit("x" * 78 + "*yy", 80) == "x" * 78 + "…"
    assert escape_fit("x" * 78 + "*yy", 81) == "x" * 78 + "\\*…"
