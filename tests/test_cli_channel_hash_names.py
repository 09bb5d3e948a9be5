"""A channel configured as `name = "#news"` was found only as `'#news'`, quoted: unquoted, `#news`
is a shell comment, and `news` was "no channel 'news'". A name is found with or without its '#',
an exact match first, and the "no channel" error lists names beside the ids. Real config file,
real database, the CLI as typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli_env import cli_env
from click.testing import CliRunner

from bot.cli import cli
from bot.store import channels as channel_store
from bot.store.database import open_database

CONFIG = """
[[channels]]
platform = "console"
id = "C0NEWS"
name = "#news"

[[channels]]
platform = "console"
id = "team"
"""


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cli_env(tmp_path, monkeypatch, CONFIG)
    polled = CliRunner().invoke(cli, ["poll"])  # syncs the channels into the database
    assert polled.exit_code == 0, polled.output
    return tmp_path / "nd.db"


def _pause(db_path: Path) -> None:
    db = open_database(db_path)
    channel = channel_store.get_channel(db, "console", "C0NEWS")
    assert channel is not None
    channel_store.update_channel(db, channel.id, paused_reason="archived in Slack")
    db.close()


def test_digest_finds_the_channel_by_its_name_without_the_hash(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["digest", "news"])
    assert result.exit_code == 0, result.output
    assert "no channel" not in result.output


def test_channels_resume_finds_it_without_the_hash(db_path: Path) -> None:
    _pause(db_path)
    result = CliRunner().invoke(cli, ["channels", "resume", "news"])
    assert result.exit_code == 0, result.output
    assert "Resumed #news (console:C0NEWS)" in result.stdout
    db = open_database(db_path)
    channel = channel_store.get_channel(db, "console", "C0NEWS")
    assert channel is not None and channel.paused_reason is None


def test_channels_remove_finds_it_without_the_hash(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["channels", "remove", "news", "--yes"])
    # Found, then refused as the file's: the refusal names the channel, not "no channel".
    assert result.exit_code == 1
    assert "channel #news (console:C0NEWS) is declared in" in result.stderr


def test_a_hash_before_a_bare_id_still_finds_it(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["digest", "#team"])
    assert result.exit_code == 0, result.output


def test_an_exact_name_wins_over_the_hash_form(db_path: Path) -> None:
    db = open_database(db_path)
    channel_store.ensure_channel(db, "console", "C0OTHER", name="news")
    found = channel_store.find_channel(db, "news")
    assert found is not None and found.channel_id == "C0OTHER"
    found = channel_store.find_channel(db, "#news")
    assert found is not None and found.channel_id == "C0NEWS"


def test_no_channel_lists_names_beside_ids(db_path: Path) -> None:
    for args in (["digest", "sports"], ["channels", "resume", "sports"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1
        assert "(known: #news (console:C0NEWS), console:team)" in result.stderr, args
