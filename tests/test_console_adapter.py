"""The console adapter's header line names the channel once with a '#': a config name written as
Slack shows it ("#ops", as the README's examples are) is not printed "##ops"."""

from __future__ import annotations

import io

import pytest
import sqlite_utils

from bot.adapters.console import ConsoleAdapter
from bot.store import channels as channel_store


@pytest.mark.parametrize(
    ("name", "header"),
    [("#ops", "#ops"), ("ops", "#ops"), (None, "#terminal"), ("#team #ops", "#team #ops")],
)
async def test_the_channel_header_has_one_hash(
    db: sqlite_utils.Database, name: str | None, header: str
) -> None:
    channel = channel_store.ensure_channel(db, "console", "terminal", name=name)
    out = io.StringIO()
    await ConsoleAdapter(file=out, width=100).post_text(channel, "Feed disabled.")
    assert out.getvalue() == f"{header} · notice\nFeed disabled.\n"
