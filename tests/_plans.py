"""The query plans of the statements a store function runs, read with EXPLAIN QUERY PLAN on the
test's own SQLite file: which index each one reaches its rows by, so a query that would read every
row of a table grown with the bot's history fails a test instead of slowing a big database."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import sqlite_utils


def plans_of(db: sqlite_utils.Database, call: Callable[[], Any]) -> list[tuple[str, list[str]]]:
    """Run `call`; return each read it made (its SQL with the values bound) and its plan's lines."""
    ran: list[str] = []
    db.conn.set_trace_callback(ran.append)
    try:
        call()
    finally:
        db.conn.set_trace_callback(None)
    reads = [sql for sql in ran if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    return [(sql, plan_of(db, sql)) for sql in reads]


# SQLite before 3.36 says "SEARCH TABLE stories USING ..." and "SCAN TABLE stories" where later
# versions say "SEARCH stories USING ..." and "SCAN stories"; tests compare against the later form.
_OLD_TABLE_WORD = re.compile(r"^(SEARCH|SCAN) TABLE ")


def normalised(line: str) -> str:
    """A plan line in the wording of SQLite 3.36 and later, whichever version printed it."""
    return _OLD_TABLE_WORD.sub(r"\1 ", line)


def plan_of(db: sqlite_utils.Database, sql: str, params: Any = ()) -> list[str]:
    return [normalised(row[3]) for row in db.execute("EXPLAIN QUERY PLAN " + sql, params)]


def plan_lines(db: sqlite_utils.Database, call: Callable[[], Any], table_sql: str) -> list[str]:
    """The plan lines of the reads `call` made whose SQL holds `table_sql` (such as
    "FROM deliveries d", in any case), all of them: at least one such read must have been made."""
    found = [
        line
        for sql, plan in plans_of(db, call)
        if table_sql.lower() in sql.lower()
        for line in plan
    ]
    assert found, f"no read with {table_sql!r}"
    return found


def table_scans(plan: list[str]) -> list[str]:
    """The plan's reads of a whole table or index (a JSON array's values are no table)."""
    return [line for line in plan if line.startswith("SCAN") and "json_each" not in line]
