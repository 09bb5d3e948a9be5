"""The LLM writer's daily token budget (`TokenBudget`), kept in the store's `llm_usage` table,
and how many tokens a text is reckoned to cost (`text_tokens`)."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import threading
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from bot.store.database import is_busy
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
        is free, the loop free meanwhile (it waited up to 30 s on the loop). The lock outlasting
        the connection's busy timeout leaves the estimate booked: the answer is paid for either way, and losing it, or the command, over a
        correction of the day's count was the worse deal.
        """
        if actual == reserved:
            return
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # a thread's or the command line's call: SQLite's own wait
            loop = None
        try:
            if loop is None or self.db is None:
                self._add_locked(day, actual - reserved)
                return
            with brief_lock_wait(self.db.conn):
                self._add_locked(day, actual - reserved)
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            if loop is None or self.db is None or loop.is_closed():
                self._unsettled(day, reserved, actual)
                return
            task = loop.create_task(self._settle_later(day, reserved, actual))
            self._later.add(task)  # held: the loop keeps only a weak reference to its tasks
            task.add_done_callback(self._later.discard)

    async def settled(self) -> None:
        """Once the corrections `settle` left to tasks of their own are written (or given up)."""
        await asyncio.gather(*self._later, return_exceptions=True)

    async def _settle_later(self, day: str, reserved: int, actual: int) -> None:
        assert self.db is not None
        try:
            await when_free(self.db, partial(self._add_locked, day, actual - reserved))
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            self._unsettled(day, reserved, actual)

    def _unsettled(self, day: str, reserved: int, actual: int) -> None:
        log.warning(
            "LLM token budget: the database was busy, so the call's estimate of %d tokens "
            "stays booked for %s instead of the %d it cost",
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
