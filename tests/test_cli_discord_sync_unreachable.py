"""`newsdigest discord sync` when Discord cannot be reached: one line, exit 1, no traceback."""

from __future__ import annotations

import socket

import discord
import pytest
from click.testing import CliRunner

from bot.cli import cli


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_sync_with_discord_unreachable_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{closed_port()}/api/v10")
    result = CliRunner().invoke(cli, ["discord", "sync"], env={"DISCORD_TOKEN": "t"})
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    (line,) = result.output.splitlines()
    assert line.startswith("Error: could not reach Discord: Cannot connect to host 127.0.0.1:")


def test_sync_timing_out_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    async def never_answers(*args: object, **kwargs: object) -> list[str]:
        raise TimeoutError

    monkeypatch.setattr("bot.adapters.discord.bot.sync_commands", never_answers)
    result = CliRunner().invoke(cli, ["discord", "sync"], env={"DISCORD_TOKEN": "t"})
    assert result.exit_code == 1
    assert result.output == "Error: could not reach Discord: timed out\n"


def test_clear_without_guild_is_a_usage_error_even_without_a_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # It said "DISCORD_TOKEN is not set" (1); setting the token then only led to the usage error.
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["discord", "sync", "--clear"])
    assert result.exit_code == 2, result.output
    assert "--clear needs --guild ID." in result.output
    assert "DISCORD_TOKEN" not in result.output
