"""Feed intervals are shown exactly, as they would be typed (90 s is '1m30s', not '1m')."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.cli import fresh_cli

from bot.cli import cli
from bot.cli.output import duration


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return fresh_cli(tmp_path, monkeypatch)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(60, "1m"), (90, "1m30s"), (900, "15m"), (3600, "1h"), (5400, "1h30m"), (86400, "1d"),
     (7 * 86400, "7d"), (86400 + 61, "1d1m1s")],
)  # fmt: skip
def test_duration_is_exact(seconds: int, shown: str) -> None:
    assert duration(seconds) == shown


@pytest.mark.parametrize(
    ("interval", "shown"), [("90", "1m30s"), ("90s", "1m30s"), ("1d", "1d"), ("7d", "7d")]
)
def test_feeds_add_and_list_show_the_interval_stored(
    runner: CliRunner, interval: str, shown: str
) -> None:
    added = runner.invoke(
        cli, ["feeds", "add", "https://example.org/a.xml", "--interval", interval]
    )
    assert added.exit_code == 0, added.output
    assert f"(every {shown})" in added.stdout
    listed = runner.invoke(cli, ["feeds", "list"])
    row = next(line for line in listed.stdout.splitlines() if "example.org/a.xml" in line)
    assert f" {shown} " in row


@pytest.mark.parametrize("interval", ["5s", "15x", ""])
def test_a_bad_interval_is_a_usage_error(runner: CliRunner, interval: str) -> None:
    # Exit 2, as any bad option value (`prune --older-than 5`), not 1 as a failed command.
    added = runner.invoke(
        cli, ["feeds", "add", "https://example.org/a.xml", "--interval", interval]
    )
    assert added.exit_code == 2, added.output
    assert "Invalid value for '--interval'" in added.output


def test_add_help_names_the_config_default(runner: CliRunner) -> None:
    # The default is the config's, not always 15m.
    words = " ".join(runner.invoke(cli, ["feeds", "add", "--help"]).output.split())
    assert "[default: the config's polling.default_interval, 15m unless set]" in words
