"""What `/healthz` reports about a running `Service`: scheduler state, whether the database takes
writes, last successful poll, failing feeds, paused channels, platform errors, channels whose
platform's token is not set (`unserved_channels`, fixed for the run), and outages (a
route refusing posts, or unreachable or failing several times in a row), a platform's connection
down for a while (Slack's Socket Mode, Discord's gateway: `disconnected`), the calls a platform
rate limits, held until its Retry-After (`rate_limits`: route, call, until), the outbox backlog
(posts waiting or in flight by state under `deliveries`; `pending_deliveries`, the posts waiting or in flight to
channels that are not paused, apart from `held_for_paused_channels`, the posts a pause holds
until someone resumes the channel; card edits made on their own under `card_edits`), and
the last prune (retention), and the LLM writer (`llm`: its model and endpoint host, its
breaker, closed, open (a problem: cards get the extractive summary) or half-open, the last
failure, today's tokens and the budget), and whether feeds are fetched with the DNS-rebinding
guard (`rebinding_guard`: false, and a problem, when httpx's transport changed). Channels
removed from the config file (paused by the sync) are listed under `removed_channels`, not as a
problem. The server that answers the request is
`bot.runner.health`.

"degraded" lists its reasons under `problems`. Two of them stop the bot doing its job while the
scheduler keeps running, and make the answer an HTTP 503 (`critical`): a database that refuses
writes (nothing is stored, queued or recorded) and polling that has not succeeded for a while.
Chat trouble (a platform error, a paused channel, a platform refusing posts) stays a 200."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx
import sqlite_utils

from bot.ingest.errors import is_internal_error, retried_daily
from bot.ingest.transport import rebinding_guard
from bot.runner.console import STANDING_IN
from bot.store import card_refreshes, delivery_counts
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.channels import PAUSED_IN_CHAT, ChannelRow
from bot.store.database import is_busy, iso, parse_iso, utcnow
from bot.store.feeds import FeedRow
from bot.store.sync import REMOVED_FROM_CONFIG
from bot.textutil import plural

# How far back `/healthz`'s `failed_last_24h` counts the posts and card edits given up.
FAILED_WINDOW = timedelta(hours=24)

if TYPE_CHECKING:
    from bot.delivery.outages import PlatformOutage
    from bot.runner.service import Service


def service_health(service: Service) -> dict[str, Any]:
    failing = feed_store.failing_feeds(service.db)
    # Feeds whose last poll our own code failed: not counted against them, so not "failing" by
    # the count, but nothing is read from them until the bug or the install is fixed.
    internal = [
        f
        for f in feed_store.list_feeds(service.db)
        if not f.disabled_reason and is_internal_error(f.last_error)
    ]
    failing = sorted(
        [*failing, *(f for f in internal if f.consecutive_failures == 0)], key=lambda f: f.id
    )
    last_new = feed_store.last_new_entries(service.db) if failing else {}
    channels = channel_store.list_channels(service.db)
    # A channel deleted from the config file is paused by the sync, on purpose: information, not
    # a problem, or an intentional edit would keep the status "degraded" for good.
    removed = [c for c in channels if c.paused_reason == REMOVED_FROM_CONFIG]
    paused = [c for c in channels if c.paused_reason and c.paused_reason != REMOVED_FROM_CONFIG]
    counts = delivery_counts.waiting_counts(service.db)
    waiting = channel_store.pending_posts(service.db)
    held = sum(waiting.get(c.id, 0) for c in channels if c.paused_reason)
    last_ok = service.poller.last_success
    if last_ok is None:
        row = service.db.execute("SELECT MAX(last_success_at) FROM feeds").fetchone()
        last_ok = parse_iso(row[0]) if row and row[0] else None
    # Start's catch-up (`Service.catching_up`) runs with the scheduler started, its digests chosen
    # off the loop: the service is up, only still queuing what it missed while down.
    catching_up = service.catching_up and service.state == "starting"
    running = (service.state == "running" or catching_up) and service.scheduler.running
    # A route's first transient failures (one 503, one leftover 429) are no outage yet.
    reported = service.outbox.outages.reported()
    outages = {
        name: {
            "error": o.error,
            "since": iso(o.since),
            "next_retry": None if o.fatal else iso(o.retry_at),
            "failures": o.failures,
            # Credentials refused: nothing more is tried until a new token and a restart.
            "fatal": o.fatal,
            # Not refusing us: unreachable, failing (5xx) or rate limiting, run after run.
            "unreachable": o.transient,
        }
        for name, o in reported.items()
    }
    # Read as "slack: <what is wrong>", like the outages below.
    problems = [f"{name}: {error}" for name, error in service.platform_errors.items()]
    disconnected = _disconnected(service)
    problems += [f"{name}: {d['error']} (since {d['since']})" for name, d in disconnected.items()]
    # Configured channels whose platform's token is not set: nothing reaches them all run.
    problems += list(service.unserved_channels.values())
    # The terminal stand-in, paused once a chat platform is configured, is no problem either.
    # Nor is a channel someone paused in chat: asked for.
    troubled = [c for c in paused if c.paused_reason not in (STANDING_IN, PAUSED_IN_CHAT)]
    problems += [f"{len(troubled)} channel(s) paused"] if troubled else []
    problems += [_internal_problem(internal)] if internal else []
    guarded = rebinding_guard()
    if not guarded:
        # Still fetching, each address checked before connecting: degraded, not critical.
        problems.append(
            f"fetch: feeds fetched without the DNS-rebinding guard (httpx {httpx.__version__} "
            "untested; install the httpx pyproject.toml allows)"
        )
    # A disabled feed reads nothing: a problem until someone (or, for one disabled for its
    # failures, its daily retry) enables it again; a feed's status said "ok" meanwhile.
    disabled = [f for f in failing if f.disabled_reason]
    parked = feed_store.parked_feeds(service.db)
    problems += [_disabled_problem(disabled)] if disabled else []
    problems += [f"{name} {_outage_words(o)}: {o.error}" for name, o in reported.items()]
    llm = _llm(service)
    if llm.get("breaker", {}).get("state") == "open":
        # Cards still go out, extractive: degraded, not critical.
        why = (
            "refused the writer's setup (fix llm settings)"
            if llm["breaker"].get("configuration_problem")
            else "not called after failures"
        )
        problems.append(f"llm: {llm['endpoint_host']} {why}: {llm['breaker']['last_failure']}")
    # The bot cannot do its job at all: HTTP 503, so a supervisor can alert or restart. Chat
    # trouble above stays a 200 "degraded": a restart does not unpause an archived channel.
    critical = (
        [p for p in (write_problem(service.db), _poll_problem(service)) if p] if running else []
    )
    problems = critical + problems
    return {
        "status": (
            ("degraded" if problems else "catching up" if catching_up else "ok")
            if running
            else service.state
        ),
        "catching_up": catching_up,
        "problems": problems,
        "critical": bool(critical),
        "scheduler_running": running,
        "started_at": iso(service.started_at),
        "last_successful_poll": iso(last_ok),
        "polls_in_flight": len(service.poller.inflight),
        "failing_feeds": [
            {
                "id": f.id,
                "url": f.url,
                "consecutive_failures": f.consecutive_failures,
                "last_error": f.last_error,
                "disabled": f.disabled_reason,
                # Disabled after days of failures: still tried once a day (`next_try`).
                "retried_daily": retried_daily(f.disabled_reason),
                "next_try": iso(f.next_poll_at) if _tried_again(f) else None,
                "last_success": iso(f.last_success_at),
                "last_new_entry": iso(last_new.get(f.id)),
                "internal_error": is_internal_error(f.last_error),
            }
            for f in failing[:100]
        ],
        "disabled_feeds": {"count": len(disabled), "names": [_name(f) for f in disabled[:100]]},
        # Parked with `newsdigest feeds disable`: on purpose, so no problem and not above.
        "disabled_by_operator": {"count": len(parked), "names": [_name(f) for f in parked[:100]]},
        # Posts (stories, thread updates) only: a card edit (made while its reply waits, or
        # retried after its update's reply landed) is no post waiting, and is counted apart.
        # Posts for a paused channel are held, not waiting: they go out only once someone
        # resumes it, so counted in this a backlog monitor would alert until then. They are
        # `held_for_paused_channels`; `deliveries` counts the posts waiting or in flight by
        # state, held ones too (not sent or failed ones: counting those read every post ever
        # sent, on the event loop, at each request).
        "pending_deliveries": counts["pending"] + counts["sending"] - held,
        "held_for_paused_channels": held,
        "deliveries": counts,
        "card_edits": card_refreshes.waiting_counts(service.db),
        # The failure signal: posts and card edits given up (out of attempts, refused, stale)
        # in the last 24 hours, by when they failed. A monitor alerts when either grows.
        "failed_last_24h": delivery_counts.failed_since(
            service.db, service.clock() - FAILED_WINDOW
        ),
        "paused_channels": [{"channel": c.key, "reason": c.paused_reason} for c in paused],
        "removed_channels": [c.key for c in removed],
        "platforms": sorted(service.outbox.adapters),
        "platform_errors": service.platform_errors,
        "unserved_channels": service.unserved_channels,
        # A running platform's connection for commands (Slack's Socket Mode, Discord's gateway)
        # down for a while.
        "disconnected": disconnected,
        # A delivery route (a platform; Discord's bot or webhooks) refusing every post: retried
        # (a missing scope) or, for a refused token, not retried this run; or unreachable or
        # failing time after time (its posts wait, using no attempt). No channel paused.
        "delivery_outages": outages,
        # Calls a platform rate limits, held on their route until its Retry-After (nothing is
        # wrong, so no problem; a long one shows here): posts, card edits or lookups.
        "rate_limits": [
            {"route": route, "call": call, "until": iso(until)}
            for route, call, until in service.outbox.rate_limits.active(service.clock())
        ],
        # The optional LLM writer: model, endpoint host, breaker, today's spend (UTC day).
        "llm": llm,
        # False: httpx's transport changed and feeds are fetched without the rebinding guard.
        "rebinding_guard": guarded,
        "jobs": len(service.scheduler.get_jobs()),
        "retention": _retention(service),
    }


def _disabled_problem(feeds: list[FeedRow]) -> str:
    """The disabled feeds, by name: "2 feeds disabled: Quayline Post, Kestrel Gazette"."""
    names = ", ".join(_name(f) for f in feeds[:10])
    more = f" and {len(feeds) - 10} more" if len(feeds) > 10 else ""
    return (
        f"{plural(len(feeds), 'feed')} disabled: {names}{more} (`newsdigest feeds list` says why)"
    )


def _tried_again(feed: FeedRow) -> bool:
    """Whether the feed's next poll time is a try to come: backing off, or disabled for its
    failures (tried daily); a feed disabled otherwise is not polled."""
    if feed.disabled_reason:
        return retried_daily(feed.disabled_reason)
    return feed.consecutive_failures > 0


def _name(feed: FeedRow) -> str:
    return feed.name or feed.title or feed.url


def _internal_problem(feeds: list[FeedRow]) -> str:
    """The feeds our own code failed to poll, said as what it is: not the feeds' fault. The
    reinstall is advised only for a missing module: for a bug it sent the operator looking for a
    package no one had removed."""
    error = feeds[0].last_error or ""
    if "ModuleNotFoundError: " in error or "ImportError: " in error:
        cause = (
            "a module missing from newsdigest's install, not the feeds'; the log has the "
            "traceback; after `git pull`, reinstall: `pip install -e .`, then "
            "`newsdigest poll --all` (a restart of the bot polls them too)"
        )
    else:
        cause = (
            "a bug in newsdigest, not the feeds'; the log has the traceback; please report it "
            "(once fixed, a restart of the bot polls them again)"
        )
    return (
        f"{plural(len(feeds), 'feed')} not polled because of an internal error ({cause}): {error}"
    )


def _llm(service: Service) -> dict[str, Any]:
    # Not made just for this when none is configured: the summariser's imports are heavy.
    if service.core.config.llm is None:
        return {"configured": False}
    return service.core.summarizer.llm_status()


def _disconnected(service: Service) -> dict[str, dict[str, str | None]]:
    """Running platforms whose connection has been down past a reconnect's moment (a platform's
    optional `connection_problem()`, see `bot.runner.platforms`)."""
    found: dict[str, dict[str, str | None]] = {}
    for platform in service.platforms:
        check = getattr(platform, "connection_problem", None)
        if callable(check) and (problem := check()) is not None:
            since, error = problem
            found[platform.name] = {"since": iso(since), "error": error}
    return found


def _outage_words(outage: PlatformOutage) -> str:
    if outage.rate_limited:
        return f"rate limited ({plural(outage.failures, 'time')} in a row)"
    if outage.transient:
        return f"unreachable or failing ({plural(outage.failures, 'failure')} in a row)"
    return "refuses posts (not retried)" if outage.fatal else "refuses posts"


def channel_counts(
    db: sqlite_utils.Database, *, not_posting: Callable[[ChannelRow], str | None] | None = None
) -> str:
    """'2 active channels (1 paused, 1 removed from the config)' for the start-up log: the
    channels that get posts, then those that do not and why. `not_posting` says why an unpaused
    channel gets nothing this run (its platform not running): such a channel is not active."""
    channels = channel_store.list_channels(db)
    removed = sum(c.paused_reason == REMOVED_FROM_CONFIG for c in channels)
    paused = sum(bool(c.paused_reason) for c in channels) - removed
    idle = [c for c in channels if not c.paused_reason and not_posting and not_posting(c)]
    text = plural(len(channels) - paused - removed - len(idle), "active channel")
    others = [f"{paused} paused"] * bool(paused) + [f"{removed} removed from the config"] * bool(
        removed
    )
    if idle:
        platforms = ", ".join(sorted({c.platform for c in idle}))
        others.insert(0, f"{len(idle)} not posting: {platforms} not running")
    return f"{text} ({', '.join(others)})" if others else text


def _retention(service: Service) -> dict[str, Any]:
    # A failed prune is not a problem for `problems`: nothing is lost, the database only grows
    # until the next day's run, and the error is here and in the log.
    pruner = service.pruner
    pruner.reload_last()
    counts = pruner.last_counts
    return {
        # None when nothing is pruned: retention off, or the config file missing (see Pruner).
        "days": (pruner.retention_days if pruner.config_missing is None else 0) or None,
        "last_prune": iso(pruner.last_run),
        "last_pruned": counts.as_dict() if counts is not None else None,
        "last_error": pruner.last_error,
    }


# Polling counts as stalled when a feed has been due for this many of the longest poll interval:
# the poller is stuck. One slow or failing feed is `failing_feeds`, not a stalled bot.
STALE_POLL_INTERVALS = 3


def write_problem(db: sqlite_utils.Database) -> str | None:
    """Why the database refuses writes (read-only file or mount, full disk, failing device), or
    None. Rewrites and commits one tiny row: only a committed write reaches the disk, so taking
    the write lock and rolling back (as this once did) missed a full disk. Waits a second at most
    for the lock, so a database busy with another writer does not hold up the health check
    (which runs on the service's loop)."""
    conn = db.conn
    if conn.in_transaction:
        return None  # a write is under way on this connection, so the database takes them
    timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    try:
        conn.execute("PRAGMA busy_timeout = 1000")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO write_probe (id, written_at) VALUES (1, ?)"
            " ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at",
            [iso(utcnow())],
        )
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if is_busy(exc):
            # Another connection is writing (a `newsdigest poll` from cron, say): the database
            # takes writes, just not this second.
            return None
        return f"database refuses writes: {exc}"
    finally:
        if conn.in_transaction:
            # A failed write or COMMIT can leave the transaction open, and the service's next
            # write would then join it and never commit.
            conn.execute("ROLLBACK")
        conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    return None


def _poll_problem(service: Service) -> str | None:
    """Whether polling has stalled: an enabled feed has been due for far longer than the poller
    takes to get to it. Counted from each feed's own next poll time, which already holds its
    RSS <ttl>, a Retry-After and its backoff, so a feed that asked to be left alone for a day is
    not overdue; and a feed that keeps failing is polled on time (`failing_feeds`), not stalled."""
    started = service.started_at
    if started is None:
        return None
    rows = service.db.execute(
        "SELECT next_poll_at, poll_interval FROM feeds WHERE disabled_reason IS NULL"
    ).fetchall()
    if not rows:
        return None  # no feed to poll
    # A feed that was due before the start (the bot was down, or it was never polled) is due
    # from the start; the first polls are spread over the start spread.
    due = min(max(parse_iso(when) or started, started) for when, _ in rows)
    interval = max(seconds for _, seconds in rows)
    allowed = timedelta(seconds=STALE_POLL_INTERVALS * interval + service.settings.start_spread)
    if service.clock() - due <= allowed:
        return None
    return f"polling stalled: a feed due since {iso(due)} has not been polled"
