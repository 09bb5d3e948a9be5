"""`/watchlist min-sources=2`, `mode=instant`, `quiet=off`: a setting joined to its value by "=",
as config files and command lines write it, is read as with ":" or a space, not refused as an
unknown setting. (Slack's form only: Discord's subcommands take no setting name.) Real dispatch
through Slack's app, real SQLite."""

from __future__ import annotations

import pytest
from test_slack_app import Harness, ack_text

from bot.app import NewsDigest
from bot.store import channels as channel_store

pytestmark = pytest.mark.empty_core


@pytest.mark.parametrize(
    ("typed", "column", "value"),
    [
        ("min-sources=3", "min_sources", 3),
        ("min-sources = 3", "min_sources", 3),
        ("min sources=3", "min_sources", 3),
        ("mode=instant", "mode", "instant"),
        ("mode mode=instant", "mode", "instant"),
        ("quiet=22:00-07:00", "quiet_hours", "22:00-07:00"),
        ("timezone=Europe/Berlin", "timezone", "Europe/Berlin"),
        ("digest-size=7", "digest_size", 7),
        ("schedule=weekdays 09:00", "schedule", "0 9 * * mon-fri"),
    ],
)
async def test_a_setting_joined_to_its_value_by_equals_is_saved(
    h: Harness, core: NewsDigest, typed: str, column: str, value: object
) -> None:
    _, body = await h.slash("/watchlist", typed)
    assert ack_text(body).startswith("Saved. "), body
    channel = channel_store.get_channel(core.db, "slack", "C1")
    assert channel is not None and getattr(channel, column) == value


async def test_quiet_equals_off_turns_quiet_hours_off(h: Harness, core: NewsDigest) -> None:
    await h.slash("/watchlist", "quiet 22:00-07:00")
    _, body = await h.slash("/watchlist", "quiet=off")
    assert ack_text(body).startswith("Saved. Mode: digest")
    channel = channel_store.get_channel(core.db, "slack", "C1")
    assert channel is not None and channel.quiet_hours is None
