"""`newsdigest feeds enable`: a disabled feed polled again, a refused one only once its
address is allowed, and one whose URL no fetch can use (a port 0 an older version stored) not
at all: its reason says to add it again at its right address.

A feed disabled because the network guard refused its address has the whole way to it checked
again first, as a poll goes: every redirect hop through the guard, every resolved address; the
feed's body is not read. So a feed refused at a redirect (to 169.254.169.254, say) is not
"Enabled" only to be disabled, and alerted about, again at the next poll. A feed parked with
`feeds disable` is checked so too, whatever it was disabled for before the park: that reason is
overwritten by the park's, and a refused or unusable feed parked then enabled came back unchecked.
Still refused or unusable, it stays parked, saying why.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import click

from bot.cli.context import CliContext, pass_cli
from bot.config import PollingConfig
from bot.render.text import clean
from bot.store import feeds as feed_store
from bot.textutil import plural

__all__ = ["feeds_enable"]


@click.command("enable")
@click.argument("ref", metavar="[FEED]", required=False)
@click.option(
    "--refused",
    "all_refused",
    is_flag=True,
    help="Check every feed disabled as refused again, and enable those now allowed.",
)
@pass_cli
def feeds_enable(cli: CliContext, ref: str | None, all_refused: bool) -> None:
    """Re-enable a disabled feed by id or URL and poll it at the next pass.

    A feed disabled because its address was refused (its host is or resolves
    to a private or link-local address, or a redirect led to one) has the way
    to it checked again first, redirects included, and stays disabled, saying
    why, while it is still refused. So has a feed parked with `feeds disable`,
    which stays parked while refused or unusable. --refused does so for every
    feed disabled as refused.
    """
    from bot.cli.feeds import _find_feed
    from bot.ingest.policy import REFUSED, UNUSABLE

    if all_refused == (ref is not None):
        raise click.UsageError("give a feed's id or URL, or --refused (not both)")
    if ref is None:
        _enable_refused(cli)
        return
    before = _find_feed(cli, ref)
    if not before.disabled_reason and not before.consecutive_failures:
        click.echo(f"Feed {before.id} was already enabled: {before.url}")
        return
    if before.disabled_reason and before.disabled_reason.startswith(UNUSABLE):
        # Its URL is the same one no fetch could use: enabled, the next poll disables it again.
        raise click.ClickException(f"feed {before.id} not enabled: {before.disabled_reason}")
    unchecked = ""
    # `feeds disable` writes its own reason over the one before: a refused or unusable feed
    # parked and enabled again came back unchecked, to be disabled (and alerted) anew at the
    # next poll. So a parked feed's way is checked as a refused one's is.
    parked = feed_store.disabled_by_operator(before.disabled_reason)
    if parked or (before.disabled_reason and before.disabled_reason.startswith(REFUSED)):
        ((still, unchecked),) = asyncio.run(_refused_now(cli.config.polling, [before.url]))
        if still is not None:
            if parked:
                # The operator's park stands: the feed is no more pollable than before.
                raise click.ClickException(
                    f"feed {before.id} not enabled (it stays disabled by operator): {clean(still)}"
                )
            # The reason as of now (the address or the setting may have changed since); the
            # feed stays disabled from when it was, so no second alert goes out.
            feed_store.update_feed(cli.editor.db, before.id, disabled_reason=still)
            raise click.ClickException(f"feed {before.id} not enabled: {clean(still)}")
    # Also for a feed backing off after failures: enabling resets the backoff.
    feed = feed_store.enable_feed(cli.editor.db, before.id)
    assert feed is not None
    if before.disabled_reason:
        click.echo(f"Enabled feed {feed.id}: {feed.url}{unchecked}")
        return
    # Not disabled, only failing: "Enabled" claimed a change that was not made.
    failures = plural(before.consecutive_failures, "failure")
    last = " ".join((before.last_error or "").split())
    click.echo(
        f"Feed {feed.id} was not disabled, but is backing off after {failures} in a row"
        + (f" (last: {last})" if last else "")
        + f"; reset, so the next pass polls it: {feed.url}"
    )


def _enable_refused(cli: CliContext) -> None:
    """`--refused`: every feed disabled as refused checked again, all through one fetcher."""
    from bot.ingest.policy import REFUSED

    refused = [
        f
        for f in feed_store.list_feeds(cli.reader.db)
        if f.disabled_reason and f.disabled_reason.startswith(REFUSED)
    ]
    if not refused:
        click.echo("No feed is disabled as refused.")
        return
    checked = asyncio.run(_refused_now(cli.config.polling, [f.url for f in refused]))
    enabled = 0
    for feed, (still, unchecked) in zip(refused, checked, strict=True):
        if still is not None:
            feed_store.update_feed(cli.editor.db, feed.id, disabled_reason=still)
            click.echo(f"Feed {feed.id} not enabled: {still}")
            continue
        feed_store.enable_feed(cli.editor.db, feed.id)
        enabled += 1
        click.echo(f"Enabled feed {feed.id}: {feed.url}{unchecked}")
    click.echo(f"Enabled {enabled} of {plural(len(refused), 'refused feed')}.")


async def _refused_now(polling: PollingConfig, urls: Sequence[str]) -> list[tuple[str | None, str]]:
    """For each of `urls`, whether the way to it is still refused, checked now as a poll goes
    (each redirect hop, each DNS answer; no body read), or its URL one no fetch can use: the
    feed's new disabled reason, or None;
    and a note when the server answered with an error (the address is allowed; what the next
    poll makes of the answer) or the check could not be made (no DNS answer, a timeout)."""
    from bot.ingest.policy import refused_reason, unusable_reason
    from bot.pipeline.poll import make_fetcher

    async with make_fetcher(polling) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(url, body=False) for url in urls))
    out: list[tuple[str | None, str]] = []
    for result in results:
        if result.unusable_url:
            # The feed's own URL, not a redirect's: no poll could fetch it either.
            out.append((unusable_reason(result.error or "unusable URL"), ""))
        elif result.refused is not None:
            out.append((refused_reason(result.refused), ""))
        elif result.error is not None and result.status is not None:
            # The server answered: every hop to it was checked and allowed. What it answered
            # is the poll's to judge, as for any feed.
            then = (
                "so the next poll disables it as gone"
                if result.status == 410
                else "which the next poll counts as a failure"
            )
            note = f" (the address is allowed; the server answered {result.error}, {then})"
            out.append((None, note))
        elif result.error is not None:
            # No answer (no DNS answer, a timeout): the address is the poll's to judge.
            note = f" (it could not be checked now: {result.error}; the next poll checks it)"
            out.append((None, note))
        else:
            out.append((None, ""))
    return out
