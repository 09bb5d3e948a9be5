"""CLI messages that say what actually happened: backoff, total failure, filtered-out stories."""

from __future__ import annotations

import shlex
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.cli import polled_sample

from bot.cli import cli
from bot.cli.topics import argv_query
from bot.config import Config
from bot.store import feeds as feed_store
from bot.store.database import open_database, utcnow
from bot.topics.query import TopicQuery


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    return tmp_path / "nd.db"


def test_poll_exits_1_when_every_feed_failed_and_says_when_feeds_back_off(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["feeds", "add", "http://127.0.0.1:9/a"]).exit_code == 0
    assert runner.invoke(cli, ["feeds", "add", "http://127.0.0.1:9/b"]).exit_code == 0
    failed = runner.invoke(cli, ["poll"])
    assert failed.exit_code == 1
    assert "Polled 2 feeds" in failed.output and failed.output.count("✗") == 2
    # Both now back off: the next pass polls nothing, and says why instead of "0 feeds".
    again = runner.invoke(cli, ["poll"])
    assert again.exit_code == 0
    assert "Polled 0 feeds" in again.output
    assert "2 feeds backing off after failures were not polled" in again.output
    assert "newsdigest poll --all" in again.output


def test_poll_says_when_nothing_was_due(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["feeds", "add", "http://127.0.0.1:9/a"]).exit_code == 0
    db = open_database(env)
    (feed,) = feed_store.list_feeds(db)
    feed_store.update_feed(db, feed.id, next_poll_at=utcnow() + timedelta(minutes=10))
    db.close()
    result = runner.invoke(cli, ["poll"])
    assert result.exit_code == 0
    assert "No feed was due: 1 feed will be polled at its next interval" in result.output


def test_stories_filtered_out_are_not_reported_as_no_stories(
    env: Path, sample_config: Config
) -> None:
    runner = polled_sample(sample_config)
    result = runner.invoke(cli, ["stories", "--min-sources", "99"])
    assert result.exit_code == 0
    assert "No story in the last 48h has 99 or more independent sources" in result.output
    assert "Run `newsdigest poll` first" not in result.output
    for args in (["--limit", "0"], ["--limit", "-1"], ["--min-sources", "-3"]):
        bad = runner.invoke(cli, ["stories", *args])
        assert bad.exit_code == 2 and "is not in the range" in bad.output, args
    bad = runner.invoke(cli, ["topics", "test", "moon", "--min-sources", "0"])
    assert bad.exit_code == 2


def test_story_with_several_matches_says_it_is_ambiguous(env: Path, sample_config: Config) -> None:
    runner = polled_sample(sample_config)
    result = runner.invoke(cli, ["story", "c"])
    assert result.exit_code == 1
    assert "'c' matches several stories:" in result.output
    assert "No story matches" not in result.output


def test_feeds_enable_on_an_enabled_feed_says_so_and_plurals_agree(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["feeds", "add", "http://127.0.0.1:9/a"]).exit_code == 0
    already = runner.invoke(cli, ["feeds", "enable", "1"])
    assert already.exit_code == 0 and "Feed 1 was already enabled" in already.output
    failed = runner.invoke(cli, ["poll"])
    assert "Polled 1 feed in" in failed.output and "0 new articles, 0 stories" in failed.output
    assert "1 failure" in runner.invoke(cli, ["feeds", "list"]).output
    assert "1 failures" not in runner.invoke(cli, ["feeds", "list"]).output
    enabled = runner.invoke(cli, ["feeds", "enable", "1"])  # backing off: enabling resets it
    # It said "Enabled feed 1", of a feed that was never disabled.
    words = " ".join(enabled.output.split())
    assert words.startswith("Feed 1 was not disabled, but is backing off after 1 failure in a row")
    assert "; reset, so the next pass polls it: http://127.0.0.1:9/a" in words
    assert "Enabled" not in words
    assert "1 failure" not in runner.invoke(cli, ["feeds", "list"]).output  # the reset is real


def test_topics_test_help_has_its_own_example() -> None:
    # `topics test --help` showed `topics add chips ...` as the way to type a query.
    text = " ".join(CliRunner().invoke(cli, ["topics", "test", "--help"]).output.split())
    assert "(topics test '(\"chip export\" OR semiconductor) -rumour' --hours 24)" in text
    assert "topics add" not in text
    added = " ".join(CliRunner().invoke(cli, ["topics", "add", "--help"]).output.split())
    assert '(topics add chips "chip export" OR semiconductor)' in added


def test_topics_test_help_example_leaves_out_every_rumour() -> None:
    # The example read as "exclude rumours" but parsed as `"chip export" OR (semiconductor AND
    # NOT rumour)`: typed as the help shows it, the NOT must apply to the whole query.
    text = CliRunner().invoke(cli, ["topics", "test", "--help"]).output
    example = " ".join(text.split()).split("(topics test ", 1)[1].split(" --hours")[0]
    words = tuple(shlex.split(example))
    assert TopicQuery.parse(argv_query(words)).describe() == (
        '("chip export" OR semiconductor) AND NOT rumour'
    )


def test_digest_without_any_channel_says_where_channels_come_from(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["feeds", "add", "https://a.example/rss"]).exit_code == 0
    result = runner.invoke(cli, ["digest", "x"])
    assert result.exit_code == 1
    words = " ".join(result.output.split())
    assert "no channel 'x': there are no channels yet" in words
    assert "[[channels]]" in words and "console:terminal" in words
