"""A phrase quoted for the shell arrives as one argv word with spaces in it: the query keeps it a
phrase (`topics add chips "chip export" OR semiconductor`), not "chip AND export"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.cli.topics import argv_query
from bot.store import channels as channel_store
from bot.store.database import open_database


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    open_database(tmp_path / "nd.db").close()
    return tmp_path / "nd.db"


def test_argv_words_with_spaces_become_phrases() -> None:
    assert argv_query(("chip export", "OR", "semiconductor")) == '"chip export" OR semiconductor'
    # One argument is the whole query, as typed inside one pair of shell quotes.
    assert argv_query(("chip export OR semiconductor",)) == "chip export OR semiconductor"
    # Words that carry their own quotes or are groups are left as they are.
    assert argv_query(('"chip export"', "OR", "x")) == '"chip export" OR x'
    # A group or an expression quoted only to keep the shell off its parentheses stays one.
    assert argv_query(("(chip OR semi)", "export")) == "(chip OR semi) export"
    assert argv_query(("chip OR semi", "-rumour")) == "chip OR semi -rumour"


def test_topics_add_keeps_a_shell_quoted_phrase(env: Path) -> None:
    result = CliRunner().invoke(
        cli, ["topics", "add", "chips", "chip export", "OR", "semiconductor"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == 'Topic chips: "chip export" OR semiconductor\n'
    db = open_database(env)
    topic = channel_store.get_topic(db, "chips")
    assert topic is not None and topic.query == '"chip export" OR semiconductor'


def test_topics_test_keeps_a_shell_quoted_phrase(env: Path) -> None:
    result = CliRunner().invoke(cli, ["topics", "test", "chip export", "OR", "semiconductor"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith('"chip export" OR semiconductor matches 0 of 0 stories')


@pytest.mark.parametrize(
    ("argv", "query"),
    [
        (("source:Harbor Times", "ferry"), 'source:"Harbor Times" ferry'),
        (("ferry", "-source:Harbor Times"), 'ferry -source:"Harbor Times"'),
        (("source:Harbor Times",), 'source:"Harbor Times"'),
        (("SOURCE:Harbor Times", "ferry"), 'SOURCE:"Harbor Times" ferry'),
        # An expression the shell kept together, and a name with no space, are as typed.
        (("source:harbor OR source:gazette", "ferry"), "source:harbor OR source:gazette ferry"),
        (("source:harbor", "ferry"), "source:harbor ferry"),
        # The whole query in one pair of shell quotes: its words after the name are the query's.
        (("source:reuters chips",), "source:reuters chips"),
        (("source:Reuters chip exports",), "source:Reuters chip exports"),
        (("source:Times of India", "monsoon"), 'source:"Times of India" monsoon'),
    ],
)
def test_a_shell_unquoted_source_name_is_quoted_again(argv: tuple[str, ...], query: str) -> None:
    # The shell turns `source:"Harbor Times"` into the one word `source:Harbor Times`.
    assert argv_query(argv) == query


def test_topics_test_keeps_a_shell_quoted_source_name(env: Path) -> None:
    result = CliRunner().invoke(cli, ["topics", "test", "source:Harbor Times", "ferry"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith('source:"harbor times" AND ferry matches 0 of 0 stories')
