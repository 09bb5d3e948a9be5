"""Work on the event loop that waits for another process's write lock only briefly at a time.

The service's connection waits up to `BUSY_TIMEOUT_SECONDS` for another connection's write lock
(`newsdigest poll` beside `run`, a prune, an import), and SQLite waits inside the call: on the
event loop nothing else runs meanwhile. A chat command that wrote then held back its own
acknowledgement (Slack's and Discord's 3 seconds: the user saw "did not respond" though the
setting was saved), and every other coroutine with it.

`with_retries(db, work)` runs the coroutine `work()` so that each of its steps (the code between
two awaits, where nothing else on the loop runs) waits at most `STEP_WAIT_SECONDS` for the lock;
between its steps the connection has its own timeout again for everything else on the loop. A
step that meets the lock for longer raises SQLite's "database is locked". While the work has
written nothing yet, it is run again after a pause, the loop free meanwhile, until
`GIVE_UP_SECONDS` have passed; then `DatabaseBusyError` says whether anything was written first.
So the caller answers either the result or that the database is busy, never a silent loss.
Bookkeeping the work does beside its purpose (the LLM's token budget) is written inside
`uncounted()`: not what the person asked to change, so it neither stops a re-run nor makes a
busy reply say "partly done".

`brief_lock_wait(conn)` is the short wait alone, for work that can simply be done again on a
later turn of its own (the clock watch's, `bot.runner.clock_watch`); `brief_steps(conn, coro)`
is the same for every step of a coroutine, run once: the outbox's drains, which leave a write
that meets the lock to a later drain (`bot.delivery.outbox`).

`when_free(db, write)` is for a blocking write of the service's own (a poll's store of a feed,
a clustering commit, an LLM budget booking, a start-up write): one transaction, which meets the
lock before it changes anything, or a statement alone. It waits briefly; while the lock lasts it
is run again after a pause, the loop free, until the connection's own busy timeout has passed
(as long as SQLite would have waited on the loop), then "database is locked" is raised as the
connection's own wait would have. One that changed rows before it met the lock is not run again.
Writes that meet the lock together wait one behind the other, in the order they came: each
trying its brief wait in the same turn of the loop (a pass's feeds, stored as each is fetched)
held the loop for all of them in a row.

`repeated(db, work)` is for a follow-up that is safe to do twice (queueing a resumed channel's
catch-up, which only queues what is not queued yet), after the command's own write: where
`with_retries` must give up once something is written (running the command again would find
nothing to change, and answer "partly done" for a follow-up then lost), this runs the follow-up
again, the loop free between tries, within a time given or, in a task of its own, until it is
done or the service stops. `FollowUpLater` is how a command learns its follow-up was handed to
such a task, for its reply to say so rather than "Saved." alone. The service's own repeatable
work goes through it too: a poll pass's planning and a digest job (`bot.runner.service`).

Why not a worker thread with a connection of its own: a command awaits the runner's hooks,
which belong to the loop (`post_digest`, `on_channel_change`, the outbox's kick), and shares the
core's objects (the summariser and its LLM budget), which write through the loop's connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import sqlite3
import types
import weakref
from collections.abc import Callable, Coroutine, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import sqlite_utils

from bot.store.database import is_busy, transaction, waits_noticed

T = TypeVar("T")

# How long one step may hold the event loop waiting for another connection's write lock: a
# poll's or a prune's batch is over within it; the acks' timers fire at most this late.
STEP_WAIT_SECONDS = 0.2
# How long the work is tried again before the database is said to be busy: the platforms take a
# deferred answer for minutes, but a person waiting for one should hear soon.
GIVE_UP_SECONDS = 10.0
_FIRST_PAUSE = 0.05
_LONGEST_PAUSE = 0.5
# `repeated` with no one waiting for its answer (a task of its own): each try may choose for
# seconds in a worker thread (a catch-up's stories), so a long lock is not met by one every 0.5 s.
_LONGEST_PAUSE_ALONE = 5.0


@dataclass(slots=True)
class _Tally:
    changes: int = 0


@dataclass(slots=True)
class _Run:
    """The `with_retries` the current context runs in: its task and the tally of its attempt."""

    task: asyncio.Task[Any] | None
    conn: sqlite3.Connection
    tally: _Tally


# Context variables are copied into every task created inside the work: a task of its own is
# not stepped by the outer `with_retries`, so the run counts only in the task it was set in.
_within: contextvars.ContextVar[_Run | None] = contextvars.ContextVar("loop_waits", default=None)


def _current() -> _Run | None:
    run = _within.get()
    if run is None or run.task is not _task():
        return None
    return run


def _task() -> asyncio.Task[Any] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no running loop: a worker thread's code
        return None


@contextmanager
def uncounted(conn: sqlite3.Connection) -> Iterator[None]:
    """Writes in the block are bookkeeping, not the work's: they neither stop `with_retries`
    running the work again nor count as its having written. Outside a run, nothing."""
    run = _current()
    if run is not None and run.conn is not conn:
        run = None  # another database's writes: the work's tally never saw them
    before = conn.total_changes
    try:
        yield
    finally:
        if run is not None:
            run.tally.changes -= conn.total_changes - before


@contextmanager
def brief_lock_wait(conn: sqlite3.Connection) -> Iterator[None]:
    """Statements in the block wait at most `STEP_WAIT_SECONDS` for another connection's write
    lock, then raise SQLite's "database is locked": for work on the loop that can simply be
    done on a later turn (`bot.runner.clock_watch`)."""
    normal = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    conn.execute(f"PRAGMA busy_timeout = {int(STEP_WAIT_SECONDS * 1000)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {normal}")


async def brief_steps(conn: sqlite3.Connection, work: Coroutine[Any, Any, T]) -> T:
    """`work` awaited with each of its steps waiting at most `STEP_WAIT_SECONDS` for another
    connection's write lock: a statement that meets it for longer raises SQLite's "database is
    locked" into `work`, which leaves what it could not write for a later turn. Nothing is run
    again here. A task `work` creates is not stepped by it (wrap its coroutine too)."""
    return await _stepped(work, conn, _Tally())


class DatabaseBusyError(Exception):
    """The work met another connection's write lock for `GIVE_UP_SECONDS`. `wrote`: it had
    written something before (so it may be partly done), else nothing was changed."""

    def __init__(self, *, wrote: bool) -> None:
        super().__init__("another connection held the database's write lock")
        self.wrote = wrote


class FollowUpLater(Exception):
    """A command's change was saved, but its follow-up (`repeated`) met another connection's
    write lock past the time it may take: a task of its own does it once the lock is free."""

    def __init__(self) -> None:
        super().__init__("the follow-up waits for another connection's write lock")


async def with_retries(
    db: sqlite_utils.Database,
    work: Callable[[], Coroutine[Any, Any, T]],
    *,
    give_up_after: float | None = None,
) -> T:
    """`work()`'s result, its steps' lock waits kept short and the work run again while it met
    the lock before writing anything (see the module docstring). Within another's in the same
    task, the work is only awaited: the outer one bounds its steps and runs it again. A task
    created inside the work is not stepped by it, so there it runs one of its own."""
    if _current() is not None:
        return await work()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + (GIVE_UP_SECONDS if give_up_after is None else give_up_after)
    pause = _FIRST_PAUSE
    run = _Run(_task(), db.conn, _Tally())
    token = _within.set(run)
    try:
        while True:
            tally = run.tally = _Tally()
            try:
                return await _stepped(work(), db.conn, tally)
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    raise
                wrote = tally.changes > 0
                if wrote or loop.time() + pause > deadline:
                    raise DatabaseBusyError(wrote=wrote) from exc
            await asyncio.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE)
    finally:
        _within.reset(token)


@types.coroutine
def _stepped(
    coro: Coroutine[Any, Any, T], conn: sqlite3.Connection, tally: _Tally
) -> Generator[Any, Any, T]:
    """Drive `coro` as its task would, each step under the short lock wait, counting the rows
    its steps changed. A lock is only ever met before a statement changes anything (a write
    transaction begins IMMEDIATE), so rows counted before the error were written."""
    normal = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    short = f"PRAGMA busy_timeout = {int(STEP_WAIT_SECONDS * 1000)}"
    back = f"PRAGMA busy_timeout = {normal}"
    value: Any = None
    error: BaseException | None = None
    while True:
        before = conn.total_changes
        conn.execute(short)
        try:
            yielded = coro.send(value) if error is None else coro.throw(error)
        except StopIteration as done:
            result: T = done.value
            return result
        finally:
            conn.execute(back)
            tally.changes += conn.total_changes - before
        try:
            value, error = (yield yielded), None
        except GeneratorExit:
            coro.close()
            raise
        except BaseException as exc:  # a cancellation, or whatever the task threw in: passed on
            value, error = None, exc


async def when_free(
    db: sqlite_utils.Database,
    write: Callable[[], T],
    *,
    repeatable: bool = False,
    whole: bool = False,
) -> T:
    """`write()` with the loop free while another connection holds the write lock (see the
    module docstring). `write` must be one transaction, or statements each of which is safe to
    run again: it is run again only when it met the lock before changing anything, or with
    `repeatable` (several transactions, each finding undone only what is still to do) at any
    point. `whole`: `write` is run in one transaction of its own, its writes joining it, so it
    is all or nothing and meets the lock before anything it does (even a write whose failure
    it would log and swallow: its failure would come at the COMMIT, past that catch). Within a
    command's `with_retries` it is only called: that one bounds the step and runs it again. On
    the command line (`notice_waits`) too: its transactions wait the busy timeout in SQLite,
    saying once that they wait, and a second try waited it all again, said twice."""
    if whole:
        return await when_free(db, partial(_whole, db, write))
    conn = db.conn
    if _current() is not None or waits_noticed():
        return write()
    loop = asyncio.get_running_loop()
    patience = int(conn.execute("PRAGMA busy_timeout").fetchone()[0]) / 1000
    deadline = loop.time() + patience
    queue = _queue(loop, conn)
    if not queue.locked():
        try:
            return _tried(conn, write, repeatable=repeatable, last=False)
        except _Locked:
            pass
    # One write at a time waits for the lock, the others behind it: a pass's feeds each trying
    # their brief wait in one turn of the loop held it for all of them together.
    async with queue:
        pause = 0.0
        while True:
            try:
                return _tried(conn, write, repeatable=repeatable, last=loop.time() > deadline)
            except _Locked:
                pass
            pause = min(max(pause * 2, _FIRST_PAUSE), _LONGEST_PAUSE)
            await asyncio.sleep(min(pause, max(deadline - loop.time(), 0)))


def _whole(db: sqlite_utils.Database, write: Callable[[], T]) -> T:
    with transaction(db):
        return write()


class _Locked(Exception):
    """A `when_free` try met another connection's write lock, nothing written: tried again."""


def _tried(conn: sqlite3.Connection, write: Callable[[], T], *, repeatable: bool, last: bool) -> T:
    before = conn.total_changes
    try:
        with brief_lock_wait(conn):
            return write()
    except sqlite3.OperationalError as exc:
        changed = conn.total_changes != before and not repeatable
        if not is_busy(exc) or changed or last:
            raise
        raise _Locked from None


# The writes `when_free` holds back while one of them waits for the lock, by loop and connection.
_queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def _queue(loop: asyncio.AbstractEventLoop, conn: sqlite3.Connection) -> asyncio.Lock:
    return _queues.setdefault(loop, {}).setdefault(id(conn), asyncio.Lock())


async def repeated(
    db: sqlite_utils.Database,
    work: Callable[[], Coroutine[Any, Any, object]],
    *,
    within: float | None = None,
    stop: asyncio.Event | None = None,
) -> bool:
    """Run `work()`, which must be safe to repeat, again after a pause (the loop free) while it
    meets another connection's write lock: for `within` seconds at most, or with None until it is
    done or `stop` is set. Whether it was done. Within a command's `with_retries` its steps are
    the command's (each waiting briefly); in a task of its own, each try is a `with_retries`."""
    loop = asyncio.get_running_loop()
    deadline = None if within is None else loop.time() + within
    longest = _LONGEST_PAUSE_ALONE if within is None else _LONGEST_PAUSE
    pause = _FIRST_PAUSE
    while not (stop is not None and stop.is_set()):
        try:
            await with_retries(db, work)
            return True
        except DatabaseBusyError:
            pass  # a try of its own gave up: written or not, the work may be done again
        except sqlite3.OperationalError as exc:  # a step of the command's met the lock
            if not is_busy(exc):
                raise
        if deadline is not None and loop.time() + pause > deadline:
            return False
        if stop is None:
            await asyncio.sleep(pause)
        else:  # a stop ends the pause too
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)
        pause = min(pause * 2, longest)
    return False
