"""Settings that hold back every digest are saved, as asked, but said: a 23:00 digest in quiet
hours 22:00-07:00 always waits for 07:00, and quiet hours of nearly the whole day leave almost
no time to post in. Settings that let digests out say nothing more than "Saved."."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.store import channels as channel_store

NOW = datetime(2027, 3, 8, 12, 0, tzinfo=UTC)
PLATFORMS = ["slack", "discord"]


def _ctx(platform: str) -> CommandContext:
    return CommandContext(platform=platform, channel_id="C7", user_id="U1", channel_name="news")


async def _say(commands: Commands, platform: str, *settings: str) -> str:
    text = ""
    for setting in settings:
        text = (await commands.dispatch("watchlist", setting, _ctx(platform))).text
    return text


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_a_digest_time_in_quiet_hours_is_saved_with_a_note(
    core: NewsDigest, platform: str
) -> None:
    commands = Commands(core, clock=lambda: NOW)
    note = "Note: 23:00 falls in quiet hours 22:00-07:00, so digests will post at 07:00."
    # Either order: the schedule set into the quiet hours, or quiet hours set over it.
    text = await _say(commands, platform, "quiet 22:00-07:00", "schedule daily 23:00")
    assert text.startswith(f"Saved. {note}\nMode: digest")
    text = await _say(commands, platform, "quiet off", "quiet 22:00-07:00")
    assert text.startswith(f"Saved. {note}\nMode: digest")
    row = channel_store.get_channel(core.db, platform, "C7")
    assert row is not None and row.quiet_hours == "22:00-07:00" and row.schedule == "0 23 * * *"


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize(("quiet", "end"), [("07:00-06:59", "06:59"), ("00:00-23:59", "23:59")])
async def test_quiet_hours_of_the_whole_day_hold_every_digest(
    core: NewsDigest, platform: str, quiet: str, end: str
) -> None:
    commands = Commands(core, clock=lambda: NOW)
    text = await _say(commands, platform, f"quiet {quiet}")
    assert text.startswith(
        f"Saved. Note: 09:00 falls in quiet hours {quiet}, so digests will post at {end}.\n"
    )
    # In instant mode there is no digest time, but hardly a minute to post in.
    text = await _say(commands, platform, "mode instant")
    assert text.startswith(
        f"Saved. Note: quiet hours {quiet} leave only 1 minute a day ({end}-{quiet[:5]}) to "
        f"post in, so posts will wait for {end}.\n"
    )


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_several_digest_times_all_held_are_named(core: NewsDigest, platform: str) -> None:
    commands = Commands(core, clock=lambda: NOW)
    text = await _say(commands, platform, "quiet 22:00-07:00", "schedule cron '0 23,5 * * *'")
    assert text.startswith(
        "Saved. Note: every digest time (05:00, 23:00) falls in quiet hours 22:00-07:00, so "
        "digests will post at 07:00.\n"
    )


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_settings_that_let_a_digest_out_have_no_note(core: NewsDigest, platform: str) -> None:
    commands = Commands(core, clock=lambda: NOW)
    # One of the two times is outside the quiet hours; then a zone that moves none into them.
    for setting in ("quiet 22:00-07:00", "schedule cron '0 23,8 * * *'", "timezone Europe/Berlin"):
        text = await _say(commands, platform, setting)
        assert "Note:" not in text
        assert text.startswith("Saved. Mode: digest")
