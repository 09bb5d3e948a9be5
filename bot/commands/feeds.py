"""/feeds: the feeds polled, listed to anyone (`feed_lines`), added and removed by admins (enabled
and disabled on the host only: `newsdigest feeds enable/disable`); how its
replies name a feed: by its URL as code, to copy back into /feeds remove, or, for a URL too long
to show whole, by its start and its #id; the longest URL /feeds add takes; and the value after
Discord's option name typed on Slack."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlite_utils

from bot.commands.base import CommandContext, Reply, UsageError, split_args
from bot.commands.feed_lines import feed_line
from bot.commands.hints import admin_kinds
from bot.feedaddress import refusal
from bot.feedurls import FeedUrlError, check_feed_url
from bot.render.literal import literal, quoted, url_code
from bot.store import feeds as feed_store
from bot.store.feeds import FeedExistsError, FeedRow
from bot.textutil import plural

if TYPE_CHECKING:
    from bot.app import NewsDigest

# How much of a typed action or address a reply quotes back: enough to recognise it.
_ECHO_CHARS = 60
_ECHO_URL_CHARS = 200
# A refused URL's message: its reason and the URL as typed, cut past what a real URL needs.
_ECHO_ERROR_CHARS = 300

# A feed URL to copy back is shown whole up to this length: a longer one would be split across
# Discord messages, and a code span cut in two lets the rest format.
ECHO_CODE_CHARS = 500
# The start shown of a stored URL longer than that: enough to recognise, with the id to use.
_ECHO_CUT_URL_CHARS = 100
# A feed URL /feeds add takes: the length browsers and servers commonly allow; a longer paste is
# no feed address, and a reply could not show it to copy back.
MAX_CHAT_FEED_URL = 2048
# Discord's option for each /feeds subcommand's value (bot/adapters/discord/slash.py).
_OPTIONS = {"add": "url:", "remove": "feed:"}


def feed_shown(feed: FeedRow, platform: str, *, removable: bool = True) -> str:
    """A feed's URL as code, whole, to copy into /feeds remove; one too long to show whole (a
    code span cut in two would let the rest format on Discord) by its start and its #id, which
    /feeds remove takes as well."""
    if len(feed.url.replace("`", "%60")) <= ECHO_CODE_CHARS:
        return url_code(feed.url)
    text = f"#{feed.id} {url_code(feed.url, _ECHO_CUT_URL_CHARS)} ({len(feed.url):,} characters"
    if not removable:
        return text + ")"
    remove = "/feeds remove feed:" if platform == "discord" else "/feeds remove "
    return text + f": {remove}#{feed.id} removes it)"


def without_feed_option(action: str, rest: list[str]) -> list[str]:
    """`rest` without the Discord option name typed before the value (`url:https://…`, `feed:#3`,
    `feed: #3`), as people who use both platforms type it on Slack too."""
    option = _OPTIONS.get(action)
    if option is None or not rest or not rest[0].lower().startswith(option):
        return rest
    first = rest[0][len(option) :]
    return [first, *rest[1:]] if first else rest[1:]


def feeds_command(core: NewsDigest, args: str, ctx: CommandContext) -> Reply:
    """/feeds: list the feeds (anyone), add or remove one (admins)."""
    words = split_args(args) or ["list"]
    action, rest = words[0].lower(), words[1:]
    # Discord's option names typed on Slack: `add url:<url>`, `remove feed:#3`.
    rest = without_feed_option(action, rest)
    db = core.db
    if action == "list":
        rows = feed_store.list_feeds(db)
        if not rows:
            add = "/feeds add url:<url>" if ctx.platform == "discord" else "/feeds add <url>"
            return Reply(f"No feeds yet. An admin can add one with {add}.")
        # Admins see each address whole; anyone else without its query (API keys).
        lines = [feed_line(f, whole=ctx.is_admin) for f in rows]
        return Reply(
            f"{plural(len(rows), 'feed')}:",
            lines=lines,
            see_all="run `newsdigest feeds list` on the bot's host for all",
        )
    if action in ("enable", "disable"):
        # Parking a feed and lifting it are the host's, as `feeds enable` always was: chat has
        # neither, so one channel's admin cannot silence or revive a feed for every channel.
        return Reply(
            f"Feeds are {action}d on the bot's host: `newsdigest feeds {action} ID`"
            " (the id /feeds list shows)."
        )
    if action not in ("add", "remove"):
        raise UsageError(f"Unknown action {quoted(action, _ECHO_CHARS)}.")
    if ctx.admin_unknown:
        # A real admin told "Only admins can…" would think the bot's config had changed.
        done = "added" if action == "add" else "removed"
        return Reply(
            f"I could not check whether you are an admin just now: {ctx.platform.capitalize()} "
            f"did not answer. The feed was not {done}; please try again in a minute."
        )
    if not ctx.is_admin:
        return Reply(f"Only admins can add or remove feeds ({admin_kinds(ctx.platform)}).")
    if len(rest) != 1:
        raise UsageError(
            "/feeds add takes one URL." if action == "add" else "/feeds remove takes one URL or id."
        )
    if action == "add":
        polling = core.config.polling
        try:
            url = check_feed_url(rest[0])
            if len(url) > MAX_CHAT_FEED_URL:
                # No feed needs one this long, and a reply could not show it to copy back.
                return Reply(
                    f"Not added: that URL is {len(url):,} characters long; a feed URL "
                    f"added in chat is at most {MAX_CHAT_FEED_URL:,}."
                )
            # Refused as by `newsdigest feeds add` and `feeds import` (bot.feedaddress):
            # stored, it would be disabled at its first poll.
            refused = refusal(url, polling.allow_private_networks, retry="add it again")
            if refused:
                return Reply(f"Not added: {url_code(url, ECHO_CODE_CHARS)}: {literal(refused)}.")
            feed = feed_store.add_feed(db, url, interval=polling.default_interval, origin="chat")
        except FeedExistsError as exc:
            # The address to copy into /feeds remove: shown as code, as stored (a backtick
            # as %60, which names the same feed); its id too, as /feeds list shows it.
            known = _find_feed(db, url)
            shown = (
                feed_shown(known, ctx.platform)
                if known is not None
                else url_code(url, ECHO_CODE_CHARS)
            )
            return Reply(f"That feed is already added, as feed #{exc.feed_id}: {shown}")
        except FeedUrlError as exc:
            # The message quotes the URL as typed: shown literally, and cut, since a pasted
            # paragraph is no URL to copy back. Worded for the command line's "Error: …", it is
            # made a sentence here, as the refused address's reply above is.
            reason = str(exc)
            stop = "" if reason.endswith(("?", ".")) else "."
            return Reply(f"Not added: {literal(reason, _ECHO_ERROR_CHARS)}{stop}")
        return Reply(
            # Not fetched here, unlike `newsdigest feeds add`: the reply is due within seconds,
            # and a slow server takes ten. Said plainly, so a wrong URL is looked for.
            f"Added feed {feed_shown(feed, ctx.platform)}. Not fetched yet: its first poll, "
            "within a few minutes, says whether it is a feed (/feeds list shows what it found)."
        )
    found = _find_feed(db, rest[0])
    if found is None:
        return Reply(f"No feed {quoted(rest[0], _ECHO_URL_CHARS)}. See /feeds list.")
    if found.origin == "config":
        # The next restart would add it back with its polling state reset.
        return Reply(
            f"{feed_shown(found, ctx.platform, removable=False)} is declared in the config "
            "file; remove it there."
        )
    feed_store.remove_feed(db, found.id)
    return Reply(f"Removed feed {feed_shown(found, ctx.platform, removable=False)}.")


def _find_feed(db: sqlite_utils.Database, ref: str) -> feed_store.FeedRow | None:
    """The feed `ref` names: its id (`5` or `#5`, as /feeds list shows it) or its URL, in any
    spelling of it (`HTTPS://`, `:443`, `%60` for a backtick; Slack's <angle brackets>)."""
    ref = ref.strip().strip("<>")
    if ref.startswith("#") and feed_store.feed_id(ref[1:]) is not None:
        ref = ref[1:]
    return feed_store.get_feed_by_url(db, ref)
