"""`open_fresh(path)`: `open_database(path)` for a test's new database, without running the
migrations again for each test (60 ms of SQL for a new file; the suite opens thousands). The
first call in a test process migrates a file of its own once; a path with no file yet then
starts as a copy of it, which open_database finds up to date. A path that already holds a file
is opened as it is. Only for a new file the test does not look at the making of: a test of the
migrations, or of what a new database logs, opens its own with `open_database`."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import sqlite_utils

from bot.store.database import open_database

_migrated: Path | None = None


def _template() -> Path:
    global _migrated
    if _migrated is None:
        folder = Path(tempfile.mkdtemp(prefix="nd-migrated-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "nd.db"
        open_database(path).close()
        _migrated = path
    return _migrated


def open_fresh(path: Path | str) -> sqlite_utils.Database:
    """`open_database(path)`, a path with no file yet made from the migrated copy."""
    path = Path(path)
    if not path.exists():
        shutil.copyfile(_template(), path)
    return open_database(path)
