"""The clusterer's saved state (`bot.pipeline.clustering`), in parts so a commit writes what it
changed rather than everything: the IDF statistics' counts in `clusterer_idf`, the open stories in
`clusterer_stories` (a row a story: its members, and its place in the order they were last
touched; a commit rewrites the stories it changed and deletes those it closed), and a small JSON
value in `service_state` under `KEY` (the statistics' scalars, the stream's clock, a format
version and the token of the save that wrote it). All are written in the commit they belong to.

The counts are a log: a row of all of them, then a row a commit of the counts of the terms its
articles had (a term's stored units change only when it is counted). Rows in place of one row a
term, whose B-tree a commit's few hundred scattered terms touched a page each of (~4 KB of WAL a
term). Once the rows after the first outweigh it, the next save writes all the counts in one
again: a commit's cost stays in proportion to its own terms, and the rows hold at most about
twice the counts.

A state is withdrawn, not deleted, when none can be saved: the value then holds only a version
and a new token. So every change to the value has its own token, and a clusterer that finds
another token than the one it last read or wrote knows another process changed it meanwhile.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.store import service_state
from bot.store.database import snapshot

KEY = "clusterer"
# Bumped when the saved shape changes: a state of another version is discarded (the window's
# stories are then restored from the database, as for an older database with none).
VERSION = 1
# What `writer` answers for a value it cannot read: no save's token, so never taken for one.
UNREADABLE = "unreadable"
# Bytes of counts logged after the whole before they are written whole again, while the whole is
# smaller: a young database's few counts are not rewritten every few commits.
MIN_LOG = 64 * 1024


class StateError(ValueError):
    """The saved state is of another version or shape."""


@dataclass(slots=True)
class Log:
    """What `write` keeps track of between saves: the stored counts' sizes, to tell when to write
    them whole again, and the place of the next story written."""

    whole: int = 0  # bytes of the row of all the counts (0: none yet, or not known to be right)
    since: int = 0  # bytes of the rows after it
    place: int = 0  # above every stored story's


@dataclass(frozen=True, slots=True)
class Saved:
    token: str  # of the save (or withdrawal) that wrote it
    state: dict[str, Any] | None  # None when withdrawn: restore from the database
    counts: dict[str, float]  # the IDF statistics' counts (empty when withdrawn)
    stories: list[tuple[str, list[str]]] = field(default_factory=list)  # open, least recent first
    log: Log = field(default_factory=Log)


def read(db: sqlite_utils.Database) -> Saved | None:
    """What is saved (None: nothing ever was), the value and the counts as of one commit. Raises
    on a value that cannot be read (StateError, or whatever its JSON raised)."""
    # The counts of the same commit as the value; a read transaction, so a clusterer taking up
    # the state (`StoryClusterer.take_up`) does not wait for another process's batch to commit.
    with snapshot(db):
        state = service_state.load(db, KEY)
        if state is None:
            return None
        if not isinstance(state, dict) or state.get("version") != VERSION:
            version = state.get("version") if isinstance(state, dict) else None
            raise StateError(f"format {version!r}, not {VERSION}")
        token = state.get("writer")
        if not isinstance(token, str):
            raise StateError("no writer")
        if state.get("withdrawn"):
            return Saved(token, None, {})
        rows = [r[0] for r in db.execute("SELECT counts FROM clusterer_idf ORDER BY seq")]
        stories = db.execute(
            "SELECT story_id, members, place FROM clusterer_stories ORDER BY place"
        ).fetchall()
    if not rows:
        raise StateError("no counts")
    counts: dict[str, float] = {}
    for row in rows:
        counts.update(json.loads(row))
    place = stories[-1][2] + 1 if stories else 0
    log = Log(len(rows[0]), sum(map(len, rows[1:])), place)
    return Saved(token, state, counts, [(s, json.loads(m)) for s, m, _ in stories], log)


def writer(db: sqlite_utils.Database) -> str | None:
    """The token of the save that wrote the stored value (None: there is none), without reading
    the rest of it."""
    try:
        row = db.execute(
            "SELECT json_extract(value, '$.writer') FROM service_state WHERE key = ?", [KEY]
        ).fetchone()
    except sqlite3.OperationalError:  # not JSON at all
        return UNREADABLE
    if row is None:
        return None
    return row[0] if isinstance(row[0], str) else UNREADABLE


def write(
    db: sqlite_utils.Database,
    state: dict[str, Any],
    changed: Mapping[str, float] | None,
    counts: Mapping[str, float],
    stories: Sequence[tuple[str, Sequence[str]]],
    closed: Sequence[str] | None,
    log: Log,
    *,
    token: str,
    now: datetime,
) -> None:
    """Store `state` under `token`, with the counts of the terms `changed` since the last save
    (None: they all may have), or all the `counts` when the log is long enough; the `stories`
    changed since (in order, after the others), and those `closed` (None: `stories` are all of
    them). `log` is this clusterer's, kept up to date here."""
    if closed is None:
        db.execute("DELETE FROM clusterer_stories")
    else:
        db.conn.executemany(
            "DELETE FROM clusterer_stories WHERE story_id = ?", [(s,) for s in closed]
        )
    db.conn.executemany(
        "INSERT OR REPLACE INTO clusterer_stories (story_id, members, place) VALUES (?, ?, ?)",
        [(s, json.dumps(list(m)), log.place + i) for i, (s, m) in enumerate(stories)],
    )
    log.place += len(stories)
    text = None if changed is None or not log.whole else json.dumps(changed)
    if text is None or log.since + len(text) > max(log.whole, MIN_LOG):
        text = json.dumps(counts)
        db.execute("DELETE FROM clusterer_idf")
        log.whole, log.since = len(text), 0
    else:
        log.since += len(text)
    db.execute("INSERT INTO clusterer_idf (counts) VALUES (?)", [text])
    service_state.save(db, KEY, {**state, "version": VERSION, "writer": token}, now=now)


def withdraw(db: sqlite_utils.Database, *, token: str, now: datetime) -> None:
    """Replace the state by a mark of none under `token`: the next start restores from the
    database. The counts stay until a save replaces them whole (they are read only with a
    state, and a clusterer restored from the database writes them whole first)."""
    service_state.save(db, KEY, {"version": VERSION, "writer": token, "withdrawn": True}, now=now)
