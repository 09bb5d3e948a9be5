"""Commands and the channel's row: /digest in quiet hours, min-sources input, and which commands
sign a channel up for digests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from _sign_up import SIGNED_UP
from fakes.stories import add_story

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store.channels import ChannelRow

CTX = CommandContext(platform="slack", channel_id="C7", user_id="U1", channel_name="news")
NIGHT = datetime(2027, 3, 8, 22, 30, tzinfo=UTC)


def _poster(core: NewsDigest):  # type: ignore[no-untyped-def]
    async def post_digest(channel: ChannelRow) -> int:
        return digests.enqueue_digest(core.db, channel, now=NIGHT)

    return post_digest


async def test_digest_in_quiet_hours_says_when_it_will_arrive(core: NewsDigest) -> None:
    for i in range(3):
        add_story(core.db, f"q{i}", ["A", "B"], now=NIGHT - timedelta(hours=1))
    commands = Commands(core, post_digest=_poster(core), clock=lambda: NIGHT)
    await commands.dispatch("watchlist", "quiet 22:00-07:00", CTX)
    reply = await commands.dispatch("digest", "", CTX)
    assert reply.text == (
        "Queued 3 stories for this channel. It is in its quiet hours (22:00-07:00), "
        "so they will be posted at 07:00 UTC when those end."
    )
    held = core.db.execute("SELECT DISTINCT next_attempt_at FROM deliveries").fetchall()
    assert held == [("2027-03-09T07:00:00+00:00",)]


async def test_digest_outside_quiet_hours_posts_now(core: NewsDigest) -> None:
    add_story(core.db, "q0", ["A", "B"], now=NIGHT - timedelta(hours=1))
    commands = Commands(core, post_digest=_poster(core), clock=lambda: NIGHT)
    await commands.dispatch("watchlist", "quiet 01:00-06:00", CTX)
    reply = await commands.dispatch("digest", "", CTX)
    assert reply.text == "Posting 1 story to this channel."


async def test_digest_again_before_the_first_went_out_says_it_is_queued(core: NewsDigest) -> None:
    add_story(core.db, "q0", ["A", "B"], now=NIGHT - timedelta(hours=1))
    commands = Commands(core, post_digest=_poster(core), clock=lambda: NIGHT)
    first = await commands.dispatch("digest", "", CTX)
    assert first.text == "Posting 1 story to this channel." + SIGNED_UP
    # No outbox ran in between: the story is still queued.
    reply = await commands.dispatch("digest", "", CTX)
    assert reply.text == (
        "Nothing new since the last digest: 1 story is already queued for this channel and "
        "being posted."
    )


@pytest.mark.parametrize("value", ["²", "３", "٣", "-1", "0", "51", "2.5", ""])
async def test_min_sources_rejects_anything_but_ascii_numbers(core: NewsDigest, value: str) -> None:
    commands = Commands(core)
    reply = await commands.dispatch("watchlist", f"min-sources {value}", CTX)
    assert reply.text.startswith("min-sources takes a whole number from 1 to 50.")
    # Refused input neither changes the setting nor signs the channel up.
    assert channel_store.get_channel(core.db, "slack", "C7") is None


async def test_min_sources_accepts_a_plain_number(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "min-sources 4", CTX)
    assert reply.text.startswith("Saved.") and "min-sources: 4" in reply.text


@pytest.mark.parametrize(
    ("command", "args"),
    [("story", "anything"), ("watchlist", ""), ("feeds", "list"), ("feeds", ""), ("story", "help")],
)
async def test_read_only_commands_do_not_register_the_channel(
    core: NewsDigest, command: str, args: str
) -> None:
    dm = CommandContext(platform="slack", channel_id="D1", user_id="U1")
    reply = await Commands(core).dispatch(command, args, dm)
    assert "failed on our side" not in reply.text
    assert channel_store.get_channel(core.db, "slack", "D1") is None


async def test_watchlist_of_an_unknown_channel_says_it_gets_no_posts(core: NewsDigest) -> None:
    # Not the defaults as if they were live: the channel gets nothing until it signs up.
    dm = CommandContext(platform="slack", channel_id="D1", user_id="U1")
    reply = await Commands(core).dispatch("watchlist", "", dm)
    assert reply.text.startswith("This channel gets no posts from me yet.")
    assert "a digest daily at 09:00 UTC" in reply.text and reply.lines == []
    assert channel_store.get_channel(core.db, "slack", "D1") is None


async def test_configuring_commands_register_the_channel(core: NewsDigest) -> None:
    commands = Commands(core)
    await commands.dispatch("watchlist", "mode instant", CTX)
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None and channel.mode == "instant"

    other = CommandContext(platform="slack", channel_id="C8", user_id="U1")
    await commands.dispatch("digest", "", other)
    assert channel_store.get_channel(core.db, "slack", "C8") is not None


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("watchlist", "show"),  # Discord's spelling of the bare command, typed on Slack
        ("watchlist", "colour red"),
        ("watchlist", "schedule someday"),
        ("watchlist", "mode loud"),
        ("watchlist", "min-sources lots"),
        ("watchlist", "quiet 10pm"),
        ("follow", "Bad_Name!"),
        ("follow", "Bad Name!"),
        ("follow", "machine learning"),
        ("follow", "nosuch"),
        ("follow", "chips (chip OR"),
        ("unfollow", "nosuch"),
        ("digest", "now please"),
    ],
)
async def test_rejected_commands_do_not_register_the_channel(
    core: NewsDigest, command: str, args: str
) -> None:
    dm = CommandContext(platform="slack", channel_id="D1", user_id="U1")
    reply = await Commands(core).dispatch(command, args, dm)
    assert reply.ephemeral and "failed on our side" not in reply.text
    assert channel_store.get_channel(core.db, "slack", "D1") is None, reply.text


async def test_watchlist_show_is_the_read_only_view_on_slack_too(core: NewsDigest) -> None:
    commands = Commands(core)
    reply = await commands.dispatch("watchlist", "show", CTX)
    assert reply.text.startswith("This channel gets no posts from me yet.")
    await commands.dispatch("watchlist", "min-sources 2", CTX)
    reply = await commands.dispatch("watchlist", "show", CTX)
    assert reply.text.startswith("Mode: digest") and str(reply.lines[0]).startswith("Following no")


async def test_follow_of_an_existing_topic_registers_the_channel(core: NewsDigest) -> None:
    channel_store.upsert_topic(core.db, "moon", "moon")
    reply = await Commands(core).dispatch("follow", "moon", CTX)
    assert "now follows moon" in reply.text
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None
    assert [t.slug for t in channel_store.channel_topics(core.db, channel.id)] == ["moon"]


async def test_quiet_hours_error_quotes_everything_typed(core: NewsDigest) -> None:
    # ("10 pm - 7 am" is read as 22:00-07:00: tests/test_commands_typed_options.py.)
    reply = await Commands(core).dispatch("watchlist", "quiet late night - dawn", CTX)
    assert "got 'late night - dawn'" in reply.text and reply.ephemeral


async def test_quiet_hours_accept_spaces_around_the_dash(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "quiet 22:00 - 07:00", CTX)
    assert reply.text.startswith("Saved.") and "quiet hours: 22:00-07:00" in reply.text


async def test_setting_values_are_case_insensitive_like_their_names(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "MODE Instant", CTX)
    assert reply.text.startswith("Saved. Mode: instant"), reply.text
    off = await Commands(core).dispatch("watchlist", "Quiet OFF", CTX)
    assert off.text.startswith("Saved."), off.text


async def test_an_empty_quiet_range_is_refused(core: NewsDigest) -> None:
    commands = Commands(core)
    await commands.dispatch("watchlist", "quiet 22:00-07:00", CTX)
    reply = await commands.dispatch("watchlist", "quiet 09:00-09:00", CTX)
    assert "same time" in reply.text and reply.ephemeral, reply.text
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None and channel.quiet_hours == "22:00-07:00"


def _due_times(core: NewsDigest) -> list[str]:
    rows = core.db.execute("SELECT next_attempt_at FROM deliveries ORDER BY id").fetchall()
    return [r[0] for r in rows]


@pytest.mark.parametrize(
    "change",
    ["quiet off", "quiet 23:00-06:00", "schedule daily 09:00 Asia/Tokyo", "resume"],
)
async def test_changing_quiet_hours_releases_a_held_digest(core: NewsDigest, change: str) -> None:
    add_story(core.db, "q0", ["A", "B"], now=NIGHT - timedelta(hours=1))
    kicks: list[int] = []
    commands = Commands(
        core, post_digest=_poster(core), clock=lambda: NIGHT, kick_outbox=lambda: kicks.append(1)
    )
    await commands.dispatch("watchlist", "quiet 22:00-07:00", CTX)
    await commands.dispatch("digest", "", CTX)
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None
    core.db.execute(
        "INSERT INTO alerts (channel_pk, key, text, created_at, next_attempt_at)"
        " VALUES (?, 'k', 'notice', ?, '2027-03-09T07:00:00+00:00')",
        [channel.id, NIGHT.isoformat()],
    )
    assert _due_times(core) == ["2027-03-09T07:00:00+00:00"]
    if change == "resume":
        # Only a paused channel has something to resume (otherwise the reply says so).
        channel_store.update_channel(core.db, channel.id, paused_reason="channel archived")
    reply = await commands.dispatch("watchlist", change, CTX)
    assert reply.text.startswith("Saved."), reply.text
    # Due now; the outbox decides at send time whether the new settings still hold it.
    assert _due_times(core) == ["2027-03-08T22:30:00+00:00"]
    alert_due = core.db.execute("SELECT next_attempt_at FROM alerts").fetchall()
    assert alert_due == [("2027-03-08T22:30:00+00:00",)]
    assert kicks == [1]


async def test_a_retry_that_is_not_a_quiet_hold_keeps_its_time(core: NewsDigest) -> None:
    add_story(core.db, "q0", ["A", "B"], now=NIGHT - timedelta(hours=1))
    commands = Commands(core, post_digest=_poster(core), clock=lambda: NIGHT)
    await commands.dispatch("watchlist", "quiet 01:00-06:00", CTX)
    await commands.dispatch("digest", "", CTX)
    core.db.execute("UPDATE deliveries SET next_attempt_at = '2027-03-08T22:45:00+00:00'")
    await commands.dispatch("watchlist", "quiet off", CTX)
    assert _due_times(core) == ["2027-03-08T22:45:00+00:00"]


async def test_watchlist_cron_schedule_quotes(core: NewsDigest) -> None:
    commands = Commands(core, clock=lambda: NIGHT)
    saved = await commands.dispatch("watchlist", "schedule cron '0 9 * * 1-5' Europe/Berlin", CTX)
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert saved.text.startswith("Saved.")
    assert channel is not None and (channel.schedule, channel.timezone) == (
        "0 9 * * 1-5",
        "Europe/Berlin",
    )
    # An unclosed quote used to be stripped and the rest saved; now it is refused, unchanged.
    refused = await commands.dispatch("watchlist", "schedule cron '30 8 * * mon Asia/Tokyo", CTX)
    after = channel_store.get_channel(core.db, "slack", "C7")
    assert "quote is not closed" in refused.text
    assert after is not None and after.schedule == "0 9 * * 1-5"


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_digest_after_instant_posts_speaks_of_no_last_digest(
    core: NewsDigest, platform: str
) -> None:
    # The channel was only ever sent instant posts, then switched to digests: it had no digest.
    ctx = CommandContext(platform=platform, channel_id="C7", user_id="U1", channel_name="news")
    add_story(core.db, "i0", ["A", "B"], now=NIGHT - timedelta(hours=1))
    commands = Commands(core, post_digest=_poster(core), clock=lambda: NIGHT)
    await commands.dispatch("watchlist", "mode instant", ctx)
    channel = channel_store.get_channel(core.db, platform, "C7")
    assert channel is not None
    assert digests.enqueue_instant(core.db, channel, now=NIGHT) == 1
    core.db.execute("UPDATE deliveries SET state = 'sent', sent_at = ?", [NIGHT.isoformat()])
    await commands.dispatch("watchlist", "mode digest", ctx)
    reply = await commands.dispatch("digest", "", ctx)
    assert reply.text == "Nothing new for this channel since the stories it was last sent."
    assert "digest" not in reply.text
