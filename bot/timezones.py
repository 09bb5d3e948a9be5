"""A time zone as a person types it in chat: the tz database's name for it, or why not in plain
words with the zones they probably meant.

People type what their calendar shows ("EST", "CET", "UTC+2") or their city ("Berlin"). Some
abbreviations load as fixed offsets (EST, MST, HST): a New York team's 09:00 "EST" digest would
come at 10:00 all summer. So abbreviations and bare offsets are refused, naming the place's zone,
which follows its summer time. EST5EDT, PST8PDT and CET do follow summer time, but are old names
the tz database keeps for compatibility, and are refused as that. UTC and GMT, which have no
summer time, are kept (and a zero offset is UTC). So are only the tz database's listed names of
places: `localtime` (the server's), `Factory`, `right/...` (leap seconds) and `Etc/GMT+5` (a fixed
offset) are refused. A city is answered with the zones named after it.

The config file keeps its own, stricter check (`bot.config_values.validate_timezone`: the name as
written) and gets the same suggestions when a name is unknown. It keeps loading a zone chat refuses
(EST), so an existing deployment's fire times never change; `fixed_offset` says what such a zone
costs, for the config's warnings (`bot.config_warnings`) and /watchlist's note alike.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.textutil import fold

# Abbreviations people type for a region's time, and the zones that follow that region's clocks.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("est", "edt", "et", "est5edt"), ("America/New_York",)),
    **dict.fromkeys(("cst", "cdt", "ct", "cst6cdt"), ("America/Chicago",)),
    # Arizona keeps standard time all year; the rest of Mountain time does not.
    **dict.fromkeys(("mst", "mdt", "mt", "mst7mdt"), ("America/Denver", "America/Phoenix")),
    **dict.fromkeys(("pst", "pdt", "pt", "pst8pdt"), ("America/Los_Angeles",)),
    **dict.fromkeys(("akst", "akdt"), ("America/Anchorage",)),
    "hst": ("Pacific/Honolulu",),
    **dict.fromkeys(("cet", "cest", "met", "mest"), ("Europe/Berlin", "Europe/Paris")),
    **dict.fromkeys(("eet", "eest"), ("Europe/Athens", "Europe/Helsinki")),
    **dict.fromkeys(("wet", "west"), ("Europe/Lisbon",)),
    "bst": ("Europe/London",),
    "ist": ("Asia/Kolkata", "Europe/Dublin"),
    **dict.fromkeys(("aest", "aedt"), ("Australia/Sydney",)),
    "jst": ("Asia/Tokyo",),
}
# "UTC+2", "GMT-05:00", "+0530": an offset, which never changes for summer time.
_OFFSET_RE = re.compile(r"^(?:utc|gmt)?\s*([+\-\u2212])\s*(\d{1,2})(?::?([0-5]\d))?$", re.I)
# "Etc/GMT+5": a fixed offset, five hours behind UTC (POSIX signs). Etc/GMT+0 and -0 are UTC.
_ETC_OFFSET_RE = re.compile(r"^etc/gmt([+-])(\d{1,2})$", re.I)
# Names in the tz database's list that are no place's zone: the server's own setting, and the
# placeholder for "zone not set".
_NOT_PLACES = frozenset(("localtime", "factory"))
# Zones offered for an offset: large cities, so the suggestion is one people recognise.
_MAJOR_ZONES = (
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Halifax",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Lisbon",
    "Africa/Lagos",
    "Europe/Berlin",
    "Europe/Paris",
    "Africa/Johannesburg",
    "Africa/Cairo",
    "Europe/Athens",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
)
# What a typed name may be shown as in a reply; anything else is "that" (it is the user's text).
_SHOWABLE_RE = re.compile(r"^[\w+\-/:. ]{1,40}$")
EXAMPLE = "Europe/Berlin or America/New_York"


class ZoneError(ValueError):
    """The message says, in plain words, what is wrong and what to type instead.

    `typed` is the name as typed ("" when it is not shown: too long or odd characters) and
    `problem` the rest of the message: a chat reply quotes `typed` as typed text
    (`bot.render.literal`), where in the plain message it would be read as the bot's markup
    ("__x__" underlined, a typed URL a link).
    """

    def __init__(self, typed: str, problem: str) -> None:
        self.typed = typed if _SHOWABLE_RE.match(typed) else ""
        self.problem = problem
        super().__init__(f"{self.typed or 'That'} {problem}")


@functools.lru_cache(maxsize=1)
def zones_by_folded_name() -> dict[str, str]:
    # Read from disk once (~30 ms); no two zones differ only in case.
    return {zone.casefold(): zone for zone in available_timezones()}


def _changes_clocks(folded: str) -> bool:
    """Whether the tz database's zone `folded` (case-folded) moves its clocks during the year."""
    zone = zones_by_folded_name().get(folded)
    if zone is None:
        return False
    info = ZoneInfo(zone)
    winter, summer = (datetime(2026, month, 1, tzinfo=info).utcoffset() for month in (1, 7))
    return winter != summer


def chat_timezone(typed: str) -> str:
    """The zone `typed` names, in the tz database's spelling ("europe/berlin" →
    "Europe/Berlin"; "UTC+0" → "UTC"); ZoneError for an abbreviation, an offset, a zone that is
    not a place's (the server's `localtime`, `Factory`, a fixed `Etc/GMT+5`) or an unknown name."""
    name = typed.strip()
    folded = name.casefold()
    if folded in _ABBREVIATIONS:
        zones = " or ".join(_ABBREVIATIONS[folded])
        if _changes_clocks(folded):
            # EST5EDT, PST8PDT, CET: the tz database does load these, with summer time, but as
            # old names kept for compatibility, not a place's zone with its own history.
            style = "POSIX-style " if any(c.isdigit() for c in folded) else ""
            raise ZoneError(
                name,
                f"is an old {style}name the tz database keeps only for compatibility, "
                f"not a place's zone. Use the place's zone instead: {zones}.",
            )
        raise ZoneError(
            name,
            f"is an abbreviation, which stays at one offset from UTC all year, so digests "
            f"would come an hour off while summer time is on. Use the place's zone instead, "
            f"which follows its clock changes: {zones}.",
        )
    minutes = _offset_minutes(name)
    if minutes == 0:
        return "UTC"  # no summer time to miss: "UTC+0" is UTC
    if minutes is not None:
        near = _zones_at_offset(minutes)
        examples = f", e.g. {' or '.join(near)}" if near else f", like {EXAMPLE}"
        raise ZoneError(
            name,
            f"is an offset from UTC, which does not follow summer time, so digests would "
            f"come an hour off part of the year. Give the place's zone instead{examples} "
            "(or type your city and I will suggest its zone).",
        )
    # "posix/Europe/Berlin" is the same file as "Europe/Berlin", under the name people know.
    folded = folded.removeprefix("posix/")
    if folded.startswith("right/"):
        plain = zones_by_folded_name().get(folded.removeprefix("right/"))
        instead = f" Use {plain} instead." if plain else ""
        raise ZoneError(
            name,
            f"counts leap seconds, which no clock does: digests would come 27 seconds "
            f"late.{instead}",
        )
    known = zones_by_folded_name().get(folded)
    if known is not None and known.casefold() not in _NOT_PLACES:
        return known
    # Only names in the tz database's list: what else ZoneInfo loads is no place's zone
    # ("posixrules"), and an over-long name made it raise OSError.
    raise ZoneError(name, f"is not a time zone I know. {unknown_zone_hint(name)}")


def likely_zones(typed: str, limit: int = 3) -> list[str]:
    """The zones chat would accept that `typed` probably means: an abbreviation's or an
    offset's (the ones its refusal names), else a city's (`suggest_zones`)."""
    folded = typed.strip().casefold()
    if folded in _ABBREVIATIONS:
        return list(_ABBREVIATIONS[folded])[:limit]
    minutes = _offset_minutes(typed.strip())
    if minutes is not None:
        return ["UTC"] if minutes == 0 else _zones_at_offset(minutes)[:limit]
    return suggest_zones(typed, limit)


def unknown_zone_hint(name: str) -> str:
    """What to say after "unknown time zone": the zones it probably means, or how zones are
    named."""
    suggestions = suggest_zones(name)
    if suggestions:
        return f"Did you mean {' or '.join(suggestions)}?"
    return f"Time zones are named by region and city, like {EXAMPLE}."


def suggest_zones(name: str, limit: int = 3) -> list[str]:
    """Zones named after the city `name` ("Berlin", "new york", "São Paulo"), or, failing that,
    zones spelt nearly like it ("Europe/Berln")."""
    key = _city_key(name)
    if not key:
        return []
    cities = _zones_by_city()
    if key in cities:
        return cities[key][:limit]
    if "/" in name:
        folded = zones_by_folded_name()
        close = difflib.get_close_matches(name.casefold(), list(folded), n=limit, cutoff=0.85)
        return [folded[c] for c in close]
    close = difflib.get_close_matches(key, list(cities), n=limit, cutoff=0.85)
    return [zone for city in close for zone in cities[city]][:limit]


def _city_key(name: str) -> str:
    last = name.strip().rsplit("/", 1)[-1]
    return " ".join(fold(last.replace("_", " ").replace("-", " ")).casefold().split())


@functools.lru_cache(maxsize=1)
def _zones_by_city() -> dict[str, list[str]]:
    cities: dict[str, list[str]] = {}
    for zone in sorted(available_timezones()):
        # Region/City zones only: "EST" or "Cuba" name no city.
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            cities.setdefault(_city_key(zone), []).append(zone)
    return cities


def _offset_minutes(name: str) -> int | None:
    """The offset from UTC, in minutes east, that `name` is if it is one: "UTC+2", "+05:30",
    "Etc/GMT+5" (whose sign is POSIX's, the other way round: UTC-5)."""
    if (etc := _ETC_OFFSET_RE.match(name)) is not None:
        return -int(etc.group(1) + "1") * int(etc.group(2)) * 60
    if (match := _OFFSET_RE.match(name)) is None:
        return None
    sign = -1 if match.group(1) in "-\u2212" else 1
    return sign * (int(match.group(2)) * 60 + int(match.group(3) or 0))


def _zones_at_offset(minutes: int) -> list[str]:
    year = datetime.now().year
    # Zones whose winter or summer offset it is; those where it is the winter one first.
    ranked = []
    for zone in _MAJOR_ZONES:
        info = ZoneInfo(zone)
        offsets = [datetime(year, month, 1, tzinfo=info).utcoffset() for month in (1, 7)]
        hits = [
            i for i, o in enumerate(offsets) if o is not None and o.total_seconds() == minutes * 60
        ]
        if hits:
            ranked.append((hits[0], zone))
    return [zone for _, zone in sorted(ranked, key=lambda r: r[0])][:3]


@dataclass(frozen=True, slots=True)
class FixedOffset:
    """A zone on one offset all year (EST) that is the standard time of a place whose clocks
    change (New York): by that place's clock, what it times comes late all summer."""

    offset: timedelta  # the zone's offset from UTC, all year
    place: str  # a zone whose winter offset it is, and which follows summer time
    shift: timedelta  # how far that place's clocks go forward in summer
    fixed: str | None  # a place on that offset all year that the name may mean (MST: Phoenix)


def fixed_offset(zone: str) -> FixedOffset | None:
    """What is off about `zone`, a name chat refuses that keeps one offset all year, or None: for
    a zone chat accepts (UTC, America/Panama), one whose clocks change (CET, PST8PDT), and one
    on an offset no likely place has as its winter time (HST: Honolulu's clocks never change)."""
    try:
        chat_timezone(zone)
        return None  # accepted as typed today
    except ZoneError:
        pass
    offsets = zone_offsets(zone)
    if len(offsets) != 1:
        return None
    likely = likely_zones(zone)
    places = [z for z in likely if len(o := zone_offsets(z)) > 1 and min(o) in offsets]
    if not places:
        return None
    place_offsets = zone_offsets(places[0])
    # Whether the team's clocks change is theirs to say: MST is Denver's winter and Phoenix's
    # whole year, UTC+10 Sydney's winter and Brisbane's whole year.
    fixed = [z for z in likely if zone_offsets(z) == offsets]
    return FixedOffset(
        offset=next(iter(offsets)),
        place=places[0],
        shift=max(place_offsets) - min(place_offsets),
        fixed=fixed[0] if fixed else None,
    )


def zone_offsets(zone: str) -> set[timedelta]:
    """The zone's offsets from UTC in January and July: one for a zone without summer time."""
    try:
        info = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return set()
    year = datetime.now(UTC).year
    found = (datetime(year, month, 1, tzinfo=info).utcoffset() for month in (1, 7))
    return {offset for offset in found if offset is not None}


def leap_second_zone(zone: str) -> str | None:
    """The plain zone a `right/...` zone (which counts leap seconds) is of, or None for any
    other name."""
    if not zone.casefold().startswith("right/"):
        return None
    return zones_by_folded_name().get(zone.casefold().removeprefix("right/"))
