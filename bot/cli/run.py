"""`newsdigest run`: the long-running bot (the Procfile's worker)."""

from __future__ import annotations

import click

from bot.cli.context import CliContext, pass_cli


@click.command("run")
@pass_cli
def run_command(cli: CliContext) -> None:
    """Run the bot: poll feeds on their schedules, cluster, and post digests.

    Slack starts when SLACK_BOT_TOKEN is set, Discord when DISCORD_TOKEN is set. Console
    channels (`platform = "console"` in the config) print their digests to the terminal on their
    own schedules. With neither token and no console channel in the database, `run` creates an
    hourly `console:terminal` channel at start, so digests are printed anyway (from then on
    `newsdigest digest console:terminal` previews it); started with a chat platform, it pauses
    that channel, which only stood in for one (`newsdigest channels remove console:terminal`
    deletes it). The log names the database and the config file at start. A health endpoint answers GET /healthz on
    $NEWSDIGEST_HEALTH_PORT (default 8080, `off` to disable). Logs are JSON lines on stderr
    (NEWSDIGEST_LOG_FORMAT=text for plain; json or text, else an error).

    Stop with Ctrl-C or SIGTERM: the bot finishes the post it is sending and exits 0, a clean
    stop, not the 130 of an interrupted command (a second signal exits at once with 1). Ctrl-C
    while it is still loading, before the bot has started, is an interruption: 130.
    """
    from bot.cli.upgrade import require_dependencies
    from bot.runner.launch import run_service
    from bot.store.database import DatabaseOpenError

    # Before the lock and the migration: after `git pull` without `pip install -e .`, a package
    # the new code needs would fail every poll of a database already upgraded.
    require_dependencies()
    try:
        run_service(cli.config)
    except DatabaseOpenError as exc:
        raise click.ClickException(cli.db_problem(exc)) from None
