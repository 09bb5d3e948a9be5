"""What README.md, docs/*.md and CHANGELOG.md tell an operator stays true to the code: the
environment variables table lists every variable the bot reads, with the defaults the code
uses; every in-document link lands on a heading, also across the docs/ pages the README's
reference sections moved to; the README stays a short first read; the quick path's commands exist
and install without the dev tools; and the changelog names the newest migration an upgrade
runs."""

from __future__ import annotations

import ast
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.adapters.discord import settings as discord_settings
from bot.adapters.slack import settings as slack_settings
from bot.cli import cli
from bot.config_sections import LLMConfig
from bot.runner.settings import RunnerSettings
from bot.store.migrations import MIGRATIONS

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DEPLOY = ROOT / "docs" / "DEPLOY.md"
CHANGELOG = ROOT / "CHANGELOG.md"
# The reference pages the README links to (COMMANDS, CONFIGURATION, CHAT, ...), DEPLOY among them.
DOCS = sorted((ROOT / "docs").glob("*.md"))

# The names newsdigest's own settings go by; any such literal in the code is a variable it reads
# (or names in a message about one, which the table must then explain too).
ENV_NAME = re.compile(r"(NEWSDIGEST|SLACK|DISCORD)_[A-Z0-9_]+")
# Read from the environment but no setting of ours: handed on to the text-analysis worker.
NOT_SETTINGS = {"PYTHONPATH"}


def _env_reads(tree: ast.AST) -> set[str]:
    """Names a module reads as `env.get("X")`, `os.environ.get("X")`, `os.environ["X"]` or
    `os.getenv("X")`, whatever they are called (Slack's HTTP mode reads plain `PORT`), and every
    string literal shaped like one of our variables' names."""
    found: set[str] = set()
    for node in ast.walk(tree):
        name: ast.expr | None = None
        if isinstance(node, ast.Constant) and ENV_NAME.fullmatch(str(node.value)):
            name = node
        elif isinstance(node, ast.Call) and node.args and isinstance(node.func, ast.Attribute):
            func = node.func
            if (func.attr == "get" and _is_environment(func.value)) or func.attr == "getenv":
                name = node.args[0]
        elif isinstance(node, ast.Subscript) and _is_environment(node.value):
            name = node.slice
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            found.add(name.value)
    return found


def _is_environment(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in {"env", "environ"}
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def variables_read(folder: str) -> set[str]:
    names: set[str] = set()
    for path in sorted((ROOT / folder).rglob("*.py")):
        names |= _env_reads(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return names - NOT_SETTINGS


def section(text: str, heading: str) -> str:
    """`text` from `heading` (a whole line) to the next heading of its level or above."""
    start = text.index(f"\n{heading}\n")
    level = heading.split(" ", 1)[0]
    ends = [text.find(f"\n{'#' * n} ", start + len(heading) + 2) for n in range(1, len(level) + 1)]
    ends = [end for end in ends if end != -1]
    return text[start : min(ends) if ends else len(text)]


def env_table() -> dict[str, tuple[str, str]]:
    """README's environment variables table: name -> (default, meaning)."""
    rows: dict[str, tuple[str, str]] = {}
    for line in section(README.read_text("utf-8"), "## Environment variables").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`([A-Z][A-Z0-9_]*)`", cells[0]) if len(cells) == 3 else None
        if match:
            assert match.group(1) not in rows, f"{match.group(1)} is listed twice"
            rows[match.group(1)] = (cells[1], cells[2])
    return rows


def test_the_table_lists_every_variable_the_bot_reads() -> None:
    read = variables_read("bot")
    assert {"NEWSDIGEST_DB", "SLACK_BOT_TOKEN", "DISCORD_TOKEN", "PORT"} <= read  # the scan works
    missing = sorted(read - env_table().keys())
    assert not missing, f"add to README's Environment variables table: {missing}"


def test_the_table_lists_no_variable_nothing_reads() -> None:
    stale = sorted(env_table().keys() - variables_read("bot") - variables_read("bench"))
    assert not stale, f"README's Environment variables table lists what nothing reads: {stale}"


def test_the_tables_defaults_are_the_codes() -> None:
    runner = RunnerSettings.from_env({})
    slack = slack_settings.SlackSettings(bot_token="xoxb-test")
    expected = {
        "NEWSDIGEST_HEALTH_PORT": str(runner.health_port),
        "NEWSDIGEST_HEALTH_HOST": runner.health_host,
        "NEWSDIGEST_LOG_FORMAT": runner.log_format,
        "NEWSDIGEST_POLL_TICK": f"{runner.poll_tick:g}",
        "NEWSDIGEST_UPDATE_INTERVAL": f"{runner.update_interval.total_seconds():g}",
        "NEWSDIGEST_CATCHUP_WINDOW": f"{runner.catch_up_window.total_seconds():g}",
        "NEWSDIGEST_POST_PACE": f"{runner.post_pace:g}",
        "NEWSDIGEST_SHUTDOWN_GRACE": f"{runner.shutdown_grace:g}",
        "NEWSDIGEST_START_SPREAD": f"{runner.start_spread:g}",
        "SLACK_MODE": slack.mode,
        "SLACK_HOST": slack.host,
        "PORT": str(slack.port),
        "SLACK_API_URL": slack.api_url,
        "DISCORD_API_URL": discord_settings.DEFAULT_API_URL,
        "DISCORD_GATEWAY_URL": discord_settings.DEFAULT_GATEWAY_URL,
    }
    table = env_table()
    for name, value in expected.items():
        assert table[name][0] == f"`{value}`", name
    # The key's variable when `[llm] api_key_env` names none.
    assert LLMConfig(base_url="http://127.0.0.1/v1", model="m").api_key_env in table


GITHUB_DROPPED = re.compile(r"[^\w\- ]", re.UNICODE)


def anchors(path: Path) -> set[str]:
    """The ids GitHub gives the headings of a Markdown file: lower case, punctuation dropped,
    spaces made hyphens, a repeated one suffixed -1, -2, ... Headings in code blocks are not."""
    text = re.sub(r"^```.*?^```", "", path.read_text("utf-8"), flags=re.M | re.S)
    seen: dict[str, int] = {}
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+?)\s*$", text, flags=re.M):
        slug = GITHUB_DROPPED.sub("", heading.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


@pytest.mark.parametrize("doc", [README, *DOCS, CHANGELOG], ids=lambda p: p.name)
def test_every_link_to_a_heading_lands_on_one(doc: Path) -> None:
    text = re.sub(r"^```.*?^```", "", doc.read_text("utf-8"), flags=re.M | re.S)
    links = re.findall(r"\]\(([^)\s]*)\)", text)
    checked = 0
    for link in links:
        if re.match(r"[a-z]+:", link):
            continue  # another site
        target, _, anchor = link.partition("#")
        path = (doc.parent / target).resolve() if target else doc
        assert path.exists(), f"{doc.name}: {link} names no file"
        if anchor:
            assert anchor in anchors(path), f"{doc.name}: {link} lands on no heading"
            checked += 1
    assert checked or doc not in (README, DEPLOY, CHANGELOG)  # the scan finds their links


def test_the_readme_opens_with_its_contents_then_the_two_commands() -> None:
    text = README.read_text("utf-8")
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings[:4] == [
        "Contents",
        "Two commands",
        "Run it for your team",
        "Quick start on your server",
    ]
    contents = section(text, "## Contents")
    for name in ("Environment variables", "Running it for real"):
        assert f"[{name}](#" in contents
    for name in ("Slack", "Discord"):
        assert f"[{name}](docs/CHAT.md#" in contents
    for page in DOCS:
        assert f"(docs/{page.name}" in contents, f"the README's Contents names no {page.name}"


def test_the_readme_is_a_short_first_read() -> None:
    # It grew to 1,700 lines, one command's table cell to 5,600 characters: the reference moved
    # to docs/ (COMMANDS, CONFIGURATION, CHAT, BEHAVIOUR, RUNNING), and the README links to it.
    lines = README.read_text("utf-8").splitlines()
    assert len(lines) <= 350
    measured = section(README.read_text("utf-8"), "## Measured").splitlines()
    long = [line[:60] for line in lines if len(line) > 300 and line not in measured]
    assert not long, f"move these to a docs/ page, with a line in the README: {long}"


def help_for(argv: list[str]) -> str:
    result = CliRunner().invoke(cli, [*argv, "--help"], prog_name="newsdigest")
    assert result.exit_code == 0, f"newsdigest {shlex.join(argv)}: {result.output}"
    return result.output


def test_the_operators_quick_path_is_short_and_its_commands_exist() -> None:
    quick = section(README.read_text("utf-8"), "## Run it for your team")
    assert len(quick.strip().splitlines()) <= 30
    (block,) = re.findall(r"^```sh\n(.*?)^```", quick, flags=re.M | re.S)
    lines = [line.split("  #")[0].strip() for line in block.splitlines()]
    assert lines[0] == "make install-prod"
    commands = [shlex.split(line)[1:] for line in lines if line.startswith(".venv/bin/newsdigest")]
    assert [argv[0] for argv in commands] == ["discord", "config", "run"]
    for argv in commands:
        help_for(argv)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN"):
        assert name in block
    for said in (
        "docs/DEPLOY.md",
        "(docs/CHAT.md#slack)",
        "(docs/CHAT.md#discord)",
        "(#environment-variables)",
    ):
        assert said in quick


def test_the_servers_quick_start_installs_for_production() -> None:
    quick = section(README.read_text("utf-8"), "## Quick start on your server")
    (block, *_) = re.findall(r"^```sh\n(.*?)^```", quick, flags=re.M | re.S)
    assert block.splitlines()[0].split()[:2] == ["make", "install-prod"]


def make_dry_run(tmp_path: Path, target: str) -> list[str]:
    """The commands `make TARGET` would run on a fresh checkout (no .venv yet)."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "config").mkdir(exist_ok=True)
    shutil.copy(ROOT / "config" / "newsdigest.example.toml", tmp_path / "config")
    # Run from `make test`, a parent make's flags (-s, -j) would reach this one through the
    # environment; VENV and PYTHON, set there, would rename the paths compared below.
    quiet = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VENV", "PYTHON"}
    env = {name: value for name, value in os.environ.items() if name not in quiet}
    done = subprocess.run(
        ["make", "-n", target], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_install_prod_installs_no_dev_extra_and_install_still_does(tmp_path: Path) -> None:
    prod = make_dry_run(tmp_path, "install-prod")
    installs = [line for line in prod if " pip install " in line and "--upgrade pip" not in line]
    assert installs == [".venv/bin/python -m pip install --quiet -e ."]
    assert "cp config/newsdigest.example.toml config/newsdigest.toml" in prod
    dev = make_dry_run(tmp_path, "install")
    assert ".venv/bin/python -m pip install --quiet -e '.[dev]'" in dev


# The first migration CHANGELOG.md came with; each from it on has its upgrade note there.
FIRST_IN_CHANGELOG = 38


def test_the_changelog_names_each_migration_an_upgrade_runs() -> None:
    text = " ".join(CHANGELOG.read_text("utf-8").split())
    for number, description, _ in MIGRATIONS:
        if number >= FIRST_IN_CHANGELOG:
            assert f"{number} {description}" in text, (
                f"migration {number} is not in CHANGELOG.md's upgrade notes: add "
                f"'{number} {description}' where the first start's migrations are listed"
            )


def test_deploy_points_at_the_changelog_for_what_changed() -> None:
    text = DEPLOY.read_text("utf-8")
    assert "release notes" not in text  # there are none: the changelog is the place
    assert "[CHANGELOG.md](../CHANGELOG.md)" in section(text, "## Upgrading")
    rotating = section(text, "## Rotating tokens")
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN"):
        assert name in rotating
    assert "systemctl restart newsdigest" in rotating
