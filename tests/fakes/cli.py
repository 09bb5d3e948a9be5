"""The command line set up as a user would: the sample feeds added and polled once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import Config


def polled_sample(config: Config) -> CliRunner:
    """A runner whose database (from the test's NEWSDIGEST_DB or config) has the sample feeds
    added with `feeds add` and polled once with `poll`, each asserted to succeed."""
    runner = CliRunner()
    for feed in config.feeds:
        added = runner.invoke(cli, ["feeds", "add", feed.url])
        assert added.exit_code == 0, added.output
    polled = runner.invoke(cli, ["poll"])
    assert polled.exit_code == 0, polled.output
    return runner


def fresh_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner on a new database in `tmp_path`, run from there with no config file."""
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.chdir(tmp_path)
    return CliRunner()
