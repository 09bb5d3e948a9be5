"""The notice for the stories an instant channel's pass had no room for names commands that
work in that channel, on either platform: not /digest, which an instant channel refuses, but
/story and the switch to digest mode in the platform's form. A real SQLite file and the real
command core."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fakes.stories import add_channel, add_story

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.runner import digests

pytestmark = pytest.mark.empty_core
NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("platform", "switch", "story"),
    [
        ("slack", "/watchlist mode digest", "/story <words>"),
        ("discord", "/watchlist mode mode:digest", "/story query:<words>"),
    ],
)
async def test_the_commands_the_notice_names_work_in_an_instant_channel(
    core: NewsDigest, platform: str, switch: str, story: str
) -> None:
    channel = add_channel(core.db, "C5", platform=platform, mode="instant")
    for i in range(digests.INSTANT_LIMIT + 2):
        add_story(core.db, f"s{i}", ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    digests.enqueue_instant(core.db, channel, now=NOON)
    [notice] = [row[0] for row in core.db.execute("SELECT text FROM alerts")]
    assert notice.startswith("...and 2 more stories reached this channel's minimum")
    named = re.findall(r"/\w+", notice)
    assert "/digest" not in named
    assert f"{story} finds any of them; {switch} switches" in notice
    ctx = CommandContext(platform=platform, channel_id="C5", user_id="U1")
    commands = Commands(core, clock=lambda: NOON)
    # The switch as Discord's option names it is read as typed there, too.
    reply = await commands.dispatch("watchlist", switch.removeprefix("/watchlist "), ctx)
    assert reply.text.startswith("Saved.")
    assert "Mode: digest" in reply.text
