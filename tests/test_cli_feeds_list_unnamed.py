"""`feeds list` shows an unnamed feed's name as "-", not its URL a second time."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli


def test_an_unnamed_feed_shows_its_url_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    runner.invoke(cli, ["feeds", "add", "https://example.org/a.xml"])
    runner.invoke(cli, ["feeds", "add", "https://example.org/b.xml", "--name", "Bee News"])
    listing = runner.invoke(cli, ["feeds", "list"]).stdout
    row_a = next(line for line in listing.splitlines() if "a.xml" in line)
    row_b = next(line for line in listing.splitlines() if "b.xml" in line)
    assert row_a.count("https://example.org/a.xml") == 1
    assert [cell.strip() for cell in row_a.split("│")][2] == "-"
    assert "Bee News" in row_b
