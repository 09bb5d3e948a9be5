"""What /watchlist shows: a channel's settings, the stories it muted and the topics it follows;
what a channel not signed up is told instead; and what a command that signs one up says it
started."""

from __future__ import annotations

import re

import sqlite_utils

from bot.commands import mutes
from bot.commands.base import ListLine, Reply, watchlist_command
from bot.config_entries import DEFAULT_DIGEST_SIZE, DEFAULT_SCHEDULE, DEFAULT_TIMEZONE
from bot.feed_status import cut
from bot.schedule_words import describe_schedule
from bot.store import channels as channel_store
from bot.store.channels import PAUSED_IN_CHAT, ChannelRow
from bot.store.sync import REMOVED_FROM_CONFIG
from bot.timezones import fixed_offset
from bot.topics.saved import saved_query_note

# A followed topic's query as /watchlist shows it: a real query fits whole; a pasted paragraph
# of one (990 characters) cut here kept 25 topics in one Slack message, and three on Discord.
QUERY_CHARS = 150
# Where the whole of a listing cut for chat is: the adapters say it after "… and N more lines".
# The muted stories come first, so the lines cut are always topics.
SEE_ALL = (
    "the rest are topics this channel follows; `newsdigest topics list` on the bot's host "
    "shows every topic and its whole query"
)
_TIME_RE = re.compile(r"^\d\d:\d\d$")


def channel_overview(
    db: sqlite_utils.Database, channel: ChannelRow, default_size: int, *, prefix: str = ""
) -> Reply:
    """/watchlist's reply (after `prefix`, "Saved. " for a change): the settings, then the muted
    stories (each with its undo: listed first, as a listing too long for a message is cut at
    its end), then the topics. A channel with no row gets nothing from the bot, which its
    defaults shown as settings would hide."""
    if not channel.id:
        return Reply(prefix + not_signed_up(channel.platform))
    topic_lines, cut_queries = _topic_lines(db, channel)
    text = prefix + describe_channel(channel, default_size)
    if cut_queries:
        text += (
            f"\nQueries longer than {QUERY_CHARS} characters are cut here (…); "
            "`newsdigest topics list` on the bot's host shows them whole."
        )
    return Reply(text, lines=mutes.muted_lines(db, channel) + topic_lines, see_all=SEE_ALL)


def not_signed_up(platform: str) -> str:
    """/watchlist in a channel with no row: said plainly, with what starts the posts."""
    follow = "/follow topic:<topic>" if platform == "discord" else "/follow <topic>"
    # What `channel_store.ensure_channel` gives a channel it signs up.
    starts = digest_times(DEFAULT_SCHEDULE, DEFAULT_TIMEZONE)
    return (
        f"This channel gets no posts from me yet. {follow} or /digest signs it up: it then "
        f"gets {starts} ({_schedule_command(platform)} changes when)."
    )


def signed_up_note(channel: ChannelRow) -> str:
    """Said once, by the command whose sign-up created the channel's row, of what it starts."""
    return (
        f"This channel now gets {digest_times(channel.schedule, channel.timezone)}; "
        f"{_schedule_command(channel.platform)} changes when."
    )


def _schedule_command(platform: str) -> str:
    """The schedule setting as `platform` runs it: Slack's alone answers what to type; Discord's
    needs its `when:` option filled."""
    if platform == "discord":
        return watchlist_command(platform, "schedule", "<days and time>")
    return watchlist_command(platform, "schedule")


def digest_times(schedule: str, timezone: str) -> str:
    """'a digest daily at 09:00 UTC' ("on the schedule cron '…' UTC" for a cron of its own)."""
    described = describe_schedule(schedule, timezone)
    days, _, rest = described.partition(" ")
    time, _, zone = rest.partition(" ")
    if _TIME_RE.match(time) and days != "cron":
        return f"a digest {days} at {time} {zone}"
    return f"a digest on the schedule {described}"


def describe_channel(channel: ChannelRow, default_size: int = DEFAULT_DIGEST_SIZE) -> str:
    schedule = describe_schedule(channel.schedule, channel.timezone)
    if channel.mode == "instant":
        # Instant channels get no digest job: a schedule shown (or "Saved.") without this reads
        # as if digests will also come at that time.
        how = "mode:digest" if channel.platform == "discord" else "digest"
        schedule += f" (used only in digest mode: /watchlist mode {how})"
    # `min-sources`, as the setting is typed (`/watchlist min-sources 3`, Discord's subcommand).
    text = f"Mode: {channel.mode} · schedule: {schedule} · min-sources: {channel.min_sources}"
    if channel.quiet_hours:
        text += f" · quiet hours: {channel.quiet_hours}"
    if channel.mode == "digest":
        # As the setting is typed, with whether it is the channel's own or the default.
        size = channel.digest_size or default_size
        text += f" · digest-size: {size}" + ("" if channel.digest_size else " (default)")
    if note := _fixed_zone_note(channel):
        text += f"\n{note}"
    if note := paused_note(channel):
        text += f"\n{note}"
    return text


# How chat shows the config removal's pause: its stored text (`REMOVED_FROM_CONFIG`, which the
# sync recognises by exact match) says "/watchlist resume to keep it", but only an admin may
# (`bot.commands.watchlist`), and a member told to would be refused.
_REMOVED_SHOWN = "removed from the config file (an admin can /watchlist resume it to keep it)"


def shown_reason(reason: str) -> str:
    """A pause reason as a chat reply shows it."""
    return _REMOVED_SHOWN if reason == REMOVED_FROM_CONFIG else reason


def paused_note(channel: ChannelRow) -> str:
    """What a reply about the channel's posts adds while it is paused ("" when not): a setting
    saved or a topic followed there changes nothing until the pause is lifted."""
    if channel.paused_reason in (REMOVED_FROM_CONFIG, PAUSED_IN_CHAT):
        # Not a fault to fix: the file no longer lists the channel, or someone paused it; the
        # reason says how to keep it or resume it.
        return f"Posting is paused: {shown_reason(channel.paused_reason)}."
    if channel.paused_reason:
        return f"Posting is paused: {channel.paused_reason}. Fix it, then /watchlist resume."
    return ""


def _fixed_zone_note(channel: ChannelRow) -> str:
    """For a zone saved before chat refused fixed offsets (EST, Etc/GMT+5, from the config or an
    older version): it keeps its offset all year, so a 09:00 digest comes at 10:00 by the
    place's clock all summer, where clocks change. Said with a zone whose standard time it is
    and that follows summer time, and one on that offset all year when there is one (Phoenix
    for MST), not changed: a team on that offset all year (Moscow's) is suggested nothing."""
    zone = channel.timezone
    advice = fixed_offset(zone)
    if advice is None:
        return ""
    option = "zone:" if channel.platform == "discord" else ""
    otherwise = f"{option}{advice.fixed}" if advice.fixed else f"{zone} is right"
    return (
        f"{zone} keeps one offset all year (no summer time). If your clocks change, use "
        f"/watchlist timezone {option}{advice.place}; if not, {otherwise}."
    )


def _topic_lines(db: sqlite_utils.Database, channel: ChannelRow) -> tuple[list[ListLine], bool]:
    """The topics the channel follows, each query cut to QUERY_CHARS, and whether one was."""
    topics = channel_store.channel_topics(db, channel.id)
    if not topics:
        # Worded for both platforms: Discord's /follow takes `topic:`, Slack's the bare name.
        return [
            ListLine(
                "Following no topics: every story with enough sources is included. Follow a "
                "topic with /follow to narrow it."
            )
        ], False
    # A saved query the typed check now refuses keeps its meaning: said beside it.
    lines = [
        ListLine(f"{t.slug}: {cut(t.query, QUERY_CHARS)}", note=note.short if note else "")
        for t in topics
        for note in [saved_query_note(t.query)]
    ]
    return lines, any(len(t.query) > QUERY_CHARS for t in topics)
