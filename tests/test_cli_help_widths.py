"""Every command's --help fits 80 columns: pre-formatted (`\\b`) paragraphs are printed as
written, and `feeds list --help` ran to 128. Also each feed command names its argument alike."""

from __future__ import annotations

from collections.abc import Iterator

import click
from click.testing import CliRunner

from bot.cli import cli


def _commands(command: click.Command, path: list[str]) -> Iterator[list[str]]:
    yield path
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, [*path, name])


def test_every_help_fits_80_columns() -> None:
    wide = []
    for path in _commands(cli, []):
        # CliRunner renders help 80 columns wide, as COLUMNS=80 does.
        shown = CliRunner().invoke(cli, [*path, "--help"], env={"COLUMNS": "80"})
        assert shown.exit_code == 0, (path, shown.output)
        wide += [(" ".join(path), line) for line in shown.output.splitlines() if len(line) > 80]
    assert wide == []


def test_the_feed_commands_name_their_argument_alike() -> None:
    runner = CliRunner()
    usages = {}
    for name in ("remove", "enable", "disable"):
        shown = runner.invoke(cli, ["feeds", name, "--help"], prog_name="newsdigest")
        usages[name] = shown.output.splitlines()[0]
    assert usages == {
        "remove": "Usage: newsdigest feeds remove [OPTIONS] FEED",
        "enable": "Usage: newsdigest feeds enable [OPTIONS] [FEED]",
        "disable": "Usage: newsdigest feeds disable [OPTIONS] FEED",
    }
