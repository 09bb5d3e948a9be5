"""Which commands depend on the person being an admin is the core's rule (`Commands.needs_admin`),
the one Slack's adapter asks before finding out (users.info, a call to Slack): it once kept a copy
of it, as it did of the sign-up rule. The rule holds what the commands do: one it says does not
depend on it answers an admin and anyone else alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack import command_context as slack_context
from bot.app import NewsDigest
from bot.commands.base import CommandContext
from bot.commands.core import Commands
from bot.config import Config
from bot.store.database import open_database

CASES = [
    ("feeds", "list", True),
    ("feeds", "add https://news.example/rss", True),
    ("/feeds", "remove #1", True),
    ("follow", "harbor query: harbor", True),
    ("follow", "harbor", False),
    ("unfollow", "harbor", False),
    ("story", "harbor", False),
    ("watchlist", "", False),
    ("watchlist", "mode instant", False),
    ("watchlist", "resume", True),
    ("watchlist", "Resume", True),
    # Read as /watchlist reads its setting: quoted, or with a colon, it is still resume.
    ("watchlist", '"resume"', True),
    ("watchlist", "“resume”", True),
    ("watchlist", "resume:", True),
    ("watchlist", "resumed", False),
    ("watchlist", "pause", False),
    ("/digest", "", False),
]


@pytest.mark.parametrize(("command", "args", "needs"), CASES)
def test_which_commands_depend_on_an_admin(command: str, args: str, needs: bool) -> None:
    assert Commands.needs_admin(command, args) is needs


def _commands(path: Path) -> Commands:
    return Commands(NewsDigest(Config(database=str(path)), db=open_database(path)))


async def test_a_command_the_rule_leaves_out_answers_anyone_as_an_admin(tmp_path: Path) -> None:
    # Each on its own database, so what the first did cannot change the second's answer.
    anyone, admin = _commands(tmp_path / "anyone.db"), _commands(tmp_path / "admin.db")
    for command, args, needs in CASES:
        if needs:
            continue
        said = [
            (await commands.dispatch(command, args, CommandContext("slack", "C1", "U1", **flags)))
            for commands, flags in ((anyone, {}), (admin, {"is_admin": True}))
        ]
        assert said[0].text == said[1].text, (command, args)


class _Admins:
    def __init__(self) -> None:
        self.asked: list[str] = []

    async def admin_status(self, user_id: str) -> bool | None:
        self.asked.append(user_id)
        return True


async def _asked(tmp_path: Path, command: str, args: str) -> bool:
    admins = _Admins()
    ctx = await slack_context.command_context(
        {"channel_id": "C1", "user_id": "U1"},
        admins=admins,  # type: ignore[arg-type]
        client=None,  # type: ignore[arg-type]
        db=open_database(tmp_path / "nd.db"),
        name=command,
        text=args,
    )
    assert ctx.is_admin is bool(admins.asked)
    return bool(admins.asked)


async def _can_post(*_: Any) -> str:
    return ""


@pytest.mark.parametrize(("command", "args", "needs"), CASES)
async def test_slack_asks_whether_an_admin_only_as_the_core_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, args: str, needs: bool
) -> None:
    monkeypatch.setattr(slack_context, "cannot_post", _can_post)
    assert await _asked(tmp_path, command, args) is needs


async def test_slack_reads_the_rule_from_the_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slack_context, "cannot_post", _can_post)
    monkeypatch.setattr(Commands, "needs_admin", staticmethod(lambda command, args: True))
    assert await _asked(tmp_path, "story", "harbor")
    monkeypatch.setattr(Commands, "needs_admin", staticmethod(lambda command, args: False))
    assert not await _asked(tmp_path, "feeds", "list")
