"""A Discord channel id in the config file shorter than any Discord gives (a digit lost in
copying) loaded with no warning, and `config check` said "loads, no warnings"; it failed only at
the first post, which paused the channel. It loads as written, with a warning as Slack's ids get."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import load_config

ENTRY = """
[[channels]]
platform = "discord"
id = "{id}"
"""


def _write(tmp_path: Path, typed: str) -> Path:
    path = tmp_path / "nd.toml"
    path.write_text(f'database = "nd.db"\n{ENTRY.format(id=typed)}', encoding="utf-8")
    return path


def test_a_short_discord_id_loads_as_written_with_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, "12345")
    config = load_config(str(path))
    assert config.channels[0].id == "12345"
    assert config.warnings == [
        f'{path}: channels[0] (discord:12345): id = "12345" has 5 digits: a Discord channel id '
        "has 17 to 20, so posting to this one fails (Unknown Channel) and the channel is paused "
        "at its first post. Copy the id again (Developer Mode on, then right-click the channel: "
        "Copy Channel ID). (Loaded as written: nothing changes until the entry is edited.)"
    ]


def test_config_check_prints_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    path = _write(tmp_path, "1234567890123456")  # one digit short of the shortest
    result = CliRunner().invoke(cli, ["--config", str(path), "config", "check"])
    assert result.exit_code == 0, result.output
    assert "Warning: " in result.output and 'id = "1234567890123456" has 16 digits' in result.output
    assert f"{path}: loads, with 1 warning." in result.output


@pytest.mark.parametrize(
    "typed", ["81384788765712384", "234567890123456789", "18446744073709551615"]
)
def test_a_real_length_id_loads_without_a_warning(tmp_path: Path, typed: str) -> None:
    assert load_config(str(_write(tmp_path, typed))).warnings == []
