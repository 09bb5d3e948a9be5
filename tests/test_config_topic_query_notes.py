"""A `[[topics]]` query in the config file that `topics list` and `run` point out (`chip or
semiconductor` read as chip AND or AND semiconductor, `title:chip`, `chip*`, `port NEAR strike`)
passed `config check` as "loads, no warnings", and `poll` synced it silently: a new team's first
topic matched almost nothing while the checker said all was fine. Now the file's warnings say
it, with the note `topics list` gives; `run` logs it once. And the CLI topic commands say what
/follow says of a word written as another engine's operator (NEAR). Real files, the real CLI."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.chat import FakeChatAdapter
from fakes.runner import stop

from bot.app import NewsDigest
from bot.cli import cli
from bot.commands import CommandContext, Commands
from bot.config import load_config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store.database import open_database
from tests._cli_env import cli_env

TOPICS = """
[[topics]]
slug = "chips"
query = "chip or semiconductor"

[[topics]]
slug = "fine"
query = "chip OR semiconductor"

[[topics]]
slug = "odd"
query = "title:chip"

[[topics]]
slug = "stars"
query = "chip*"

[[topics]]
slug = "near"
query = "port NEAR strike"
"""
SLACK = CommandContext(platform="slack", channel_id="C7", user_id="U1", channel_name="news")
OPERATOR = "NEAR is a word to find here, not an operator; the operators are AND, OR and NOT."


def _check(config: Path) -> str:
    result = CliRunner().invoke(cli, ["--config", str(config), "config", "check"])
    assert result.exit_code == 0, result.output
    return result.output


def test_config_check_notes_each_topic_query_topics_list_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = cli_env(tmp_path, monkeypatch, TOPICS)
    out = _check(config)
    assert f"{config}: loads, with 4 warnings." in out
    assert (
        f'Warning: {config}: topics[0] (chips): query = "chip or semiconductor": "or" is a word '
        "to find here, not the operator OR: read as chip AND or AND semiconductor, which may not "
        "be what was meant: write OR in capitals for the operator. (Loaded as written; topics "
        "add and /follow refuse such a query as typed; `newsdigest topics test` shows what a "
        "query matches.)"
    ) in out
    assert 'topics[2] (odd): query = "title:chip": "title:" is no field here' in out
    assert 'topics[3] (stars): query = "chip*": * is no wildcard here' in out
    assert (
        'topics[4] (near): query = "port NEAR strike": NEAR is a word to find here, not an '
        "operator: read as port AND NEAR AND strike"
    ) in out
    assert "(fine)" not in out
    # The same words `topics list` gives once the file is synced.
    assert CliRunner().invoke(cli, ["poll"]).exit_code == 0
    listed = CliRunner().invoke(cli, ["topics", "list"]).stdout
    assert 'chips: "or" is a word to find here, not the operator OR: read as chip AND or' in listed
    assert "near: NEAR is a word to find here, not an operator: read as port AND NEAR" in listed


def test_a_file_of_fine_queries_still_has_no_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = cli_env(tmp_path, monkeypatch, '[[topics]]\nslug = "fine"\nquery = "chip OR wafer"\n')
    assert f"{config}: loads, no warnings." in _check(config)


def test_poll_prints_them_as_it_syncs_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = cli_env(tmp_path, monkeypatch, TOPICS)
    result = CliRunner().invoke(cli, ["poll"])
    assert result.exit_code == 0, result.output
    assert f'{config}: topics[0] (chips): query = "chip or semiconductor"' in result.stderr
    assert "config: added 5 topics" in result.stderr


async def test_run_logs_a_file_topics_note_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "nd.toml"
    path.write_text(f'database = "{tmp_path / "nd.db"}"\n{TOPICS}', encoding="utf-8")
    config = load_config(str(path))
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, health_host="127.0.0.1", post_pace=0)
    now = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
    service = Service(config, core=core, settings=settings, clock=lambda: now, env={})
    service.register_adapter(FakeChatAdapter("slack"))
    with caplog.at_level(logging.WARNING):
        await service.start()
        await stop(service)
    said = [r.getMessage() for r in caplog.records if "chip or semiconductor" in r.getMessage()]
    assert len(said) == 1, said  # the file's warning; not again in the saved-topics line
    assert said[0].startswith(f"{path}: topics[0] (chips)")


def test_topics_add_list_and_test_say_what_follow_says_of_near(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)
    runner = CliRunner()
    added = runner.invoke(cli, ["topics", "add", "t1", "port NEAR strike"])
    assert added.exit_code == 0, added.output
    assert added.stderr.endswith(f"\nNote: {OPERATOR}\n")  # after "Created a new database"
    listed = runner.invoke(cli, ["topics", "list"])
    assert "1 query may not match what was meant" in listed.stdout
    assert "would be refused" not in listed.stdout  # it was not: it is saved
    assert (
        "t1: NEAR is a word to find here, not an operator: read as port AND NEAR" in listed.stdout
    )
    tested = runner.invoke(cli, ["topics", "test", "port NEAR strike"])
    assert tested.exit_code == 0, tested.output
    assert tested.stderr == f"Note: {OPERATOR}\n"
    saved = runner.invoke(cli, ["topics", "test", "--topic", "t1"])
    assert "Note: t1: NEAR is a word to find here, not an operator" in saved.stderr
    plain = runner.invoke(cli, ["topics", "add", "t2", "port OR strike"])
    assert plain.exit_code == 0 and plain.stderr == ""


async def test_watchlist_notes_a_saved_near_as_it_notes_a_lowercase_or(core: NewsDigest) -> None:
    channel_store.upsert_topic(core.db, "ports", "port NEAR strike")
    channel = channel_store.ensure_channel(core.db, "slack", "C7")
    channel_store.follow(core.db, channel.id, "ports")
    reply = await Commands(core).dispatch("watchlist", "", SLACK)
    lines = {line.text: line.note for line in reply.lines}
    assert lines["ports: port NEAR strike"] == "(NEAR is a word to find here, not an operator)"
