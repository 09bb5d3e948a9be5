"""Another process's write lock, held by a second connection until the test's condition holds.

A thread of its own lets it go once `until()` is true, or after `failsafe` seconds all the same
(for the test to end): `released_when_told` says which. A condition that needs the event loop to
run (its ticks counted, a task done) is never met while the loop stands still waiting for the
lock, so a test asserts that the lock went for its condition, not for the failsafe.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

FAILSAFE_SECONDS = 5.0


class HeldLock:
    def __init__(
        self, path: Path | str, until: Callable[[], bool], *, failsafe: float = FAILSAFE_SECONDS
    ) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute("BEGIN IMMEDIATE")
        self.until = until
        self.failsafe = failsafe
        self.released_when_told = False
        self.released = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)
        self.thread.start()

    def _hold(self) -> None:
        pause = threading.Event()
        for _ in range(int(self.failsafe / 0.01)):
            if self.until():
                self.released_when_told = True
                break
            pause.wait(0.01)
        self.conn.execute("COMMIT")
        self.conn.close()
        self.released.set()
