"""The `newsdigest` command line. Each command group lives in its own module."""

# ruff: noqa: E402 - the Ctrl-C handler for start-up is installed before the slow imports

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType


def _interrupted_while_starting(signum: int, frame: FrameType | None) -> None:
    # Ctrl-C while the modules below load (a few tenths of a second): the console script
    # imports this module before `main()` and its handling run, and an interrupt was a
    # KeyboardInterrupt traceback. SystemExit passes through the imports quietly.
    sys.stderr.write("Aborted.\n")
    raise SystemExit(130)


# Only in place of Python's own handler, and only from the main thread (the one thread that may
# set one): an inherited "ignore" (a background job of a non-interactive shell) must go on
# ignoring Ctrl-C, and a program that imports this module keeps a handler of its own.
_saved_handler = signal.getsignal(signal.SIGINT)
_starting = (
    threading.current_thread() is threading.main_thread()
    and _saved_handler is signal.default_int_handler
)
if _starting:
    signal.signal(signal.SIGINT, _interrupted_while_starting)

import logging
import sqlite3

import click

from bot import __version__
from bot.cli.backup import backup_command
from bot.cli.channels import channels_group
from bot.cli.chat import chat_command
from bot.cli.config_check import config_group
from bot.cli.context import CliContext
from bot.cli.eval import eval_group
from bot.cli.feeds import feeds_group
from bot.cli.poll import poll_command
from bot.cli.prune import prune_command
from bot.cli.status import status_command
from bot.cli.stories import digest_command, stories_command, story_command
from bot.cli.topics import topics_group
from bot.runner.logs import CliFormatter, quiet_http_clients
from bot.store.database import is_busy, notice_waits
from bot.store.readonly import is_read_only_error


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="TOML config file [default: $NEWSDIGEST_CONFIG, else config/newsdigest.toml]. Also "
    "accepted after the command (`newsdigest poll --config FILE`); given in both places, the "
    "one after the command wins.",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(__version__, prog_name="newsdigest")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: int) -> None:
    """newsdigest: poll news feeds, cluster articles into stories, post digest cards.

    The database is $NEWSDIGEST_DB, else the config's `database` (relative to the file), else
    ./newsdigest.db. The shipped config/newsdigest.example.toml (read when config/newsdigest.toml,
    your copy of it, is missing) names ../newsdigest.db: the checkout's root, from any
    directory.

    Exit status: 0 done; 1 an error (a feed, the configuration, the database, or `poll` with
    every feed failing); 2 a usage error (an unknown option, a bad option value); 130
    interrupted (Ctrl-C). `run` is a service: stopped by Ctrl-C or SIGTERM it exits 0.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    handler = logging.StreamHandler()  # stderr, as basicConfig's
    handler.setFormatter(CliFormatter())
    logging.basicConfig(level=level, handlers=[handler])
    quiet_http_clients()
    ctx.obj = CliContext(config_path=config_path)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand != "run":  # the service waits as it always did, and logs
        notice_waits(say_waiting())
        ctx.call_on_close(lambda: notice_waits(None))


def say_waiting() -> Callable[[], None]:
    """Said once a command's write has waited a second for another process's (a running bot's,
    a cron poll's) lock: the wait lasts up to half a minute and was silent. `chat` arms a new
    one for each line, a session being many commands."""
    said = False

    def say() -> None:
        nonlocal said
        if not said:
            said = True
            click.echo("waiting for the database: another newsdigest process is writing…", err=True)

    return say


cli.add_command(feeds_group)
cli.add_command(topics_group)
cli.add_command(channels_group)
cli.add_command(poll_command)
cli.add_command(stories_command)
cli.add_command(story_command)
cli.add_command(digest_command)
cli.add_command(chat_command)
cli.add_command(eval_group)
cli.add_command(prune_command)
cli.add_command(backup_command)
cli.add_command(status_command)
cli.add_command(config_group)


def _register_optional_commands() -> None:
    # Imported here so `newsdigest --help` stays quick and a broken optional part cannot hide
    # the core commands.
    from bot.cli.demo import demo_command
    from bot.cli.discord import discord_group
    from bot.cli.run import run_command

    cli.add_command(demo_command)
    cli.add_command(run_command)
    cli.add_command(discord_group)


_register_optional_commands()


def _set_config_path(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    cli_ctx = ctx.find_object(CliContext)
    if cli_ctx is not None:  # the group's callback made it; nothing has read the config yet
        cli_ctx.config_path = value


def _accept_config_after(group: click.Group) -> None:
    """Give every command the group's `--config` too: `newsdigest poll --config FILE` is how
    most people type it, and click only knows options where they are declared. It sets the
    same path, so given in both places the one after the command wins (it is parsed later)."""
    for command in group.commands.values():
        command.params.append(
            click.Option(
                ["--config", "config_path"],
                type=click.Path(dir_okay=False),
                default=None,
                expose_value=False,
                callback=_set_config_path,
                help="TOML config file (as `newsdigest --config`).",
            )
        )
        if isinstance(command, click.Group):
            _accept_config_after(command)


_accept_config_after(cli)
if _starting:
    signal.signal(signal.SIGINT, _saved_handler)


def main() -> None:
    try:
        # Outside standalone mode click returns what the command returned, and an exit asked for
        # with ctx.exit(code) as that code instead of raising it: both are passed on here, or
        # `poll` failing every feed would exit 0.
        code = cli.main(prog_name="newsdigest", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except sqlite3.Error as exc:
        # The database failing under a command (locked past the busy timeout, disk full, a
        # read-only file) is the user's to act on, not a bug: one line, not a traceback.
        click.echo(f"Error: {database_problem(exc)}", err=True)
        sys.exit(1)
    if isinstance(code, int) and not isinstance(code, bool) and code != 0:
        sys.exit(code)


def database_problem(exc: sqlite3.Error) -> str:
    """A SQLite error as one line for the user."""
    if is_busy(exc):
        return "the database is busy: another newsdigest process is writing to it; try again"
    if is_read_only_error(exc):
        # A command that edits, on a database this user may only read (opened read-only).
        return (
            "this command writes, and the database is read-only for this user: run it as one "
            "who can write the file and its directory"
        )
    return f"database error: {exc}"
