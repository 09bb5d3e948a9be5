"""`/watchlist` replies: an instant channel's schedule (no digest job uses it), `min sources N`
as well as `min-sources N`, and day lists written with spaces after the commas."""

from __future__ import annotations

import pytest

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.schedule import SCHEDULE_USAGE
from bot.store import channels as channel_store

SLACK = CommandContext(platform="slack", channel_id="C7", user_id="U1", channel_name="news")
DISCORD = CommandContext(platform="discord", channel_id="333", user_id="444", channel_name="news")
SLACK_WATCHLIST = (
    "/watchlist: this channel's topics and settings. Change them with: /watchlist schedule "
    "weekdays 09:00 Europe/Berlin | /watchlist timezone Europe/Berlin | "
    "/watchlist mode digest|instant | /watchlist min-sources N | /watchlist digest-size N | "
    "/watchlist quiet 22:00-07:00 | /watchlist quiet off | /watchlist mute <story> | "
    "/watchlist unmute <story> | /watchlist pause | /watchlist resume"
)


# --- an instant channel's schedule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("ctx", "how"), [(SLACK, "digest"), (DISCORD, "mode:digest")], ids=["slack", "discord"]
)
async def test_an_instant_channels_schedule_says_it_is_for_digest_mode(
    core: NewsDigest, ctx: CommandContext, how: str
) -> None:
    commands = Commands(core)
    await commands.dispatch("watchlist", "mode instant", ctx)
    schedule = f"schedule: weekdays 07:00 UTC (used only in digest mode: /watchlist mode {how})"
    saved = await commands.dispatch("watchlist", "schedule weekdays 07:00", ctx)
    assert saved.text == f"Saved. Mode: instant · {schedule} · min-sources: 2"
    shown = await commands.dispatch("watchlist", "", ctx)
    assert shown.text == f"Mode: instant · {schedule} · min-sources: 2"
    back = await commands.dispatch("watchlist", "mode digest", ctx)
    assert (
        back.text
        == "Saved. Mode: digest · schedule: weekdays 07:00 UTC · min-sources: 2 · digest-size: 10 (default)"
    )


# --- min sources, typed as two words -------------------------------------------------------------


@pytest.mark.parametrize("typed", ["min sources 3", "MIN Sources 3", "min-sources 3"])
async def test_min_sources_is_taken_as_two_words(core: NewsDigest, typed: str) -> None:
    reply = await Commands(core).dispatch("watchlist", typed, SLACK)
    assert (
        reply.text
        == "Saved. Mode: digest · schedule: daily 09:00 UTC · min-sources: 3 · digest-size: 10 (default)"
    )
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None and channel.min_sources == 3


async def test_min_sources_without_a_number_or_min_alone_are_refused(core: NewsDigest) -> None:
    commands = Commands(core)
    missing = await commands.dispatch("watchlist", "min sources", SLACK)
    assert missing.text == (
        "min-sources takes a whole number from 1 to 50.\nUsage: /watchlist min-sources N (1 to 50)"
    )
    alone = await commands.dispatch("watchlist", "min 3", SLACK)
    assert alone.text == f"Unknown setting 'min'.\nUsage: {SLACK_WATCHLIST}"
    assert channel_store.get_channel(core.db, "slack", "C7") is None


# --- a day list with spaces after its commas ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("mon, wed 07:30", "mon,wed"),
        ("mon , wed,  fri 07:30", "mon,wed,fri"),
        ("Tues, Thursday 07:30 UTC", "tue,thu"),
    ],
)
async def test_a_day_list_takes_spaces_after_its_commas(
    core: NewsDigest, typed: str, days: str
) -> None:
    reply = await Commands(core).dispatch("watchlist", f"schedule {typed}", SLACK)
    assert (
        reply.text
        == f"Saved. Mode: digest · schedule: {days} 07:30 UTC · min-sources: 2 · digest-size: 10 (default)"
    )


async def test_a_day_list_ending_in_a_comma_is_still_refused(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "schedule mon, 07:30", SLACK)
    assert reply.text == (
        "`mon,` misses a day: DAYS is daily, weekdays, weekends or a day list like "
        "mon,wed,fri or mon-fri (monday, tues, thurs... also work)\nUsage: " + SCHEDULE_USAGE
    )
