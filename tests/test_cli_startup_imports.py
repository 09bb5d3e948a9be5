"""The light commands (`--help`, `feeds list`, `stories`, `topics list`, `status`) start
without the chat platforms, the scheduler, the fetcher, the clusterer or the summariser:
importing those took most of a second of every command's start-up. Checked by what a command has imported when it
ends, not by timing (bench/cli_startup.py measures the time)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.feedserver import FeedServer

ROOT = Path(__file__).resolve().parent.parent

# The console script's own steps, then the heavy modules it loaded on the way.
CHILD = """
import json, sys
sys.argv = ["newsdigest", *sys.argv[1:]]
from bot.cli import main
main()
HEAVY_PACKAGES = {
    "slack_bolt", "slack_sdk", "discord", "aiohttp", "apscheduler",  # chat and scheduler
    "httpx", "feedparser", "fastfeedparser", "lxml",  # the fetcher and the feed parsers
    "publicsuffixlist",  # parsed on first use (a real host's site), ~0.1 s
}
HEAVY_MODULES = ("bot.cluster", "bot.summarize", "bot.pipeline.clustering", "bot.pipeline.cards",
                 "bot.pipeline.poll", "bot.ingest.fetcher", "bot.ingest.parser", "bot.runner.digests")
loaded = sorted(
    name for name in sys.modules
    if name.split(".")[0] in HEAVY_PACKAGES or name.startswith(HEAVY_MODULES)
)
print(json.dumps(loaded))
"""


def loaded_by(env: dict[str, str], *args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture
def env(
    sample_server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """A database with a feed, the stories a poll of it made, and a topic."""
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    paths = {"NEWSDIGEST_CONFIG": str(config), "NEWSDIGEST_DB": str(tmp_path / "nd.db")}
    for name, value in paths.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    for args in (
        ["feeds", "add", sample_server.url("/civic-wire/feed")],
        ["poll"],
        ["topics", "add", "budget", "budget OR council"],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    assert _any_slug(tmp_path / "nd.db")  # `stories` lists some
    return {**os.environ, "PYTHONPATH": str(ROOT), **paths}


def _any_slug(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT slug FROM stories LIMIT 1").fetchone()
    return row[0] if row else ""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["feeds", "list"],
        ["stories"],
        ["topics", "list"],
        ["status"],
        ["status", "--json"],
    ],
    ids=" ".join,
)
def test_light_commands_do_not_import_the_heavy_parts(env: dict[str, str], args: list[str]) -> None:
    assert loaded_by(env, *args) == []


def test_the_check_sees_a_command_that_needs_the_heavy_parts(env: dict[str, str]) -> None:
    """`story` builds a card (the summariser): the check above is not empty by construction."""
    slug = _any_slug(Path(env["NEWSDIGEST_DB"]))
    assert "bot.summarize" in loaded_by(env, "story", slug)
