"""`newsdigest run`: the long-running bot (the Procfile's worker)."""

from __future__ import annotations

import click

from bot.cli.context import CliContext, pass_cli


@click.command("run")
@click.option(
    "--without-config",
    is_flag=True,
    help="Run even when no config file is found, by the shipped example's settings or the "
    "defaults (nothing synced from a file; a feed they refuse an address is disabled).",
)
@pass_cli
def run_command(cli: CliContext, without_config: bool) -> None:
    """Run the bot: poll feeds on their schedules, cluster, and post digests.

    Slack starts when SLACK_BOT_TOKEN is set, Discord when DISCORD_TOKEN is set. Console
    channels (`platform = "console"` in the config) print their digests to the terminal on their
    own schedules. With neither token and no console channel in the database, `run` creates an
    hourly `console:terminal` channel at start, so digests are printed anyway (from then on
    `newsdigest digest console:terminal` previews it); once a chat platform starts (or is being
    retried), it pauses that channel, which only stood in for one (`newsdigest channels remove
    console:terminal` deletes it). A platform not started (its token unset, a setting missing)
    is shown by `channels list` and `status` while `run` holds the database. The log names the database and the config file at start. With no config file
    found (config/newsdigest.toml missing and none named with --config or $NEWSDIGEST_CONFIG),
    it exits 1 unless --without-config, as `poll` does. A health endpoint answers GET /healthz on
    $NEWSDIGEST_HEALTH_PORT (default 8080, `off` to disable). Logs are JSON lines on stderr
    (NEWSDIGEST_LOG_FORMAT=text for plain; json or text, else an error).

    Stop with Ctrl-C or SIGTERM: the bot finishes the post it is sending and exits 0, a clean
    stop, not the 130 of an interrupted command (a second signal exits at once with 1). Ctrl-C
    while it is still loading, before the bot has started, is an interruption: 130. SIGTERM
    then stops it at once too, a migration under way rolled back, and exits 0; in its first
    moment (about a second), while Python itself starts, before anything is read or written,
    SIGTERM's default ends it (143).
    """
    from bot.cli.upgrade import require_dependencies
    from bot.runner.launch import run_service
    from bot.store.database import DatabaseOpenError

    if without_config:
        cli.without_config = True
    else:
        # The example's settings are not the operator's: its [polling] would disable their
        # intranet feeds at the first pass, and their file's channels would get nothing.
        cli.require_config_file(
            "run",
            harm="nothing of yours synced, and a feed your allow_private_networks under "
            "[polling] allows disabled at its first poll",
            anyway="--without-config",
        )
    # Before the lock and the migration: after `git pull` without `pip install -e .`, a package
    # the new code needs would fail every poll of a database already upgraded.
    require_dependencies()
    try:
        run_service(cli.config)
    except DatabaseOpenError as exc:
        raise click.ClickException(cli.db_problem(exc)) from None
