"""`newsdigest poll`: one polling pass with a progress bar, then its report: what was fetched
and clustered, each feed that failed or warned, and why feeds were not polled."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape

from bot.cli.context import CliContext, pass_cli
from bot.cli.output import plain_console
from bot.render.text import clean
from bot.store import feeds as feed_store
from bot.textutil import plural

if TYPE_CHECKING:
    # The core, with the fetcher, clusterer and summariser, comes with the database
    # (CliContext), and the progress bar with `poll`.
    from rich.progress import TaskID

    from bot.app import NewsDigest, PassReport
    from bot.pipeline.poll import FeedResult


async def poll_with_progress(core: NewsDigest, console: Console, *, all_feeds: bool) -> PassReport:
    """The polling pass with a bar for the fetch, then one for the clustering (a first poll's
    backlog of thousands of articles takes a while), both on a terminal only."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    feeds = feed_store.list_feeds(core.db) if all_feeds else None
    total = len(feeds) if feeds is not None else len(feed_store.due_feeds(core.db, _now()))
    with (
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            # Plain text: read as markup, Rich would also turn a ":warning:" in it into an emoji,
            # whatever the console says.
            TextColumn("{task.fields[last]}", markup=False),
            console=console,
            transient=False,
            # Off a terminal the bar would print only its last frame: stderr stays the report.
            disable=not console.is_terminal,
        ) as progress,
        _logs_above(progress.console),
    ):
        task = progress.add_task("polling feeds", total=total, last="")
        clustering: list[TaskID] = []

        def done(result: FeedResult) -> None:
            # Feed names come from the feed itself: clean() drops ESC/bidi controls, which would
            # otherwise drive the terminal.
            progress.update(task, advance=1, last=clean(result.feed.display_name)[:40])

        def clustered(count: int, of: int) -> None:
            if not clustering:
                progress.update(task, last="")
                if of == 0:
                    return  # nothing to cluster: an empty 0/0 bar would say nothing
                clustering.append(progress.add_task("clustering   ", total=of, last="articles"))
            progress.update(clustering[0], completed=count)

        active = [f for f in feeds if not f.disabled_reason] if feeds is not None else None
        if active is not None:
            progress.update(task, total=len(active))
        return await core.poll(feeds=active, on_feed_done=done, on_cluster_progress=clustered)


class _ListedInReport(logging.Filter):
    """Drops the poll's per-feed warnings ("feed X failed", "feed X disabled"): the report
    printed after the pass lists every failure, and each would otherwise show twice."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name in _REPORTED_BY and record.levelno == logging.WARNING)


# The poll, its entries ("feed X: skipped all 12 entries: each is older than the retention"),
# what one feed's poll came to ("feed X: stored the newest 200 new entries ...") and the recording
# of each feed's outcome ("feed X failed", "feed X disabled").
_REPORTED_BY = frozenset(
    {
        "bot.pipeline.poll",
        "bot.pipeline.entries",
        "bot.pipeline.feed_result",
        "bot.pipeline.feed_state",
    }
)


@contextmanager
def _logs_above(console: Console) -> Iterator[None]:
    """While the progress bar is live, log through its console, which prints above the bar,
    instead of the plain stderr handler, whose lines were glued onto the bar."""
    from rich.logging import RichHandler

    root = logging.getLogger()
    handler = RichHandler(console=console, show_path=False, markup=False)
    handler.addFilter(_ListedInReport())
    saved = root.handlers[:]
    root.handlers = [handler]
    try:
        yield
    finally:
        root.handlers = saved


def _now() -> datetime:
    from bot.store.database import utcnow

    return utcnow()


def print_poll_report(report: PassReport, console: Console) -> None:
    poll = report.poll
    # The time is the whole pass's: a big backlog's clustering can take far longer than the fetch.
    took = f"{report.seconds:.1f}s"
    if report.cluster_seconds >= 1:
        took += f" (fetching {poll.seconds:.1f}s, clustering {report.cluster_seconds:.1f}s)"
    console.print(
        f"Polled {plural(len(poll.feeds), 'feed')} in {took}: "
        f"{plural(len(poll.new_articles), 'new article')}, "
        f"{plural(len(report.touched_stories), 'story', 'stories')} new or updated."
    )
    if (earlier := report.clustered - len(poll.new_articles)) > 0:
        # Otherwise "0 new articles, 2491 stories updated" would puzzle.
        console.print(f"Also clustered {plural(earlier, 'article')} an earlier pass had left.")
    for failed in poll.failed:
        if failed.hold_until is not None:
            continue  # the database refused it: said once for all (`refused_writes`)
        console.print(
            f"  [red]✗[/red] {escape(clean(failed.feed.display_name))}: "
            f"{escape(clean(failed.error) or 'failed')}"
        )
    for warned in poll.warned:
        # A capped poll may have left old entries out too: one line per feed, saying both.
        notes = "; ".join(note for note in (warned.error, warned.notice) if note)
        console.print(
            f"  [yellow]![/yellow] {escape(clean(warned.feed.display_name))}: "
            f"{escape(clean(notes))}"
        )


@click.command("poll")
@click.option(
    "--all", "all_feeds", is_flag=True, help="Poll every enabled feed, not only due ones."
)
@click.option(
    "--without-config",
    is_flag=True,
    help="Poll even when no config file is found, by the shipped example's settings or the "
    "defaults, creating the database they name if missing (a feed they refuse an address is "
    "disabled until a poll with yours allows it).",
)
@pass_cli
def poll_command(cli: CliContext, all_feeds: bool, without_config: bool) -> None:
    """Run one polling pass: fetch, parse, store and cluster, with a progress bar.

    Polls the feeds that are due (--all: every enabled feed). Exits with status 1 when every
    feed polled failed, when the database refused to store a poll (a full disk), or when no config file is found (config/newsdigest.toml missing and
    none named with --config or $NEWSDIGEST_CONFIG) unless --without-config.
    """
    import asyncio

    console = plain_console(stderr=True)
    cli.warn_config = True
    if without_config:
        cli.without_config = True
    else:
        cli.require_config_file(
            "poll",
            harm="a feed your allow_private_networks under [polling] allows would be disabled",
            anyway="--without-config",
        )
    core = cli.synced_core
    _enable_allowed(core, console)
    try:
        report = asyncio.run(poll_with_progress(core, console, all_feeds=all_feeds))
    except KeyboardInterrupt:
        # Each feed's articles were committed as it was fetched, and clustering commits batch by
        # batch: nothing is lost, and what is not clustered yet waits for the next pass.
        click.echo(
            "Interrupted: the articles fetched so far are stored; the next poll clusters those "
            "not clustered yet.",
            err=True,
        )
        raise click.exceptions.Abort() from None
    print_poll_report(report, console)
    _explain_skipped(core, report, console)
    if refusal := refused_writes(report):
        # A full disk is the user's to fix, and a script's to notice.
        click.echo(f"Error: {refusal}", err=True)
        click.get_current_context().exit(1)
    polled = report.poll.feeds
    if polled and len(report.poll.failed) == len(polled):
        # A cron job or script should notice a pass where nothing could be fetched.
        click.get_current_context().exit(1)


def refused_writes(report: PassReport) -> str | None:
    """One line for the feeds whose poll the database refused to store (a full disk), or None."""
    refused = [r for r in report.poll.feeds if r.hold_until is not None]
    if not refused:
        return None
    return (
        f"{refused[0].error}: nothing polled from {plural(len(refused), 'feed')} was stored"
        " (free space on the database's disk, then poll again)"
    )


def _enable_allowed(core: NewsDigest, console: Console) -> None:
    """Feeds refused an address the setting now allows, and feeds an older version disabled
    for an internal error, enabled to be polled in this pass."""
    from bot.pipeline.internal_recovery import enable_internal_disabled
    from bot.pipeline.refusals import enable_allowed

    allow = core.config.polling.allow_private_networks
    for feed in enable_allowed(core.db, allow_private_networks=allow):
        console.print(
            f"Enabled feed {feed.id} again: polling.allow_private_networks now allows the address"
            f" it was refused ({escape(clean(feed.url))})."
        )
    for feed in enable_internal_disabled(core.db):
        console.print(
            f"Enabled feed {feed.id} again: an older version disabled it for an internal error,"
            f" which no longer counts against a feed ({escape(clean(feed.url))})."
        )
    from bot.pipeline.feed_state import missed_retries

    # After `enable_internal_disabled`, which enables some of the same (old) disables instead.
    # Not spread over the next hour as `run` does: the next `poll` may come days later, and a
    # feed moved past this pass would be moved again then, never tried.
    if missed := missed_retries(core.db, _now()):
        console.print(
            f"{plural(len(missed), 'feed')} disabled for failures missed "
            f"{'its' if len(missed) == 1 else 'their'} daily try by over a day: tried in this"
            " pass, after the enabled feeds."
        )


def _explain_skipped(core: NewsDigest, report: PassReport, console: Console) -> None:
    """Say why feeds were not polled, so "Polled 0 feeds" is not mistaken for "nothing to do"."""
    polled = {r.feed.id for r in report.poll.feeds}
    feeds = feed_store.list_feeds(core.db)
    if not feeds:
        console.print("No feeds yet. Add one with: newsdigest feeds add URL")
        return
    disabled = [f for f in feeds if f.disabled_reason]
    waiting = [f for f in feeds if not f.disabled_reason and f.id not in polled]
    backing_off = [f for f in waiting if f.consecutive_failures]
    if backing_off:
        console.print(
            f"{plural(len(backing_off), 'feed')} backing off after failures "
            f"{'was' if len(backing_off) == 1 else 'were'} not polled "
            "(newsdigest poll --all polls them now)."
        )
    elif waiting and not polled:
        console.print(
            f"No feed was due: {plural(len(waiting), 'feed')} will be polled at "
            f"{'its' if len(waiting) == 1 else 'their'} next interval "
            "(newsdigest poll --all polls them now)."
        )
    from bot.ingest.policy import UNUSABLE, retried_daily  # the poll has imported it

    # A feed this pass disabled was polled: its ✗ line above says why. One disabled for its
    # failures before is polled too, at its daily try: still disabled, not by this poll.
    # One that answered its daily try with a 410 is disabled for good by this poll.
    before = {r.feed.id for r in report.poll.feeds if r.feed.disabled_reason}
    retried = [f for f in disabled if f.id in before and retried_daily(f.disabled_reason)]
    disabled_now = [f for f in disabled if f.id in polled and f not in retried]
    disabled_before = [f for f in disabled if f.id not in polled]
    # Parked on purpose (`feeds disable`): said apart, as asked for, not as a problem.
    parked = [f for f in disabled_before if feed_store.disabled_by_operator(f.disabled_reason)]
    disabled_before = [f for f in disabled_before if f not in parked]
    # `feeds enable` leaves a feed at an unusable address disabled: only a new address helps.
    unusable = [f for f in disabled_now if (f.disabled_reason or "").startswith(UNUSABLE)]
    if fixable := [f for f in disabled_now if f not in unusable]:
        console.print(
            f"{plural(len(fixable), 'feed')} disabled by this poll, as said above "
            "(newsdigest feeds enable ID once fixed)."
        )
    if unusable:
        console.print(
            f"{plural(len(unusable), 'feed')} disabled by this poll for an unusable address, as"
            " said above (newsdigest feeds add URL at its right address, then newsdigest feeds"
            " remove ID)."
        )
    if retried:
        console.print(
            f"{plural(len(retried), 'feed')} disabled after days of failures failed again at "
            f"{'its' if len(retried) == 1 else 'their'} daily try (tried once a day, enabled "
            "again when a poll works)."
        )
    if disabled_before:
        console.print(
            f"{plural(len(disabled_before), 'feed')} disabled, not polled "
            "(newsdigest feeds list says why; newsdigest feeds enable ID)."
        )
    if parked:
        console.print(
            f"{plural(len(parked), 'feed')} disabled by operator, not polled "
            "(newsdigest feeds enable ID polls it again)."
        )
