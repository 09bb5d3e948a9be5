"""tests/_plans.py reads plans in one wording: SQLite before 3.36 printed "SEARCH TABLE t ..." and
"SCAN TABLE t", which tests written against the later "SEARCH t ..." would fail on."""

from __future__ import annotations

import sqlite_utils
from _plans import normalised, plan_of


def test_old_and_new_plan_wordings_read_the_same() -> None:
    assert normalised("SEARCH TABLE a USING INDEX a_b (b=?)") == "SEARCH a USING INDEX a_b (b=?)"
    assert normalised("SEARCH a USING INDEX a_b (b=?)") == "SEARCH a USING INDEX a_b (b=?)"
    assert normalised("SCAN TABLE a") == "SCAN a"
    assert normalised("SCAN a USING COVERING INDEX a_b") == "SCAN a USING COVERING INDEX a_b"
    # Only the leading keyword's TABLE goes: a table named "TABLE"-something stays whole.
    assert normalised("USE TEMP B-TREE FOR ORDER BY") == "USE TEMP B-TREE FOR ORDER BY"
    assert normalised("SCAN TABLE_x") == "SCAN TABLE_x"


def test_plan_of_gives_the_new_wording(db: sqlite_utils.Database) -> None:
    plan = plan_of(db, "SELECT id FROM stories WHERE id = ?", ["s1"])
    assert plan and all(" TABLE " not in line for line in plan), plan
