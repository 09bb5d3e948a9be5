"""The LLM writer's daily token budget (`TokenBudget`), kept in the store's `llm_usage` table,
and how many tokens a text is reckoned to cost (`text_tokens`)."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import threading
import weakref
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from bot.store.database import is_busy, waits_noticed
from bot.store.loop_waits import brief_lock_wait, uncounted, when_free

if TYPE_CHECKING:
    import sqlite_utils


# Han, kana and hangul (with their punctuation and full-width forms): a tokenizer spends about one
# token on each such character, often more, where English averages four characters a token. Read
# as English, a Chinese feed's call was booked at a quarter of its cost and the day's budget ran
# over by as much again.
_CJK_RE = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u318f\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef"
    "\U00020000-\U0003ffff]"
)
CHARS_PER_TOKEN = 4

log = logging.getLogger(__name__)


def text_tokens(text: str) -> int:
    """Tokens `text` is reckoned to cost: one a CJK character, one per four other characters."""
    cjk = len(_CJK_RE.findall(text))
    return cjk + (len(text) - cjk) // CHARS_PER_TOKEN


class TokenBudget:
    """Tokens spent per UTC day, refusing calls past the daily limit.

    Persisted in `llm_usage(day TEXT PK, tokens INT)` when a database is given, so a restart does
    not reset the spend; in memory otherwise. A call reserves its estimate up front and settles
    the difference afterwards: checking without reserving let parallel calls all pass on the same
    remaining budget. The table is the store's (migration 17, `bot.store.migrations`), so the
    database must come from `open_database`: created here, beside another process's write, it
    failed with "database is locked".

    Its writes are bookkeeping beside whatever asked for the call (`loop_waits.uncounted`): a
    chat command that only reads, /story, is still run again, and never "partly done", for
    them.
    """

    TABLE = "llm_usage"

    def __init__(self, daily_limit: int, db: sqlite_utils.Database | None = None) -> None:
        self.daily_limit = daily_limit
        self.db = db
        self._memory: dict[str, int] = {}
        self._lock = threading.Lock()
        # Corrections waiting for another connection's write lock (`settle`).
        self._later: set[asyncio.Task[None]] = set()

    @staticmethod
    def today() -> str:
        return datetime.now(UTC).date().isoformat()

    def used(self, day: str | None = None) -> int:
        day = day or self.today()
        if self.db is None:
            return self._memory.get(day, 0)
        rows = list(self.db.query(f"select tokens from {self.TABLE} where day = ?", [day]))
        return int(rows[0]["tokens"]) if rows else 0

    def reserve(self, estimate: int) -> str | None:
        """Book `estimate` tokens if they fit today; the day booked (for `settle`), else None."""
        day = self.today()
        with self._lock:
            if self.db is None:
                if self.used(day) + estimate > self.daily_limit:
                    return None
                self._add(day, estimate)
                return day
            # Check and booking are one statement: read-then-write let two processes on one
            # database both pass on the same remaining budget (the lock only covers threads).
            with uncounted(self.db.conn):
                booked = self.db.execute(
                    f"insert into {self.TABLE} (day, tokens) select ?, ? where ? <= ? "
                    "on conflict(day) do update set tokens = tokens + excluded.tokens "
                    f"where {self.TABLE}.tokens + excluded.tokens <= ?",
                    [day, estimate, estimate, self.daily_limit, self.daily_limit],
                ).rowcount
                self.db.conn.commit()
            return day if booked else None

    async def areserve(self, estimate: int) -> str | None:
        """`reserve` on the event loop: another connection's write lock is waited out with the
        loop free (`loop_waits.when_free`; the booking is one statement, so a try that met the
        lock booked nothing), for as long as the connection would have waited in SQLite."""
        if self.db is None:
            return self.reserve(estimate)
        return await when_free(self.db, partial(self.reserve, estimate))

    def settle(self, day: str, reserved: int, actual: int) -> None:
        """Replace a reservation by what the call really cost (0 if it never reached the server).

        Settled on the day reserved, so a call straddling midnight does not refund tomorrow.
        On an event loop (the service's cards) the correction waits only briefly for another
        connection's write lock; one that met it is written by a task of its own once the lock
        is free, the loop free meanwhile (it waited up to 30 s on the loop), and the service's
        stop waits for it (`settled`). The lock outlasting the connection's busy timeout, or the
        stop's grace, leaves the estimate booked, logged: the answer is paid for either way, and
        losing it, or the command, over a correction of the day's count was the worse deal. The
        command line (`notice_waits`: no loop of its to keep free, and it ends with its command)
        waits in SQLite as it did.
        """
        if actual == reserved:
            return
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # a thread's or the command line's call: SQLite's own wait
            loop = None
        try:
            if loop is None or self.db is None or waits_noticed():
                self._add_locked(day, actual - reserved)
                return
            with brief_lock_wait(self.db.conn):
                self._add_locked(day, actual - reserved)
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            if loop is None or self.db is None or loop.is_closed() or waits_noticed():
                self._unsettled(day, reserved, actual)
                return
            task = loop.create_task(self._settle_later(day, reserved, actual))
            self._later.add(task)  # held: the loop keeps only a weak reference to its tasks
            task.add_done_callback(self._later.discard)
            _deferring.add(self)

    async def settled(self, timeout: float | None = None) -> None:
        """Once the corrections `settle` left to tasks of their own are written or given up:
        within `timeout` seconds, those still waiting then cancelled, each logging that its
        estimate stays booked. A correction's own failure is logged by its task, not raised."""
        loop = asyncio.get_running_loop()
        tasks = {task for task in self._later if task.get_loop() is loop}
        if not tasks:
            return
        _done, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _settle_later(self, day: str, reserved: int, actual: int) -> None:
        assert self.db is not None
        try:
            await when_free(self.db, partial(self._add_locked, day, actual - reserved))
        except asyncio.CancelledError:  # the service stopped while the lock lasted
            self._unsettled(day, reserved, actual)
            raise
        except Exception as exc:  # the lock past the busy timeout, or a full disk
            busy = isinstance(exc, sqlite3.Error) and is_busy(exc)
            self._unsettled(day, reserved, actual, error=None if busy else exc)

    def _unsettled(
        self, day: str, reserved: int, actual: int, *, error: Exception | None = None
    ) -> None:
        log.warning(
            "LLM token budget: the database %s, so the call's estimate of %d tokens "
            "stays booked for %s instead of the %d it cost",
            "was busy" if error is None else f"refused the correction ({error})",
            reserved,
            day,
            actual,
        )

    def _add_locked(self, day: str, tokens: int) -> None:
        with self._lock:
            self._add(day, tokens)

    def _add(self, day: str, tokens: int) -> None:
        if self.db is None:
            self._memory[day] = self._memory.get(day, 0) + tokens
            return
        with uncounted(self.db.conn):
            self.db.execute(
                f"insert into {self.TABLE} (day, tokens) values (?, ?) "
                "on conflict(day) do update set tokens = tokens + excluded.tokens",
                [day, tokens],
            )
            self.db.conn.commit()


# The budgets whose corrections waited for a lock in tasks of their own (`settle`), for the
# service's stop to wait for (`all_settled`): the summariser holding the core's budget is made
# on first use, and a stop should not make one to ask.
_deferring: weakref.WeakSet[TokenBudget] = weakref.WeakSet()


async def all_settled(timeout: float) -> None:
    """Every budget's corrections left to tasks (`TokenBudget.settled`), within `timeout`
    seconds: the service's stop, before the database is closed under them."""
    await asyncio.gather(*(budget.settled(timeout) for budget in list(_deferring)))


def small_budget_warning(
    daily_limit: int, full: int, cjk: int, articles: int
) -> tuple[int, str] | None:
    """The log level and line for a daily budget below one call's estimate for a story of
    `articles` articles, `full` tokens in most languages and `cjk` in Chinese, Japanese or Korean
    (about a token a character, some four times as much): None when it holds both.

    Below `full` every large story goes extractive: a WARNING. Between the two only large CJK
    stories do, which matters only to a deployment with CJK feeds, and the budget cannot tell:
    an INFO line naming the CJK figure, so a bot without them is not warned at every start."""
    if daily_limit >= cjk:
        return None
    if daily_limit < full:
        estimate = (
            f"{full} of one call for a story of {articles} articles ({cjk} in Chinese, "
            "Japanese or Korean)"
        )
        level = logging.WARNING
    else:
        estimate = (
            f"{cjk} of one call for a story of {articles} articles in Chinese, Japanese or "
            f"Korean (a token a character; {full} in other languages)"
        )
        level = logging.INFO
    return level, (
        f"llm.daily_token_budget is {daily_limit} tokens, below the estimated {estimate}: such "
        "stories will always get the extractive summary"
    )
