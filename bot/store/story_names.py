"""What became of a story's old names: the renames and merges a `/story old-slug` went through.

`stories.merged_into` and `story_aliases.story_id` say only where a name leads now (a merge
repoints both at the survivor). To say what happened ("`a` was merged into `b` on 28 Nov, then
`b` into `c`"), each merge is a row of `story_merges` (which story went into which, when), never
rewritten, and each alias names the story that bore it (`story_aliases.owner_id`). Both are
written by `record_merge` and `record_rename`, which `stories.merge` and `stories.rename` call.

A database from before migration 27 kept no such record: `add_merge_history` fills in what it
can tell (see there), and leaves the rest unknown (NULL), which `history` reports as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import sqlite_utils

from bot.store.database import iso, parse_iso
from bot.topics.lookup import exact_forms, query_text, slugify


@dataclass(frozen=True, slots=True)
class Step:
    """One step from the name to the story it leads to: a story renamed, or merged into another
    (the name's own story, or one that absorbed it on the way)."""

    kind: Literal["renamed", "merged"]
    old: str  # the story's slug before the step
    # Its new slug, or the survivor's as it was that day; None: a merge whose survivor is unknown
    new: str | None
    new_id: str | None  # the story the step led to (None as above)
    at: datetime | None  # None: recorded before migration 27 without a time


@dataclass(frozen=True, slots=True)
class NameHistory:
    name: str  # the old name, as stored
    steps: tuple[Step, ...]  # in order; empty: whose name it was is unknown (see the docstring)


def record_merge(db: sqlite_utils.Database, absorbed: str, survivor: str, at: datetime) -> None:
    """Record that `absorbed` went into `survivor` at `at`; its slug, now an alias, is its own."""
    db.execute(
        "INSERT OR REPLACE INTO story_merges (absorbed_id, survivor_id, merged_at)"
        " VALUES (?, ?, ?)",
        [absorbed, survivor, iso(at)],
    )
    db.execute(
        "UPDATE story_aliases SET owner_id = ?"
        " WHERE slug = (SELECT slug FROM stories WHERE id = ?) AND owner_id IS NULL",
        [absorbed, absorbed],
    )


def record_rename(db: sqlite_utils.Database, story_id: str, old_slug: str) -> None:
    """Record that the alias `old_slug` was the name of `story_id` (which a merge may move)."""
    db.execute(
        "UPDATE story_aliases SET owner_id = ? WHERE slug = ? AND owner_id IS NULL",
        [story_id, old_slug],
    )


def typed_history(
    db: sqlite_utils.Database, typed: str, aliases: Sequence[str]
) -> NameHistory | None:
    """The history of the alias among `aliases` (a story's) that `typed` names, letter for
    letter or folded, as the lookup matched it; None when it names none of them."""
    forms = {*exact_forms(typed), slugify(query_text(typed))}
    alias = next((a for a in aliases if a in forms), None)
    alias = alias or next((a for a in aliases if slugify(a) in forms), None)
    return history(db, alias) if alias is not None else None


def history(db: sqlite_utils.Database, name: str) -> NameHistory | None:
    """What happened to the story `name` named, up to the story it leads to now; None when
    `name` is no old name (a live story's slug, or unknown). Looked up in the order `/story`
    resolves names (`stories.find_by_name`): a story's slug before an alias, so a name that is
    both (possible only in a database from before slugs were checked against aliases) is
    reported as the story that has it."""
    row = db.execute("SELECT id, merged_into FROM stories WHERE slug = ?", [name]).fetchone()
    if row is not None:
        return NameHistory(name, _steps_from(db, row[0], name)) if row[1] is not None else None
    alias = db.execute(
        "SELECT a.owner_id, s.slug FROM story_aliases a"
        " LEFT JOIN stories s ON s.id = a.owner_id WHERE a.slug = ?",
        [name],
    ).fetchone()
    if alias is None or alias[0] is None or alias[1] is None:
        return None if alias is None else NameHistory(name, ())
    return NameHistory(name, _steps_from(db, alias[0], name))


def _steps_from(db: sqlite_utils.Database, story_id: str, name: str) -> tuple[Step, ...]:
    """Each rename and merge from the story's name `name` on: its own renames, then each merge,
    naming both stories as they were called that day, with a survivor's renames between its
    absorbing a story and being absorbed itself. The last survivor's later renames are no steps:
    the story shown bears its current name."""
    merges = _merges_from(db, story_id)
    names = _names_of(db, {story_id, *(m[1] for m in merges if m[1] is not None)})
    steps = _renames(story_id, names.get(story_id, []), start=name, until=None)
    for i, (absorbed, survivor, at) in enumerate(merges):
        old = _name_at(names.get(absorbed, []), None)
        if survivor is None:
            steps.append(Step("merged", old, None, None, at))
            break
        became = _name_at(names.get(survivor, []), at)
        steps.append(Step("merged", old, became, survivor, at))
        if i + 1 < len(merges):
            steps += _renames(
                survivor, names.get(survivor, []), start=became, until=merges[i + 1][2]
            )
    return tuple(steps)


# A story's names in the order it bore them: each with when it was left (None: the slug it has).
_Names = list[tuple[str, datetime | None]]


def _names_of(db: sqlite_utils.Database, story_ids: set[str]) -> dict[str, _Names]:
    """The names of the stories, read in one query: each alias a story bore (`owner_id`, left
    when it was made; two made at once, in the order they were), then its slug. A merged
    story's slug is also its own alias, made by the merge; it is its last name either way."""
    marks = ", ".join("?" * len(story_ids))
    rows = db.execute(
        "SELECT owner_id, slug, created_at, 0, rowid FROM story_aliases"
        f" WHERE owner_id IN ({marks})"
        f" UNION ALL SELECT id, slug, NULL, 1, rowid FROM stories WHERE id IN ({marks})"
        " ORDER BY 4, 3, 5",
        [*story_ids, *story_ids],
    ).fetchall()
    names: dict[str, _Names] = {}
    for owner, slug, left, _, _ in rows:
        bore = names.setdefault(owner, [])
        bore[:] = [n for n in bore if n[0] != slug]  # the slug itself, as its alias, goes last
        bore.append((slug, parse_iso(left) if left is not None else None))
    return names


def _name_at(names: _Names, at: datetime | None) -> str:
    """The name borne at `at` (the first not left by then); None: the last one."""
    if at is not None:
        for slug, left in names:
            if left is not None and left > at:
                return slug
    return names[-1][0] if names else ""


def _renames(story_id: str, names: _Names, *, start: str, until: datetime | None) -> list[Step]:
    """The story's renames from its name `start` on to the one borne at `until` (None: to its
    last name)."""
    end = _name_at(names, until)
    slugs = [slug for slug, _ in names]
    if start not in slugs or end not in slugs:
        return []
    first, last = slugs.index(start), slugs.index(end)
    return [
        Step("renamed", names[i][0], names[i + 1][0], story_id, names[i][1])
        for i in range(first, last)
    ]


def _merges_from(
    db: sqlite_utils.Database, story_id: str
) -> list[tuple[str, str | None, datetime | None]]:
    """The merges from `story_id` on, in order, read in one query: (absorbed, survivor, when),
    the survivor None where it is unknown (and the chain ends there). A story is absorbed at
    most once (the table's key), so the chain has no branches; a cycle, which no merge makes
    but a damaged file might hold, ends where it would repeat (UNION drops the repeated row)."""
    rows = db.execute(
        "WITH RECURSIVE hop(absorbed_id, survivor_id, merged_at) AS ("
        " SELECT absorbed_id, survivor_id, merged_at FROM story_merges WHERE absorbed_id = ?"
        " UNION SELECT m.absorbed_id, m.survivor_id, m.merged_at"
        " FROM story_merges m JOIN hop ON m.absorbed_id = hop.survivor_id)"
        " SELECT hop.absorbed_id, s.id, hop.merged_at FROM hop"
        " LEFT JOIN stories s ON s.id = hop.survivor_id",
        [story_id],
    ).fetchall()
    by_absorbed = {r[0]: r for r in rows}
    merges: list[tuple[str, str | None, datetime | None]] = []
    at: str | None = story_id
    while at is not None and at in by_absorbed:
        _absorbed, survivor, merged_at = by_absorbed.pop(at)
        merges.append((at, survivor, parse_iso(merged_at) if merged_at else None))
        at = survivor
    return merges


def add_merge_history(db: sqlite_utils.Database) -> None:
    """Migration 27: the `story_merges` table and `story_aliases.owner_id`, filled in from what
    an older database tells.

    - A merged story's slug is its own alias (the story row keeps its slug), and that alias was
      made by the merge: its `created_at` is when the story was merged.
    - An alias of a story that absorbed none is that story's earlier name. One of a story that
      absorbed others may be another's earlier name: its owner stays unknown.
    - A merge repointed the stories merged into the absorbed one at the survivor, so after `a`
      into `b` and `b` into `c` both say `c`. A story's survivor is known unless another story
      with the same survivor was merged at the same time or later (it may have taken `a` in
      first): then it stays unknown, and `history` says "into what is now `c`".
    """
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS story_merges (
            absorbed_id TEXT PRIMARY KEY REFERENCES stories(id),
            survivor_id TEXT REFERENCES stories(id),
            merged_at TEXT
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS story_merges_survivor ON story_merges(survivor_id);
        """
    )
    if "owner_id" not in {c.name for c in db["story_aliases"].columns}:
        db.execute("ALTER TABLE story_aliases ADD COLUMN owner_id TEXT")
    db.execute(
        "UPDATE story_aliases SET owner_id = (SELECT id FROM stories"
        " WHERE stories.slug = story_aliases.slug AND merged_into IS NOT NULL)"
        " WHERE owner_id IS NULL"
    )
    db.execute(
        "UPDATE story_aliases SET owner_id = story_id WHERE owner_id IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM stories WHERE slug = story_aliases.slug)"
        " AND NOT EXISTS (SELECT 1 FROM stories WHERE merged_into = story_aliases.story_id)"
    )
    db.execute(
        "CREATE TEMP TABLE old_merges AS SELECT s.id, s.merged_into AS into_id,"
        " a.created_at AS at FROM stories s LEFT JOIN story_aliases a ON a.slug = s.slug"
        " WHERE s.merged_into IS NOT NULL"
    )
    db.execute("CREATE INDEX temp.old_merges_into ON old_merges(into_id)")
    db.execute(
        "INSERT OR IGNORE INTO story_merges (absorbed_id, survivor_id, merged_at)"
        " SELECT m.id, CASE WHEN EXISTS (SELECT 1 FROM old_merges o"
        " WHERE o.into_id = m.into_id AND o.id != m.id"
        " AND (o.at IS NULL OR m.at IS NULL OR o.at >= m.at)) THEN NULL ELSE m.into_id END,"
        " m.at FROM old_merges m"
    )
    db.execute("DROP TABLE temp.old_merges")
