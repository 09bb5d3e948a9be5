"""`newsdigest feeds ...`: manage the feed list, including OPML import and export."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from bot.cli.context import CliContext, pass_cli
from bot.cli.feeds_disable import feeds_disable
from bot.cli.feeds_enable import feeds_enable
from bot.cli.feeds_list import feeds_list
from bot.cli.output import duration
from bot.cli.progress import progress_bar
from bot.config import ConfigError, PollingConfig
from bot.config_values import parse_duration
from bot.feedaddress import refusal
from bot.feedurls import FeedUrlError, check_feed_url, normalize_feed_url
from bot.render.text import clean
from bot.store import feeds as feed_store
from bot.store.feeds import FeedExistsError
from bot.textutil import plural

if TYPE_CHECKING:
    import sqlite_utils

    from bot.ingest.fetcher import FetchResult

# OPML (lxml) is imported by the commands that use it: `feeds list` and the rest start without it;
# so is the fetcher, by `feeds add`'s check.


@click.group("feeds")
@pass_cli
def feeds_group(cli: CliContext) -> None:
    """Add, list, remove, disable, enable, import and export the feeds to poll."""
    # The config is read later, by the command, which may name it (`feeds list --config F`).
    cli.warn_config = True


# In a module of its own, with the checks it makes again of a refused feed's address.
feeds_group.add_command(feeds_enable)
feeds_group.add_command(feeds_disable)
feeds_group.add_command(feeds_list)


def _interval(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    """`--interval` in seconds; a value that is no interval is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return parse_duration(value, "--interval")
    except ConfigError as exc:
        raise click.BadParameter(exc.problem, param_hint="'--interval'") from None


@feeds_group.command("add")
@click.argument("url")
@click.option("--name", help="Outlet name shown on cards [default: the feed's own title].")
@click.option(
    "--interval",
    default=None,
    callback=_interval,
    help="Poll interval, e.g. 15m or 1h "
    "[default: the config's polling.default_interval, 15m unless set].",
)
@click.option(
    "--no-check",
    "no_check",
    is_flag=True,
    help="Add it without fetching it once (offline, or a feed not up yet): `newsdigest poll` "
    "says whether it is a feed.",
)
@pass_cli
def feeds_add(
    cli: CliContext, url: str, name: str | None, interval: int | None, no_check: bool
) -> None:
    """Add a feed by its http(s) URL, fetching it once first, as a poll does (the same address
    checks, redirects followed; at most 10 seconds), and say what is there: "a feed with 12
    entries", or a warning (HTTP 404, a web page, connection refused). It is added either way
    (not if it moved permanently to a feed already added): a feed that is down for now is
    polled, with backoff, until it answers; `feeds remove ID` takes back a wrong URL. An
    address that moved permanently is added at the one it moved to. Nothing fetched is stored:
    the first poll reads it.
    """
    try:
        url = check_feed_url(url)
        refused = refusal(url, cli.config.polling.allow_private_networks, retry="add it again")
        if refused:
            raise click.ClickException(f"{url}: {refused}")
        seconds = interval or cli.config.polling.default_interval
        if no_check:
            feed = feed_store.add_feed(cli.core.db, url, name=name, interval=seconds, origin="cli")
            click.echo(
                f"Added feed {feed.id}: {feed.url} (every {duration(feed.poll_interval)}); not "
                "fetched (--no-check): `newsdigest poll` says whether it is a feed"
            )
            return
        if (there := feed_store.get_feed_by_url(cli.core.db, url)) is not None:
            # Said before the fetch, as `add_feed` would after it.
            raise FeedExistsError(f"feed already added, as feed {there.id}: {there.url}", there.id)
        # Fetched before it is added: added first, a running service could poll it in the
        # seconds before a move to a watched feed took it back.
        stored = normalize_feed_url(url)
        found, what, moved = check_new_feed(cli.config.polling, stored)
        if moved and (other := feed_store.get_feed_by_url(cli.core.db, moved)) is not None:
            # The first poll would only disable it as that feed's double: not added at all.
            _moved_to_a_feed(stored, moved, other)
        # Stored where it moved, as its first poll would move it: stored as typed, its new
        # address could be added again as another feed until then, which that poll disabled.
        feed = feed_store.add_feed(
            cli.core.db, moved or url, name=name, interval=seconds, origin="cli"
        )
    except (FeedUrlError, ConfigError, FeedExistsError) as exc:
        raise click.ClickException(str(exc)) from None
    added = f"Added feed {feed.id}: {feed.url} (every {duration(feed.poll_interval)})"
    click.echo(added)
    if moved:
        # Polls move the feed there at the first poll (`feed_state`): said now, not silently.
        what += f"; {stored} moved permanently there, so the feed is added at its new address"
    if found:
        click.echo(f"Fetched it: {what}")
    else:
        # Added all the same: a server down for an hour is no reason to make the user come back.
        click.echo(
            f"Warning: fetched it: {what}; added anyway, and polls retry it (a wrong URL: "
            f"`newsdigest feeds remove {feed.id}`)",
            err=True,
        )


def _moved_to_a_feed(url: str, moved: str, other: feed_store.FeedRow) -> NoReturn:
    """Refuse an address that moved permanently to a feed stored already (matched in its stored
    spelling: host case, `:443`), disabled or not: added, its first poll disabled it as that
    feed's double."""
    named = f"feed {other.id} ({clean(other.display_name)})"
    if other.disabled_reason:
        raise click.ClickException(
            f"not added: {url} moved permanently to {moved}, which is {named}, disabled: "
            f"{clean(other.disabled_reason)}. `newsdigest feeds enable {other.id}` polls it again"
        )
    raise click.ClickException(
        f"not added: {url} moved permanently to {moved}, which is {named}: the same feed, "
        "already watched"
    )


# At most this long for the fetch at `feeds add`: a poll's whole timeout (20 s by default) is a
# long wait at a prompt, and a slow server only makes it a warning, not a refusal.
ADD_CHECK_TIMEOUT = 10.0


def check_new_feed(polling: PollingConfig, url: str) -> tuple[bool, str, str | None]:
    """Fetch `url` once as a poll does (the network guard on every hop and address, the size
    cap) and read it: (True, "a feed with 12 entries (“Alpha Post”)") or (False, why not, in
    the words `feeds list` would show after a poll: "HTTP 404 Not Found", "a web page, not a
    feed …", "connection refused …"); third, the address it moved to permanently (a 301 or
    308 all the way), else None."""
    import asyncio
    from dataclasses import replace

    from bot.ingest.errors import FeedParseError, NotAFeedError, UnreadableCharsetError
    from bot.ingest.parser import parse_feed
    from bot.pipeline.poll import make_fetcher

    async def fetch() -> FetchResult:
        quick = replace(polling, timeout=min(polling.timeout, ADD_CHECK_TIMEOUT))
        async with make_fetcher(quick) as fetcher:
            return await fetcher.fetch(url)

    result = asyncio.run(fetch())
    moved = result.permanent_url if result.permanent_url not in (None, url) else None
    if result.error is not None or result.body is None:
        return False, clean(result.error or f"HTTP {result.status}, with nothing to read"), moved
    try:
        parsed = parse_feed(
            result.body,
            url=result.final_url or url,
            content_type=result.content_type,
            polled_url=url,
        )
    except (NotAFeedError, UnreadableCharsetError) as exc:
        return False, clean(str(exc)), moved
    except FeedParseError as exc:
        return False, clean(f"malformed feed: {exc}"), moved
    except Exception as exc:  # a bug of ours: the poll says it as the feed's state too
        return False, clean(f"could not be read here ({type(exc).__name__}: {exc})"), moved
    title = " ".join(clean(parsed.title or "").split())
    named = f" (“{title[:80]}”)" if title else ""
    return True, f"a feed with {plural(len(parsed.entries), 'entry', 'entries')}{named}", moved


@feeds_group.command("remove")
@click.argument("ref", metavar="FEED")
@pass_cli
def feeds_remove(cli: CliContext, ref: str) -> None:
    """Remove FEED, by id or URL (its articles stay in their stories)."""
    feed = _find_feed(cli, ref)
    if feed.origin == "config":
        # The next sync would add it back, with its polling state (validators, backoff) reset.
        raise click.ClickException(
            f"feed {feed.url} is declared in {cli.declaring_file()}; remove it there"
        )
    feed_store.remove_feed(cli.editor.db, feed.id)
    click.echo(f"Removed feed {feed.id}: {feed.url}")


@feeds_group.command("import")
@click.argument("opml_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_cli
def feeds_import(cli: CliContext, opml_file: Path) -> None:
    """Import feeds and their folders from an OPML file.

    \b
    Each outline that is not imported is listed with the reason:
    - already in the database (counted in one line), or listed twice in
      the file (also spelt otherwise: scheme and host case, a default port,
      a #fragment, %7E for ~; a trailing / or the path's case is another
      URL, imported as a feed of its own);
    - not http(s), or only a web page (htmlUrl) without its feed;
    - on an address polling refuses (loopback, private, localhost): imported
      only with allow_private_networks = true under [polling]; link-local and
      cloud metadata addresses never.
    Folders are kept: `feeds list` shows them and `feeds export` writes them
    back; a re-run puts feeds that have no folder yet into theirs. A file that
    is not UTF-8 and declares no encoding is read as windows-1252, and the
    import says so.
    Nothing is fetched: feeds are polled later. A progress bar shows on a
    terminal; an interrupted import keeps what it added.
    """
    from bot.ingest.opml import MAX_OPML_BYTES, OpmlError, read_opml

    try:
        with opml_file.open("rb") as opened:
            # One byte past the cap is enough for read_opml to refuse it: never a whole
            # multi-gigabyte file (or /dev/zero) in memory.
            data = opened.read(MAX_OPML_BYTES + 1)
        contents = read_opml(data)
    except OpmlError as exc:
        raise click.ClickException(f"{opml_file}: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"{opml_file}: cannot read: {exc.strerror or exc}") from None
    if contents.guessed_encoding:
        # A wrong guess garbles the names (not the URLs): said, so they can be checked.
        click.echo(
            f"{opml_file} is not UTF-8 and names no other encoding: read as "
            f"{contents.guessed_encoding} (a guess: check the feeds' names)",
            err=True,
        )
    added = 0
    folders: Counter[str] = Counter()  # feeds added per folder, in the file's order
    already = 0  # said as one count: a re-run of a big import would list thousands
    refoldered = 0  # of those, the ones put in the file's folder
    allow_private = cli.config.polling.allow_private_networks
    # Every outline that is not imported is counted and named with its reason (they are the
    # user's to act on), so the totals add up to what the file lists.
    skipped = [(s.url, s.reason) for s in contents.skipped]
    db = cli.core.db  # opened (and a new database said) before the bar takes the terminal
    try:
        with progress_bar("importing") as start:
            advance = start(len(contents.feeds))
            for entry in contents.feeds:
                try:
                    url = check_feed_url(entry.url)
                    # Already there comes first: a re-import of an export listed each feed on
                    # an address refused now as refused, though it is in the database.
                    existing = feed_store.get_feed(db, normalize_feed_url(url))
                    if existing is not None:
                        already += 1
                        refoldered += _refolder(db, existing, entry.category)
                    elif refused := refusal(url, allow_private, retry="import again"):
                        skipped.append((entry.url, refused))
                    else:
                        feed_store.add_feed(
                            db,
                            url,
                            # A newsdigest export says which outlines carry a configured name;
                            # another reader's outline title is the name, as it always was.
                            name=entry.name if entry.named else entry.title,
                            interval=entry.interval or cli.config.polling.default_interval,
                            origin="opml",
                            folder=entry.category,
                        )
                        added += 1
                        if entry.category:
                            folders[entry.category] += 1
                except FeedExistsError:  # added by another process since the look above
                    already += 1
                    refoldered += _refolder(
                        db, feed_store.get_feed(db, normalize_feed_url(url)), entry.category
                    )
                except FeedUrlError as exc:
                    skipped.append((entry.url, str(exc)))
                advance()
    except KeyboardInterrupt:
        # Each feed is stored as it is added: what was added stays, and must be said.
        click.echo(
            f"Interrupted: {plural(added, 'feed')} of {len(contents.feeds)} added so far are "
            f"kept; running `newsdigest feeds import {opml_file}` again skips them.",
            err=True,
        )
        raise
    for url, reason in skipped:
        click.echo(f"skipped {url}: {reason}", err=True)
    if already:
        placed = f" ({refoldered} now in the file's folder)" if refoldered else ""
        click.echo(f"skipped {plural(already, 'feed')} already in the database{placed}", err=True)
    total_skipped = len(skipped) + already
    note = f" ({total_skipped} skipped)" if total_skipped else ""
    click.echo(f"Imported {plural(added, 'feed')}{note} from {opml_file}")
    if folders:
        shown = ", ".join(f"{clean(name)} ({count})" for name, count in folders.items())
        click.echo(f"Folders: {shown}")


def _refolder(
    db: sqlite_utils.Database, existing: feed_store.FeedRow | None, folder: str | None
) -> int:
    """1 when a feed already there is put in the OPML outline's folder, else 0: a feed imported
    before folders were kept gets its folder from a re-run; one it has already is never
    replaced."""
    if folder and existing is not None and existing.folder is None:
        feed_store.update_feed(db, existing.id, folder=folder)
        return 1
    return 0


@feeds_group.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the OPML to this file [default: stdout].",
)
@click.option("--force", is_flag=True, help="Replace --output if it exists.")
@pass_cli
def feeds_export(cli: CliContext, output: Path | None, force: bool) -> None:
    """Export the feed list as OPML (to stdout, or to --output)."""
    from bot.ingest.opml import OpmlFeed, export_opml

    if output is not None and output.exists() and not force:
        # As `backup`: an export is often written next to the last one, and must not silently
        # replace a file (another export, a hand-edited subscription list).
        raise click.ClickException(f"{output} already exists (--force replaces it)")
    rows = feed_store.list_feeds(cli.reader.db)
    # The outline's text is the name the feed shows under (OPML wants one); whether that is a
    # configured name or only the feed's title is said apart (newsdigest:name), for `feeds import`.
    feeds = [
        OpmlFeed(
            url=f.url,
            title=f.display_name,
            category=f.folder,  # written back as the folder outline it was imported from
            interval=f.poll_interval,
            name=f.name,
            named=True,
        )
        for f in rows
    ]
    data = export_opml(feeds)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise click.ClickException(f"{output}: cannot write: {exc.strerror or exc}") from None
        click.echo(f"Wrote {plural(len(feeds), 'feed')} to {output}")


def _find_feed(cli: CliContext, ref: str) -> feed_store.FeedRow:
    """The feed with id or URL `ref`, the URL also in any spelling of it (`HTTPS://`, `:443`,
    `%60` for a backtick)."""
    feed = feed_store.get_feed_by_url(cli.reader.db, ref)
    if feed is None:
        raise click.ClickException(f"no feed {ref!r} (see: newsdigest feeds list)")
    return feed


def _esc(text: str) -> str:
    """Feed text (a feed's title, an OPML outline's, a server's error) for a Rich table:
    clean() turns ESC and bidi controls into spaces, escape() neutralises Rich markup."""
    from rich.markup import escape

    return escape(clean(text))
