"""Pure schedule arithmetic: digest fire times per channel (cron in an IANA zone, DST-correct),
quiet hours, the one catch-up digest after downtime, and feed-poll jitter.

Everything takes `now` as an argument so tests use fixed instants and never sleep.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.cron import arrival, cron_trigger

__all__ = [
    "cron_trigger",
    "fire_times",
    "missed_digest",
    "next_fire",
    "quiet_until",
    "release_time",
]

_QUIET_RE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


def _repeated_wall_time(instant: datetime, trigger: CronTrigger) -> bool:
    """True for the second pass through a wall-clock time repeated when clocks fall back (fold=1
    times that also existed an hour earlier). `bot.cron.cron_trigger`'s trigger never gives one;
    this guards against any other trigger, as APScheduler's own fires on both passes."""
    local = instant.astimezone(trigger.timezone)
    if not local.fold:
        return False
    first = local.replace(fold=0).astimezone(UTC)
    return first != instant.astimezone(UTC)


def next_fire(trigger: CronTrigger, after: datetime) -> datetime | None:
    """The first fire time strictly after `after`, skipping the repeat of a fall-back hour."""
    # Step in UTC: aware-datetime arithmetic is wall-clock arithmetic and would drop `fold`.
    cursor = after.astimezone(UTC)
    while True:
        found = trigger.get_next_fire_time(None, cursor + timedelta(microseconds=1))
        if found is None:
            return None
        if not _repeated_wall_time(found, trigger):
            return found.astimezone(UTC)
        cursor = found.astimezone(UTC)


def fire_times(trigger: CronTrigger, start: datetime, end: datetime) -> list[datetime]:
    """Fire times in (start, end], in UTC."""
    times: list[datetime] = []
    cursor = start
    while (nxt := next_fire(trigger, cursor)) is not None and nxt <= end:
        times.append(nxt)
        cursor = nxt
        if len(times) > 100_000:  # a per-minute cron over years: the caller bounds the span
            break
    return times


def missed_digest(
    trigger: CronTrigger,
    *,
    last_run: datetime | None,
    now: datetime,
    window: timedelta,
    since: datetime | None = None,
) -> datetime | None:
    """The scheduled time of a digest missed while the bot was down, if one should still be sent.

    Only the latest missed run counts (several missed runs make one digest, not a burst), and only
    if it is at most `window` old: a digest from yesterday morning is news nobody wants at night.
    Nor one before `since`, when the schedule was set: it was not due when it passed.
    """
    if last_run is None:
        return None
    start = max(last_run, now - window, since or last_run)
    # The most recent scheduled time in (start, now]; walk forward from the window's start.
    missed = None
    cursor = start
    while (nxt := next_fire(trigger, cursor)) is not None and nxt <= now:
        missed = nxt
        cursor = nxt
    return missed


# --- quiet hours ------------------------------------------------------------------------------


def parse_quiet_hours(spec: str | None) -> tuple[time, time] | None:
    """'22:00-07:00' -> (22:00, 07:00). None or an empty range means no quiet hours."""
    if not spec:
        return None
    m = _QUIET_RE.match(spec.strip())
    if not m:
        raise ValueError(f"quiet hours must look like 22:00-07:00, got {spec!r}")
    start = time(int(m.group(1)), int(m.group(2)))
    end = time(int(m.group(3)), int(m.group(4)))
    return None if start == end else (start, end)


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time on a day, as a UTC instant, by cron's rule (`bot.cron.arrival`): a time
    the clocks skip arrives at the end of the gap (02:30 in Berlin's 02:00-03:00 gap is 03:00
    CEST), as a digest slot there fires, and a repeated time at its first pass. zoneinfo's fold=0
    alone read it with the offset before the jump, an hour after the gap (03:30): quiet hours
    ended 30-60 minutes late, and one starting in the gap began that late."""
    return arrival(datetime.combine(day, at), zone)


def quiet_until(when: datetime, spec: str | None, timezone: str) -> datetime | None:
    """If `when` falls in the channel's quiet hours, the UTC instant they end; otherwise None."""
    period = quiet_period(when, spec, timezone)
    return period[1] if period else None


def quiet_period(
    when: datetime, spec: str | None, timezone: str
) -> tuple[datetime, datetime] | None:
    """If `when` falls in the channel's quiet hours, the UTC instants they began and end."""
    bounds = parse_quiet_hours(spec)
    if bounds is None:
        return None
    start, end = bounds
    zone = ZoneInfo(timezone)
    local = when.astimezone(zone)
    # Check the window that started yesterday (for ranges that wrap midnight) and today's.
    for offset in (-1, 0):
        day = local.date() + timedelta(days=offset)
        begins = _local(day, start, zone)
        end_day = day if end > start else day + timedelta(days=1)
        ends = _local(end_day, end, zone)
        if begins <= when < ends:
            return begins, ends
    return None


def release_time(when: datetime, spec: str | None, timezone: str) -> datetime:
    """When something due at `when` may be posted: `when`, or the end of the quiet hours."""
    return quiet_until(when, spec, timezone) or when


# --- polling ----------------------------------------------------------------------------------


def poll_jitter(feed_id: int, interval: int, *, salt: str = "") -> float:
    """A stable offset in [0, interval) seconds for a feed, so 1,000 feeds added at once spread
    over their interval instead of firing in the same second. Stable per feed so restarts keep the
    spread."""
    digest = hashlib.blake2b(f"{feed_id}:{salt}".encode(), digest_size=8).digest()
    fraction = int.from_bytes(digest, "big") / 2**64
    return fraction * max(interval, 1)
