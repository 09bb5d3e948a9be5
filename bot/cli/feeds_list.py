"""`newsdigest feeds list`: every feed, its polling state and last poll, as one table.

On a terminal the table fits the window, one line a row: the URL column is given room first
(two feeds on one host differ only in the end of their path, which `MiddleCut` keeps), the last
poll is said as a compact age ("7m ago") and each long error or note is printed whole under the
table. Piped, every cell is whole and the last poll is its UTC date and time, for scripts. A feed
the config file declares is marked, since only the file can change or remove it."""

from __future__ import annotations

from datetime import datetime

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table
from rich.text import Text

from bot.cli.context import CliContext, pass_cli
from bot.cli.output import MiddleCut, duration, fit_table, is_piped, table_console
from bot.feed_status import feed_status, when
from bot.render.text import clean
from bot.store import feeds as feed_store
from bot.store.database import utcnow
from bot.store.feed_spellings import same_feeds
from bot.textutil import plural

# After the id of a feed declared in the config file.
CONFIG_MARK = "*"


@click.command("list")
@pass_cli
def feeds_list(cli: CliContext) -> None:
    """List feeds with their polling state and last poll.

    The state is what the last poll came to: "ok: 3 new", "ok: nothing new",
    "ok: not modified" (with any note the poll printed: entries left for later
    polls, or older than the retention), "2 failures: <the last error>"
    (backing off), "disabled: <why>" (not polled until `feeds enable`),
    "disabled by operator" (parked with `feeds disable`), or "not polled yet".
    A failing feed's state says when it last succeeded.

    On a terminal each row is one line, the last poll is an age ("7m ago"),
    and the whole error or note is printed under the table; piped, every cell
    is whole and the last poll is its UTC date and time. A feed declared in
    the config file has a * after its id: change or remove it there. Feeds
    the file declares that `poll` or `run` has not synced yet are counted
    under the table (a listing does not sync), and apart from them those on
    an address polling refuses, which the sync skips.
    """
    feeds = feed_store.list_feeds(cli.reader.db)
    pending = _declared_not_synced(cli, _stored_addresses(cli))
    if not feeds:
        click.echo(pending or "No feeds yet. Add one with: newsdigest feeds add URL")
        return
    console = table_console()
    # On a terminal the state is one line ("3 failures: malformed feed: not a…") and each whole
    # error is printed under the table, across the window: wrapped inside a narrow column, one
    # error took some 25 lines. Piped, the table keeps every cell whole, errors included.
    brief = not is_piped(console)
    # Narrow terminal: URLs lose their middle (MiddleCut), names and states their end; the id,
    # interval and age keep their width.
    # A folder column only when there are folders (from an OPML import): most lists have none.
    foldered = any(feed.folder for feed in feeds)
    columns = [
        Column("id", no_wrap=True),
        Column("name", no_wrap=True, overflow="ellipsis"),
        *([Column("folder", no_wrap=True, overflow="ellipsis")] if foldered else []),
        Column("url"),
        Column("every", no_wrap=True),
        # On a terminal the header takes two lines, so the column is as wide as its ages.
        Column("last\npoll" if brief else "last poll (UTC)", no_wrap=True),
        Column("state", no_wrap=brief, overflow="ellipsis" if brief else "fold"),
    ]
    table = Table(*columns)
    below: list[str] = []
    timed: list[tuple[int, str]] = []  # (row, its note) for a state that is only its times
    # Two rows one URL spelt two ways, kept apart by the upgrade that made spellings one.
    twins = same_feeds((feed.id, feed.url) for feed in feeds)
    last_new = feed_store.last_new_entries(cli.reader.db)
    now = utcnow()
    for feed in feeds:
        name = feed.name or feed.title or "-"
        # Under the table a dash stood for nothing: an unnamed feed is named by its address.
        label = _esc(feed.name or feed.title or feed.url)
        status, detail, since = _state(feed, last_new.get(feed.id))
        # "ok: 3 new; stored the newest 200 ...", "2 failures: HTTP 503 (next try ...)"
        state = f"{status}{'; ' if status.startswith('ok') else ': '}{_esc(detail + since)}"
        state = state if detail else status + since
        if others := twins.get(feed.id):
            same = f"same feed as {', '.join(f'#{other}' for other in others)}"
            state = f"[yellow]{same}[/yellow]; {state}"
            if brief:
                below.append(
                    f"{feed.id} {label}: {same}, its URL spelt another way; both are "
                    "polled: remove one with `newsdigest feeds remove <id>`"
                )
        if brief and detail:
            below.append(f"{feed.id} {label} ({status}): {_esc(detail + since)}")
        elif brief and since:
            # No detail, but its times may be cut in the cell: said whole below if they are.
            timed.append((len(table.rows), f"{feed.id} {label}: {status} {_esc(since.strip())}"))
        table.add_row(
            f"{feed.id}{CONFIG_MARK if feed.origin == 'config' else ''}",
            # An unnamed feed (no name, no title yet) is "-": the URL is in the next column.
            _esc(name),
            *([_esc(feed.folder or "")] if foldered else []),
            MiddleCut(clean(feed.url)),
            duration(feed.poll_interval),
            ago(feed.last_polled_at, now) if brief else when(feed.last_polled_at),
            state,
        )
    shift = 1 if foldered else 0  # the url and state columns move right of the folder
    # Room goes first to the URL: two feeds of one host differ in the end of their path, and
    # at 13 columns "127.…le.xml" was both dale.xml and vale.xml. Then the state ("not polled
    # yet" whole), then the name.
    flexible = {2 + shift: 20, 5 + shift: 14, 1: 12, **({2: 6} if foldered else {})}
    fit_table(table, console, flexible)
    below += _cut_states(table, console, timed)
    console.print(table)
    if any(feed.origin == "config" for feed in feeds):
        console.print(
            f"{CONFIG_MARK} declared in {escape(cli.declaring_file())}: change or remove it there",
            highlight=False,
        )
    for line in below:
        console.print(line, highlight=False)
    if pending:
        console.print(escape(pending), highlight=False)


def _cut_states(table: Table, console: Console, timed: list[tuple[int, str]]) -> list[str]:
    """The notes of the rows whose state cell (status and times, "ok: not modified (last new
    entry …)") is wider than the state column was fitted to: cut with '…' there, so whole here."""
    column = table.columns[-1]
    if column.width is None:
        return []
    cells = list(column.cells)
    return [
        note for row, note in timed if Text.from_markup(str(cells[row])).cell_len > column.width
    ]


def _stored_addresses(cli: CliContext) -> set[str]:
    """Every stored feed's polled URL and the URL the file names it by (config_url), as the sync
    matches a declared feed: a 301 moves the polled one, and the feed was then said to be "not in
    the database yet" at every listing, though `poll` has it."""
    rows = cli.reader.db.execute("SELECT url, config_url FROM feeds")
    return {url for row in rows for url in row if url is not None}


def _declared_not_synced(cli: CliContext, stored: set[str]) -> str:
    """What the file declares that is not in the database yet, as `not_synced_yet` says it: a
    listing only reads (it does not sync), and a feed just written into the file was missing
    with no word why. A feed whose address polling refuses is counted apart: `poll` would not
    add it, and "No feeds yet" alone hid the entries the sync skips."""
    from bot.feedaddress import refused_address

    allow = cli.config.polling.allow_private_networks
    refused = [f.url for f in cli.config.feeds if refused_address(f.url, allow) is not None]
    missing = [f.url for f in cli.config.feeds if f.url not in stored and f.url not in refused]
    lines = [not_synced_yet(cli, len(missing), "feed"), _refused_entries(cli, len(refused))]
    return "\n".join(line for line in lines if line)


def _refused_entries(cli: CliContext, count: int) -> str:
    """ "config/newsdigest.toml declares 1 feed on an address polling refuses: ...", or ""."""
    if not count or cli.config.missing_path is not None:
        return ""
    return (
        f"{cli.config_file()} declares {plural(count, 'feed')} on an address polling refuses, "
        f"which `newsdigest poll` and `newsdigest run` do not add: `newsdigest config check` "
        "says why."
    )


def not_synced_yet(cli: CliContext, count: int, noun: str) -> str:
    """ "config/newsdigest.toml declares 2 feeds not in the database yet: ...", or "" for none.
    The example read in place of a missing file is never synced, so it declares nothing here."""
    if not count or cli.config.missing_path is not None:
        return ""
    return (
        f"{cli.config_file()} declares {plural(count, noun)} not in the database yet: "
        f"`newsdigest poll` or `newsdigest run` adds {'it' if count == 1 else 'them'}."
    )


# A status's colour on a terminal, by how bad it is.
_ALARM_STYLES = {"disabled": "red", "failing": "yellow"}


def _state(feed: feed_store.FeedRow, last_new: datetime | None) -> tuple[str, str, str]:
    """The feed's state as `feeds list` shows it: a short status (Rich markup), the detail
    after it (untrusted text: an error, a reason, a note), empty when there is none, and the
    times after those (last success, last new entry, next try: the bot's words)."""
    found = feed_status(feed, last_new)
    style = _ALARM_STYLES.get(found.alarm or "")
    status = f"[{style}]{found.status}[/{style}]" if style else found.status
    return status, found.detail, found.since


def ago(moment: datetime | None, now: datetime) -> str:
    """How long ago `moment` was, in one short word: "now", "7m ago", "3h ago", "12d ago"; a
    full date took 16 columns of an 80-column table, most of the URL's room."""
    if moment is None:
        return "never"
    seconds = int((now - moment).total_seconds())
    if seconds < 60:
        return "now"
    for unit, size, below in (("m", 60, 3600), ("h", 3600, 48 * 3600)):
        if seconds < below:
            return f"{seconds // size}{unit} ago"
    return f"{seconds // 86400}d ago"


def _esc(text: str) -> str:
    """Feed text (a feed's title, a server's error) for a Rich table: clean() turns ESC and bidi
    controls into spaces, escape() neutralises Rich markup."""
    return escape(clean(text))
