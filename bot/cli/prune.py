"""`newsdigest prune`: retention (bot.store.retention) run now, or counted with --dry-run."""

from __future__ import annotations

from datetime import timedelta

import click

from bot.cli.context import CliContext, pass_cli
from bot.cli.progress import progress_bar
from bot.config_values import MIN_RETENTION_DAYS, retention_problem
from bot.store import retention, service_state
from bot.store.database import utcnow
from bot.store.retention import PruneCounts
from bot.textutil import plural


@click.command("prune")
@click.option(
    "--older-than",
    "days",
    type=int,
    default=None,
    metavar="DAYS",
    help=f"Delete stories whose newest article is older than DAYS: at least "
    f"{MIN_RETENTION_DAYS} (a digest looks back up to 8 days) and longer than the clustering "
    "window [default: the config's storage.retention_days, 180 unless set]. Not 0: "
    "storage.retention_days = 0 in the config keeps everything (`prune` then deletes nothing "
    "without --older-than), but --older-than 0 would mean everything is old.",
)
@click.option("--dry-run", is_flag=True, help="Print what would be deleted; delete nothing.")
@pass_cli
def prune_command(cli: CliContext, days: int | None, dry_run: bool) -> None:
    """Delete old stories and articles now (`newsdigest run` does this daily).

    A story goes once its newest article is older than DAYS, with its articles, aliases,
    summary and the records of its finished posts; a story with a post still to be sent stays.
    Articles that never joined a story go once that old. A deleted article is remembered as a
    hash, so a feed still serving it does not bring it back as new. Safe while the bot runs:
    the work is done in short batches.

    Without --older-than, DAYS is the config file's storage.retention_days, so the config file
    must be found (config/newsdigest.toml, or --config FILE): without it nothing is pruned,
    rather than by the shipped example's retention.
    """
    cli.warn_config = True  # a retention under the minimum is said, with what is used
    config = cli.config
    if days is None and config.missing_path is not None:
        # The retention read is the shipped example's (or the default), not the operator's, who
        # may keep everything or a year: pruning by it would delete what they meant to keep.
        raise click.ClickException(
            f"{config.missing_path} not found, so the retention to prune by is unknown: "
            "nothing pruned. Put your config back (or name it with --config FILE), or pass "
            "--older-than DAYS."
        )
    if days is None:
        days = config.storage.retention_days
        if not days:
            click.echo(
                "Retention is off (storage.retention_days = 0): nothing pruned. "
                "Pass --older-than DAYS to prune anyway."
            )
            return
    if problem := retention_problem(days, config.story_window_hours):
        if days == 0:
            # In the config 0 keeps everything; here it would read as "delete everything".
            problem += " (0 means keep everything only as storage.retention_days in the config)"
        raise click.BadParameter(problem, param_hint="'--older-than'")
    # A mistyped NEWSDIGEST_DB is an error, not an empty database to prune; a dry run only reads.
    db = cli.reader.db if dry_run else cli.editor.db
    now = utcnow()
    older_than = timedelta(days=days)
    before = retention.cutoff(now, older_than, timedelta(hours=config.story_window_hours))
    with progress_bar("dry run" if dry_run else "pruning") as start:
        advance = start(retention.backlog(db, before=before, now=now).total)
        counts = retention.prune(
            db,
            now=now,
            older_than=older_than,
            window=timedelta(hours=config.story_window_hours),
            dry_run=dry_run,
            on_batch=advance,
        )
    if not dry_run:
        # As the bot's daily prune: `status` (and /healthz after the bot's next start) would
        # otherwise say "never" for a database pruned by hand, or by cron.
        service_state.record_prune(db, counts.as_dict(), now=now)
    click.echo(_report(counts, days, before.strftime("%Y-%m-%d %H:%M UTC"), dry_run))


def _report(counts: PruneCounts, days: int, before: str, dry_run: bool) -> str:
    scope = f"older than {days} days (before {before})"
    done = [
        plural(counts.stories, "story", "stories"),
        plural(counts.articles, "article"),
        plural(counts.deliveries, "post record"),
        plural(counts.aliases, "slug alias", "slug aliases"),
        plural(counts.mutes, "mute"),
        plural(counts.alerts, "finished notice"),
    ]
    lines = []
    if not counts.stories and not counts.articles and not counts.alerts:
        lines.append(f"Nothing {scope} to prune.")
    else:
        verb = "Would delete" if dry_run else "Deleted"
        lines.append(f"{verb} {', '.join(done)}: {scope}.")
    if counts.tombstones_expired:
        verb = "Would forget" if dry_run else "Forgot"
        lines.append(
            f"{verb} {plural(counts.tombstones_expired, 'deleted entry', 'deleted entries')} "
            "no feed has served for a year."
        )
    if counts.kept_pending:
        lines.append(
            f"Kept {plural(counts.kept_pending, 'old story', 'old stories')} with a post still "
            "to be sent; pruned once it is."
        )
    if dry_run:
        lines.append("Dry run: nothing was deleted.")
    return "\n".join(lines)
