"""Feed text printed by the CLI cannot drive the terminal, and `--hours` has a sane bound.

Headlines, slugs and feed names come from feeds anyone can publish. Rich's markup escape only
neutralises `[tags]`; an ESC sequence in a stored headline would clear the screen, recolour the
terminal or plant a hyperlink. Rich itself emits no ESC when writing to a non-terminal, so any
ESC in the captured output below came from the stored text.
"""

from __future__ import annotations

import asyncio
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from bot.app import PassReport
from bot.cli import cli
from bot.cli import output as output_module
from bot.cli.poll import poll_with_progress, print_poll_report
from bot.pipeline.poll import FeedResult, PollReport
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store.database import open_database, utcnow

EVIL = (
    "Tram \x1b[2J\x1b[31mRED\x1b[0m \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"
    " \x9b31m \u202eenil [bold red]x[/]"
)


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    path = tmp_path / "nd.db"
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(path))
    return path


def _store_evil_story(path: Path) -> None:
    db = open_database(str(path))
    seen = utcnow()
    new = article_store.insert_new(
        db,
        [
            dict(
                feed_id=None,
                source="Out\x1b[5mlet",
                guid="g1",
                url="https://a.example/1",
                canonical_url=None,
                title=EVIL,
                text="Tram strike in Lisbon. " + EVIL,
                author=None,
                published=seen,
                seen_at=seen,
            )
        ],
    )
    story_store.create_story(db, "s1", "tram-\x1b[2Jstrike", EVIL, seen)
    article_store.set_story(db, new[0].id, "s1")
    story_store.update_counts(
        db, "s1", article_count=1, outlet_count=1, source_count=1, last_updated=seen
    )
    db.close()


def _assert_terminal_safe(output: str) -> None:
    assert "\x1b" not in output
    assert "\x9b" not in output
    assert "\u202e" not in output


def test_stories_listing_strips_escape_sequences_from_headlines(db_path: Path) -> None:
    _store_evil_story(db_path)
    result = CliRunner().invoke(cli, ["stories"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "Tram" in result.output and "click" in result.output  # the words still show
    assert "[bold red]x[/]" in result.output  # markup printed literally, not applied
    _assert_terminal_safe(result.output)


def test_topics_test_strips_escape_sequences_from_headlines(db_path: Path) -> None:
    _store_evil_story(db_path)
    result = CliRunner().invoke(cli, ["topics", "test", "tram"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "matches 1 of 1" in result.output
    _assert_terminal_safe(result.output)


class _FakeCore:
    """Just enough of NewsDigest for the poll progress bar: one feed that fails."""

    def __init__(self, db: Any) -> None:
        self.db = db

    async def poll(self, *, feeds: Any, on_feed_done: Any, **_: Any) -> PassReport:
        results = [FeedResult(feed=f, status="failed", error="bad feed: " + EVIL) for f in feeds]
        for result in results:
            on_feed_done(result)
        return PassReport(poll=PollReport(feeds=results), touched_stories=set())


def test_poll_progress_and_report_strip_escape_sequences_from_feed_names(
    tmp_path: Path,
) -> None:
    db = open_database(str(tmp_path / "nd.db"))
    feed = feed_store.add_feed(db, "https://a.example/feed")
    # The feed's own <title> names it until the user gives it a name.
    feed_store.update_feed(db, feed.id, title="Feed " + EVIL)
    buf = StringIO()
    console = Console(file=buf, width=300, force_terminal=False, color_system=None)
    report = asyncio.run(poll_with_progress(_FakeCore(db), console, all_feeds=True))  # type: ignore[arg-type]
    print_poll_report(report, console)
    output = buf.getvalue()
    assert "Feed Tram" in output and "bad feed" in output
    _assert_terminal_safe(output)
    # On a terminal the bar shows the feed's name too; only Rich's own cursor control may
    # reach the terminal, none of the feed's escapes.
    bar = StringIO()
    terminal = Console(file=bar, width=300, force_terminal=True, color_system=None)
    asyncio.run(poll_with_progress(_FakeCore(db), terminal, all_feeds=True))  # type: ignore[arg-type]
    db.close()
    assert "Feed Tram" in bar.getvalue()
    for escape in ("\x1b[2J", "\x1b[31m", "\x1b]8", "\x9b", "\u202e"):
        assert escape not in bar.getvalue()


@pytest.mark.parametrize("command", [["stories"], ["topics", "test", "tram"]])
@pytest.mark.parametrize("hours", ["100000000000", "0", "-5"])
def test_hours_out_of_range_is_a_usage_error(db_path: Path, command: list[str], hours: str) -> None:
    # 1e11 hours used to end in an OverflowError traceback from the date arithmetic.
    result = CliRunner().invoke(cli, [*command, "--hours", hours])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--hours'" in result.output
    assert not isinstance(result.exception, OverflowError)


def test_hours_at_the_bound_still_lists(db_path: Path) -> None:
    _store_evil_story(db_path)
    result = CliRunner().invoke(cli, ["stories", "--hours", str(10 * 366 * 24)])
    assert result.exit_code == 0, result.output
    assert "Tram" in result.output


def test_feeds_list_and_topics_list_strip_escape_sequences(db_path: Path) -> None:
    # A feed's title comes from the feed (or an OPML file), its last error partly from the
    # server; a topic's title and query from anyone in a chat channel (/follow).
    assert CliRunner().invoke(cli, ["feeds", "add", "https://a.example/rss"]).exit_code == 0
    db = open_database(str(db_path))
    (feed,) = feed_store.list_feeds(db)
    feed_store.update_feed(db, feed.id, title=EVIL, last_error=EVIL, consecutive_failures=1)
    channel_store.upsert_topic(db, "tram", "tram \x1b[2J", title=EVIL, origin="chat")
    db.close()
    for args in (["feeds", "list"], ["topics", "list"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert "Tram" in result.output and "click" in result.output, args
        assert "[bold red]x[/]" in result.output, args  # markup printed literally
        _assert_terminal_safe(result.output)


def test_an_emoji_code_in_feed_text_is_printed_as_written(db_path: Path) -> None:
    # Rich turns ":warning:" into an emoji in any string it prints: a feed could put pictures
    # in the listings that are not in its text (and cut them to another width).
    db = open_database(str(db_path))
    seen = utcnow()
    feed = feed_store.add_feed(db, "https://a.example/:fire:/feed")
    feed_store.update_feed(db, feed.id, title="Gazette :fire:")
    new = article_store.insert_new(
        db,
        [
            dict(
                feed_id=feed.id,
                source="Gazette :fire:",
                guid="g1",
                url="https://a.example/1",
                canonical_url=None,
                title="Tram strike :warning: in Lisbon :thumbs_up:",
                text="Tram drivers in Lisbon walked out on Monday, the union said.",
                author=None,
                published=seen,
                seen_at=seen,
            )
        ],
    )
    story_store.create_story(db, "s1", "tram-strike", "Tram strike :warning: in Lisbon", seen)
    article_store.set_story(db, new[0].id, "s1")
    story_store.update_counts(
        db, "s1", article_count=1, outlet_count=1, source_count=1, last_updated=seen
    )
    db.close()
    for command, shown in (
        (["stories"], ["Tram strike :warning: in Lisbon"]),
        (["story", "tram-strike"], [":warning:"]),
        (["topics", "test", "tram"], ["Tram strike :warning: in Lisbon"]),
        (["feeds", "list"], ["Gazette :fire:", "https://a.example/:fire:/feed"]),
    ):
        result = CliRunner().invoke(cli, command, env={"COLUMNS": "300"})
        assert result.exit_code == 0, result.output
        for text in shown:
            assert text in result.output, (command, result.output)
        assert not any(emoji in result.output for emoji in "⚠🔥👍"), (command, result.output)


def test_poll_progress_and_report_print_an_emoji_code_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(str(tmp_path / "nd.db"))
    feed = feed_store.add_feed(db, "https://a.example/feed")
    feed_store.update_feed(db, feed.id, title="Gazette :fire: [b]x[/b]")
    # The poll command's own console, on a terminal (for the bar) without colours.
    bar = StringIO()
    monkeypatch.setattr(sys, "stderr", bar)
    monkeypatch.setattr(output_module, "_isatty", lambda stream: True)
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    console = output_module.plain_console(stderr=True)
    assert console.is_terminal
    report = asyncio.run(poll_with_progress(_FakeCore(db), console, all_feeds=True))  # type: ignore[arg-type]
    print_poll_report(report, console)
    db.close()
    shown = bar.getvalue()
    assert "Gazette :fire: [b]x[/b]" in shown
    assert "🔥" not in shown
