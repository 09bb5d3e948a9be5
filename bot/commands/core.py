"""Chat commands, once for every platform.

An adapter turns a platform's slash command or button into `dispatch(command, args, ctx)` and turns
the `Reply` back into the platform's message format. Nothing here knows about Slack or Discord.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import NewsDigest
from bot.commands import digest_replies, overview, story, topics, watchlist
from bot.commands.base import (
    CannotSignUpError,
    ChannelChange,
    CommandContext,
    DigestNotQueued,
    DigestPoster,
    Reply,
    UsageError,
    busy_text,
    watchlist_command,
)
from bot.commands.feeds import feeds_command
from bot.config_entries import (
    DEFAULT_SCHEDULE,
    DEFAULT_TIMEZONE,
    RESERVED_TOPIC_NAMES,
)
from bot.render.literal import quoted
from bot.runner.schedule import quiet_until
from bot.store import channels as channel_store
from bot.store import deliveries, listed_stories
from bot.store.channels import PAUSED_IN_CHAT, ChannelRow
from bot.store.database import is_busy, utcnow
from bot.store.loop_waits import DatabaseBusyError, with_retries
from bot.store.sync import REMOVED_FROM_CONFIG
from bot.textutil import plural, repair_surrogates

log = logging.getLogger(__name__)

# How much of a typed word a reply quotes back: enough to recognise it; a paste echoed in full
# would bury the reply (and take several messages on Discord).
_ECHO_CHARS = 60

COMMANDS = ("story", "follow", "unfollow", "watchlist", "digest", "feeds")
# The commands that sign a channel with no row up and say what it now gets (`_sign_up_said`);
# a /watchlist setting signs up too, its "Saved." showing the schedule.
SIGNS_UP = frozenset({"follow", "digest"})
# What /watchlist does without signing a channel up (see `Commands.signed_up`) or saying what
# would (its listing, bare or `show`, does in a channel not signed up).
WATCHLIST_READS = frozenset({"help", "mute", "unmute", "pause", "resume"})

# The commands as typed on Slack (and any platform that passes the text after the command as is).
USAGE: dict[str, str] = {
    "story": (
        "/story <slug | prefix | search words | article link>: a story's full breakdown. "
        'To search for the word help itself: /story "help"'
    ),
    "follow": (
        "/follow <topic> [query]: follow a topic in this channel; with a query, create the "
        'topic first. Example: /follow chips "chip export" OR semiconductor. '
        "A new topic's query of plain words needs `query:` before it: "
        "/follow ml query: machine learning. Admins change an existing topic's query, for every "
        "channel that follows it, only with `query:`: /follow chips query: chip OR semiconductor"
    ),
    "unfollow": "/unfollow <topic>: stop following a topic in this channel.",
    "watchlist": (
        "/watchlist: this channel's topics and settings. Change them with: "
        "/watchlist schedule weekdays 09:00 Europe/Berlin | /watchlist timezone Europe/Berlin | "
        "/watchlist mode digest|instant | /watchlist min-sources N | /watchlist digest-size N | "
        "/watchlist quiet 22:00-07:00 | /watchlist quiet off | /watchlist mute <story> | "
        "/watchlist unmute <story> | /watchlist pause | /watchlist resume"
    ),
    "digest": "/digest: post this channel's digest now (stories it has not had yet).",
    "feeds": "/feeds add <url> | /feeds list | /feeds remove <url or #id> (admins only for add/remove).",
}
# Discord's slash commands take named options and /watchlist and /feeds only as subcommands (see
# bot/adapters/discord/slash.py): the Slack forms above are refused there, so teach these.
DISCORD_USAGE: dict[str, str] = {
    "story": (
        "/story query:<slug | prefix | search words | article link>: a story's full breakdown. "
        'To search for the word help itself: /story query:"help"'
    ),
    "follow": (
        "/follow topic:<topic> [query:<query>]: follow a topic in this channel; with a query, "
        "create the topic first, or (admins only) change an existing topic's query for every "
        'channel that follows it. Example: /follow topic:chips query:"chip export" OR '
        "semiconductor"
    ),
    "unfollow": "/unfollow topic:<topic>: stop following a topic in this channel.",
    "watchlist": (
        "/watchlist show: this channel's topics and settings. Change them with: "
        "/watchlist schedule when:weekdays 09:00 Europe/Berlin | "
        "/watchlist timezone zone:Europe/Berlin | "
        "/watchlist mode mode:digest|instant | /watchlist min-sources count:N | "
        "/watchlist digest-size cards:N | "
        "/watchlist quiet hours:22:00-07:00 | /watchlist quiet hours:off | "
        "/watchlist mute story:<story> | /watchlist unmute story:<story> | /watchlist pause | "
        "/watchlist resume"
    ),
    "digest": USAGE["digest"],
    "feeds": (
        "/feeds list | /feeds add url:<url> | /feeds remove feed:<url or #id> "
        "(admins only for add/remove)."
    ),
}


def usage(command: str, platform: str) -> str:
    """`command`'s usage in the form `platform` takes it."""
    return (DISCORD_USAGE if platform == "discord" else USAGE)[command]


class Commands:
    def __init__(
        self,
        core: NewsDigest,
        *,
        post_digest: DigestPoster | None = None,
        clock: Callable[[], datetime] = utcnow,
        kick_outbox: Callable[[], None] | None = None,
        on_channel_change: ChannelChange | None = None,
        update_interval: timedelta = timedelta(hours=1),
    ) -> None:
        self.core = core
        # The runner wires this to the delivery outbox so a digest asked for in chat is
        # recorded like a scheduled one (and never posted twice).
        self.post_digest = post_digest
        self.clock = clock
        # Wakes the outbox when a settings change makes held posts due now; without it they go
        # out on the outbox's next idle pass (at most 30 s later).
        self.kick_outbox = kick_outbox
        # The runner reschedules the channel's digest job here at once: left to the periodic
        # resync (up to a minute), the job of the old schedule could still fire and post.
        self.on_channel_change = on_channel_change
        # The runner's shortest time between a post about a story and its update, which the
        # catch-up update after an unmute keeps too.
        self.update_interval = update_interval

    async def dispatch(self, command: str, args: str, ctx: CommandContext) -> Reply:
        """The command's reply. Its waits for another process's write lock never hold the event
        loop long (`bot.store.loop_waits`), so the platform's acknowledgement goes out on time;
        a lock held past the wait is answered as such, never as done."""
        try:
            return await with_retries(self.core.db, lambda: self._dispatch(command, args, ctx))
        except DatabaseBusyError as exc:
            return Reply(busy_text(exc))

    async def _dispatch(self, command: str, args: str, ctx: CommandContext) -> Reply:
        # A lone surrogate typed into a payload crashed SQLite's bind, and Discord's reply.
        command = repair_surrogates(command).lstrip("/").lower()
        args = repair_surrogates(args).strip()
        if command not in COMMANDS:
            return Reply(
                f"Unknown command {quoted(command, _ECHO_CHARS)}. Commands: "
                + ", ".join(f"/{c}" for c in COMMANDS)
            )
        # `/follow topic:help` is Discord's form of `/follow help`: usage too, not a topic.
        named = topics.without_topic_option(args) if command in ("follow", "unfollow") else args
        if named.lower() in ("help", "-h", "--help") and not self._names_topic(command, named):
            return Reply(usage(command, ctx.platform))
        channel = self._channel(ctx)
        handler = getattr(self, f"_cmd_{command}")
        try:
            reply: Reply = await handler(args, ctx, channel)
            if channel.id or command not in SIGNS_UP:
                return reply
            return self._sign_up_said(reply, ctx)
        except CannotSignUpError as exc:
            return Reply(str(exc))
        except UsageError as exc:
            return Reply(f"{exc}\nUsage: {exc.usage or usage(command, ctx.platform)}")
        except Exception as exc:
            if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
                raise  # not a bug: `dispatch` waits, and says so if it must give up
            # A bug must never show a stack trace in chat; the log has it.
            log.exception("command /%s %r failed", command, args)
            return Reply("Sorry, that command failed on our side. The bot's logs have the details.")

    @staticmethod
    def may_sign_up(command: str, args: str) -> bool:
        """Whether `command` with `args` may sign the channel up, or (/watchlist's listing) say
        what would, which must not name a command refused there: only then does the adapter
        need to find out whether the bot can post in the channel (`CommandContext.cannot_post`),
        which may take a call to the platform."""
        command = command.lstrip("/").lower()
        if command == "watchlist":
            return not args.strip() or watchlist.setting_named(args) not in WATCHLIST_READS
        return command in SIGNS_UP

    @staticmethod
    def needs_admin(command: str, args: str) -> bool:
        """Whether what `command` with `args` does, or shows, depends on the person being an
        admin: /feeds (add and remove are admins'; list shows admins feed addresses whole, query
        strings and all), /follow with a query (which may change a shared topic) and /watchlist
        resume (a channel taken out of the config file is resumed by admins). Only then need an
        adapter find out (`CommandContext.is_admin`) where that takes a call to the platform
        (Slack's users.info); every other command runs the same for anyone. /watchlist's
        setting is read as the command reads it, so `resume:` or `"resume"` is resume here too."""
        command = command.lstrip("/").lower()
        return (
            command == "feeds"
            or (command == "follow" and len(args.split()) > 1)
            or (command == "watchlist" and watchlist.setting_named(args) == "resume")
        )

    def _names_topic(self, command: str, args: str) -> bool:
        """`/follow help` or `/unfollow help` where a topic is named `help`: saved before the
        name was reserved (or from the config file or CLI), it stays reachable by name; its
        usage is still `/follow --help`."""
        return (
            command in ("follow", "unfollow")
            and args.lower() in RESERVED_TOPIC_NAMES
            and channel_store.get_topic(self.core.db, args.lower()) is not None
        )

    def _channel(self, ctx: CommandContext) -> ChannelRow:
        """The channel's row, or an unsaved one (id 0) with the default settings. A saved row
        signs the channel up for scheduled digests, so it is only created by `signed_up` once a
        command has validated its input and is about to write: a mistyped /follow in a DM the
        bot cannot post to would otherwise end up with failed digests and a paused channel."""
        db = self.core.db
        found = channel_store.get_channel(db, ctx.platform, ctx.channel_id)
        if found is not None:
            return found
        return ChannelRow(
            id=0,
            platform=ctx.platform,
            channel_id=ctx.channel_id,
            name=ctx.channel_name,
            schedule=DEFAULT_SCHEDULE,
            timezone=DEFAULT_TIMEZONE,
            mode="digest",
            min_sources=2,
            quiet_hours=None,
            webhook_url=None,
            paused_reason=None,
        )

    def signed_up(self, channel: ChannelRow, ctx: CommandContext) -> ChannelRow:
        """The saved row for `channel`, creating it (see `_channel`); raises CannotSignUpError
        where the platform said the bot cannot post."""
        if channel.id:
            return channel
        if ctx.cannot_post:
            raise CannotSignUpError(ctx.cannot_post)
        # Its first digest run with its row: left to the runner's job sync, a restart within
        # that minute took the restart as the first and lost the slots missed while down.
        return channel_store.ensure_channel(
            self.core.db,
            ctx.platform,
            ctx.channel_id,
            name=ctx.channel_name,
            first_run=self.clock(),
        )

    def _sign_up_said(self, reply: Reply, ctx: CommandContext) -> Reply:
        """`reply` of /follow or /digest in a channel with no row, saying what the channel now
        gets when the command signed it up: nothing else would tell it of the scheduled posts
        it starts. (A `/watchlist` setting signs up too, and its "Saved." shows the schedule.)
        Not after a digest shown in the reply itself (no runner): its text is the title."""
        row = channel_store.get_channel(self.core.db, ctx.platform, ctx.channel_id)
        if row is None or reply.digest is not None:
            return reply
        note = overview.signed_up_note(row)
        reply.marked += f"\n{note}"
        reply.text += f"\n{note}"
        return reply

    # --- commands -------------------------------------------------------------------------------

    async def _cmd_story(self, args: str, ctx: CommandContext, channel: ChannelRow) -> Reply:
        return await story.story(self, args, channel)

    async def _cmd_follow(self, args: str, ctx: CommandContext, channel: ChannelRow) -> Reply:
        return await topics.follow(self, args, ctx, channel)

    async def _cmd_unfollow(self, args: str, ctx: CommandContext, channel: ChannelRow) -> Reply:
        return await topics.unfollow(self, args, ctx, channel)

    async def _cmd_watchlist(self, args: str, ctx: CommandContext, channel: ChannelRow) -> Reply:
        return await watchlist.watchlist(self, args, ctx, channel)

    async def _cmd_digest(self, args: str, ctx: CommandContext, channel: ChannelRow) -> Reply:
        if args:
            raise UsageError("/digest takes no arguments.")
        if channel.paused_reason in (REMOVED_FROM_CONFIG, PAUSED_IN_CHAT):
            # Not a fault to fix: the reason itself says to /watchlist resume.
            return Reply(
                f"Posting to this channel is paused: {overview.shown_reason(channel.paused_reason)}."
            )
        if channel.paused_reason:
            return Reply(
                f"Posting to this channel is paused: {channel.paused_reason}. "
                "Fix that, then /watchlist resume."
            )
        if channel.mode == "instant":
            # Checked before choosing: the digest runner's "switched meanwhile" would blame a
            # change nobody made.
            switch = watchlist_command(ctx.platform, "mode", "digest")
            return Reply(
                "This channel is in instant mode: stories are posted as they break, so it has no "
                f"digest to post. /digest is for digest mode; {switch} switches the channel to "
                "digests on its schedule."
            )
        # Asked before posting, which may queue the channel's first stories. Not from the digest
        # runs: the scheduler records a run (a baseline) for every digest channel at start.
        first = not channel.id or not deliveries.ever_queued(self.core.db, channel.id)
        channel = self.signed_up(channel, ctx)
        if self.post_digest is not None:
            started = self.clock()
            if held := digest_replies.held(self.core.db, channel, started):
                return Reply(held)
            try:
                posted = await self.post_digest(channel)
            except DigestNotQueued as exc:
                return Reply(str(exc))
            # The outbox holds everything for a channel in its quiet hours; say when it will
            # arrive rather than promise it now.
            until = quiet_until(self.clock(), channel.quiet_hours, channel.timezone)
            when = ""
            if until is not None:
                local = until.astimezone(ZoneInfo(channel.timezone))
                when = f"{local:%H:%M} {channel.timezone}"
            if posted == 0:
                # No card, but a channel behind still gets the next stories waiting for a line.
                if listed := listed_stories.listed_since(self.core.db, channel.id, since=started):
                    lines = f"{plural(listed, 'story', 'stories')} still waiting for a line"
                    if when:
                        lines += f" will be listed at {when}, when its quiet hours end"
                        return Reply(f"No new card for this channel; {lines}.")
                    return Reply(f"No new card for this channel; listing {lines}.")
                return Reply(digest_replies.nothing_new(self.core.db, channel, when, first=first))
            stories = plural(posted, "story", "stories")
            if when:
                return Reply(
                    f"Queued {stories} for this channel. It is in its quiet hours "
                    f"({channel.quiet_hours}), so they will be posted at {when} when those end."
                )
            return Reply(f"Posting {stories} to this channel.")
        digest = self.core.digest(channel)
        if not digest.cards:
            return Reply(digest_replies.nothing_new(self.core.db, channel, "", first=first))
        return Reply(text=digest.title, ephemeral=False, digest=digest)

    async def _cmd_feeds(self, args: str, ctx: CommandContext, channel: ChannelRow) -> Reply:
        return feeds_command(self.core, args, ctx)

    # --- helpers shared with adapters -------------------------------------------------------------

    def describe_channel(self, channel: ChannelRow) -> str:
        return overview.describe_channel(channel, self.core.config.digest_size)
