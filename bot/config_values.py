"""Checking single config values: types, durations, time zones, cron schedules, quiet hours.

Every check raises `ConfigError` naming the key it was given, so a mistake anywhere in the file is
reported as `channels[0].timezone: unknown IANA time zone 'Europe/Berln'`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.timezones import suggest_zones, zones_by_folded_name

_DURATION_RE = re.compile(r"^\s*(\d+)\s*(s|m|h|d)?\s*$")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}
MIN_INTERVAL = 60
# Past this the poller's next-poll arithmetic overflows datetime, and a feed checked less than
# weekly is better removed than kept.
MAX_INTERVAL = 7 * 86400


# discord.py's own rule (`discord.Webhook.from_url`), copied so loading the config does not import
# discord.py; tests/test_config_webhook_url.py holds the two to the same answers. An URL this
# refuses would load, then pause its channel at the first post.
_DISCORD_WEBHOOK_RE = re.compile(
    r"discord(?:app)?\.com/api/webhooks/(?P<id>[0-9]{17,20})/(?P<token>[A-Za-z0-9\.\-\_]{60,})"
)
WEBHOOK_URL_EXAMPLE = "https://discord.com/api/webhooks/<17-20 digit id>/<token of 60+ characters>"


class ConfigError(ValueError):
    """The configuration is invalid; the message names the key and what is wrong."""

    def __init__(self, key: str, problem: str, path: Path | None = None) -> None:
        self.key = key
        self.problem = problem
        self.path = path
        where = f"{path}: " if path else ""
        # A problem with the file as a whole (missing, not TOML) has no key to name.
        what = f"{key}: " if key else ""
        super().__init__(f"{where}{what}{problem}")


def parse_duration(value: Any, key: str) -> int:
    """Seconds from an int (seconds) or a string like '90s', '15m', '2h', '1d'."""
    seconds = _seconds(value, key)
    if seconds < MIN_INTERVAL:
        raise ConfigError(key, "must be at least 60 seconds (be polite to feed servers)")
    if seconds > MAX_INTERVAL:
        raise ConfigError(key, f"{value!r} is longer than the 7-day maximum")
    return seconds


def parse_span(value: Any, key: str, *, least: int, most: int) -> int:
    """Seconds, written as `parse_duration` reads them, from `least` to `most`."""
    seconds = _seconds(value, key)
    if not least <= seconds <= most:
        raise ConfigError(
            key, f"expected a duration from '{least // 3600}h' to '{most // 86400}d', got {value!r}"
        )
    return seconds


def _seconds(value: Any, key: str) -> int:
    if isinstance(value, bool):
        raise ConfigError(key, f"expected a duration like '15m', got {value!r}")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str) and (m := _DURATION_RE.match(value)):
        digits = m.group(1)
        # int() refuses strings of thousands of digits; anything that long is over the cap anyway.
        count = int(digits) if len(digits) <= 18 else 10**18
        seconds = count * _DURATION_UNITS[m.group(2)]
    else:
        raise ConfigError(key, f"expected a duration like '15m' or seconds, got {value!r}")
    return seconds


def positive_seconds(value: Any, key: str) -> float:
    """A timeout in seconds: a positive, finite int or float (TOML allows `nan` and `inf`)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ConfigError(key, f"expected a positive number of seconds, got {value!r}")
    return float(value)


def validate_schedule(schedule: str, timezone: str, key: str) -> None:
    from bot.cron import cron_trigger

    try:
        cron_trigger(schedule, timezone)
    except (ValueError, TypeError) as exc:
        raise ConfigError(key, f"not a valid cron expression {schedule!r} ({exc})") from None


def validate_timezone(name: str, key: str) -> None:
    """The config file's check: the zone exactly as the tz database spells it, since the file's
    value is used as written (chat is stricter: `bot.timezones.chat_timezone`; what it refuses
    here is warned of, `bot.config_warnings`). An unknown name is
    refused naming the zones it probably means ("Berlin", "europe/berlin")."""
    try:
        ZoneInfo(name)
        return
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        pass
    known = zones_by_folded_name().get(name.casefold())
    suggestions = [known] if known else suggest_zones(name)
    hint = f" (did you mean {' or '.join(repr(z) for z in suggestions)}?)" if suggestions else ""
    raise ConfigError(key, f"unknown IANA time zone {name!r}{hint}")


# A dash typed with spaces around it, or as an en or em dash (what phones and Discord's keyboard
# put in): "22:00 – 07:00" is "22:00-07:00".
_QUIET_DASH_RE = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")


# An hour written with one digit, as schedules accept it ("7:00" for "07:00").
_ONE_DIGIT_HOUR_RE = re.compile(r"(?<!\d)(\d):(?=[0-5]\d\b)")


def tidy_quiet_hours(typed: str) -> str:
    """Quiet hours as typed in chat, in the one spelling stored: the dash without spaces round
    it, an en dash or minus sign read as a hyphen, an hour of one digit given its zero
    ("22:00 – 7:00" → "22:00-07:00")."""
    return _ONE_DIGIT_HOUR_RE.sub(r"0\1:", _QUIET_DASH_RE.sub("-", typed.strip()))


def quiet_hours_shape(value: str) -> bool:
    """Whether `value` reads as HH:MM-HH:MM (an empty range included)."""
    return re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d", value) is not None


def validate_quiet_hours(value: str, key: str) -> None:
    if not quiet_hours_shape(value):
        raise ConfigError(key, f"{_bad_time(value)}expected 'HH:MM-HH:MM', got {value!r}")
    start, end = value.split("-")
    if start == end:
        # The scheduler reads an empty range as no quiet hours at all: say so rather than
        # accept a setting that does nothing.
        raise ConfigError(key, f"{value!r} starts and ends at the same time; leave it out")


def _bad_time(value: str) -> str:
    """ "'25:00' is not a time: hours run 00 to 23; " for a range with a time of day that is no
    time, as chat says it; "" when the range is not two times at all."""
    from bot.commands.clock import ClockError, read_clock

    for part in value.split("-") if value.count("-") == 1 else ():
        try:
            read_clock(part.strip())
        except ClockError as exc:
            return f"{exc}; "
    return ""


def reject_unknown(raw: dict[str, Any], known: set[str], prefix: str) -> None:
    for key in raw:
        if key not in known:
            where = f"{prefix}.{key}" if prefix else key
            raise ConfigError(where, f"unknown key (expected one of: {', '.join(sorted(known))})")


def table(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(key, "expected a table")
    return value


def array(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(key, f"expected an array of tables ([[{key}]])")
    return value


def req_str(raw: dict[str, Any], name: str, key: str) -> str:
    if name not in raw:
        raise ConfigError(key, "is required")
    value = raw[name]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(key, f"expected a non-empty string, got {value!r}")
    return value.strip()


def opt_str(raw: dict[str, Any], name: str, key: str) -> str | None:
    if name not in raw:
        return None
    return req_str(raw, name, key)


def str_list(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(key, f"expected a list of strings, got {value!r}")
    return [v.strip() for v in value]


def positive_int(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(key, f"expected a positive whole number, got {value!r}")
    return value


def boolean(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(key, f"expected true or false, got {value!r}")
    return value


# Retention bounds, in days. The minimum clears the longest a digest looks back (8 days, a weekly
# digest or one caught up after downtime: bot.pipeline.digest.MAX_LOOKBACK), so no story a digest
# may still pick is deleted before it is posted. Past a century the cutoff's date arithmetic
# overflows, and 0 already means "keep everything".
MIN_RETENTION_DAYS = 9
MAX_RETENTION_DAYS = 36_500
# The minimum was 7 until the digest's lookback raised it (16ef526). A file written then still
# loads, kept at the minimum with a warning: an upgraded service must not exit at every start.
FORMER_MIN_RETENTION_DAYS = 7


def retention_problem(days: int, window_hours: int) -> str | None:
    """Why `days` is no usable retention with a clustering window of `window_hours`, or None.
    Shared by the config and `newsdigest prune --older-than`, so both refuse the same values.
    0 (keep forever) is the config's own business, not a value this judges."""
    if days < MIN_RETENTION_DAYS:
        return f"{days} is under the {MIN_RETENTION_DAYS}-day minimum"
    if days > MAX_RETENTION_DAYS:
        return f"{days} is over the {MAX_RETENTION_DAYS}-day maximum"
    if days * 24 <= window_hours:
        # A story still open to new articles must keep its members: pruning them would let the
        # clusterer open a second story for the same event.
        return (
            f"{days} days would cut into the clustering window (clustering.window_hours = "
            f"{window_hours}); use at least {window_hours // 24 + 1}"
        )
    return None


def retention_days(
    value: Any,
    window_hours: int,
    key: str = "storage.retention_days",
    warnings: list[str] | None = None,
) -> int:
    """`[storage] retention_days`: 0 (keep everything) or a usable retention, see above. A value
    the former minimum allowed is raised to the minimum, with a line added to `warnings`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(
            key, f"expected a whole number of days (0 keeps everything), got {value!r}"
        )
    if FORMER_MIN_RETENTION_DAYS <= value < MIN_RETENTION_DAYS and warnings is not None:
        warnings.append(
            f"{key} = {value} is under the {MIN_RETENTION_DAYS}-day minimum (a weekly digest, "
            f"or one caught up after downtime, looks back 8 days, and its stories must still be "
            f"there): {MIN_RETENTION_DAYS} days are kept. Set retention_days = "
            f"{MIN_RETENTION_DAYS} or more (0 keeps everything)."
        )
        value = MIN_RETENTION_DAYS
    if value and (problem := retention_problem(value, window_hours)):
        raise ConfigError(key, f"{problem} (0 keeps everything)")
    return value


def is_discord_webhook_url(url: str) -> bool:
    """Whether `url` is a Discord webhook URL discord.py will post to (https only: the URL holds
    the webhook's token)."""
    return url.startswith("https://") and _DISCORD_WEBHOOK_RE.search(url) is not None
