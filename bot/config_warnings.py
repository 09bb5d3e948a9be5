"""What the config file keeps accepting that chat refuses, said once each time the file is loaded.

The file is used as written: a deployment whose channel says `timezone = "EST"` or
`schedule = "*/5 * * * *"` must go on starting, and firing, exactly as before
(`bot.config_entries`). Chat refuses those values for reasons that hold for the file as much: a
zone on one offset all year where clocks change times everything an hour late all summer, and a
digest more often than every 30 minutes is a stream of near-empty posts. Likewise a Slack
channel given by its name or a user id: Slack posts to it, but takes only a conversation's id to
edit a posted card or read the history, which the bot then has to look up (needing scopes an
older install may lack), and a name stops posting once the channel is renamed; a Discord id
shorter than any Discord gives (a digit lost in copying) posts nowhere. So each channel
entry holding such a value gets one warning, naming the file, the entry, each value, why it matters and
what to write instead. `newsdigest run` logs them at start; `poll`, `digest`, `prune` and the
`feeds` commands print them on stderr (with `Config.warnings`' other lines: a retention kept at
the minimum, a feed listed in two spellings), at a terminal every run, to cron once per change
(`bot.cli.shown_warnings`); `newsdigest config check` prints them whenever asked. Nothing here
changes what the file means. A `[[topics]]` query the typed check refuses (`chip or wafer`), or
with another engine's operator (`NEAR`), is said here too (`topic_warnings`), as `topics list`
and `run` say it once it is synced.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.config_entries import MAX_MIN_SOURCES, SLACK_ID_RE, ChannelConfig, TopicConfig
from bot.cron import MIN_DIGEST_GAP, shortest_gap
from bot.render.text import clean
from bot.timezones import fixed_offset, leap_second_zone


def config_warnings(
    channels: list[ChannelConfig], raw_channels: list[Any], path: Path | None
) -> list[str]:
    """One line per channel entry with values chat would refuse, in file order. `raw_channels`
    is the file's `[[channels]]` array, for quoting each value as written."""
    where = f"{path}: " if path else ""
    warnings = []
    for index, channel in enumerate(channels):
        raw = raw_channels[index] if index < len(raw_channels) else {}
        written = raw if isinstance(raw, dict) else {}
        problems = [
            problem
            for problem in (
                _zone_problem(channel),
                _schedule_problem(channel, written.get("schedule", channel.schedule)),
                _min_sources_problem(channel),
                _slack_id_problem(channel.platform, channel.id),
                _discord_id_problem(channel.platform, channel.id),
            )
            if problem
        ]
        if problems:
            warnings.append(
                f"{where}channels[{index}] ({_label(channel)}): {' '.join(problems)} (Loaded "
                "as written: nothing changes until the entry is edited.)"
            )
    return warnings


def topic_warnings(topics: list[TopicConfig], path: Path | None) -> list[str]:
    """One line per `[[topics]]` entry whose query is flagged (`bot.topics.saved`: a lowercase
    `or`, `title:`, `chip*`, `NEAR`), in file order, with the note `topics list` and `run` give
    once it is synced: a new team's first `chip or semiconductor` matched almost nothing while
    `config check` said the file loaded with no warnings."""
    from bot.topics.saved import saved_query_note

    where = f"{path}: " if path else ""
    warnings = []
    for index, topic in enumerate(topics):
        note = saved_query_note(topic.query)
        if note is None:
            continue
        refused = "; topics add and /follow refuse such a query as typed" if note.refused else ""
        warnings.append(
            f"{where}topics[{index}] ({topic.slug}): query = {_quoted(topic.query)}: "
            f"{clean(str(note))}, which may not be what was meant: {note.fix}. (Loaded as "
            f"written{refused}; `newsdigest topics test` shows what a query matches.)"
        )
    return warnings


def _label(channel: ChannelConfig) -> str:
    # Cleaned as feed text is for the terminal: the line goes to stderr and cron's mail, where
    # an ESC, BEL or OSC 8 hyperlink in the file's name for the channel would drive the terminal
    # (a value quoted for pasting back is JSON-escaped by `_quoted` instead).
    key = f"{channel.platform}:{clean(channel.id)}"
    return f"{clean(channel.name)}, {key}" if channel.name else key


def _timed(channel: ChannelConfig) -> str:
    """What the channel's time zone times, as the warning names it ("" for nothing)."""
    digests = channel.mode == "digest"
    if digests and channel.quiet_hours:
        return "digests and quiet hours"
    if digests:
        return "digests"
    return "quiet hours" if channel.quiet_hours else ""


def _zone_problem(channel: ChannelConfig) -> str:
    zone = channel.timezone
    timed = _timed(channel)
    if not timed:
        return ""  # an instant channel without quiet hours: its zone times nothing
    if (plain := leap_second_zone(zone)) is not None:
        return (
            f"timezone = {_quoted(zone)} counts leap seconds, which no clock does: {timed} "
            f"will be 27 seconds late. Use timezone = {_quoted(plain)}."
        )
    if zone == "localtime":
        return (
            f"timezone = \"localtime\" is this server's own zone setting, not a place's: {timed} "
            "move whenever the server (or its container image) is set to another zone. Use the "
            'place\'s zone, like timezone = "Europe/Berlin" or "America/New_York".'
        )
    fixed = fixed_offset(zone)
    if fixed is None:
        return ""
    city = fixed.place.rsplit("/", 1)[-1].replace("_", " ")
    otherwise = (
        f'"{fixed.fixed}" if your clocks never change'
        if fixed.fixed
        else "your city's zone if its clocks never change"
    )
    return (
        f"timezone = {_quoted(zone)} is {_utc(fixed.offset)} all year: where clocks change for "
        f"summer, as in {city}, {timed} will be {_duration(fixed.shift)} late all summer. Use "
        f"timezone = {_quoted(fixed.place)}, which follows the clock changes (or {otherwise})."
    )


def _schedule_problem(channel: ChannelConfig, written: Any) -> str:
    if channel.mode != "digest":
        return ""  # an instant channel's schedule fires nothing
    try:
        gap = shortest_gap(channel.schedule)
    except (ValueError, TypeError):
        return ""  # loaded, so it runs; a warning must never be what stops a file loading
    if gap >= MIN_DIGEST_GAP:
        return ""
    floor = _duration(MIN_DIGEST_GAP)
    shown = _quoted(written if isinstance(written, str) else channel.schedule)
    return (
        f"schedule = {shown} posts a digest as often as every {_duration(gap, every=True)}, "
        f"a stream of near-empty posts: chat refuses a digest more often than every {floor}. "
        f'Use a schedule at least {floor} apart, like "0 * * * *" (hourly), or mode = "instant" '
        "to post each story once as it qualifies."
    )


def _min_sources_problem(channel: ChannelConfig) -> str:
    if channel.min_sources <= MAX_MIN_SOURCES:
        return ""
    return (
        f"min_sources = {channel.min_sources} is over {MAX_MIN_SOURCES}, the most chat accepts: "
        f"a story needs {channel.min_sources} different outlets before this channel gets it, so "
        f"it will get few stories or none. Use {MAX_MIN_SOURCES} or fewer."
    )


# Where Slack shows a conversation's id, said in each warning about one.
_FIND_ID = (
    "in Slack, click the channel's name: the id is at the bottom of its details; or copy the "
    "channel's link, which ends with it"
)
# Said with each: the sync keys a channel by its id as written (`bot.store.sync`), so the switch
# is a new channel, and the entry as written is paused as removed from the file.
_SWITCH_LATER = (
    "Switching later makes it a new channel for the bot: the entry as written now is paused, "
    "as removed from the file, with its history and any settings changed for it outside the file."
)
# A Slack id typed in lower case: a letter, then letters and digits, at least one a digit (so
# "general" or "design" is a name).
_LOWER_ID_RE = re.compile(r"^[cgduw](?=[a-z0-9]*\d)[a-z0-9]+$")


def _slack_id_problem(platform: str, value: str) -> str:
    if platform != "slack":
        return ""
    if SLACK_ID_RE.match(value):
        if value[0] in "UW":
            return (
                f"id = {_quoted(value)} is a person's user id: digests go to the bot's direct "
                "messages with them, but to edit a posted card (its source count) or check "
                "whether a post landed, the bot must look up the direct message's own id, which "
                "needs the im:write scope (reinstall the app from config/slack-manifest.yml if "
                "it lacks it); and /watchlist there knows it by that id, as another channel. "
                "Use that id (D…, which ends the direct message's "
                f'link), or a channel\'s, like id = "C0123456789" ({_FIND_ID}). {_SWITCH_LATER}'
            )
        return ""
    if _LOWER_ID_RE.match(value):
        # Not changed: Slack shows ids in capitals and does not say lower case is the same id.
        return (
            f"id = {_quoted(value)} looks like a Slack id in lower case, which Slack never "
            f"shows: if posts fail with channel_not_found, write it as Slack does, "
            f"id = {_quoted(value.upper())} ({_FIND_ID})."
        )
    return (
        f"id = {_quoted(value)} is the channel's name, not its id: Slack posts to it, but "
        "posting stops (channel_not_found) once the channel is renamed; to edit a posted card "
        "(its source count) or check whether a post landed, the bot must look up the id, which "
        "needs the channels:read and groups:read scopes (and the bot in a private channel); and "
        "chat (/watchlist there, inviting the bot) knows the channel by its id, as another "
        f'channel with digests of its own. Use the id, like id = "C0123456789" ({_FIND_ID}). '
        f"{_SWITCH_LATER}"
    )


# A Discord id's digits: a snowflake counts milliseconds since 2015 in its top bits, so every
# channel's id since Discord began is 17 digits or more (20 is the most 64 bits take).
_SNOWFLAKE_DIGITS = 17


def _discord_id_problem(platform: str, value: str) -> str:
    # A number at all is checked as the file loads (`config_entries`); a short one loads (it may
    # be a test double's), but no Discord channel has it: posts fail, and the channel pauses.
    if platform != "discord" or len(value) >= _SNOWFLAKE_DIGITS:
        return ""
    return (
        f"id = {_quoted(value)} has {len(value)} digits: a Discord channel id has 17 to 20, so "
        "posting to this one fails (Unknown Channel) and the channel is paused at its first "
        "post. Copy the id again (Developer Mode on, then right-click the channel: Copy "
        "Channel ID)."
    )


def _quoted(value: str) -> str:
    # As TOML writes a basic string, so the fix can be pasted into the file.
    return json.dumps(value, ensure_ascii=False)


def _utc(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _duration(span: timedelta, *, every: bool = False) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes == 60:
        return "hour" if every else "an hour"
    if minutes == 1 and every:
        return "minute"
    return f"{minutes} minutes"
