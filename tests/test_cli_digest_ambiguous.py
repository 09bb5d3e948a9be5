"""`newsdigest digest NAME` where two channels share the name (the README's Slack and Discord
examples are both `#news`) refuses and lists the `platform:id` keys, instead of silently showing
one of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli

CONFIG = """
[[channels]]
platform = "slack"
id = "C0123456789"
name = "#news"

[[channels]]
platform = "discord"
id = "234567890123456789"
name = "#news"

[[channels]]
platform = "console"
id = "team"
"""


@pytest.fixture
def synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    config = tmp_path / "nd.toml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    runner = CliRunner()
    polled = runner.invoke(cli, ["poll"])  # syncs the config's channels into the database
    assert polled.exception is None or isinstance(polled.exception, SystemExit), polled.output
    return runner


def test_a_shared_name_is_refused_with_the_keys_to_use(synced: CliRunner) -> None:
    result = synced.invoke(cli, ["digest", "#news"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: '#news' is the id or name of 2 channels: slack:C0123456789, "
        "discord:234567890123456789; name one by its platform:id, "
        "e.g. `newsdigest digest slack:C0123456789`\n"
    )


def test_the_keys_and_a_name_only_one_channel_has_still_work(synced: CliRunner) -> None:
    for ref in ("slack:C0123456789", "discord:234567890123456789", "team"):
        result = synced.invoke(cli, ["digest", ref])
        assert result.exit_code == 0, result.output
