"""Which config file and database a command uses, said where an operator looks: `config check`
names the database (and fails without the operator's file, as the README says), `run` logs both
files at start, and a command run where no config file is found says so instead of reading,
creating or polling by a database and settings that are not the operator's."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

import pytest
from _refused_feeds import words
from click.testing import CliRunner

from bot.cli import cli
from bot.config import load_config
from bot.feedserver import FeedServer, Reply
from bot.runner import launch
from bot.runner.launch import run_service
from bot.store import feeds as feed_store
from bot.store.database import open_database
from bot.store.sync import sync_config

SHIPPED = Path(__file__).resolve().parent.parent / "config" / "newsdigest.example.toml"

RSS = b"""<rss version="2.0"><channel><title>Desk</title>
<item><guid>1</guid><title>A story</title><link>https://d.example/1</link></item>
</channel></rss>"""

# The operator's own file: their intranet feeds need private addresses allowed.
OWN = 'database = "../newsdigest.db"\n[polling]\nallow_private_networks = true\n'


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout with the shipped example (its database `../newsdigest.db`, the checkout's
    root) and the operator's copy; the environment names neither file nor database."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdigest.example.toml").write_text(SHIPPED.read_text("utf-8"))
    (tmp_path / "config" / "newsdigest.toml").write_text(OWN, "utf-8")
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def elsewhere(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Another directory, with no config/ of its own, to run commands from."""
    other = checkout / "elsewhere"
    other.mkdir()
    monkeypatch.chdir(other)
    return other


def test_config_check_names_the_database_it_resolves_to(checkout: Path) -> None:
    checked = CliRunner().invoke(cli, ["config", "check"])

    assert checked.exit_code == 0, checked.output
    database = checkout / "newsdigest.db"
    assert checked.stdout.splitlines() == [
        "config/newsdigest.toml: loads, no warnings.",
        f"database: {database} (database = '../newsdigest.db' in config/newsdigest.toml; it "
        "does not exist yet)",
    ]


def test_config_check_says_where_a_named_database_comes_from(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDIGEST_DB", "other.db")
    (checkout / "other.db").write_bytes(b"")

    checked = CliRunner().invoke(cli, ["config", "check"])

    assert f"database: {checkout / 'other.db'} (from $NEWSDIGEST_DB)\n" in checked.stdout


def test_config_check_without_the_operators_file_fails_saying_how_to_make_it(
    checkout: Path,
) -> None:
    (checkout / "config" / "newsdigest.toml").unlink()

    checked = CliRunner().invoke(cli, ["config", "check"])

    # It checked the shipped example and exited 0: "no warnings" for a file that isn't there.
    assert checked.exit_code == 1, checked.output
    assert checked.stdout == ""
    said = words(checked.stderr)
    assert "file not found: config/newsdigest.toml" in said
    assert "Copy config/newsdigest.example.toml to config/newsdigest.toml" in said
    assert "`make install`" in said and "--config FILE or $NEWSDIGEST_CONFIG" in said


def test_a_read_from_another_directory_says_no_config_was_found(
    checkout: Path, elsewhere: Path
) -> None:
    result = CliRunner().invoke(cli, ["stories"])

    assert result.exit_code == 1
    said = words(result.stderr)
    assert said.startswith("Error: newsdigest.db: no such database; no config file found")
    assert f"(config/newsdigest.toml is not in {elsewhere})" in said
    assert "--config FILE or $NEWSDIGEST_CONFIG" in said


def test_a_write_from_another_directory_creates_no_stray_database(
    checkout: Path, elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    added = CliRunner().invoke(cli, ["feeds", "add", "https://news.example.org/rss"])

    assert added.exit_code == 1
    assert not (elsewhere / "newsdigest.db").exists()
    said = words(added.stderr)
    assert f"{elsewhere / 'newsdigest.db'}: no such database, and none is created here" in said
    assert "--config FILE or $NEWSDIGEST_CONFIG (or the database with $NEWSDIGEST_DB)" in said
    # Named, the database is created as asked; so is the file's, with the file named.
    monkeypatch.setenv("NEWSDIGEST_DB", "chosen.db")
    assert CliRunner().invoke(cli, ["feeds", "add", "https://a.example/rss"]).exit_code == 0
    assert (elsewhere / "chosen.db").exists()
    monkeypatch.delenv("NEWSDIGEST_DB")
    named = ["feeds", "add", "https://b.example/rss", "--config", "../config/newsdigest.toml"]
    assert CliRunner().invoke(cli, named).exit_code == 0
    assert (checkout / "newsdigest.db").exists()


def test_poll_without_the_operators_config_disables_no_intranet_feed(checkout: Path) -> None:
    runner = CliRunner()
    with FeedServer({"/rss.xml": Reply(body=RSS)}) as server:
        assert runner.invoke(cli, ["feeds", "add", server.url("/rss.xml")]).exit_code == 0
        assert runner.invoke(cli, ["poll"]).exit_code == 0
        own = checkout / "config" / "newsdigest.toml"
        own.rename(checkout / "newsdigest.toml.bak")
        asked = len(server.requests)

        refused = runner.invoke(cli, ["poll", "--all"])

        # It polled by the example's settings, and disabled the loopback feed: "refused".
        assert refused.exit_code == 1
        said = words(refused.stderr)
        assert f"config/newsdigest.toml not found (in {checkout}): `newsdigest poll`" in said
        assert "by the shipped example's settings, not yours" in said
        assert "--config FILE or $NEWSDIGEST_CONFIG" in said
        assert "`newsdigest poll --without-config`" in said
        assert len(server.requests) == asked
        db = open_database(checkout / "newsdigest.db")
        try:
            assert [f.disabled_reason for f in feed_store.list_feeds(db)] == [None]
        finally:
            db.close()
        # Told to, it polls by the example's settings, as it did.
        anyway = runner.invoke(cli, ["poll", "--all", "--without-config"])
    assert anyway.exit_code == 1 and "refused" in anyway.output


def test_run_logs_the_config_file_beside_the_database(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Stopped by a busy health port, after the start's log of its files.
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSDIGEST_HEALTH_PORT", str(held.getsockname()[1]))
    monkeypatch.setattr(launch, "configure_logging", lambda log_format: None)
    try:
        with caplog.at_level(logging.INFO, logger="bot.runner.launch"):
            with pytest.raises(SystemExit):
                run_service(load_config(None))
            own = checkout / "config" / "newsdigest.toml"
            own.rename(checkout / "newsdigest.toml.bak")
            with pytest.raises(SystemExit):
                run_service(load_config(None))
    finally:
        held.close()
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.runner.launch"]
    own = os.path.abspath("config/newsdigest.toml")
    assert f"database: {checkout / 'newsdigest.db'}" in logged
    assert f"config: {own}" in logged
    assert (
        f"config: {own} not found: running by the settings of the shipped example, "
        f"{os.path.abspath('config/newsdigest.example.toml')}; nothing is synced from a config "
        "file"
    ) in logged


def test_poll_without_config_in_a_fresh_checkout_creates_its_database(checkout: Path) -> None:
    # After `make demo` or `make test`: no config/newsdigest.toml, no newsdigest.db yet.
    (checkout / "config" / "newsdigest.toml").unlink()
    runner = CliRunner()

    refused = runner.invoke(cli, ["poll"])
    said = words(refused.stderr)
    assert refused.exit_code == 1
    assert "a feed your allow_private_networks under [polling] allows" in said
    assert "polling.allow_private_networks" not in said
    assert "from your checkout" not in said
    assert "copy config/newsdigest.example.toml to config/newsdigest.toml" in said.lower()
    assert "`newsdigest poll --without-config` runs it" in said

    polled = runner.invoke(cli, ["poll", "--without-config"])

    assert polled.exit_code == 0, polled.output
    assert (checkout / "newsdigest.db").exists()
    assert f"Created a new database at {checkout / 'newsdigest.db'}" in words(polled.stderr)


def test_a_write_in_the_checkout_without_config_says_how_to_make_one(checkout: Path) -> None:
    (checkout / "config" / "newsdigest.toml").unlink()

    added = CliRunner().invoke(cli, ["feeds", "add", "https://news.example.org/rss"])

    assert added.exit_code == 1
    assert not (checkout / "newsdigest.db").exists()
    said = words(added.stderr)
    # "Run this from your checkout" told the operator to go where they stood.
    assert "from your checkout" not in said
    # A fresh checkout never had the file: "put your config/newsdigest.toml back" was untrue.
    assert "put your config/newsdigest.toml back" not in said
    assert (
        "copy config/newsdigest.example.toml to config/newsdigest.toml and edit the copy "
        "(`make install` makes it; one you moved away: put it back)"
    ) in said


def test_config_check_of_a_named_missing_file_does_not_say_to_name_it(
    checkout: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.toml"

    checked = CliRunner().invoke(cli, ["config", "check", "--config", str(missing)])

    assert checked.exit_code == 1
    said = words(checked.stderr)
    assert said.startswith(f"Error: no config file: file not found: {missing} (from --config)")
    assert "--config FILE" not in said and "checkout" not in said


def test_run_without_config_refuses_as_poll_does(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (checkout / "config" / "newsdigest.toml").unlink()
    started: list[object] = []
    monkeypatch.setattr(launch, "run_service", started.append)

    refused = CliRunner().invoke(cli, ["run"])

    assert refused.exit_code == 1 and started == []
    said = words(refused.stderr)
    assert "config/newsdigest.toml not found" in said
    assert "`newsdigest run` would run by the shipped example's settings, not yours" in said
    assert "`newsdigest run --without-config` runs it" in said
    assert CliRunner().invoke(cli, ["run", "--without-config"]).exit_code == 0
    assert len(started) == 1


def test_with_the_config_missing_a_declared_feed_is_said_to_be_in_the_operators_file(
    checkout: Path,
) -> None:
    own = checkout / "config" / "newsdigest.toml"
    own.write_text(OWN + '[[feeds]]\nurl = "https://news.example.org/rss"\n', "utf-8")
    db = open_database(checkout / "newsdigest.db")
    try:
        sync_config(db, load_config(own))
    finally:
        db.close()
    own.rename(checkout / "newsdigest.toml.bak")
    runner = CliRunner()

    listed = words(runner.invoke(cli, ["feeds", "list"]).stdout)
    removed = runner.invoke(cli, ["feeds", "remove", "1"])

    # Edits to the example the command read instead are never synced: it is not where to go.
    mine = f"your config file (config/newsdigest.toml, not found in {checkout})"
    assert f"* declared in {mine}: change or remove it there" in listed
    assert "newsdigest.example.toml" not in listed
    assert removed.exit_code == 1
    assert f"is declared in {mine}; remove it there" in words(removed.stderr)
