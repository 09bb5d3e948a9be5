"""A topic query given on the command line may start with '-word' (NOT word): it is the query,
not an unknown option, while the commands' own options and --help keep working."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.cli import polled_sample

from bot.cli import cli, main
from bot.config import Config
from bot.store import channels as channel_store
from bot.store.database import open_database


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    open_database(tmp_path / "nd.db").close()  # read-only commands refuse a missing database
    return tmp_path / "nd.db"


def _main(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, pytest.CaptureResult[str]]:
    monkeypatch.setattr(sys, "argv", ["newsdigest", *args])
    code = 0
    try:
        main()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    return code, capsys.readouterr()


def test_topics_test_with_a_leading_not_through_main(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _main(["topics", "test", "-rumour"], monkeypatch, capsys)
    assert code == 0, out.err
    assert out.out.startswith("NOT rumour matches 0 of 0 stories from the last 72h")
    assert "No such option" not in out.err


def test_leading_not_matches_like_the_same_query_written_as_not(
    env: Path, sample_config: Config
) -> None:
    runner = polled_sample(sample_config)
    dashed = runner.invoke(cli, ["topics", "test", "-strike", "--hours", "100"])
    spelled = runner.invoke(cli, ["topics", "test", "NOT strike", "--hours", "100"])
    assert dashed.exit_code == 0, dashed.output
    assert dashed.output == spelled.output
    matched = re.match(r"NOT strike matches (\d+) of (\d+) stories", dashed.output)
    assert matched and 0 < int(matched[1]) < int(matched[2])  # the strike story is left out
    # Words and options in any order, several words joined, `--` still ending the options.
    mixed = runner.invoke(cli, ["topics", "test", "--hours=100", "-strike", "--min-sources", "1"])
    assert mixed.output == spelled.output
    joined = runner.invoke(cli, ["topics", "test", "strike", "-rumour", "--hours", "100"])
    assert re.match(r"strike AND NOT rumour matches [1-9]", joined.output), joined.output
    ended = runner.invoke(cli, ["topics", "test", "--hours", "100", "--", "-strike"])
    assert ended.output == spelled.output


def test_topics_add_with_a_leading_not(env: Path) -> None:
    runner = CliRunner()
    quoted = runner.invoke(cli, ["topics", "add", "chips", "-rumour chips", "--title", "Chips"])
    assert quoted.exit_code == 0, quoted.output
    assert quoted.output == "Topic chips: NOT rumour AND chips\n"
    unquoted = runner.invoke(cli, ["topics", "add", "chips2", "-rumour", "chips"])
    assert unquoted.output == "Topic chips2: NOT rumour AND chips\n"
    db = open_database(env)
    try:
        topic = channel_store.get_topic(db, "chips")
        assert topic is not None and (topic.query, topic.title) == ("-rumour chips", "Chips")
        assert channel_store.get_topic(db, "chips2").query == "-rumour chips"  # type: ignore[union-attr]
    finally:
        db.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["topics", "test"], "Missing argument 'QUERY'"),
        (["topics", "add", "chips"], "Missing argument 'QUERY'"),
        (["topics", "test", "--hours"], "Option '--hours' requires an argument"),
        (["topics", "test", "x", "--hours", "abc"], "Invalid value for '--hours'"),
    ],
)
def test_usage_errors_are_still_usage_errors(env: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and message in result.output


@pytest.mark.parametrize("help_flag", ["--help", "-h"])
@pytest.mark.parametrize("command", [["topics", "test"], ["topics", "add"], ["story"]])
def test_help_still_works(command: list[str], help_flag: str) -> None:
    result = CliRunner().invoke(cli, [*command, help_flag])
    assert result.exit_code == 0 and result.output.startswith("Usage: ")


def test_story_search_words_may_start_with_a_dash(env: Path) -> None:
    result = CliRunner().invoke(cli, ["story", "-nothing"])
    assert result.exit_code == 1
    assert "No story matches '-nothing'." in result.output
