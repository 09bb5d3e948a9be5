"""A Slack channel's `id` in the config file is checked when the file loads, as a Discord one is:
a channel name ("#team-news") is refused naming the file and the key, and saying where Slack
shows the id, rather than found out as channel_not_found at the first post, hours later."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import ConfigError, load_config, parse_config

ENTRY = """
[[channels]]
platform = "discord"
id = "234567890123456789"

[[channels]]
platform = "slack"
id = "{id}"
"""


@pytest.mark.parametrize(
    "typed", ["#team-news", "team-news", "c0123456789", "C0123 456", "U0123ABC"]
)
def test_a_slack_name_or_other_id_is_refused_naming_the_file_and_key(
    tmp_path: Path, typed: str
) -> None:
    path = tmp_path / "nd.toml"
    path.write_text(ENTRY.format(id=typed), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    assert str(caught.value) == (
        f"{path}: channels[1].id: a Slack channel id looks like C0123456789, not a name (in "
        "Slack, click the channel's name: the id is at the bottom of its details; or copy the "
        f"channel's link, which ends with it), got {typed!r}"
    )


@pytest.mark.parametrize("typed", ["C0123456789", "G01ABCDEF", "D0ABC12345", "C1"])
def test_channel_private_and_dm_ids_load(typed: str) -> None:
    config = parse_config({"channels": [{"platform": "slack", "id": typed}]})
    assert config.channels[0].id == typed


def test_the_cli_refuses_the_file_before_doing_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nd.toml"
    path.write_text(ENTRY.format(id="#team-news"), encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(path))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    result = CliRunner().invoke(cli, ["poll"])
    assert result.exit_code == 1
    assert "channels[1].id: a Slack channel id looks like C0123456789" in result.output
    assert not (tmp_path / "nd.db").exists()
