"""README's command table names every option of the read commands, with its default: `stories
--hours/--min-sources/--limit` were in `--help` only. Read from the click commands themselves, so
an option added later without its README entry fails here."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from bot.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def _table_row(command: str) -> str:
    """The README command table's row that names `command` first."""
    rows = [
        line
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith(f"| `{command}")
    ]
    assert rows, command
    return rows[0].split(" | ")[0]


@pytest.mark.parametrize("path", [("stories",), ("topics", "test")])
def test_every_option_of_a_read_command_is_in_the_table(path: tuple[str, ...]) -> None:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    row = _table_row(path[0])
    for param in command.params:
        # The options with a default value (not flags, not choices of what to test).
        default = param.default
        if isinstance(default, int | str) and not isinstance(default, bool):
            assert f"[{param.opts[0]} {param.default}]" in row, (path, param.opts[0])
