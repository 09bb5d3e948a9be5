"""Human digest schedules ("weekdays 09:00 Europe/Berlin") to and from cron + time zone."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from bot.commands.base import straight_quotes, watchlist_command
from bot.commands.clock import ClockError, join_halves, read_clock
from bot.config_values import ConfigError, validate_schedule, validate_timezone
from bot.cron import DAY_NAMES, MIN_DIGEST_GAP, NeverFiresError, cron_trigger, shortest_gap
from bot.schedule_words import DAY_WORDS
from bot.timezones import ZoneError, chat_timezone, zones_by_folded_name

# A cron's minute or hour field, which no DAYS word looks like: four or more fields starting with
# two are read as a cron without the `cron` keyword (Discord's `when:` option takes one as is).
_CRON_NUMBER_RE = re.compile(r"^[0-9*][0-9*,/-]*$")

SCHEDULE_USAGE = (
    "/watchlist schedule [DAYS] HH:MM [TIME_ZONE], where DAYS is daily (the default), weekdays, "
    "weekends or a list like mon,wed,fri; or: /watchlist schedule [cron] '<5 cron fields>' "
    "[TIME_ZONE]. Example: /watchlist schedule weekdays 09:00 Europe/Berlin"
)

# Discord passes the `when:` option as is, so a cron needs no quotes (see `_CRON_NUMBER_RE`).
DISCORD_SCHEDULE_USAGE = (
    "/watchlist schedule when:[DAYS] HH:MM [TIME_ZONE], where DAYS is daily (the default), "
    "weekdays, weekends or a list like mon,wed,fri; or when:<5 cron fields> [TIME_ZONE]. "
    "Example: /watchlist schedule when:weekdays 09:00 Europe/Berlin"
)

# A comma and the spaces round it in a day list ("mon, wed 07:30", as people write lists):
# joined before splitting into words, which read "mon," as a day list missing its second day.
# Only between letters, so "mon, 07:30" still gets "'mon,' misses a day".
_DAY_LIST_COMMA_RE = re.compile(r"(?<=[^\W\d_])\s*,\s*(?=[^\W\d_])")
# A dash between two words, spaced or an en dash ("mon - fri", "mon–fri"): the day range mon-fri,
# where the spaced dash was read as a time and the rest as a zone.
_DAY_RANGE_DASH_RE = re.compile(r"(?<=[^\W\d_])\s*[-–]\s*(?=[^\W\d_])")
# A comma and space after a time or a cron's last field ("weekdays 09:00, Europe/Berlin"): the
# pause people type before a time zone, read as the space it stands for.
_ZONE_COMMA_RE = re.compile(r"(?<=[\d*'\"])\s*,\s+")
# The same pause after a time with am/pm or minutes, spaced or not ("9am, Europe/Berlin",
# "09:00,Europe/Berlin"), read before day lists are joined, which took "9am," for one. Not after
# an hour alone, whose comma may be a cron's list ("1,3").
_CLOCK_COMMA_RE = re.compile(
    r"(?<![\w:.])(\d{1,2}(?::\d\d)?[ap]\.?m\.?|\d{1,2}:\d\d)\s*,\s*", re.IGNORECASE
)
# And after a day name before a Region/City zone ("mon-fri, Europe/Berlin"), which the day
# list's comma would have joined to the days.
_DAYS_ZONE_COMMA_RE = re.compile(r"(?<=[^\W\d_])\s*,\s*(?=[(\[]?[^\W\d_][\w+-]*/)")
# A time glued to what follows by a mark other than a comma or brackets: "9am;", "9am@UTC",
# "9am/Europe/Berlin", "9am-Europe/Berlin" (a spaced dash closed up as a day range's). Refused
# with the form to use: no such mark is how a zone is written.
_GLUED_RE = re.compile(
    r"^(?P<time>\d{1,2}(?::\d\d)?(?:[ap]\.?m\.?)?)[^\w\s,.:'\"()\[\]](?P<rest>[^\W\d_].*)?$",
    re.IGNORECASE,
)
# A zone typed in brackets ("9:00 (Europe/Berlin)", as calendars show it) or ending a sentence.
_BRACKETED_RE = re.compile(r"\((.*)\)|\[(.*)\]")
# A comma ending the text after a time ("9am ,"): a zone left out, refused, not the channel's.
_CLOCK_COMMA_END_RE = re.compile(r"(?<![\w:.])\d{1,2}(?::\d\d)?(?:[ap]\.?m\.?)?\s*,\s*$", re.I)
# A word and the comma after it ("Europe/Berlin, weekdays"): the comma is a pause when the word
# is a zone (see `_zone_pauses`); the day list's comma would have joined it to the days.
_WORD_COMMA_RE = re.compile(r"(?P<word>[^\s,]+)\s*,(?=\s*[^\W\d_])")
# Marks round a word that are no part of a zone's name, stripped to find a zone among words.
_MARKS = "()[]{}<>,;:@.!?'\"“”‘’"


def schedule_usage(platform: str) -> str:
    """The schedule setting's usage in the form `platform` takes it."""
    return DISCORD_SCHEDULE_USAGE if platform == "discord" else SCHEDULE_USAGE


class ScheduleError(ValueError):
    pass


class ScheduleZoneError(ScheduleError):
    """The schedule's time zone is what is wrong, not its days or time."""


@dataclass(frozen=True, slots=True)
class Schedule:
    cron: str
    timezone: str


def parse_schedule(
    text: str, *, default_timezone: str = "UTC", platform: str = "slack"
) -> Schedule:
    """A schedule typed in chat: its zone checked as chat checks zones (no "EST"), and refused
    if it would post a digest more often than `MIN_DIGEST_GAP`. `platform`: how the command a
    refusal suggests is typed there."""
    joined = join_halves(text)
    # Chat only: a config file's "09:00," loaded before; a cron's "1," is the cron check's.
    if _CLOCK_COMMA_END_RE.search(joined) and "*" not in joined:
        raise ScheduleError(
            f"{joined.strip()!r} has a comma with no time zone after it: give the zone, "
            "like '9am, Europe/Berlin', or leave the comma out for the channel's zone"
        )
    schedule = _read(text, default_timezone, _chat_zone)
    if shortest_gap(schedule.cron) < MIN_DIGEST_GAP:
        minutes = int(MIN_DIGEST_GAP.total_seconds() // 60)
        raise ScheduleError(
            f"{schedule.cron!r} would post a digest more often than every {minutes} minutes, "
            "the most a digest may come. For each story as soon as it qualifies, switch the "
            f"channel to instant mode ({watchlist_command(platform, 'mode', 'instant')}) instead"
        )
    return schedule


def parse_config_schedule(text: str, timezone: str) -> Schedule:
    """A config file's `schedule` in the chat form, read as the file was read before chat's
    checks: a zone in it may be any the tz database loads, in any case ("EST", "est"), and no
    floor applies (the file's 5 cron fields never had one). A file that loaded keeps loading
    with the same meaning; the chat checks are for what people type now, and what they would
    refuse in the file is warned of (`bot.config_warnings`)."""
    return _read(text, timezone, _file_zone)


def _read(text: str, default_timezone: str, zone: Callable[[str | None, str], str]) -> Schedule:
    joined = join_halves(text)
    try:
        # Quotes group the cron fields ("cron '0 9 * * 1-5' Europe/Berlin", as SCHEDULE_USAGE
        # shows); splitting on spaces alone left them glued to the first and last field.
        paused = _DAYS_ZONE_COMMA_RE.sub(" ", _CLOCK_COMMA_RE.sub(r"\1 ", _zone_pauses(joined)))
        tidied = _DAY_RANGE_DASH_RE.sub("-", _DAY_LIST_COMMA_RE.sub(",", paused))
        parts = shlex.split(straight_quotes(_ZONE_COMMA_RE.sub(" ", tidied)))
    except ValueError:
        raise ScheduleError("a quote is not closed; quote the 5 cron fields as a pair") from None
    if not parts:
        raise ScheduleError(
            "Give the time of day for the digest, like 09:00 (every day), or days and a time, "
            "like weekdays 09:00, and a time zone if not the channel's"
        )
    if len(parts) > 1 and parts[-1].endswith(".") and _is_days(parts[-1][:-1]):
        # "9am UTC weekdays.": the sentence's full stop, no part of the days.
        parts[-1] = parts[-1][:-1]
    keyword = parts[0].lower() == "cron"
    tokens = " ".join(parts[1:] if keyword else parts).split()
    # Its hour field too: "9 sat sun Europe/Berlin" is a time and days, as many words as a cron.
    cron_like = len(tokens) >= 4 and all(_CRON_NUMBER_RE.match(t) for t in tokens[:2])
    if keyword or cron_like:
        typed = tokens.pop() if len(tokens) == 6 else None
        if len(tokens) != 5:
            raise ScheduleError(f"a cron schedule has 5 fields, got {len(tokens)}")
        return _checked(" ".join(tokens), zone(_unbracketed(typed), default_timezone))
    parts = _joined_days(parts)
    _refuse_glued(parts[0], "", parts[1:])
    days_typed = True
    if _clock(parts[0]) is not None:
        # "9 sat sun": the days typed apart after the time are one list too.
        parts = [parts[0], *_joined_days(parts[1:])]
        if len(parts) > 1 and _is_days(parts[1]):
            # "09:00 weekdays": the days after the time, as people also say it.
            parts[0], parts[1] = parts[1], parts[0]
        elif (after_zone := _days_after_zone(parts[1:])) is not None:
            # "9am Europe/Berlin weekdays": the days after the zone, as unambiguous.
            parts = [after_zone, parts[0], parts[1]]
        else:
            # A time alone is every day's: "schedule 09:00" as people say it.
            parts.insert(0, "daily")
            days_typed = False
    days = _days(parts[0].lower())
    if len(parts) == 1:
        raise ScheduleError(f"{parts[0]!r} needs a time of day after it, like 09:00")
    # The days and time as typed, for the form a misplaced zone is shown in.
    lead = f"{parts[0]} {parts[1]}" if days_typed else parts[1]
    _refuse_glued(parts[1], lead.removesuffix(parts[1]), parts[2:])
    clock = _clock(parts[1])
    if clock is None:
        raise ScheduleError(f"{parts[1]!r} is not a time like 09:00 or 9am")
    hour, minute = clock
    _refuse_more_times(parts[2:], hour, minute, days)
    typed = _typed_zone(parts[2:], lead)
    # A zone of two words ("New York") is looked up whole: the zone check says what it knows.
    return _checked(f"{minute} {hour} * * {days}", zone(typed, default_timezone))


def _zone_pauses(text: str) -> str:
    """`text` with the comma after a zone read as the space it stands for ("9am Europe/Berlin,
    weekdays"); a comma after any other word is left to the day lists."""

    def pause(found: re.Match[str]) -> str:
        word = found.group("word")
        is_zone = word.strip("()[]").casefold() in zones_by_folded_name()
        return word + " " if is_zone else found.group(0)

    return _WORD_COMMA_RE.sub(pause, text)


def _is_days(token: str) -> bool:
    return token.lower().removesuffix(",") in DAY_WORDS or _day_list(token)


def _days_after_zone(words: list[str]) -> str | None:
    """The days typed after a time's zone ("Europe/Berlin weekdays", "UTC sat sun"), else
    None: a zone is never a day name, so the order is no riddle."""
    if len(words) < 2 or not zones_by_folded_name().get((_unbracketed(words[0]) or "").casefold()):
        return None
    days = _joined_days(words[1:])
    return days[0] if len(days) == 1 and _is_days(days[0]) else None


def _unbracketed(typed: str | None) -> str | None:
    """The zone typed in brackets or before a full stop or comma without them:
    "(Europe/Berlin)", "Europe/Berlin,", and one of a pair of brackets left off,
    "Europe/Berlin)". Brackets with nothing in them are refused: no zone is no bracketed one."""
    if typed is None:
        return None
    text = typed.strip().removesuffix(".").removesuffix(",").strip()
    found = _BRACKETED_RE.fullmatch(text)
    zone = (found.group(1) or found.group(2) or "").strip() if found else text.strip("()[]")
    if not zone and text:
        raise ScheduleError(
            f"{text!r} names no time zone: give one in it, like (Europe/Berlin), or leave the "
            "brackets out for the channel's zone"
        )
    return zone


def _refuse_more_times(words: list[str], hour: int, minute: int, days: str) -> None:
    """Refuse a second time of day after the first ("9am, 5pm"), which was read as a zone: a
    schedule is one time, and digests at several hours are a cron's hour list."""
    times, others = [], []
    for word in words:
        try:
            clock = read_clock(word.strip(_MARKS))
        except ClockError:
            clock = (-1, -1)  # written as a time, if a wrong one: still a second time
        if clock is not None:
            times.append(clock)
        elif word.strip(_MARKS).lower() not in ("and", "&", ""):
            others.append(word)
    if not times:
        return
    message = "A schedule has one time of day"
    zones = _zones_among(others)
    if all(m == minute for _, m in times) and len(others) == len(zones) <= 1:
        # "9am, 5pm Europe/Berlin": the same minute each time, and nothing else but a zone.
        hours = ",".join(str(h) for h in sorted({hour, *(h for h, _ in times)}))
        cron = " ".join(["cron", repr(f"{minute} {hours} * * {days}"), *zones])
        message += f"; for a digest at each of these hours, give a cron: {cron}"
    else:
        message += (
            "; a cron holds several hours at one minute, like cron '0 9,17 * * *' for 9:00 "
            "and 17:00"
        )
    raise ScheduleError(message)


def _typed_zone(words: list[str], lead: str) -> str | None:
    """The zone typed after the time, None for none. A zone among other words or marks ("@
    Europe/Berlin", "in UTC", "Europe/Berlin time") is refused with the form to type: nothing
    but a space, a comma or brackets goes between a time and its zone. Words naming no zone are
    left to the zone check ("New York": did you mean America/New_York?)."""
    text = _unbracketed(" ".join(words)) if words else None
    if text is None:
        return None
    zones = zones_by_folded_name()
    if text.casefold() in zones:
        return text
    found = _zones_among(text.split())
    if found:
        raise _separator_error(lead, found[0])
    return text


def _refuse_glued(token: str, days: str, after: list[str]) -> None:
    """Refuse a time glued to what follows by a mark ("9am;", "9am/Europe/Berlin")."""
    glued = _GLUED_RE.match(token)
    if glued is None or _clock(token) is not None:
        return
    found = _zones_among(" ".join([glued.group("rest") or "", *after]).split())
    # No zone named: the form shown with the usage's example zone.
    raise _separator_error(days + glued.group("time"), found[0] if found else "Europe/Berlin")


def _zones_among(words: list[str]) -> list[str]:
    """The tz database's names among `words`, marks round them aside, in its spelling."""
    zones = zones_by_folded_name()
    return [z for w in words if (z := zones.get(w.strip(_MARKS).casefold()))]


def _separator_error(lead: str, zone: str) -> ScheduleError:
    return ScheduleError(
        "Give the time zone right after the time, with a space or a comma: "
        f"{f'{lead} {zone}'!r} or {f'{lead}, {zone}'!r}"
    )


def _clock(token: str) -> tuple[int, int] | None:
    try:
        return read_clock(token)
    except ClockError as exc:
        raise ScheduleError(str(exc)) from None


def _joined_days(parts: list[str]) -> list[str]:
    """`mon wed 09:00` as `mon,wed 09:00`: day names typed apart are the list they stand for
    (a time zone is never a day name, so nothing else is read into them)."""
    run = 0
    while run < len(parts) and _day_list(parts[run]):
        run += 1
    if run < 2:
        return parts
    return [",".join(p.strip(",") for p in parts[:run]), *parts[run:]]


def _day_list(token: str) -> bool:
    names = token.lower().strip(",").split(",")
    return all(
        0 < len(bounds) <= 2 and all(b in DAY_NAMES for b in bounds)
        for bounds in (name.split("-") for name in names)
    )


def _chat_zone(typed: str | None, default: str) -> str:
    """The zone typed with a schedule, checked as chat checks zones; else the channel's own,
    as saved (a zone saved before those checks keeps working until it is changed)."""
    if typed is None:
        return default
    try:
        return chat_timezone(typed)
    except ZoneError as exc:
        raise ScheduleZoneError(str(exc)) from None


def _file_zone(typed: str | None, default: str) -> str:
    """The zone typed in a config file's schedule in the tz database's spelling, in any case
    ("est" is "EST"), as the file's schedules were read before chat's checks; else the
    channel's."""
    if typed is None:
        return default
    known = zones_by_folded_name().get(typed.casefold())
    if known is not None:
        return known
    try:
        validate_timezone(typed, "time zone")
    except ConfigError as exc:
        raise ScheduleZoneError(exc.problem) from None
    return typed


def _days(token: str) -> str:
    # "weekdays, 09:00": a keyword is never part of a list, so its comma is only a pause.
    if token.removesuffix(",") in DAY_WORDS:
        return DAY_WORDS[token.removesuffix(",")]
    days = []
    for name in token.split(","):
        bounds = name.split("-")
        for bound in bounds:
            if bound not in DAY_NAMES:
                shown = f"{bound!r} is not a day name" if bound else f"{token!r} misses a day"
                raise ScheduleError(
                    f"{shown}: DAYS is daily, weekdays, weekends or a day list "
                    "like mon,wed,fri or mon-fri (monday, tues, thurs... also work)"
                )
        if len(bounds) > 2:
            raise ScheduleError(f"{name!r} is not a day range like mon-fri")
        days.append("-".join(DAY_NAMES[b] for b in bounds))
    return ",".join(days)


def _checked(cron: str, timezone: str) -> Schedule:
    try:
        try:
            cron_trigger(cron, timezone)
        except NeverFiresError as exc:
            # Refuse it in plain words: a "Saved." for a digest that never comes is worse.
            raise ScheduleError(f"{exc}; schedule not changed") from None
        except (ValueError, TypeError):
            pass  # malformed: validate_schedule words it as the config check does
        validate_schedule(cron, timezone, "schedule")
    except ConfigError as exc:
        raise ScheduleError(exc.problem) from None
    return Schedule(cron=cron, timezone=timezone)
