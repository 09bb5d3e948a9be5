"""`feeds export -o FILE` does not replace an existing file unless --force, as `backup`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.cli import fresh_cli

from bot.cli import cli


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    runner = fresh_cli(tmp_path, monkeypatch)
    assert runner.invoke(cli, ["feeds", "add", "https://example.org/a.xml"]).exit_code == 0
    return runner


def test_export_refuses_to_replace_a_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "subs.opml"
    target.write_text("keep me", encoding="utf-8")
    result = runner.invoke(cli, ["feeds", "export", "-o", str(target)])
    assert result.exit_code == 1
    assert "already exists (--force replaces it)" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"


def test_export_force_replaces_it(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "subs.opml"
    target.write_text("old", encoding="utf-8")
    result = runner.invoke(cli, ["feeds", "export", "-o", str(target), "--force"])
    assert result.exit_code == 0, result.output
    assert "https://example.org/a.xml" in target.read_text(encoding="utf-8")


def test_export_to_a_new_file_needs_no_force(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "new.opml"
    result = runner.invoke(cli, ["feeds", "export", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.exists()
