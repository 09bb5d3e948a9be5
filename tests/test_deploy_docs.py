"""The shipped systemd unit and docs/DEPLOY.md name commands that exist: a unit whose ExecStart
names a command or flag the CLI does not have fails only on the server, at start. Each
`newsdigest ...` line is given to the real CLI with `--help` appended, which parses every command
name and option (an unknown one exits 2) without running anything."""

from __future__ import annotations

import configparser
import re
import shlex
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "config" / "newsdigest.service"
DEPLOY = ROOT / "docs" / "DEPLOY.md"


def parse_unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    unit.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return unit


def help_for(argv: list[str]) -> str:
    """The CLI's help for `argv` (the program name left out), failing on an unknown command or
    option."""
    result = CliRunner().invoke(cli, [*argv, "--help"], prog_name="newsdigest")
    assert result.exit_code == 0, f"newsdigest {shlex.join(argv)}: {result.output}"
    return result.output


def entry_point() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        scripts: dict[str, str] = tomllib.load(file)["project"]["scripts"]
    (name,) = [name for name, target in scripts.items() if target == "bot.cli:main"]
    return name


def test_the_unit_runs_the_venvs_newsdigest_run_with_a_config() -> None:
    service = parse_unit(UNIT)["Service"]
    program, *argv = shlex.split(service["ExecStart"])
    assert Path(program).name == entry_point()
    assert Path(program).parent.parts[-2:] == (".venv", "bin")
    assert Path(program).is_relative_to(service["WorkingDirectory"])
    assert argv[0] == "run" and argv[1] == "--config" and argv[2].endswith(".toml")
    assert help_for(argv).startswith("Usage: newsdigest run ")


def test_the_unit_stops_cleanly_and_restarts_only_on_failure() -> None:
    unit = parse_unit(UNIT)
    service = unit["Service"]
    assert service["User"] and service["EnvironmentFile"].startswith("/etc/")
    assert service["Restart"] == "on-failure"
    # What `newsdigest run` handles as a graceful stop (bot.runner.service).
    assert service["KillSignal"] == "SIGTERM"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_unit_shown_in_the_docs_is_the_shipped_one_whole() -> None:
    # Shown as "the unit", an excerpt left out [Unit], [Install], Type= and RestartSec=: an
    # operator typing it in got a unit that never starts at boot.
    shown = re.search(r"^```ini\n(.*?)^```", DEPLOY.read_text(encoding="utf-8"), re.M | re.S)
    assert shown is not None
    shipped = UNIT.read_text(encoding="utf-8")
    # All but the opening comment, which says how to install it as the docs do below it.
    assert shown.group(1) == shipped[shipped.index("[Unit]") :]


def test_the_units_hardening_leaves_the_database_writable_wherever_documented() -> None:
    service = parse_unit(UNIT)["Service"]
    assert service["NoNewPrivileges"] == "yes" and service["PrivateTmp"] == "yes"
    # `strict` would make a database outside the state directory (one still in the checkout,
    # as docs/DEPLOY.md's "Moving the database" starts from) read-only: an opt-in there.
    assert service["ProtectSystem"] == "full"
    assert "ReadWritePaths" not in service and "ProtectHome" not in service


def docs_invocations() -> list[list[str]]:
    """The arguments of each run of the venv's `newsdigest` in DEPLOY.md's code blocks (in a
    shell line, a crontab line, a unit's ExecStart=, or inside `sh -c '...'`)."""
    text = DEPLOY.read_text(encoding="utf-8")
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.M | re.S)
    found = []
    for line in "\n".join(blocks).replace("\\\n", " ").splitlines():
        # A dated file name from the shell (cron's `\%`, a unit's `$$`/`%%`) as a plain name.
        line = re.sub(r"\$+\(date \+\\?%+F\)", "2026-01-01", line).replace("'", " ")
        for command in re.split(r"\s#|;|&&|\||>", line):
            words = shlex.split(command)
            starts = [i for i, word in enumerate(words) if word.endswith("bin/newsdigest")]
            found += [words[i + 1 :] for i in starts]
    return found


INVOCATIONS = docs_invocations()


def test_the_docs_show_the_commands_an_operator_needs() -> None:
    commands = {
        next(a for a in argv if not a.startswith("-") and not a.endswith(".toml"))
        for argv in INVOCATIONS
    }
    assert {"run", "backup", "discord", "stories"} <= commands


@pytest.mark.parametrize("argv", INVOCATIONS, ids=shlex.join)
def test_every_command_in_the_deploy_docs_parses(argv: list[str]) -> None:
    help_for(argv)


def _section(heading: str) -> str:
    """DEPLOY.md's text from `heading` to the next heading of its level."""
    text = DEPLOY.read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    level = heading.split(" ", 1)[0]
    end = text.find(f"\n{level} ", start + len(heading) + 2)
    return text[start : end if end != -1 else len(text)]


def test_an_upgrade_that_carried_edits_into_the_example_is_undone() -> None:
    # A committed or stashed edit of the old tracked config is moved into the example by git's
    # rename detection: the operator's config then sits in the file `git pull` updates.
    text = DEPLOY.read_text(encoding="utf-8")
    assert "shows `config/newsdigest.example.toml` modified" in text
    assert "cp config/newsdigest.example.toml config/newsdigest.toml\n" in text
    assert "git checkout config/newsdigest.example.toml\n" in text


def test_the_paas_section_says_how_the_ignored_config_reaches_the_platform() -> None:
    paas = _section("## On a PaaS (the Procfile)")
    assert "`git add -f config/newsdigest.toml`" in paas
    assert "`NEWSDIGEST_CONFIG`" in paas
    # `run` refuses without it (bot.cli.run), and --without-config syncs nothing (bot.config).
    assert "`newsdigest run` exits 1 at start" in paas
    assert "`newsdigest run --without-config` runs by those settings anyway, syncing no" in paas
