"""`topics add SLUG QUERY` on an existing topic replaces its query and keeps its title, unless
--title is given."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.cli import fresh_cli

from bot.cli import cli
from bot.store import channels as channel_store
from bot.store.database import open_database


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return fresh_cli(tmp_path, monkeypatch)


def _topic(tmp_path: Path) -> tuple[str | None, str]:
    db = open_database(tmp_path / "nd.db")
    try:
        topic = channel_store.get_topic(db, "chips")
        assert topic is not None
        return topic.title, topic.query
    finally:
        db.close()


def test_a_new_query_keeps_the_title(runner: CliRunner, tmp_path: Path) -> None:
    first = runner.invoke(cli, ["topics", "add", "chips", "chip", "--title", "Chip exports"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(cli, ["topics", "add", "chips", "chip", "AND", "export"])
    assert again.exit_code == 0, again.output
    assert _topic(tmp_path) == ("Chip exports", "chip AND export")


def test_title_replaces_it(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(cli, ["topics", "add", "chips", "chip", "--title", "Chip exports"])
    runner.invoke(cli, ["topics", "add", "chips", "chip", "--title", "Semiconductors"])
    assert _topic(tmp_path) == ("Semiconductors", "chip")


def test_a_new_topic_without_title_has_none(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(cli, ["topics", "add", "chips", "chip"])
    assert _topic(tmp_path) == (None, "chip")


def test_replacing_a_query_says_what_it_replaced(runner: CliRunner, tmp_path: Path) -> None:
    # A topic is shared by every channel following it: a reused slug must not swap its query
    # silently.
    runner.invoke(cli, ["topics", "add", "chips", '"chip export" OR semiconductor'])
    again = runner.invoke(cli, ["topics", "add", "chips", "wafer AND fab"])
    assert again.exit_code == 0, again.output
    # Each query whole on its own line: quoted, its own quotes were doubled up.
    assert again.stdout.splitlines() == [
        "Topic chips: query replaced",
        '  was: "chip export" OR semiconductor',
        "  now: wafer AND fab",
    ]
    assert _topic(tmp_path) == (None, "wafer AND fab")
    helped = " ".join(runner.invoke(cli, ["topics", "add", "--help"]).output.split())
    assert "(printing the query it replaced)" in helped


def test_the_same_query_spelt_otherwise_is_no_replacement(runner: CliRunner) -> None:
    runner.invoke(cli, ["topics", "add", "chips", "chip AND export"])
    again = runner.invoke(cli, ["topics", "add", "chips", "chip  AND   export"])
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines() == ["Topic chips: chip AND export"]
