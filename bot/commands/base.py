"""What every command module shares: who asked where, the reply, and the usage error."""

from __future__ import annotations

import re
import shlex
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.cards import Digest, StoryCard
from bot.render.literal import unmarked
from bot.store.channels import ChannelRow
from bot.store.loop_waits import DatabaseBusyError


@dataclass(slots=True)
class CommandContext:
    platform: str
    channel_id: str
    user_id: str
    channel_name: str | None = None
    # Set by the adapter from the platform's own notion of an admin (workspace admin, a
    # configured user group, Manage Server, a configured role).
    is_admin: bool = False
    # The platform could not say whether the user is an admin (Slack did not answer): refused as
    # anyone but an admin is, told the check failed and to try again.
    admin_unknown: bool = False
    # Why the bot cannot post in this channel, when the platform told the adapter so (a Slack
    # direct message between two other people): a command that would sign the channel up for
    # digests answers this instead, as every digest there would fail.
    cannot_post: str = ""


@dataclass(frozen=True, slots=True)
class ListLine:
    """One line of a reply's list. `text` and `note` are untrusted (a feed's own title, the
    error its server sent, a typed query): adapters show them literally, never as formatting or
    links. `url`, between them, is the one address kept whole, to click or copy into a command
    (/feeds remove takes it)."""

    text: str
    url: str | None = None
    note: str = ""

    def __str__(self) -> str:
        parts = [self.text, f"<{self.url}>" if self.url else "", self.note]
        return " ".join(p for p in parts if p)


@dataclass(slots=True)
class Reply:
    """What a command answers. `text` is the bot's own and keeps its markup; the parts of it a
    user typed are wrapped with `bot.render.literal.literal`. `text` itself comes without those
    marks; `marked`, set from it, keeps them for the adapters, which escape those parts."""

    text: str
    # Errors, help and settings are shown only to the person who asked.
    ephemeral: bool = True
    cards: list[StoryCard] = field(default_factory=list)
    full: bool = False
    digest: Digest | None = None
    lines: list[ListLine] = field(default_factory=list)
    # The bot's own line after the cards: other stories the words also name (slugs only).
    see_also: str = ""
    # Where all of a list too long for one chat reply can be seen ("run `newsdigest feeds list`
    # for all"): adapters that cut `lines` say how many they left out, then this.
    see_all: str = ""
    # The bot's own closing line pointing at what to type next (`bot.commands.hints`), laid out
    # apart from the text: a context line on Slack, the last line on Discord.
    hint: str = ""
    # Set from `text` when left empty; given, as `dataclasses.replace` passes it on, it is kept.
    marked: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if not self.marked:
            self.marked = self.text
        self.text = unmarked(self.text)


def cut_notice(dropped: int, see_all: str = "") -> str:
    """The last line of a reply's list an adapter cut to fit its platform, on every platform:
    how many lines it left out, then where to see them all (`Reply.see_all`): "… and 3 more
    lines (run `newsdigest feeds list` for all)." """
    notice = f"… and {dropped} more {'line' if dropped == 1 else 'lines'}"
    return notice + (f" ({see_all})." if see_all else ".")


def busy_text(busy: DatabaseBusyError) -> str:
    """The reply to a command that met another process's write lock too long
    (`bot.store.loop_waits`): nothing changed, or, when it had written something first, that it
    may be only partly done."""
    if busy.wrote:
        return (
            "The database became busy partway through (another newsdigest command is writing "
            "to it), so that may be only partly done. Please try again in a moment."
        )
    return (
        "The database is busy (another newsdigest command is writing to it), so nothing was "
        "changed. Please try again in a moment."
    )


DigestPoster = Callable[[ChannelRow], Awaitable[int]]


class DigestNotQueued(Exception):
    """A `DigestPoster` queued nothing because the channel changed while its digest was chosen
    (paused, switched mode, removed): the message says so, for the command's reply."""


# Called with the channel's row before and after a settings change made in chat.
ChannelChange = Callable[[ChannelRow, ChannelRow], Awaitable[None]]


class UsageError(ValueError):
    """Bad input: the reply is the message plus a usage. With `usage`, the one line for the
    setting or form whose value was wrong (a short error buried under the command's whole usage
    goes unread); without, the command's shape was wrong and its full usage follows."""

    def __init__(self, message: str, usage: str | None = None) -> None:
        super().__init__(message)
        self.usage = usage


class CannotSignUpError(Exception):
    """A command would sign up a channel the bot cannot post in (`CommandContext.cannot_post`);
    the message is the reply."""


# Discord's option name for each /watchlist setting (bot/adapters/discord/slash.py), typed before
# its value there: `/watchlist mode mode:instant`.
WATCHLIST_OPTIONS: dict[str, str] = {
    "schedule": "when",
    "timezone": "zone",
    "mode": "mode",
    "min-sources": "count",
    "digest-size": "cards",
    "quiet": "hours",
    "mute": "story",
    "unmute": "story",
}


def watchlist_command(platform: str, setting: str = "", value: str = "") -> str:
    """A /watchlist command as `platform` takes it, for a reply to name: Discord cannot run the
    bare /watchlist (only its subcommands, `show` for the listing) and names each value's option."""
    if not setting:
        return "/watchlist show" if platform == "discord" else "/watchlist"
    if not value:
        return f"/watchlist {setting}"
    if platform == "discord" and setting in WATCHLIST_OPTIONS:
        value = f"{WATCHLIST_OPTIONS[setting]}:{value}"
    return f"/watchlist {setting} {value}"


def story_usage(platform: str, words: str = "<words>") -> str:
    """/story as `platform` takes it, for a reply or notice to name: Discord's /story takes its
    words as the `query` option."""
    return f"/story query:{words}" if platform == "discord" else f"/story {words}"


# A curly quote opening a value (at the start, after a space, or after an option's colon:
# `zone:“Europe/Berlin”`) or closing one (at the end or before a space, a sentence's full stop
# or comma between), as macOS and iOS type them. One between letters is an apostrophe
# (St. John’s) and stays as typed.
_CURLY_QUOTE_RE = re.compile(r"(?<![^\s:])[“”„‘’]|[“”‘’](?=[.,;:!?…]*(?:\s|$))")
_STRAIGHT = {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"}


def straight_quotes(text: str) -> str:
    """`text` with the curly quotes around its values made straight, for shlex to group them as
    it groups straight ones; each mark is one character for another, so positions hold."""
    return _CURLY_QUOTE_RE.sub(lambda m: _STRAIGHT[m.group(0)], text)


def split_args(args: str) -> list[str]:
    """A command's words, quotes (straight or curly) grouping them; split on spaces alone when a
    quote is unclosed."""
    try:
        words = shlex.split(straight_quotes(args))
    except ValueError:
        return args.split()
    # A value quoted twice, curly inside straight (Discord's slash command quotes its options),
    # is the value.
    return [_unwrapped(word) for word in words]


_WRAPPED_RE = re.compile(r"""(["'])([^"']*)\1""")


def _unwrapped(word: str) -> str:
    found = _WRAPPED_RE.fullmatch(straight_quotes(word))
    return found.group(2) if found is not None else word
