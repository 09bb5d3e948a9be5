"""Which commands may sign a channel up is the core's rule (`Commands.may_sign_up`), the one
Slack's adapter asks before finding out whether the bot can post in the channel (a call to
Slack): it once kept a copy of it. The rule holds what the commands do, on either platform:
none signs a channel up that it calls a read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import NewsDigest
from bot.commands.base import CommandContext
from bot.commands.core import Commands
from bot.config import Config
from bot.store import channels as channel_store
from bot.store.database import open_database

CASES = [
    ("follow", "harbor query: harbor", True),
    ("/digest", "", True),
    # The listing says what would sign the channel up: that must not be refused there.
    ("watchlist", "", True),
    ("watchlist", "show", True),
    ("watchlist", "mode instant", True),
    ("watchlist", "schedule weekdays 09:00 Europe/Berlin", True),
    ("watchlist", "help", False),
    ("watchlist", "mute story-x", False),
    ("watchlist", "Unmute story-x", False),
    ("watchlist", "resume", False),
    ("watchlist", "“pause”", False),
    ("watchlist", "mute: story-x", False),
    ("unfollow", "harbor", False),
    ("story", "harbor", False),
    ("feeds", "list", False),
]


@pytest.mark.parametrize(("command", "args", "may"), CASES)
def test_which_commands_may_sign_a_channel_up(command: str, args: str, may: bool) -> None:
    assert Commands.may_sign_up(command, args) is may


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_a_command_the_rule_calls_a_read_signs_no_channel_up(
    tmp_path: Path, platform: str
) -> None:
    path = tmp_path / "nd.db"
    commands = Commands(NewsDigest(Config(database=str(path)), db=open_database(path)))
    signed_up = set()
    for n, (command, args, _) in enumerate(CASES):
        channel_id = f"C{n}"
        await commands.dispatch(command, args, CommandContext(platform, channel_id, "U1"))
        if channel_store.get_channel(commands.core.db, platform, channel_id) is not None:
            signed_up.add((command, args))
            assert Commands.may_sign_up(command, args), (command, args)
    # The commands that do sign up, as the rule says.
    assert signed_up == {
        ("follow", "harbor query: harbor"),
        ("/digest", ""),
        ("watchlist", "mode instant"),
        ("watchlist", "schedule weekdays 09:00 Europe/Berlin"),
    }
