"""/watchlist: a channel's topics and settings, and changing them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.commands import mutes, pause
from bot.commands.base import (
    WATCHLIST_OPTIONS,
    CommandContext,
    Reply,
    UsageError,
    split_args,
)
from bot.commands.follow_up import take_effect
from bot.commands.held_posts import release_quiet_holds
from bot.commands.hints import watchlist_hint
from bot.commands.overview import channel_overview
from bot.commands.quiet import held_back_note, read_quiet_hours
from bot.commands.schedule import ScheduleError, parse_schedule, schedule_usage
from bot.commands.story import typed_story
from bot.config_entries import (
    MAX_DIGEST_SIZE,
    MAX_MIN_SOURCES,
    MIN_DIGEST_SIZE,
)
from bot.render.literal import code, literal, quoted
from bot.store import channels as channel_store
from bot.store import digest_runs
from bot.store.channels import ChannelRow
from bot.store.database import transaction
from bot.store.queued_posts import return_to_digest_pool
from bot.textutil import plural
from bot.timezones import ZoneError, chat_timezone

if TYPE_CHECKING:
    from bot.commands.core import Commands


async def watchlist(
    commands: Commands, args: str, ctx: CommandContext, channel: ChannelRow
) -> Reply:
    db = commands.core.db
    # `show` is Discord's spelling of the bare command (the README uses it for both); one full
    # stop may end it, as it may end a setting's name (`Resume.`, `_SETTING_RE`).
    default_size = commands.core.config.digest_size
    if not args or args.strip().lower() in ("show", "show."):
        if not channel.id and ctx.cannot_post:
            # "/follow or /digest signs it up" would point at commands refused here too.
            return Reply(ctx.cannot_post)
        shown = channel_overview(db, channel, default_size)
        # Also where the channel is not signed up: a setting changed signs it up.
        shown.hint = watchlist_hint(ctx.platform)
        return shown
    setting, rest = _setting_and_rest(args)
    if setting in ("mute", "unmute"):
        # The story as typed after the setting (quotes and all, as /story takes it).
        handler = mutes.mute if setting == "mute" else mutes.unmute
        return await handler(commands, typed_story(rest), ctx, channel)
    if setting in ("pause", "resume") and rest:
        # No duration or reason is read: `pause for 2 hours` pausing for good, or `resume
        # please` said as if understood, would mislead.
        raise UsageError(
            f"/watchlist {setting} takes nothing after it ({quoted(rest, 60)} was not read).",
            f"/watchlist {setting}",
        )
    if setting == "resume":
        return await pause.resume(commands, channel, ctx)
    if setting == "pause":
        return await pause.pause(commands, channel)
    changes = _changes(setting, split_args(rest), channel, ctx.platform)
    if isinstance(changes, Reply):
        return changes
    understood = changes.pop(_UNDERSTOOD, "")
    # Only now, with the input valid, does the channel get a row (see Commands._channel).
    signing_up = not channel.id
    before = commands.signed_up(channel, ctx)
    with transaction(db):
        channel = channel_store.update_channel(db, before.id, **changes)
        if signing_up and channel.mode == "instant":
            # Its row was made in digest mode, with a first digest run: an instant channel has
            # no digest due, and kept, that run would date a switch to digest mode weeks later
            # back to the sign-up, its first digest reaching back 8 days, not the usual 48 h.
            # The switch records the first run (below) instead.
            digest_runs.forget_first_run(db, channel.id)
        if channel.schedule_signature != before.schedule_signature:
            # With the setting, not after it: no restart nor write lock can part the two, and
            # a restart's catch-up takes no slot of the new schedule that passed before it.
            channel_store.record_schedule_change(db, channel.id, at=commands.clock())
            if channel.mode == "digest":
                # Scheduled from now on, as a sign-up is (`Commands.signed_up`): a channel that
                # never had a digest run gets its first here, not at the next job sync.
                digest_runs.record_first_run(db, channel.id, at=commands.clock())
        returned = 0
        if before.mode == "instant" and channel.mode == "digest":
            returned = return_to_digest_pool(db, channel.id)
    if _RELEASING.intersection(changes):
        _release_quiet_holds(commands, before)
    said = f"{understood}\n" if understood else ""
    said += await take_effect(commands, before, channel, "the stories it now lets through")
    if returned:
        waiting = plural(returned, "story", "stories")
        verb = "waits" if returned == 1 else "wait"
        said += f"The {waiting} still waiting to be posted here now {verb} for the next digest.\n"
    if "digest_size" in changes and channel.mode == "instant":
        # The settings below show digest-size in digest mode only: say what was saved.
        size = channel.digest_size or default_size
        own = "" if channel.digest_size else " (the default)"
        said += f"digest-size: {size}{own}, used in digest mode only.\n"
    if _HOLDING.intersection(changes) and (note := held_back_note(channel, commands.clock())):
        # Saved as asked (it may be meant, for a while), but never silently.
        said += f"{note}\n"
    return channel_overview(db, channel, default_size, prefix=f"Saved. {said}")


# Not a column: how a value typed two ways was read (`QuietHours.understood`), which `_changes`
# hands `watchlist` beside the columns, for its reply to say.
_UNDERSTOOD = "understood"

# Each setting's own usage line, on Slack and on Discord: a bad value gets this one, not the whole
# /watchlist usage (which is for a setting name that is wrong).
_SETTING_USAGE: dict[str, tuple[str, str]] = {
    "mode": ("/watchlist mode digest|instant", "/watchlist mode mode:digest|instant"),
    "min-sources": (
        f"/watchlist min-sources N (1 to {MAX_MIN_SOURCES})",
        "/watchlist min-sources count:N",
    ),
    "digest-size": (
        f"/watchlist digest-size N ({MIN_DIGEST_SIZE} to {MAX_DIGEST_SIZE}) | "
        "/watchlist digest-size default",
        "/watchlist digest-size cards:N | /watchlist digest-size cards:0 (the default)",
    ),
    "quiet": (
        "/watchlist quiet 22:00-07:00 | /watchlist quiet off",
        "/watchlist quiet hours:22:00-07:00 | /watchlist quiet hours:off",
    ),
    "timezone": ("/watchlist timezone Europe/Berlin", "/watchlist timezone zone:Europe/Berlin"),
}
_TIMEZONE_NAMES = ("timezone", "tz", "zone", "time-zone", "time_zone")


def setting_usage(setting: str, platform: str) -> str:
    slack, discord = _SETTING_USAGE[setting]
    return discord if platform == "discord" else slack


# Each spelling of a setting's name, as the setting Discord's option belongs to.
_SPELLINGS = {
    **dict.fromkeys(_TIMEZONE_NAMES, "timezone"),
    **dict.fromkeys(("min_sources", "minsources"), "min-sources"),
    **dict.fromkeys(("digest_size", "digestsize", "size"), "digest-size"),
}


# A setting's name as typed first, and what follows it: after a space, a colon (`mode:
# instant`, `mode:instant`, as Discord's option reads) or an equals sign (`min-sources=2`, as
# config files and command lines write it), so every setting takes each. The name may
# be quoted (`"quiet" 22-7`, `"min sources" 3`), as the words were once all split shell-style,
# in curly quotes too (`“quiet” 22-7`), as macOS and iOS Slack type them. A name typed alone
# may end the sentence (`Resume.`): one full stop is dropped, as `_changes` drops a value's.
_SETTING_RE = re.compile(
    r"^\s*(?:[\"'“”‘’]([A-Za-z_-]+(?:\s+[A-Za-z_-]+)?)[\"'“”‘’]|([A-Za-z_-]+))(?:\s*[:=]|\s|\.?\s*$)(.*)$",
    re.DOTALL,
)
# Settings named in two words, as people say them (`min sources 3`, `time zone UTC`, `digest
# size 5`): the first word and the second's spelling in the one-word name.
_TWO_WORDS = {("min", "sources"), ("time", "zone"), ("digest", "size")}


def setting_named(args: str) -> str:
    """The setting `/watchlist` with `args` reads (lowercase): what the core's rules on who may
    run it (`Commands.needs_admin`, `Commands.may_sign_up`) go by, so that no spelling the
    command accepts (`resume:`, `"resume"`) escapes them."""
    return _setting_and_rest(args)[0]


def _setting_and_rest(args: str) -> tuple[str, str]:
    """The setting's name, lowercase, and the text after it (its colon, if any, dropped)."""
    found = _SETTING_RE.match(args)
    if found is None:
        # No setting's name (`22:00-07:00`): refused as the unknown setting it is.
        return (split_args(args) or [""])[0].lower(), ""
    quoted, bare, rest = found.groups()
    # A quoted name of two words is read as typed without its quotes: its second word leads
    # the rest, as `min sources 3`'s does (`_changes`).
    first, _, second = (quoted or bare).partition(" ")
    return first.lower(), f"{second.strip()} {rest.strip()}".strip()


def _name_and_value(word: str) -> tuple[str, str]:
    """`sources:3` or `sources=3` as its name and value; a word without either, all name."""
    name, _, value = word.partition(":") if ":" in word else word.partition("=")
    return name, value


def _without_option(setting: str, values: list[str]) -> list[str]:
    """`values` without the Discord option name typed before them (`mode mode:instant`,
    `quiet hours: 22:00-07:00`), as people who use both platforms type it on Slack too, or
    without its colon (`quiet hours 22:00-07:00`): no option's name is a value it takes."""
    option = WATCHLIST_OPTIONS.get(_SPELLINGS.get(setting, setting))
    if option is None or not values:
        return values
    if values[0].lower() in (option, f"{option}:", f"{option}="):
        return values[1:]
    if not values[0].lower().startswith((f"{option}:", f"{option}=")):
        return values
    return [values[0][len(option) + 1 :], *values[1:]]


def _changes(
    setting: str, values: list[str], channel: ChannelRow, platform: str
) -> dict[str, Any] | Reply:
    """The columns a `/watchlist <setting> <values>` sets; raises UsageError on bad input."""
    second, after = _name_and_value(values[0]) if values else ("", "")
    if (setting, second.lower()) in _TWO_WORDS:
        # `min sources 3`, `time zone: UTC`: the setting's name as two words, as people say it
        # (and as /watchlist used to list min-sources).
        setting = f"{setting}-{second.lower()}"
        values = ([after] if after else []) + values[1:]
    values = _without_option(setting, values)
    if values and values[-1].endswith(".") and not values[-1].endswith(".."):
        # The sentence's full stop (`timezone Europe/Berlin.`), as /follow drops it: no value
        # ends with one. One only: `..` is not a sentence's end.
        values = [*values[:-1], values[-1][:-1]] if values[-1] != "." else values[:-1]
    if setting in _TIMEZONE_NAMES:
        typed = " ".join(values)
        usage = setting_usage("timezone", platform)
        if not typed:
            raise UsageError("Which time zone?", usage)
        try:
            # Only the zone: the schedule's days and time stay as they are.
            return {"timezone": chat_timezone(typed)}
        except ZoneError as exc:
            # The typed name is quoted as typed text: as the bot's own, "__x__" was underlined
            # and a typed address a link.
            zone_refused = f"{quoted(exc.typed)} {exc.problem}" if exc.typed else str(exc)
            raise UsageError(zone_refused, usage) from None
    if setting == "schedule":
        try:
            schedule = parse_schedule(
                " ".join(values), default_timezone=channel.timezone, platform=platform
            )
        except ScheduleError as exc:
            return Reply(f"{_with_code(str(exc))}\nUsage: {schedule_usage(platform)}")
        return {"schedule": schedule.cron, "timezone": schedule.timezone}
    if setting == "mode":
        # Setting names are case-insensitive, so their values are too: `MODE Instant` works.
        values = [v.lower() for v in values]
        if values not in (["digest"], ["instant"]):
            raise UsageError(
                "Mode is `digest` (on the schedule) or `instant` (as stories break).",
                setting_usage("mode", platform),
            )
        return {"mode": values[0]}
    if setting in ("min-sources", "min_sources", "minsources"):
        # ASCII digits only: str.isdigit() accepts '²' and other digits int() rejects.
        value = values[0] if len(values) == 1 else ""
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_MIN_SOURCES:
            raise UsageError(
                f"min-sources takes a whole number from 1 to {MAX_MIN_SOURCES}.",
                setting_usage("min-sources", platform),
            )
        return {"min_sources": int(value)}
    if setting in ("digest-size", "digest_size", "digestsize", "size"):
        return {"digest_size": _digest_size(values, platform)}
    if setting == "quiet":
        quiet = read_quiet_hours(values, setting_usage("quiet", platform))
        said = {_UNDERSTOOD: quiet.understood} if quiet.understood else {}
        return {"quiet_hours": quiet.value, **said}
    raise UsageError(f"Unknown setting {quoted(setting, 60)}.")


def _digest_size(values: list[str], platform: str) -> int | None:
    """The cards a digest of the channel has; None: the configured default (`default`, or 0,
    which is how Discord's whole-number option says it)."""
    value = values[0].lower() if len(values) == 1 else ""
    if value in ("default", "0"):
        return None
    if not (value.isascii() and value.isdigit()) or not (
        MIN_DIGEST_SIZE <= int(value) <= MAX_DIGEST_SIZE
    ):
        raise UsageError(
            f"digest-size takes a whole number of cards from {MIN_DIGEST_SIZE} to "
            f"{MAX_DIGEST_SIZE}, or `default`. The stories beyond the cards are listed after "
            "them.",
            setting_usage("digest-size", platform),
        )
    return int(value)


# Settings after which every digest may fall in the quiet hours (`held_back_note`).
_HOLDING = {"quiet_hours", "timezone", "schedule", "mode"}

# Settings after which posts held until the old quiet hours end may be due sooner.
_RELEASING = {"quiet_hours", "timezone"}


def _release_quiet_holds(commands: Commands, before: ChannelRow) -> None:
    released = release_quiet_holds(commands.core.db, before, now=commands.clock())
    if released and commands.kick_outbox is not None:
        commands.kick_outbox()


# A typed value shown as code whole up to this length (a cron or a day list is far shorter).
_ECHO_CODE_CHARS = 200
# A value a message quotes as Python's repr does: '...' or, holding a ', "...". Its marks stand
# outside words: an apostrophe ("a place's zone") opens or closes none.
_REPR_QUOTED_RE = re.compile(r"(?<!\w)(?:'[^']*'|\"[^\"]*\")(?!\w)")


def _with_code(message: str) -> str:
    """A schedule error (the config check's words too, so it carries no marks) for a reply: all
    of it typed text, the days, time, cron or zone it quotes as code, so `*/15 * * * *` copies
    back as typed (Slack would show an escaped `*` as a look-alike)."""
    out, at = "", 0
    for found in _REPR_QUOTED_RE.finditer(message):
        out += _spaced_literal(message[at : found.start()]) + code(
            found.group(0)[1:-1], _ECHO_CODE_CHARS
        )
        at = found.end()
    return out + _spaced_literal(message[at:])


def _spaced_literal(text: str) -> str:
    # The adapters draw a typed part as one trimmed line: the spaces that part it from the code
    # spans beside it stay outside.
    core = text.strip()
    if not core:
        return text
    start = text.index(core)
    return text[:start] + literal(core) + text[start + len(core) :]
