"""`newsdigest feeds disable`: park a feed on purpose, until `feeds enable`.

A feed disabled for its failures is still tried daily and, like any disabled feed, degraded
/healthz until someone acted; the only way to stop it was `feeds remove`, which also drops its
polling state and, for a feed the config file declares, is undone by the next start. Parked, a
feed is not polled nor retried, `feeds list` and `/feeds list` say "disabled by operator", and
/healthz lists it under `disabled_by_operator`, not as a problem; no channel is alerted. Its
articles, failures and last error stay.

The config sync leaves the park alone: a parked feed the file declares stays parked at every
start (the sync writes its name and interval, never its disabled state), and taking its entry
out of the file removes it as it removes any feed the file made. Chat has no `/feeds disable`,
as it has no `/feeds enable`: parking and unparking are the host's, next to `feeds list`.
"""

from __future__ import annotations

import click

from bot.cli.context import CliContext, pass_cli
from bot.render.text import clean
from bot.store import feeds as feed_store
from bot.store.database import utcnow

__all__ = ["feeds_disable"]


@click.command("disable")
@click.argument("ref", metavar="FEED")
@pass_cli
def feeds_disable(cli: CliContext, ref: str) -> None:
    """Park a feed by id or URL: not polled until `feeds enable`.

    FEED is the feed's id or URL, as `feeds list` shows them. A parked feed is
    not polled, not tried daily as a failing one is, shown as "disabled by
    operator" in `feeds list` and /feeds list, and not counted as a failure by
    /healthz; no channel is alerted. Its articles and history stay.
    `newsdigest feeds enable FEED` polls it again at the next pass.

    A feed the config file declares stays parked across restarts: the config
    sync never enables it. Taking it out of the file removes it, as usual.
    """
    from bot.cli.feeds import _find_feed

    before = _find_feed(cli, ref)
    if feed_store.disabled_by_operator(before.disabled_reason):
        click.echo(f"Feed {before.id} was already disabled by operator: {clean(before.url)}")
        return
    feed = feed_store.disable_feed(cli.editor.db, before.id, utcnow())
    if feed is None:  # removed by another process since it was found
        raise click.ClickException(f"no feed {ref!r} (see: newsdigest feeds list)")
    # The reason holds a server's error and the URL a feed's own text: clean() keeps their ESC
    # and bidi controls off the terminal, as `feeds list` does.
    was = f" (it was disabled: {clean(before.disabled_reason)})" if before.disabled_reason else ""
    click.echo(
        f"Disabled feed {feed.id} by operator: {clean(feed.url)}{was}; "
        f"newsdigest feeds enable {feed.id} polls it again."
    )
