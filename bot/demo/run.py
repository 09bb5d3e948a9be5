"""The demo: the real pipeline on embedded defaults, offline, no tokens.

Sample feeds are served on 127.0.0.1 and polled through the real fetch path (the address guard is
told to allow loopback, as a self-hoster with intranet feeds would). The result is the digest a
console channel would get, printed, plus an HTML preview.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from bot.app import NewsDigest, PassReport
from bot.cards import Digest
from bot.config import ChannelConfig, Config, FeedConfig, PollingConfig
from bot.demo.feeds import sample_feeds
from bot.feedserver import FeedServer, Reply
from bot.render.console import render_digest_console
from bot.render.html import render_digest_html
from bot.store import channels as channel_store
from bot.store.database import DatabaseOpenError, open_database, transaction, utcnow

DEMO_CHANNEL = "team-news"


class DemoOutputError(Exception):
    """The output directory cannot be made or written to; the message is one line for the user."""


@dataclass(slots=True)
class DemoSummary:
    feeds_polled: int
    feeds_failed: int
    articles: int
    stories: int
    multi_source_stories: int
    cards: int
    seconds: float
    html_path: Path
    db_path: Path


def demo_config(server: FeedServer, db_path: Path, feeds: list[str]) -> Config:
    return Config(
        database=str(db_path),
        polling=PollingConfig(allow_private_networks=True, timeout=10.0),
        feeds=[FeedConfig(url=server.url(path)) for path in feeds],
        channels=[ChannelConfig(platform="console", id=DEMO_CHANNEL, name="#team-news")],
    )


def run_demo(output_dir: Path, console: Console, *, now: datetime | None = None) -> DemoSummary:
    started = time.perf_counter()
    now = now or utcnow()
    db_path = output_dir / "demo.db"
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        for stale in output_dir.glob("demo.db*"):
            stale.unlink()  # every demo run starts from an empty database
    except OSError as exc:
        where = exc.filename or output_dir
        raise DemoOutputError(f"{where}: cannot write there: {exc.strerror or exc}") from None
    feeds = sample_feeds(now)
    routes = {
        path: Reply(body=body, content_type=ctype, etag=f'"{hash(body) & 0xFFFFFFFF:x}"')
        for path, (body, ctype) in feeds.items()
    }
    with FeedServer(routes) as server:
        config = demo_config(server, db_path, list(feeds))
        try:
            db = open_database(db_path)
        except DatabaseOpenError as exc:
            raise DemoOutputError(str(exc)) from None
        core = NewsDigest(config, db=db)
        try:
            core.sync_config()
            _make_demo_own(core)
            console.print(
                f"[bold]newsdigest demo[/bold]: polling {len(feeds)} sample feeds "
                f"served on {server.url('/')}"
            )
            report = asyncio.run(_poll(core, console))
            channel = channel_store.get_channel(core.db, "console", DEMO_CHANNEL)
            assert channel is not None
            digest = core.digest(channel, now=utcnow())
            render_digest_console(digest, console)
            html_path = output_dir / "digest.html"
            try:
                html_path.write_text(render_digest_html(digest), encoding="utf-8")
            except OSError as exc:
                raise DemoOutputError(f"{html_path}: cannot write: {exc.strerror or exc}") from None
            summary = _summarise(core, report, digest, html_path, db_path, started)
        finally:
            core.close()
    _print_summary(summary, console)
    return summary


def _make_demo_own(core: NewsDigest) -> None:
    """Mark the feeds and the channel the demo config just seeded as the demo's own, not the
    config file's: only config-origin rows are removed (feeds, topics) or paused (channels) by a
    later sync, so a command that syncs a real config file into the demo database (say,
    `NEWSDIGEST_DB=demo-output/demo.db newsdigest poll` in a checkout, whose shipped config is
    empty) leaves them be, as it would feeds added with `newsdigest feeds add`."""
    with transaction(core.db):
        core.db.execute(
            "UPDATE feeds SET origin = 'demo', config_hash = NULL, config_url = NULL"
            " WHERE origin = 'config'"
        )
        core.db.execute(
            "UPDATE topics SET origin = 'demo', config_hash = NULL WHERE origin = 'config'"
        )
        core.db.execute(
            "UPDATE channels SET origin = 'demo', config_hash = NULL WHERE origin = 'config'"
        )


async def _poll(core: NewsDigest, console: Console) -> PassReport:
    from bot.cli.poll import poll_with_progress, print_poll_report

    report = await poll_with_progress(core, console, all_feeds=True)
    print_poll_report(report, console)
    return report


def _summarise(
    core: NewsDigest,
    report: PassReport,
    digest: Digest,
    html_path: Path,
    db_path: Path,
    started: float,
) -> DemoSummary:
    db = core.db
    stories = db.execute("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL").fetchone()[0]
    multi = db.execute(
        "SELECT COUNT(*) FROM stories WHERE merged_into IS NULL AND source_count >= 2"
    ).fetchone()[0]
    return DemoSummary(
        feeds_polled=len(report.poll.feeds),
        feeds_failed=len(report.poll.failed),
        articles=db["articles"].count,
        stories=stories,
        multi_source_stories=multi,
        cards=len(digest.cards),
        seconds=time.perf_counter() - started,
        html_path=html_path,
        db_path=db_path,
    )


def _print_summary(summary: DemoSummary, console: Console) -> None:
    console.rule("demo summary")
    console.print(
        f"Feeds polled: {summary.feeds_polled} ({summary.feeds_failed} failed, as intended: one "
        "sample feed is broken)\n"
        f"Articles stored: {summary.articles}\n"
        f"Stories: {summary.stories} ({summary.multi_source_stories} with 2+ independent sources)\n"
        f"Cards in the digest: {summary.cards}\n"
        f"HTML preview: {summary.html_path.resolve()}\n"
        f"Database: {summary.db_path.resolve()}\n"
        f"Time taken: {summary.seconds:.1f}s"
    )
    # On a line of its own and never wrapped, so it can be copied and pasted as it is.
    db = f"NEWSDIGEST_DB={shlex.quote(str(summary.db_path))} {newsdigest_command()}"
    console.print(f"Try: {escape(db)} stories", soft_wrap=True)
    # The bot's main interface, its chat commands, without creating a Slack or Discord app.
    console.print(f"Try: {escape(db)} chat", soft_wrap=True)
    console.print(
        "  and type the chat commands as in Slack: /story kestrel, /watchlist, /digest, /help "
        "(Ctrl-D leaves)",
        soft_wrap=True,
    )


def newsdigest_command() -> str:
    """How to run newsdigest from this shell: `newsdigest` when that is on PATH and is this
    installation, else the `newsdigest` script beside this Python (after `make demo` on a fresh
    machine only `.venv/bin/newsdigest` exists), else `python -m bot` with this Python."""
    bin_dir = Path(sys.executable).parent
    script = shutil.which("newsdigest", path=str(bin_dir))
    if script is None:
        return f"{shlex.quote(sys.executable)} -m bot"
    on_path = shutil.which("newsdigest")
    if on_path is not None and os.path.samefile(on_path, script):
        return "newsdigest"
    relative = os.path.relpath(script)
    if relative.startswith(os.pardir) or os.path.isabs(relative):
        return shlex.quote(script)
    # `newsdigest` alone would be looked up on PATH, not here.
    return shlex.quote(relative if os.sep in relative else f".{os.sep}{relative}")
