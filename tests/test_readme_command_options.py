"""The command table (docs/COMMANDS.md, moved from the README) names every option of the read commands, with its default: `stories
--hours/--min-sources/--limit` were in `--help` only; and the arguments and options of `story`
and `demo` as the CLI takes them (the table said `story SLUG`, which takes search words too, and
left out `demo --output`). Read from the click commands themselves, so an option added later
without its entry there fails here."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from bot.cli import cli

COMMANDS = Path(__file__).resolve().parents[1] / "docs" / "COMMANDS.md"


def _table_row(command: str) -> str:
    """The command table's row that names `command` first."""
    rows = [
        line
        for line in COMMANDS.read_text(encoding="utf-8").splitlines()
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


def _named_in(name: str) -> str:
    """The first cell of the command table's row naming `name` (`story` is named in
    `stories`' row)."""
    cells = [
        line.split(" | ")[0]
        for line in COMMANDS.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `") and (f"`{name} " in line or f"`{name}`" in line)
    ]
    assert cells, name
    return cells[0]


@pytest.mark.parametrize("name", ["story", "demo"])
def test_the_table_names_a_command_as_it_is_typed(name: str) -> None:
    command = cli.commands[name]
    context = click.Context(command)
    cell = _named_in(name)
    for param in command.params:
        if isinstance(param, click.Argument):
            assert f"`{name} {param.human_readable_name}" in cell, (name, param.name)
        elif isinstance(param, click.Option) and param.opts[0] != "--config":
            typed = param.opts[0]
            if not param.is_flag:
                typed += f" {param.make_metavar(context)}"
            assert f"[{typed}]" in cell, (name, typed)
