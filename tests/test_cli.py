"""The command line, driven through click's runner against a real database file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import Config
from bot.demo.run import newsdigest_command

COMMANDS = [
    [],
    ["feeds"],
    ["feeds", "add"],
    ["feeds", "list"],
    ["feeds", "remove"],
    ["feeds", "import"],
    ["feeds", "export"],
    ["feeds", "enable"],
    ["topics"],
    ["topics", "add"],
    ["topics", "test"],
    ["poll"],
    ["stories"],
    ["story"],
    ["digest"],
    ["demo"],
    ["run"],
    ["eval"],
    ["eval", "cluster"],
    ["eval", "summarize"],
    ["prune"],
]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    return {}


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "newsdigest")
def test_every_command_has_help(args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert len(result.output.splitlines()) > 3


def _help(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="newsdigest")
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # as one line, however click wrapped it


def test_query_usage_shows_words_and_whether_optional() -> None:
    # QUERY is any number of shell words; `topics test` may take --topic SLUG instead.
    assert _help("topics", "test").startswith("Usage: newsdigest topics test [OPTIONS] [QUERY]... ")
    assert _help("topics", "add").startswith(
        "Usage: newsdigest topics add [OPTIONS] SLUG QUERY... "
    )


def test_prune_help_says_it_needs_the_config_file_without_older_than() -> None:
    assert (
        "Without --older-than, DAYS is the config file's storage.retention_days, so the config "
        "file must be found" in _help("prune")
    )


def test_eval_summarize_help_says_what_it_reads_and_prints() -> None:
    text = _help("eval", "summarize")
    assert "for each story of INPUT_FILE, print its headline, TL;DR bullets and angles" in text
    assert 'each article as `eval cluster` reads one: {"id","source","title","text","url",' in text


def test_feeds_add_list_export_import_remove(env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(cli, ["feeds", "add", "https://news.example/rss", "--name", "Example"])
    assert added.exit_code == 0 and "Added feed 1" in added.output
    dup = runner.invoke(cli, ["feeds", "add", "https://news.example/rss"])
    assert dup.exit_code != 0 and "already" in dup.output
    bad = runner.invoke(cli, ["feeds", "add", "ftp://news.example/rss"])
    assert bad.exit_code != 0 and "only http" in bad.output
    listing = runner.invoke(cli, ["feeds", "list"])
    assert "news.example" in listing.output and "Example" in listing.output

    opml = tmp_path / "feeds.opml"
    exported = runner.invoke(cli, ["feeds", "export", "-o", str(opml)])
    assert exported.exit_code == 0 and opml.exists()
    assert b"https://news.example/rss" in opml.read_bytes()

    removed = runner.invoke(cli, ["feeds", "remove", "https://news.example/rss"])
    assert removed.exit_code == 0
    imported = runner.invoke(cli, ["feeds", "import", str(opml)])
    assert imported.exit_code == 0 and "Imported 1 feed from" in imported.output
    again = runner.invoke(cli, ["feeds", "import", str(opml)])
    assert "Imported 0 feeds (1 skipped)" in again.output


def test_malformed_opml_import_is_one_error_line(env: dict[str, str], tmp_path: Path) -> None:
    opml = tmp_path / "bad.opml"
    opml.write_text("not xml", encoding="utf-8")
    result = CliRunner().invoke(cli, ["feeds", "import", str(opml)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # click's clean exit, not an OpmlError
    assert result.output.startswith(f"Error: {opml}: not well-formed XML")
    assert "Traceback" not in result.output and len(result.output.splitlines()) == 1


def test_opml_export_to_a_missing_directory_is_one_error_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "feeds.opml"
    CliRunner().invoke(cli, ["feeds", "add", "https://news.example/rss"])
    result = CliRunner().invoke(cli, ["feeds", "export", "-o", str(target)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output == f"Error: {target}: cannot write: No such file or directory\n"


def test_feeds_add_refuses_an_interval_beyond_a_week(env: dict[str, str]) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["feeds", "add", "https://news.example/rss", "--interval", "99999999999d"]
    )
    # A bad option value is a usage error (exit 2), as `prune --older-than` already was.
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.output.endswith(
        "Error: Invalid value for '--interval': '99999999999d' is longer than the 7-day maximum\n"
    )
    # Refused before anything was stored: not even a database was created.
    assert "no such database" in runner.invoke(cli, ["feeds", "list"]).output
    week = runner.invoke(cli, ["feeds", "add", "https://news.example/rss", "--interval", "7d"])
    assert week.exit_code == 0 and "(every 7d)" in week.output


def test_topics_add_and_invalid_query(env: dict[str, str]) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["topics", "add", "chips", '"chip export" OR semiconductor'])
    assert ok.exit_code == 0 and "chips" in ok.output
    bad = runner.invoke(cli, ["topics", "add", "broken", "(chip OR"])
    assert bad.exit_code != 0 and "invalid query" in bad.output and "^" in bad.output
    listing = runner.invoke(cli, ["topics", "list"])
    assert "semiconductor" in listing.output


def test_topics_add_with_runaway_nesting_is_an_invalid_query(env: dict[str, str]) -> None:
    query = "(" * 400 + "chips" + ")" * 400
    result = CliRunner().invoke(cli, ["topics", "add", "deep", query])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith(
        "Error: invalid query:\nAt character 21: parentheses nested more than 20 deep"
    )


def test_bad_config_stops_with_the_key_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[[channels]]\nplatform = 'slack'\nid = 'C1'\ntimezone = 'Nowhere/Land'\n")
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    result = CliRunner().invoke(cli, ["--config", str(config), "feeds", "list"])
    assert result.exit_code != 0
    assert "channels[0].timezone" in result.output and "Nowhere/Land" in result.output


def test_poll_stories_story_and_digest(
    env: dict[str, str], sample_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    for feed in sample_config.feeds:
        assert runner.invoke(cli, ["feeds", "add", feed.url]).exit_code == 0
    polled = runner.invoke(cli, ["poll"])
    assert polled.exit_code == 0, polled.output
    assert "new articles" in polled.output
    stories = runner.invoke(cli, ["stories", "--min-sources", "2"])
    assert stories.exit_code == 0 and "sources" in stories.output
    story = runner.invoke(cli, ["story", "kestrel", "lander"])
    assert story.exit_code == 0, story.output
    assert "4 sources tracking this story" in story.output
    missing = runner.invoke(cli, ["story", "qqqq"])
    assert missing.exit_code != 0 and "No story matches" in missing.output
    # A word that is no search offers the newest stories as such, not as "did you mean".
    the = runner.invoke(cli, ["story", "the"])
    assert the.exit_code != 0 and "it has no word to search for. Recent stories: " in the.output
    assert "Did you mean" not in the.output
    unknown_channel = runner.invoke(cli, ["digest", "nowhere"])
    assert unknown_channel.exit_code != 0 and "no channel" in unknown_channel.output


def test_eval_cluster_and_summarize_formats(tmp_path: Path) -> None:
    articles = [
        {
            "id": "a1",
            "source": "One",
            "title": "Lander touches down on the Moon",
            "text": "The Kestrel lander touched down near the lunar south pole on Wednesday.",
            "url": None,
            "published": "2026-01-01T10:00:00Z",
        },
        {
            "id": "a2",
            "source": "Two",
            "title": "Kestrel lander lands near lunar south pole",
            "text": "Skyforge's Kestrel lander landed near the Moon's south pole.",
            "url": None,
            "published": "2026-01-01T11:00:00Z",
        },
        {
            "id": "a3",
            "source": "Three",
            "title": "Central bank holds rates",
            "text": "The central bank kept rates at 3.5% on Thursday.",
            "url": None,
            "published": None,
        },
    ]
    inp = tmp_path / "articles.jsonl"
    inp.write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    result = CliRunner().invoke(cli, ["eval", "cluster", str(inp)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [set(r) for r in rows] == [{"id", "story"}] * 3
    assert sorted(r["id"] for r in rows) == ["a1", "a2", "a3"]

    stories = tmp_path / "stories.jsonl"
    stories.write_text(
        json.dumps({"cluster_id": "c1", "articles": articles[:2], "reference": {}}) + "\n"
    )
    result = CliRunner().invoke(cli, ["eval", "summarize", str(stories)])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.output.splitlines()]
    assert set(row) == {"cluster_id", "headline", "tldr", "angles"}
    assert row["cluster_id"] == "c1" and isinstance(row["tldr"], list) and row["headline"]
    assert all(
        set(a) == {"source", "line", "quote"} and a["source"] in {"One", "Two"}
        for a in row["angles"]
    )

    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n")
    result = CliRunner().invoke(cli, ["eval", "cluster", str(broken)])
    assert result.exit_code != 0 and "line 1" in result.output


def test_demo_runs_offline_and_writes_the_preview(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "sources tracking this story" in result.output
    assert "TL;DR" in result.output
    assert "What others are reporting" in result.output
    # Every part of a card shows in the demo's: corroboration, wire copy counted once, an
    # outlet's framed angle with its quote, the outlets that add nothing, the story's age.
    for part in ("(reported by 2 of", "shared wire copy counted once", "Adds a voice: ", "“"):
        assert part in result.output, part
    assert "Also reporting: " in result.output and "after first report" in result.output
    assert "1 failed" in result.output
    html = (tmp_path / "out" / "digest.html").read_text()
    assert "<!doctype html>" in html.lower() and "sources tracking" in html
    assert "<!channel>" not in html  # the injection item is escaped wherever it appears
    # The hint is one unwrapped line, however long the path.
    hint = f"Try: NEWSDIGEST_DB={tmp_path / 'out' / 'demo.db'} {newsdigest_command()} stories"
    assert hint in result.output.splitlines()


def test_a_loopback_feed_names_the_setting_that_allows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `feeds add` refuses it, naming the setting; one declared in the config file is stored, and
    # its poll names the setting too.
    config = tmp_path / "nd.toml"
    config.write_text('[[feeds]]\nurl = "http://127.0.0.1:9/config-rss"\n', encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    runner = CliRunner()
    added = runner.invoke(cli, ["feeds", "add", "http://127.0.0.1:9/rss"])
    assert added.exit_code == 1 and "Added feed" not in added.output
    assert "allow_private_networks = true under [polling]" in added.output
    polled = runner.invoke(cli, ["poll"])
    assert "refusing to fetch from loopback address 127.0.0.1" in polled.output
    assert "set allow_private_networks = true under [polling]" in polled.output


def test_opml_import_counts_and_explains_every_skipped_outline(
    env: dict[str, str], tmp_path: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["feeds", "add", "https://old.example/rss"]).exit_code == 0
    opml = tmp_path / "mixed.opml"
    opml.write_text(
        """<?xml version="1.0"?><opml version="2.0"><head/><body>
      <outline text="New" xmlUrl="https://new.example/rss"/>
      <outline text="Old" xmlUrl="https://old.example/rss"/>
      <outline text="Twice" xmlUrl="https://new.example/rss"/>
      <outline text="FTP" xmlUrl="ftp://files.example/rss"/>
      <outline text="Creds" xmlUrl="https://user:pw@c.example/rss"/>
    </body></opml>""",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["feeds", "import", str(opml)])
    assert result.exit_code == 0
    assert f"Imported 1 feed (4 skipped) from {opml}" in result.output
    assert "skipped 1 feed already in the database" in result.output
    assert "skipped https://new.example/rss: listed twice in the file" in result.output
    assert "skipped ftp://files.example/rss: unsupported scheme ftp:" in result.output
    assert "skipped https://user:pw@c.example/rss: feed URLs with a user name" in result.output
