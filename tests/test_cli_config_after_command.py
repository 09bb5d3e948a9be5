"""`--config` is accepted after the command too (`newsdigest poll --config FILE`), as people
type it; given in both places, the one after the command wins."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli


@pytest.fixture
def configs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two config files, each naming its own database."""
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    one.write_text('database = "one.db"\n', encoding="utf-8")
    two.write_text('database = "two.db"\n', encoding="utf-8")
    return one, two


def test_config_after_the_command(configs: tuple[Path, Path], tmp_path: Path) -> None:
    one, _ = configs
    runner = CliRunner()
    added = runner.invoke(cli, ["feeds", "add", "https://a.example/rss", "--config", str(one)])
    assert added.exit_code == 0, added.output
    assert (tmp_path / "one.db").exists() and not (tmp_path / "newsdigest.db").exists()
    listed = runner.invoke(cli, ["feeds", "list", f"--config={one}"])
    assert listed.exit_code == 0 and "a.example" in listed.output
    # On a group too, before its command.
    listed = runner.invoke(cli, ["feeds", "--config", str(one), "list"])
    assert listed.exit_code == 0 and "a.example" in listed.output


def test_after_the_command_wins(configs: tuple[Path, Path], tmp_path: Path) -> None:
    one, two = configs
    result = CliRunner().invoke(
        cli, ["--config", str(one), "feeds", "add", "https://b.example/rss", "--config", str(two)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "two.db").exists() and not (tmp_path / "one.db").exists()


def test_help_names_it(configs: tuple[Path, Path]) -> None:
    assert "--config" in CliRunner().invoke(cli, ["poll", "--help"]).output
    words = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())
    assert "the one after the command wins" in words
