"""What `/watchlist` accepts as typed by a person: quiet hours with spaces round the dash or an en
dash, on Slack (the text split into words) and Discord (one option value, quoted by the slash
command); schedule day names; time zones in any case (the config file wants the exact spelling and
names it). Real dispatch, real SQLite file, real config file."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import CHANNEL, answer, slash

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.schedule import SCHEDULE_USAGE
from bot.config import ConfigError, load_config
from bot.store import channels as channel_store

SLACK = CommandContext(platform="slack", channel_id="C7", user_id="U1", channel_name="news")
NO_TOPICS = (
    "• Following no topics: every story with enough sources is included. "
    "Follow a topic with /follow to narrow it."
)
SAVED = "Saved. Mode: digest · schedule: daily 09:00 UTC · min-sources: 2 · quiet hours: "
# A digest channel says how many cards its digest has, here the default.
SIZE = " · digest-size: 10 (default)"


def _quiet(core: NewsDigest, platform: str, channel_id: str) -> str | None:
    channel = channel_store.get_channel(core.db, platform, channel_id)
    assert channel is not None
    return channel.quiet_hours


@pytest.mark.parametrize(
    "typed",
    [
        "22:00-07:00",
        "22:00 - 07:00",
        "22:00 -07:00",
        "'22:00 - 07:00'",  # what Discord's slash command passes on
        "22:00 – 07:00",  # en dash
        "22:00–07:00",
        "'22:00 — 07:00'",  # em dash, quoted
        "22:00-7:00",  # an hour of one digit, as schedules take it
        "22:00 - 7:00",
    ],
)
async def test_slack_quiet_hours_take_spaces_and_dashes(core: NewsDigest, typed: str) -> None:
    reply = await Commands(core).dispatch("watchlist", f"quiet {typed}", SLACK)
    assert reply.text == SAVED + "22:00-07:00" + SIZE
    assert _quiet(core, "slack", "C7") == "22:00-07:00"


@pytest.mark.parametrize(
    "typed", ['"quiet" 22-7', "'quiet' 22-7", '"quiet":22-7', "“quiet” 22-7", "‘quiet’: 22-7"]
)
async def test_a_quoted_setting_name_keeps_its_value(core: NewsDigest, typed: str) -> None:
    # The quoted name matched no setting's name and the value after it was dropped: "quiet"
    # asked which hours.
    reply = await Commands(core).dispatch("watchlist", typed, SLACK)
    assert reply.text == SAVED + "22:00-07:00" + SIZE
    assert _quiet(core, "slack", "C7") == "22:00-07:00"


@pytest.mark.parametrize("typed", ['"min sources" 3', "“min sources” 3", "'min sources': 3"])
async def test_a_quoted_setting_name_of_two_words_keeps_its_value(
    core: NewsDigest, typed: str
) -> None:
    reply = await Commands(core).dispatch("watchlist", typed, SLACK)
    assert "min-sources: 3" in reply.text, reply.text
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None and channel.min_sources == 3


async def test_quiet_hours_that_are_no_range_are_still_refused(core: NewsDigest) -> None:
    commands = Commands(core)
    # ("22:00 – 7" is 22:00-07:00, an hour alone as schedules take it.)
    bad = await commands.dispatch("watchlist", "quiet 22:00 – dawn", SLACK)
    assert bad.text == (
        "Quiet hours look like 22:00-07:00 (or `off`), got '22:00 – dawn'.\nUsage: "
        "/watchlist quiet 22:00-07:00 | /watchlist quiet off"
    )
    empty = await commands.dispatch("watchlist", "quiet '09:00 – 09:00'", SLACK)
    assert empty.text == (
        "Quiet hours 09:00-09:00 start and end at the same time, so they would never apply. "
        "Give a range like 22:00-07:00, or off.\nUsage: "
        "/watchlist quiet 22:00-07:00 | /watchlist quiet off"
    )
    assert channel_store.get_channel(core.db, "slack", "C7") is None


@pytest.mark.parametrize("hours", ["22:00 - 07:00", " 22:00 – 07:00 ", "22:00-07:00"])
async def test_discord_quiet_hours_take_spaces_and_dashes(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest, hours: str
) -> None:
    await slash(bot, "watchlist", "quiet", hours=hours)
    assert answer(discord_api)["content"] == SAVED + "22:00-07:00" + SIZE + "\n" + NO_TOPICS
    assert _quiet(core, "discord", str(CHANNEL)) == "22:00-07:00"


async def test_a_word_that_only_starts_like_a_day_is_refused(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "schedule monkey 07:30", SLACK)
    assert reply.text == (
        "`monkey` is not a day name: DAYS is daily, weekdays, weekends or a day list like "
        "mon,wed,fri or mon-fri (monday, tues, thurs... also work)\nUsage: " + SCHEDULE_USAGE
    )
    assert reply.ephemeral
    assert channel_store.get_channel(core.db, "slack", "C7") is None


async def test_day_names_are_saved_as_cron_days(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "schedule Tues,Thursday 07:30", SLACK)
    assert reply.text == "Saved. Mode: digest · schedule: tue,thu 07:30 UTC · min-sources: 2" + SIZE
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None and channel.schedule == "30 7 * * tue,thu"


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("weekdays 9:00 europe/berlin", "Europe/Berlin"),
        ("weekdays 9:00 EUROPE/BERLIN", "Europe/Berlin"),
        ("weekdays 9:00 Europe/Berlin", "Europe/Berlin"),
        ("weekdays 9:00 america/argentina/buenos_aires", "America/Argentina/Buenos_Aires"),
        ("weekdays 9:00 utc", "UTC"),
    ],
)
async def test_time_zones_are_case_insensitive_in_chat(
    core: NewsDigest, typed: str, zone: str
) -> None:
    reply = await Commands(core).dispatch("watchlist", f"schedule {typed}", SLACK)
    assert (
        reply.text
        == f"Saved. Mode: digest · schedule: weekdays 09:00 {zone} · min-sources: 2{SIZE}"
    )
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None and channel.timezone == zone


async def test_a_cron_schedules_zone_is_case_insensitive_too(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch(
        "watchlist", "schedule cron '0 9 * * 1-5' asia/kolkata", SLACK
    )
    assert (
        reply.text
        == "Saved. Mode: digest · schedule: cron '0 9 * * 1-5' Asia/Kolkata · min-sources: 2" + SIZE
    )


async def test_an_unknown_zone_is_still_refused(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "schedule daily 9:00 europe/berln", SLACK)
    assert reply.text == (
        "europe/berln is not a time zone I know. Did you mean Europe/Berlin?\nUsage: "
        + SCHEDULE_USAGE
    )
    assert channel_store.get_channel(core.db, "slack", "C7") is None


def test_the_config_file_names_the_zones_spelling(tmp_path: Path) -> None:
    path = tmp_path / "newsdigest.toml"
    path.write_text(
        '[[channels]]\nplatform = "slack"\nid = "C1"\ntimezone = "europe/berlin"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"{path}: channels[0].timezone: unknown IANA time zone 'europe/berlin' "
        "(did you mean 'Europe/Berlin'?)"
    )


@pytest.mark.parametrize(
    ("reason", "shown"),
    [
        # Removed from the file on purpose: nothing to fix, the reason itself says how to keep it
        # (and, as only an admin may resume it, that it is an admin's to do).
        (
            "removed from the config file (/watchlist resume to keep it)",
            "removed from the config file (an admin can /watchlist resume it to keep it).",
        ),
        ("channel archived", "channel archived. Fix it, then /watchlist resume."),
    ],
)
async def test_watchlist_show_says_fix_it_only_for_a_fault(
    core: NewsDigest, reason: str, shown: str
) -> None:
    channel = channel_store.ensure_channel(core.db, "slack", "C7", name="news")
    channel_store.update_channel(core.db, channel.id, paused_reason=reason)
    reply = await Commands(core).dispatch("watchlist", "", SLACK)
    assert f"\nPosting is paused: {shown}" in reply.text
    assert reply.text.count("/watchlist resume") == 1
