"""Counts in the CLI's lines agree with their nouns: "(1 source)", "of 1 story"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.cli import fresh_cli
from fakes.stories import add_story

from bot.cli import cli
from bot.store.database import open_database, utcnow


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    runner = fresh_cli(tmp_path, monkeypatch)
    db = open_database(tmp_path / "nd.db")
    add_story(db, "one", ["Council Gazette"], now=utcnow())
    db.close()
    return runner


def test_topics_test_says_1_source_and_1_story(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["topics", "test", "council"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "matches 1 of 1 story from" in result.output
    assert "(1 source)" in result.output
    assert "sources)" not in result.output
