"""`newsdigest channels ...`: the channels the bot posts to, whether each is paused and why, and
resuming one: the command line's /watchlist resume, for a channel no chat command reaches (a
Discord channel posting through a webhook alone, with no bot to answer /watchlist)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape
from rich.table import Column, Table

from bot.cli.context import NAME_CONFIG, CliContext, pass_cli
from bot.cli.output import fit_table, is_piped, table_console
from bot.cli.waiting import waiting_cell
from bot.render.text import clean
from bot.schedule_words import describe_schedule
from bot.store import channels as channel_store
from bot.store import service_state
from bot.store.channels import ChannelRow
from bot.store.database import utcnow
from bot.store.due_rows import waiting_posts
from bot.store.lock import lock_holder
from bot.textutil import plural

if TYPE_CHECKING:
    import sqlite_utils

# The schedule's words and the resume come from bot.commands (which loads the scheduler's cron
# parser): imported by the commands that use them, so `--help` starts without them.


@click.group("channels")
def channels_group() -> None:
    """List the channels the bot posts to, resume a paused one, or delete one.

    \b
    The bot pauses a channel that refuses its posts (the bot removed from it,
    the channel archived, a Discord webhook deleted): nothing is posted there,
    and what was queued waits, until it is resumed. In chat that is
    /watchlist resume; `channels resume` does the same from here, also for a
    Discord channel that posts through a webhook alone (no bot, no /watchlist).
    A channel taken out of the config file is paused too (kept with its
    history); resuming it keeps it, managed from chat, and `channels remove`
    deletes it with all it holds.
    """


@channels_group.command("list")
@pass_cli
def channels_list(cli: CliContext) -> None:
    """List channels: each one's mode and schedule, posts waiting, and whether it is paused.

    "waiting" counts the posts (cards, thread updates) queued or in flight,
    and says when the next may go out: "due now", "next in 9h" (quiet hours,
    a retry, an update's pacing), "sending"; a paused channel's are held
    until it is resumed. A paused channel's state says since when (UTC) and
    why; on a terminal the table keeps one line a channel and each whole
    reason is printed under it, piped every cell is whole.

    While `newsdigest run` holds the database, a channel whose platform it
    did not start says so ("slack not running: SLACK_BOT_TOKEN is not set"):
    it gets nothing until that is fixed and `run` restarted, or, for a
    platform "retrying in the background" (the network), until it connects.
    """
    db = cli.reader.db
    channels = channel_store.list_channels(db)
    if not channels:
        click.echo(
            "No channels yet. Declare one under [[channels]] in the config file (then "
            "`newsdigest poll` or `newsdigest run` adds it), or sign one up in chat (/follow)."
        )
        return
    waiting = waiting_posts(db)
    now = utcnow()
    platforms = _running_platforms(cli)
    console = table_console()
    brief = not is_piped(console)
    table = Table(
        Column("channel", no_wrap=True),
        Column("name", no_wrap=True, overflow="ellipsis"),
        Column("mode: schedule", no_wrap=True, overflow="ellipsis"),
        Column("waiting", no_wrap=True, justify="right"),
        Column("state", no_wrap=brief, overflow="ellipsis" if brief else "fold"),
    )
    below: list[str] = []
    idle: list[str] = []
    for channel in channels:
        idle_why = service_state.not_posting(channel, platforms)
        idle += [idle_why] if idle_why else []
        if brief and (channel.paused_reason or idle_why):
            below.append(f"{channel.key} {_state(channel, idle_why, whole=True)}")
        table.add_row(
            escape(channel.key),
            escape(clean(channel.name or "-")),
            # An instant channel keeps its schedule for digest mode, but posts on none.
            "instant"
            if channel.mode == "instant"
            else f"digest: {describe_schedule(channel.schedule, channel.timezone)}",
            waiting_cell(waiting.get(channel.id), channel, now),
            escape(_state(channel, idle_why, whole=not brief)),
        )
    # Room goes to the state first (what the list is for), then names and schedules.
    fit_table(table, console, {4: 24, 1: 8, 2: 10})
    console.print(table)
    for line in below:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    for line in _advice(channels):
        click.echo(line)
    for line in _idle_advice(idle):
        click.echo(line)


def _running_platforms(cli: CliContext) -> dict[str, Any] | None:
    """The platforms record of the `run` holding the database now (`service_state.PLATFORMS`),
    or None when none does."""
    holder = lock_holder(cli.config.database_path())
    if not holder.held:
        return None
    return service_state.running_platforms(cli.reader.db, holder.pid)


def _advice(channels: list[ChannelRow]) -> list[str]:
    """What to do about the paused channels, by why they are: a channel taken out of the config
    file was meant to go (deleting it is the next step, not fixing a cause), the terminal
    stand-in `run` paused has nothing to fix, and the rest were paused by an error."""
    from bot.runner.console import STANDING_IN
    from bot.store.channels import PAUSED_IN_CHAT
    from bot.store.sync import REMOVED_FROM_CONFIG

    removed = [c for c in channels if c.paused_reason == REMOVED_FROM_CONFIG]
    standing_in = [c for c in channels if c.paused_reason == STANDING_IN]
    in_chat = [c for c in channels if c.paused_reason == PAUSED_IN_CHAT]
    paused = [c for c in channels if c.paused_reason and c not in removed + standing_in + in_chat]
    lines = []
    if paused:
        lines.append(
            f"{plural(len(paused), 'channel')} paused: fix the cause, then "
            f"`newsdigest channels resume {paused[0].key}` (or /watchlist resume in the channel)."
        )
    if in_chat:
        # Asked for: nothing to fix, only to resume when wanted.
        lines.append(
            f"{plural(len(in_chat), 'channel')} paused in chat (/watchlist pause): "
            f"/watchlist resume in the channel (or `newsdigest channels resume {in_chat[0].key}`) "
            "resumes it."
        )
    if removed:
        lines.append(
            f"{plural(len(removed), 'channel')} removed from the config file: "
            f"`newsdigest channels remove {removed[0].key}` deletes it, with its queued posts "
            f"and history; `newsdigest channels resume {removed[0].key}` keeps it, managed from "
            "chat."
        )
    lines.extend(
        f"{c.key} stood in for a chat platform while none was configured; one is now, so it "
        f"gets nothing: `newsdigest channels remove {c.key}` deletes it."
        for c in standing_in
    )
    return lines


def _idle_advice(idle: list[str]) -> list[str]:
    """What to do about the channels the running bot does not post to, by why (`idle`, one
    reason a channel): a platform being retried after a network failure needs no restart, which
    would only start the same retries again; a token or setting it will not retry does."""
    retried = [
        why for why in idle if why.endswith((service_state.RETRYING, service_state.RESTARTING))
    ]
    to_fix = len(idle) - len(retried)
    lines = []
    if to_fix:
        lines.append(
            f"{plural(to_fix, 'channel')} not posting: fix what the state names (the service's "
            "environment, or the platform's settings) and restart `newsdigest run`. Nothing is "
            "lost meanwhile: its start catches up on what the channel missed within the "
            "catch-up window."
        )
    if retried:
        lines.append(
            f"{plural(len(retried), 'channel')} waiting for `newsdigest run` to reach its "
            "platform, retried in the background: no restart needed. Their posts wait and go "
            "out once it connects, with a digest missed meanwhile; if it lasts, check the "
            "network (a proxy, DNS, a firewall) for the error the state names."
        )
    return lines


def _state(channel: ChannelRow, idle_why: str | None = None, *, whole: bool = False) -> str:
    """'posting', 'paused since 2027-05-03 10:00', and with `whole` the reason after it; for a
    channel whose platform the running bot did not start, why (`idle_why`)."""
    if not channel.paused_reason:
        return idle_why or "posting"
    since = f" since {_when(channel.paused_at)}" if channel.paused_at else ""
    return f"paused{since}" + (f": {clean(channel.paused_reason)}" if whole else "")


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


@channels_group.command("resume")
@click.argument("channel")
@pass_cli
def channels_resume(cli: CliContext, channel: str) -> None:
    """Resume posting to a paused CHANNEL (platform:id, id or name).

    \b
    The same as /watchlist resume in the channel: the posts it held go out,
    and the running bot queues what the pause kept back (an instant channel's
    stories that qualified meanwhile, thread updates for stories that grew)
    within a minute, or at its next start. Fix the cause first (invite the bot
    back, unarchive the channel), or the next post pauses it again. For a
    Discord webhook refused, a new webhook_url in the config file resumes the
    channel by itself at the next sync (`newsdigest poll`, or the bot's start).
    """
    from bot.commands.pause import resume_channel

    db = cli.editor.db
    row = find(db, channel, "resume")
    if not row.paused_reason:
        click.echo(f"Channel {describe(row)} is not paused, so there is nothing to resume.")
        return
    since = f" since {_when(row.paused_at)}" if row.paused_at else ""
    resume_channel(db, row, now=utcnow())
    waiting = channel_store.pending_posts(db).get(row.id, 0)
    click.echo(f"Resumed {describe(row)}, paused{since}: {clean(row.paused_reason)}")
    if waiting:
        click.echo(
            f"{plural(waiting, 'post')} it held will go out: within a minute if the bot is "
            "running, else at its next start."
        )


def describe(channel: ChannelRow) -> str:
    return f"{clean(channel.name)} ({channel.key})" if channel.name else channel.key


def find(db: sqlite_utils.Database, ref: str, command: str) -> ChannelRow:
    """The channel REF names, or a ClickException saying which ones there are."""
    try:
        row = channel_store.find_channel(db, ref)
    except channel_store.AmbiguousChannelError as exc:
        raise click.ClickException(
            f"{exc}; name one by its platform:id, e.g. `newsdigest channels {command} "
            f"{exc.keys[0]}`"
        ) from None
    if row is None:
        known = known_channels(db)
        raise click.ClickException(
            f"no channel {ref!r}" + (f" (known: {known})" if known else ": there are no channels")
        )
    return row


def known_channels(db: sqlite_utils.Database) -> str:
    """Every channel as a command may name it, "#news (slack:C0123), console:terminal": a list of
    ids alone left the name the user had typed, or meant, nowhere to be seen."""
    return ", ".join(describe(c) for c in channel_store.list_channels(db))


@channels_group.command("remove")
@click.argument("channel")
@click.option("--yes", "-y", is_flag=True, help="Delete without asking first.")
@pass_cli
def channels_remove(cli: CliContext, channel: str, yes: bool) -> None:
    """Delete CHANNEL (platform:id, id or name) and all it holds.

    \b
    Dropped with it: its queued posts and notices (never sent), the record of
    the stories it was sent (so, added again later, it may get them again),
    the topics it follows, its mutes and kept topic matches. Says what that
    is and asks first, unless --yes. A channel the config file declares is
    refused: take its [[channels]] entry out of the file first (the next
    `newsdigest poll`, or the bot's start, pauses it), then remove it here,
    or the next sync would add it back, as new. The running bot stops
    posting there within a minute.
    """
    from bot.store import channel_removal

    db = cli.editor.db
    row = find(db, channel, "remove")
    _refuse_declared(cli, row)
    dropped = channel_removal.holdings(db, row.id).dropped()
    what = f"; dropped with it: {', '.join(dropped)}" if dropped else ""
    if not yes:
        click.echo(f"Channel {describe(row)}{what}.")
        if not click.confirm("Delete it?", default=False):
            click.echo("Nothing deleted.")
            click.get_current_context().exit(1)
    if not channel_removal.delete_channel(db, row.id):
        raise click.ClickException(f"channel {describe(row)} was deleted meanwhile")
    click.echo(f"Deleted channel {describe(row)}{what}.")
    if row.platform == "console" and row.origin == "runner":
        click.echo(
            "`newsdigest run` makes a terminal channel again at its start while no chat platform "
            "is configured."
        )


def _refuse_declared(cli: CliContext, row: ChannelRow) -> None:
    """A channel the config file declares is removed there: deleted here, the next sync would
    add it again, as new (its history gone, so its stories posted again)."""
    config = cli.config
    if config.missing_path is not None:
        if row.origin != "config":
            return  # no file to check, and none of its making
        raise click.ClickException(
            f"channel {describe(row)} was declared in a config file, and none is found here "
            f"({config.missing_path} is missing), so whether it still declares it is unknown: "
            f"nothing deleted; {NAME_CONFIG}"
        )
    for i, entry in enumerate(config.channels):
        if (entry.platform, entry.id) == (row.platform, row.channel_id):
            raise click.ClickException(
                f"channel {describe(row)} is declared in {cli.config_file()} (channels[{i}]): "
                "take its [[channels]] entry out of the file first (the next `newsdigest poll`, "
                f"or the bot's start, pauses it), then `newsdigest channels remove {row.key}`. "
                "Nothing deleted."
            )
