"""What a digest says of itself: the run's log line counts its stories in good English, and a
story listed again because it grew says so in the backlog's compact line, rather than reading as
the line the channel saw the day before. A real SQLite file through the real digest code, and
the notice as the overflow list builds it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
import sqlite_utils
from fakes.stories import add_channel, add_story

from bot.pipeline.digest import Candidate
from bot.runner import digests
from bot.runner.overflow import MAX_LISTED, overflow_notice
from bot.store.stories import StoryRow

NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)


def test_the_digest_log_line_counts_one_story_in_the_singular(
    db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    channel = add_channel(db, "C0DIGEST", mode="digest")
    add_story(db, "lone-story", ["Gazette", "Courier"], now=NOON)
    with caplog.at_level(logging.INFO, logger="bot.runner.digests"):
        assert digests.enqueue_digest(db, channel, now=NOON, scheduled_for=NOON) == 1
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("digest for")]
    assert said == [f"digest for {channel.key}: 1 story (0 more did not fit)"]


def _candidate(name: str, sources: int) -> Candidate:
    story = StoryRow(name, name, f"Headline of {name}", NOON, NOON, sources, sources, sources, None)
    return Candidate(story, [], [])


def test_a_grown_story_in_the_backlog_message_shows_its_new_source_count() -> None:
    # Stories that waited through a digest fill the list, so the backlog's message follows it:
    # the last one that waited, then a story an earlier digest listed with 2 sources, now 5.
    waited = [_candidate(f"waited{i:02}", 2) for i in range(MAX_LISTED + 1)]
    grown = _candidate("grown", 5)
    notice = overflow_notice(
        "slack",
        [*waited, grown],
        listed_before={"grown": 2},
        counted_before=[c.story.id for c in waited],
    )
    assert notice is not None and notice.backlog is not None
    lines = notice.backlog.text.splitlines()
    assert "• Headline of grown · now 5 sources · /story grown" in lines
    # One that never had a line before keeps the compact line: nothing grew that it was shown.
    assert f"• Headline of waited{MAX_LISTED:02} · /story waited{MAX_LISTED:02}" in lines
