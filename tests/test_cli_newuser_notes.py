"""Small things a new team met on first use (session 23's review): `story --llm` with no [llm]
section said nothing of it, and `status` gave an instant channel a digest schedule, as if its
posts waited for 09:00. Real config files, a real database, the CLI as the operator runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.stories import add_story

from bot.cli import cli
from bot.store.database import open_database, utcnow
from tests._cli_env import cli_env

INSTANT = """
[[channels]]
platform = "console"
id = "ops"
mode = "instant"
schedule = "0 9 * * *"

[[channels]]
platform = "console"
id = "daily"
schedule = "0 9 * * *"
timezone = "Europe/Berlin"
"""


def test_story_llm_without_an_llm_section_says_so_and_still_shows_the_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = cli_env(tmp_path, monkeypatch)
    db = open_database(tmp_path / "nd.db")
    add_story(db, "s1", ["Pier Times", "Quay Post"], now=utcnow())
    db.close()
    result = CliRunner().invoke(cli, ["story", "story-s1", "--llm"])
    assert result.exit_code == 0, result.output
    assert "Pier Times" in result.stdout  # the card, as without --llm
    assert result.stderr.startswith(f"Note: --llm asks nothing: {config} has no [llm] section")
    assert "extractive summary" in result.stderr
    # Without --llm nothing was asked for: no note.
    plain = CliRunner().invoke(cli, ["story", "story-s1"])
    assert plain.exit_code == 0 and plain.stderr == ""


def test_status_shows_an_instant_channel_as_instant_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch, INSTANT)
    synced = CliRunner().invoke(cli, ["poll"])
    assert synced.exit_code == 0, synced.output
    result = CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 0, result.output
    # "channels  console:daily: ..." then "          console:ops: ..." (the section's column).
    lines = {line.removeprefix("channels").strip() for line in result.stdout.splitlines()}
    assert "console:ops: instant" in lines
    assert "console:daily: digest, daily 09:00 Europe/Berlin" in lines
