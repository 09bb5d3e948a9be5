"""`newsdigest chat`: the chat commands typed in the terminal, as errbot's text backend runs a
bot locally, so the bot's main interface can be tried before a Slack or Discord app exists.

Each line is dispatched through the one platform-neutral `bot.commands.Commands`, as the Slack
and Discord adapters dispatch a slash command, in a console channel; the reply is drawn by
`bot.adapters.console_chat`. There is no runner behind the session: a change is saved in the
database, which a running `newsdigest run` reads within a minute (`bot.runner.jobs`' resync),
and /digest shows the channel's digest as a preview without recording it as sent.

The database is opened as `CliContext.editor` opens it: it must exist (a chat on a new empty
database would find no story), and a write waits for another process's lock saying so on
stderr after a second, as every command's does; the wait notice is armed again for each line,
a session being many commands. Between lines the session holds no transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from bot.cli.context import CliContext, pass_cli

if TYPE_CHECKING:
    import sqlite_utils

    from bot.app import NewsDigest
    from bot.commands import Commands
    from bot.commands.base import CommandContext, Reply
    from bot.config import Config
    from bot.store.channels import ChannelRow

# The channel `newsdigest run` makes without a chat platform (`bot.runner.console`), and the
# schedule it gives it.
TERMINAL = "terminal"
TERMINAL_SCHEDULE = "0 * * * *"
QUIT_WORDS = frozenset({"quit", "exit", "bye"})
HELP_WORDS = frozenset({"help", "?"})


@click.command("chat")
@click.argument("channel", required=False)
@pass_cli
def chat_command(cli: CliContext, channel: str | None) -> None:
    """Type the bot's chat commands here, as in Slack or Discord, without a chat app.

    The session talks as a console channel: CHANNEL (`console:ID`, or a console channel's id or
    name), by default the one `newsdigest run` prints digests to without a chat platform:
    `console:terminal`, or the database's only console channel (after `make demo`,
    `console:team-news` in demo-output/demo.db). Type /follow, /unfollow, /watchlist, /story,
    /digest and /feeds as in Slack, with or without the slash; `/help` lists them, `/follow
    help` shows one. /quit, Ctrl-D or Ctrl-C at the prompt ends the session (exit 0).

    Every line goes through the same commands as Slack's and Discord's, and its reply is drawn
    as the console draws cards; a card's buttons are shown under it as the commands to type.
    You are the server's operator here, so the admins' commands work (/feeds add and remove,
    /follow changing a topic's query). Changes are saved in the database: a running `newsdigest
    run` picks them up within a minute. /digest shows the channel's digest as a preview:
    nothing is posted or recorded as sent.

    With stdin not a terminal, commands are read from it, one a line, and each reply is printed
    as plain text after a `> ` line naming its command:

        printf '/follow ai\\n/watchlist\\n' | newsdigest chat
    """
    core = cli.editor
    channel_id, name = _chat_channel(core.db, cli.config, channel)
    interactive = sys.stdin.isatty()
    _banner(core.db, channel_id, name, interactive=interactive)
    _session(cli, channel_id, name, interactive=interactive)


def _chat_channel(
    db: sqlite_utils.Database, config: Config, ref: str | None
) -> tuple[str, str | None]:
    """The console channel the session talks as: its id and name."""
    from bot.store import channels as channel_store

    consoles = channel_store.list_channels(db, "console")
    known = ", ".join(c.key for c in consoles) or "none yet"
    terminal = [c for c in consoles if c.channel_id == TERMINAL]
    # As `run` chooses: its terminal channel, else the console channel the database has.
    chosen = terminal or (consoles if len(consoles) == 1 else [])
    if ref is None:
        if chosen:
            return chosen[0].channel_id, chosen[0].name
        if consoles:
            raise click.ClickException(
                f"the database has {len(consoles)} console channels ({known}): name the one to "
                f"talk as, e.g. `newsdigest chat {consoles[0].key}`"
            )
        # None yet: `run`'s own, signed up by the first /follow or setting, as in Slack.
        return TERMINAL, TERMINAL
    try:
        row = channel_store.find_channel(db, ref)
    except channel_store.AmbiguousChannelError as exc:
        raise click.ClickException(
            f"{exc}; name one by its platform:id, e.g. `newsdigest chat {exc.keys[0]}`"
        ) from None
    if row is not None:
        if row.platform != "console":
            raise click.ClickException(
                f"{row.key} is a {row.platform} channel: its commands are typed in "
                f"{row.platform.capitalize()}. `newsdigest chat` talks as a console channel "
                f"(known: {known})"
            )
        return row.channel_id, row.name
    platform, _, channel_id = ref.rpartition(":")
    if platform in ("", "console") and channel_id == TERMINAL:
        return TERMINAL, TERMINAL
    if any(c.named_by(ref) for c in config.channels):
        # Read-only lookups do not sync the config (see CliContext.core).
        raise click.ClickException(
            f"channel {ref!r} is in the config file but not yet in the database: "
            "`newsdigest poll` or `newsdigest run` syncs the config"
        )
    # The channel leaving CHANNEL out talks as: the demo's database has one of its own, and
    # with several and no terminal channel it would only ask which.
    if chosen or not consoles:
        left_out = chosen[0].key if chosen else f"console:{TERMINAL}"
        other = f", or leave CHANNEL out to talk as `{left_out}`"
    else:
        other = ", or name one of those"
    raise click.ClickException(
        f"no console channel {ref!r} (console channels: {known}). Declare one under [[channels]] "
        f'with platform = "console" in the config file{other}'
    )


def _banner(
    db: sqlite_utils.Database, channel_id: str, name: str | None, *, interactive: bool
) -> None:
    """On stderr: where the session talks, at a terminal; and, piped too, that nothing can be
    changed in a database this user may only read (a change would fail as any command's)."""
    from bot.store.database import database_file
    from bot.store.readonly import writable

    path = database_file(db)
    if interactive:
        where = f"console:{channel_id}" + (f" ({name})" if name and name != channel_id else "")
        click.echo(f"Chatting as the bot in {where}, on the database {path}.", err=True)
        click.echo(
            "Type /help for the commands; /quit or Ctrl-D leaves. You are the operator here: "
            "admins' commands work.",
            err=True,
        )
    if path and not writable(path):
        click.echo(
            "Note: the database is read-only for this user: /story, /watchlist and /digest "
            "answer, but no change can be saved (run as one who can write the file).",
            err=True,
        )


def _session(cli: CliContext, channel_id: str, name: str | None, *, interactive: bool) -> None:
    from rich.console import Console

    from bot.adapters.console_chat import console_context, print_reply, reply_text
    from bot.cli import say_waiting  # not at the top: bot.cli imports this module
    from bot.render.text import clean
    from bot.store.database import notice_waits

    core = cli.editor
    commands = _commands(core)
    ctx = console_context(channel_id, name)
    console = Console(emoji=False, highlight=False)
    # The id is the config's or the database's, cleaned all the same: a prompt is no place
    # for a terminal escape.
    prompt = f"console:{clean(channel_id)}> "
    with asyncio.Runner() as runner:
        for line in _lines(prompt, interactive=interactive):
            text = line.strip()
            if not text:
                continue
            command, *rest = text.split(maxsplit=1)
            command = command.lstrip("/").lower()
            if command in QUIT_WORDS:
                return
            if not interactive:
                click.echo(f"> {clean(text)}")
            notice_waits(say_waiting())
            reply = _reply(runner, commands, ctx, command, rest[0] if rest else "")
            if interactive:
                print_reply(reply, console)
            else:
                click.echo(reply_text(reply))
                click.echo()


def _commands(core: NewsDigest) -> Commands:
    """The chat commands, signing `console:terminal` up as `newsdigest run` makes it
    (`bot.runner.console`): its hourly digest, and its own, so paused once a chat platform runs.
    Signed up with the commands' daily 09:00 default, a later `run` left it daily, though it
    promises the terminal an hourly digest; and the sign-up's reply named the daily schedule."""
    from bot.commands import Commands
    from bot.store import channels as channel_store
    from bot.store.database import transaction

    class TerminalCommands(Commands):
        def signed_up(self, channel: ChannelRow, ctx: CommandContext) -> ChannelRow:
            if channel.id or (ctx.platform, ctx.channel_id) != ("console", TERMINAL):
                return super().signed_up(channel, ctx)
            db = self.core.db
            with transaction(db):  # never left daily: both or neither
                row = channel_store.ensure_channel(
                    db, "console", TERMINAL, name=ctx.channel_name, first_run=self.clock()
                )
                return channel_store.update_channel(
                    db, row.id, schedule=TERMINAL_SCHEDULE, origin="runner"
                )

    return TerminalCommands(core)


def _reply(
    runner: asyncio.Runner, commands: Commands, ctx: CommandContext, command: str, args: str
) -> Reply:
    from bot.commands.core import COMMANDS

    if command in HELP_WORDS:
        if not args:
            return chat_help()
        # `/help follow` is `/follow help`.
        command, args = args.split()[0].lstrip("/").lower(), "help"
    reply = runner.run(commands.dispatch(command, args, ctx))
    if command not in COMMANDS:
        reply.hint = "Type /help for what each does, /quit to leave."
    return reply


def chat_help() -> Reply:
    """The answer to /help: every command's usage, as Slack takes it, and the session's own."""
    from bot.commands.base import ListLine
    from bot.commands.core import COMMANDS, USAGE, Reply

    return Reply(
        "Commands, as in Slack, with or without the slash (each takes `help`: /follow help):",
        lines=[ListLine(USAGE[command]) for command in COMMANDS],
        hint=(
            "Here: /help, /quit (or Ctrl-D). A card's buttons are shown under it as the "
            "commands to type. You are the operator, so admins' commands work. /digest shows "
            "a preview: nothing is posted or recorded as sent."
        ),
    )


def _lines(prompt: str, *, interactive: bool) -> Iterator[str]:
    """The lines typed: at a terminal, read with line editing and history until Ctrl-D or
    Ctrl-C; from a pipe, every line until its end."""
    if not interactive:
        yield from sys.stdin
        return
    with contextlib.suppress(ImportError):  # not on every platform
        import readline  # noqa: F401 - input() gets line editing and history
    while True:
        try:
            yield input(prompt)
        except (EOFError, KeyboardInterrupt):
            # Nothing is running at the prompt: a clean end of the session, not an interruption.
            click.echo(err=True)
            return
