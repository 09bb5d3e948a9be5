"""The config's entries: the `[[feeds]]`, `[[topics]]` and `[[channels]]` tables, each one's
dataclass and the parsing of one table into it. How they fit together (duplicates, a channel's
topics being names of topics) is checked with the whole config, in `bot.config`; whether a
channel's topic exists, in the file or the database, by the sync (`bot.store.sync`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.config_values import (
    WEBHOOK_URL_EXAMPLE,
    ConfigError,
    is_discord_webhook_url,
    opt_str,
    parse_duration,
    positive_int,
    reject_unknown,
    req_str,
    str_list,
    validate_quiet_hours,
    validate_schedule,
    validate_timezone,
)
from bot.feedurls import FeedUrlError, check_feed_url

DEFAULT_POLL_INTERVAL = 15 * 60
DEFAULT_SCHEDULE = "0 9 * * *"
DEFAULT_TIMEZONE = "UTC"
PLATFORMS = ("slack", "discord", "console")
MODES = ("digest", "instant")
# The most `/watchlist min-sources` takes; the file keeps a larger value, with a warning
# (`bot.config_warnings`).
MAX_MIN_SOURCES = 50
# Cards in one digest: the default, and the bounds a channel's or the default's value must keep
# (`[digests] size`, `[[channels]] digest_size`, `/watchlist digest-size`). Past 50 a digest is
# a flood of messages (and the outbox paces them a second apart); the stories beyond the cards
# are listed after them anyway (bot.runner.overflow).
DEFAULT_DIGEST_SIZE = 10
MIN_DIGEST_SIZE = 1
MAX_DIGEST_SIZE = 50
MAX_SLUG = 63  # a topic name's length limit, which chat's /follow states in its refusal
SLUG_RE = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{MAX_SLUG - 1}}}$")
# Names no new topic may take: `/follow help` and `/unfollow help` ask for the command's usage
# (bot.commands.core), so a topic of that name could not be followed or unfollowed by name. One
# an older version saved still can be: the commands look for it first.
RESERVED_TOPIC_NAMES = frozenset({"help"})
# A Discord id (a "snowflake") is an unsigned 64-bit number written in ASCII digits.
_SNOWFLAKE_RE = re.compile(r"^[0-9]{1,20}$")
# What Slack's chat.postMessage takes as `channel`: "an encoded ID or channel name". An id is
# C (a channel), G (a private channel made before 2020), D (a direct message), or U/W (a user:
# the bot's direct messages with them), then capitals and digits ("C0123456789"); a name is
# "#team-news" or "team-news". All of them post, so all load; a name or a user id gets a warning
# (`bot.config_warnings`): it works for posting only.
SLACK_ID_RE = re.compile(r"^[CGDUW][A-Z0-9]+$")
# Neither an id nor a name has a space or a slash: such a value (a typo, a pasted link) could
# never post, and is refused at load rather than as channel_not_found at the first post.
_SLACK_IMPOSSIBLE_RE = re.compile(r"[\s/]|^#?$")
SLACK_ID_HELP = (
    "a Slack channel id looks like C0123456789 (in Slack, click the channel's name: the id is at "
    "the bottom of its details; or copy the channel's link, which ends with it)"
)


@dataclass(slots=True)
class FeedConfig:
    url: str
    name: str | None = None
    interval: int = DEFAULT_POLL_INTERVAL


@dataclass(slots=True)
class TopicConfig:
    slug: str
    query: str
    title: str | None = None


@dataclass(slots=True)
class ChannelConfig:
    platform: str
    id: str
    name: str | None = None
    topics: list[str] = field(default_factory=list)
    schedule: str = DEFAULT_SCHEDULE
    timezone: str = DEFAULT_TIMEZONE
    mode: str = "digest"
    min_sources: int = 2
    quiet_hours: str | None = None
    webhook_url: str | None = None
    # None: the config's default (`[digests] size`), resolved when a digest is made, so chat's
    # channels and the file's follow one default.
    digest_size: int | None = None

    def named_by(self, ref: str) -> bool:
        """Whether `ref` names this channel as `store.channels.find_channel` matches a stored one:
        by platform:id, id or name, a name with or without its '#'."""
        names = {f"{self.platform}:{self.id}", self.id}
        if self.name:
            names |= {self.name, self.name.removeprefix("#")}
        return ref in names or (ref.startswith("#") and ref.removeprefix("#") in names)


def digest_size(value: object, key: str) -> int:
    """A digest's number of cards, from MIN_DIGEST_SIZE to MAX_DIGEST_SIZE."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not MIN_DIGEST_SIZE <= value <= MAX_DIGEST_SIZE
    ):
        raise ConfigError(
            key,
            f"expected a whole number of cards from {MIN_DIGEST_SIZE} to {MAX_DIGEST_SIZE}, "
            f"got {value!r}",
        )
    return value


def parse_feed(raw: Any, index: int, default_interval: int) -> FeedConfig:
    key = f"feeds[{index}]"
    if isinstance(raw, str):
        raw = {"url": raw}
    if not isinstance(raw, dict):
        raise ConfigError(key, "expected a table with at least `url`")
    reject_unknown(raw, {"url", "name", "interval"}, key)
    try:
        # The same check as `feeds add` and OPML import: a URL they refuse (credentials in it,
        # no host, another scheme) is refused here too.
        url = check_feed_url(req_str(raw, "url", f"{key}.url"))
    except FeedUrlError as exc:
        raise ConfigError(f"{key}.url", str(exc)) from None
    interval = default_interval
    if "interval" in raw:
        interval = parse_duration(raw["interval"], f"{key}.interval")
    return FeedConfig(url=url, name=opt_str(raw, "name", f"{key}.name"), interval=interval)


def parse_topic(raw: Any, index: int) -> TopicConfig:
    key = f"topics[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(key, "expected a table with `slug` and `query`")
    reject_unknown(raw, {"slug", "title", "query"}, key)
    slug = req_str(raw, "slug", f"{key}.slug")
    if not SLUG_RE.match(slug):
        raise ConfigError(f"{key}.slug", f"use lowercase letters, digits and '-', got {slug!r}")
    query = req_str(raw, "query", f"{key}.query")
    from bot.topics.query import QueryError, TopicQuery

    try:
        TopicQuery.parse(query)
    except QueryError as exc:
        raise ConfigError(
            f"{key}.query", f"invalid query at character {exc.position + 1}: {exc.message}"
        ) from None
    return TopicConfig(slug=slug, query=query, title=opt_str(raw, "title", f"{key}.title"))


def parse_channel(raw: Any, index: int) -> ChannelConfig:
    key = f"channels[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(key, "expected a table with `platform` and `id`")
    reject_unknown(
        raw,
        {
            "platform",
            "id",
            "name",
            "topics",
            "schedule",
            "timezone",
            "mode",
            "min_sources",
            "quiet_hours",
            "webhook_url",
            "digest_size",
        },
        key,
    )
    platform = req_str(raw, "platform", f"{key}.platform")
    if platform not in PLATFORMS:
        raise ConfigError(
            f"{key}.platform", f"must be one of {', '.join(PLATFORMS)}, got {platform!r}"
        )
    channel = ChannelConfig(platform=platform, id=req_str(raw, "id", f"{key}.id"))
    if platform == "discord" and not _is_snowflake(channel.id):
        # Caught here, not at the first post hours later.
        raise ConfigError(
            f"{key}.id",
            f"a Discord channel id is a number (Developer Mode → Copy Channel ID), "
            f"got {channel.id!r}",
        )
    if platform == "slack" and _SLACK_IMPOSSIBLE_RE.search(channel.id):
        # Caught here too, not as channel_not_found at the first post.
        raise ConfigError(
            f"{key}.id",
            f"{SLACK_ID_HELP}; no channel id or name has a space or a slash, got {channel.id!r}",
        )
    channel.name = opt_str(raw, "name", f"{key}.name")
    channel.topics = str_list(raw.get("topics", []), f"{key}.topics")
    channel.timezone = opt_str(raw, "timezone", f"{key}.timezone") or DEFAULT_TIMEZONE
    validate_timezone(channel.timezone, f"{key}.timezone")
    schedule = opt_str(raw, "schedule", f"{key}.schedule") or DEFAULT_SCHEDULE
    channel.schedule = _schedule(schedule, channel.timezone, key)
    channel.mode = opt_str(raw, "mode", f"{key}.mode") or "digest"
    if channel.mode not in MODES:
        raise ConfigError(f"{key}.mode", f"must be 'digest' or 'instant', got {channel.mode!r}")
    if "min_sources" in raw:
        channel.min_sources = positive_int(raw["min_sources"], f"{key}.min_sources")
    if "digest_size" in raw:
        channel.digest_size = digest_size(raw["digest_size"], f"{key}.digest_size")
    channel.quiet_hours = opt_str(raw, "quiet_hours", f"{key}.quiet_hours")
    if channel.quiet_hours:
        validate_quiet_hours(channel.quiet_hours, f"{key}.quiet_hours")
    channel.webhook_url = opt_str(raw, "webhook_url", f"{key}.webhook_url")
    if channel.webhook_url is not None and platform != "discord":
        # Only Discord delivers through a webhook: on another platform the key would be
        # silently ignored, and the channel posted to some other way than the file says.
        raise ConfigError(
            f"{key}.webhook_url", f"only Discord channels have a webhook_url, not {platform}"
        )
    if channel.webhook_url is not None and not is_discord_webhook_url(channel.webhook_url):
        # The rule discord.py posts by: checked here, not at the first post hours later.
        raise ConfigError(
            f"{key}.webhook_url",
            f"not a Discord webhook URL (Channel settings → Integrations → Webhooks → Copy "
            f"Webhook URL), which looks like {WEBHOOK_URL_EXAMPLE}",
        )
    return channel


def _is_snowflake(value: str) -> bool:
    return _SNOWFLAKE_RE.match(value) is not None and 0 < int(value) < 2**64


def _schedule(text: str, timezone: str, key: str) -> str:
    """A channel's schedule as cron: a cron as written, or the form `/watchlist schedule` takes
    in chat ("weekdays 09:00", "mon,wed,fri 07:30"), read by the chat's own parser so the two
    cannot drift apart. Its time zone is the channel's `timezone`."""
    try:
        validate_schedule(text, timezone, f"{key}.schedule")
        return text
    except ConfigError:
        pass
    # Only for a schedule that is not a cron: the commands package is not loaded for every
    # config read.
    from bot.commands.schedule import ScheduleError, ScheduleZoneError, parse_config_schedule

    try:
        parsed = parse_config_schedule(text, timezone)
    except ScheduleZoneError as exc:
        raise ConfigError(
            f"{key}.schedule", f"{exc} (got {text!r}; the time zone goes in {key}.timezone)"
        ) from None
    except ScheduleError as exc:
        # A cron's error already quotes the value: said twice, it read as two values.
        got = "" if repr(text) in str(exc) else f"got {text!r}; "
        raise ConfigError(
            f"{key}.schedule",
            f'{exc} ({got}write 5 cron fields, "0 9 * * mon-fri", or [DAYS] HH:MM, '
            '"weekdays 09:00")',
        ) from None
    if parsed.timezone != timezone:
        # A zone in the schedule may only repeat the channel's ("weekdays 09:00 EST" beside
        # timezone = "EST", in any case), as it could before chat's stricter zone checks.
        raise ConfigError(
            f"{key}.schedule",
            f"the time zone goes in {key}.timezone, not in the schedule (got {text!r})",
        )
    return parsed.cron
