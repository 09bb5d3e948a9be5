"""`newsdigest status`: the bot's state from its database file, for an operator whose service
runs under systemd (or who reads a copy on another host): the database, feeds, stories,
channels and whether `run` holds the database now. Read-only (`bot.cli.status_read`); `--json`
gives the same facts under stable keys."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import click

from bot.cli.context import CliContext, pass_cli
from bot.render.text import clean
from bot.schedule_words import describe_schedule
from bot.store.database import DatabaseOpenError, parse_iso, pending_migrations, utcnow
from bot.textutil import plural

# The section names' column: every line of a section starts past it.
LABEL_WIDTH = 10


@click.command("status")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the same facts as one JSON object, its keys stable across versions (for scripts "
    "and monitoring; times are ISO 8601 UTC, null for never).",
)
@pass_cli
def status_command(cli: CliContext, as_json: bool) -> None:
    """Show the bot's state from its database: size and schema, feeds (failing and disabled ones
    named), stories, each channel's mode, schedule and posts, and whether `newsdigest run`
    holds the database now.

    \b
    Reads only: the database is neither upgraded nor created, so it is safe
    beside a running service, on a read-only file, or on a copy from another
    host. A database an older version wrote is shown as far as its schema
    allows; `newsdigest run` or `poll` upgrades it.
    """
    # Here, not at the top: the other commands' start-up pays nothing for this one's readers.
    from bot.cli.status_read import read_status

    config = cli.config
    path = config.database_path()
    db = cli.database_to_copy()  # a missing file is the usual clear error
    try:
        try:
            pending_migrations(db)
        except DatabaseOpenError as exc:  # a newer version's file: its schema is unknown here
            raise click.ClickException(
                cli.db_problem(DatabaseOpenError(path, exc.problem))
            ) from None
        report = read_status(
            db, path, now=utcnow(), story_window=timedelta(hours=config.story_window_hours)
        )
    finally:
        db.conn.close()
    if as_json:
        click.echo(json.dumps(report, indent=2, sort_keys=True))
        return
    for label, lines in _sections(report):
        for i, line in enumerate(lines):
            click.echo(f"{label if i == 0 else '':<{LABEL_WIDTH}}{line}".rstrip())


def _sections(report: dict[str, Any]) -> list[tuple[str, list[str]]]:
    return [
        ("database", _database(report["database"])),
        ("feeds", _unless_unavailable(report["feeds"], _feeds)),
        ("stories", _unless_unavailable(report["stories"], _stories)),
        ("channels", _unless_unavailable(report["channels"], _channels)),
        ("service", _service(report["service"])),
    ]


def _unless_unavailable(section: Any, draw: Any) -> list[str]:
    if isinstance(section, dict) and "unavailable" in section:
        return [f"unavailable: {section['unavailable']}"]
    lines: list[str] = draw(section)
    return lines


def _database(d: dict[str, Any]) -> list[str]:
    schema = f"schema {d['schema']}"
    if d["upgrade_needed"]:
        schema += f" (this version's is {d['latest_schema']}: {d['upgrade_hint']})"
    pruned = ""
    if d["last_pruned"]:
        counts = d["last_pruned"]
        pruned = f" ({plural(int(counts.get('stories', 0)), 'story', 'stories')} deleted)"
    return [
        clean(d["path"]),
        f"{_bytes(d['size_bytes'])} on disk (+ {_bytes(d['wal_bytes'])} WAL), {schema}",
        f"last prune {_when(d['last_prune'])}{pruned}",
    ]


def _feeds(f: dict[str, Any]) -> list[str]:
    counts = f"{f['ok']} ok, {f['failing']} failing, {f['disabled']} disabled"
    if f.get("disabled_by_operator"):  # absent from an older schema's answer
        counts += f", {f['disabled_by_operator']} disabled by operator"
    if f["not_polled_yet"]:
        counts += f", {f['not_polled_yet']} not polled yet"
    lines = [f"{f['total']} total: {counts}", f"last poll {_when(f['last_poll'])}"]
    # Each named feed on a line, then its state in `feeds list`'s words (its error, why it was
    # disabled, when it last worked) on the next: errors run long.
    for feed in f["worst_failing"]:
        # The state says the last success and the next try: here only what it cannot say.
        never = "" if feed["last_success"] else ": never succeeded"
        lines.append(f"failing #{feed['id']} {clean(feed['name'])}{never}")
        lines.append(f"  {clean(feed['state'])}")
    for feed in f["disabled_feeds"]:
        lines.append(f"disabled #{feed['id']} {clean(feed['name'])}")
        lines.append(f"  {clean(feed['state'])}")
    named = len(f["worst_failing"]) + len(f["disabled_feeds"])
    if f["failing"] + f["disabled"] > named:
        lines.append(
            f"... and {f['failing'] + f['disabled'] - named} more: `newsdigest feeds list`"
        )
    return lines


def _stories(s: dict[str, Any]) -> list[str]:
    lines = [
        f"{plural(s['articles'], 'article')}, {plural(s['stories'], 'story', 'stories')} "
        f"({s['open']} open, {s['last_24h']} new in the last 24 h)"
    ]
    if newest := s["newest"]:
        lines.append(
            f"newest {_when(newest['first_seen'])}: {clean(newest['headline'])} "
            f"({clean(newest['slug'])})"
        )
    return lines


def _channels(channels: list[dict[str, Any]]) -> list[str]:
    # As `channels list` and /watchlist say it ("daily 09:00 UTC"), not the stored cron.
    if not channels:
        return ["none"]
    lines = []
    for c in channels:
        name = f" ({clean(c['name'])})" if c["name"] else ""
        # An instant channel's schedule fires nothing: shown, it read as posts held until then.
        when = (
            "instant"
            if c["mode"] == "instant"
            else f"{c['mode']}, {describe_schedule(clean(c['schedule']), clean(c['timezone']))}"
        )
        paused = f"; paused: {clean(c['paused'])}" if c["paused"] else ""
        if c.get("not_posting"):
            paused = f"; not posting: {clean(c['not_posting'])}"
        lines.append(f"{clean(c['channel'])}{name}: {when}{paused}")
        failed = c["failed_last_24h"]
        lines.append(
            f"  last digest {_when(c['last_digest'])}; {c['pending']} pending, "
            f"{'?' if failed is None else failed} failed in the last 24 h"
        )
    return lines


def _service(s: dict[str, Any]) -> list[str]:
    if s["running"] is None:
        running = f"unknown: cannot probe the lock {s['lock_file']}"
    elif s["running"]:
        running = "running: `newsdigest run` holds the database" + (
            f" (pid {s['pid']})" if s["pid"] else ""
        )
    else:
        running = "not running: no `newsdigest run` holds the database"
    lines = [running]
    for name, state in sorted((s.get("platforms") or {}).items()):
        problem = f": {clean(state['problem'])}" if state.get("problem") else ""
        if not state.get("running"):
            lines.append(f"{clean(name)} not running{problem}")
        elif state.get("webhooks_only"):
            lines.append(f"{clean(name)} running for webhook channels only{problem}")
        elif problem:
            lines.append(f"{clean(name)} running{problem}")
    return [*lines, f"last /healthz check {_when(s['last_health_check'])}"]


def _when(value: str | None) -> str:
    moment: datetime | None = parse_iso(value)
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "never"


def _bytes(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} B"
