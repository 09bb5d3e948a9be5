"""A terminal channel gets paced thread updates like any other, but its printed card cannot be
edited: the planner queues no silent edit for it, and an edit an older version queued is dropped
without a send, a warning or a retry (sent, `refresh_card` is missing: it raised, and the outbox
checked and retried it as a send that may have landed, eight times, with a traceback each).

Real planner, outbox and console adapter on a real SQLite file; assertions are on what the
console printed and the rows left."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.adapters.console import ConsoleAdapter
from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.routes import DiscordAdapter
from bot.adapters.discord.webhook import DiscordWebhookAdapter
from bot.adapters.slack.adapter import SlackAdapter
from bot.delivery.adapter import platform_edits_cards, refreshes_cards
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests, update_planner
from bot.store import card_refreshes
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


class Terminal:
    """A console channel shown story s1 (outlets A and B) at T0."""

    def __init__(self, path: Path) -> None:
        self.now = T0
        self.db = open_database(path)
        self.channel = add_channel(self.db, "terminal", platform="console")
        add_story(self.db, "s1", ["A", "B"], now=T0)
        digests.enqueue_digest(self.db, self.channel, now=T0)
        self.out = io.StringIO()
        self.outbox = Outbox(
            self.db,
            make_card_source(self.db, T0),
            settings=OutboxSettings(pace=0, update_interval=HOUR),
            clock=lambda: self.now,
        )
        self.outbox.register(ConsoleAdapter(file=self.out, width=100))

    async def poll(self, *outlets: str) -> None:
        if outlets:
            grow_story(self.db, "s1", list(outlets), now=self.now)
        update_planner.enqueue_updates(self.db, {"s1"}, now=self.now, interval=HOUR)
        await self.outbox.drain()

    def rows(self, kind: str) -> list[tuple[str, str | None]]:
        sql = "SELECT state, last_error FROM deliveries WHERE kind = ? ORDER BY id"
        return [(r[0], r[1]) for r in self.db.execute(sql, [kind])]


async def test_a_growing_story_gets_paced_updates_and_no_card_edits(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    terminal = Terminal(tmp_path / "nd.db")
    await terminal.poll()
    for minutes in range(60, 600, 10):
        terminal.now = T0 + minutes * MINUTE
        await terminal.poll(f"O{minutes}") if minutes < 400 else await terminal.poll()
    printed = terminal.out.getvalue()
    # Replies 1 h after the card, then 2 h and 4 h later (at 10:00, 12:00, 16:00).
    assert printed.count("update to") == 3
    assert terminal.rows("refresh") == []
    assert terminal.rows("update") == [("sent", None)] * 3
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_an_edit_queued_by_an_older_version_is_dropped_unsent(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    terminal = Terminal(tmp_path / "nd.db")
    await terminal.poll()
    printed = terminal.out.getvalue()
    terminal.now = T0 + 30 * MINUTE
    grow_story(terminal.db, "s1", ["C"], now=terminal.now)
    card_refreshes.enqueue(
        terminal.db, "s1", terminal.channel.id, now=terminal.now, not_before=None
    )
    caplog.set_level(logging.INFO)
    report = await terminal.outbox.drain()
    assert terminal.rows("refresh") == []
    assert (report.sent, report.retried, report.failed) == (0, 0, 0)
    assert terminal.out.getvalue() == printed
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "card edit 2 in console:terminal dropped: console edits no card" in caplog.text


@pytest.mark.parametrize(
    "adapter",
    [ConsoleAdapter, SlackAdapter, DiscordAdapter, DiscordBotAdapter, DiscordWebhookAdapter],
)
def test_the_planner_knows_which_platforms_edit_cards(adapter: type) -> None:
    # The planner asks by platform name, the outbox asks the adapter: they must agree.
    assert platform_edits_cards(adapter.platform) == refreshes_cards(adapter)  # type: ignore[arg-type]
