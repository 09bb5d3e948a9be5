"""A core on a real SQLite file that polls feeds served on 127.0.0.1: for tests that run the real
polling pipeline against a `FeedServer`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.app import NewsDigest
from bot.config import Config, PollingConfig
from bot.store.database import open_database


@contextmanager
def local_core(tmp_path: Path) -> Iterator[NewsDigest]:
    """The core on `tmp_path/nd.db`, allowed to fetch loopback feeds, closed after."""
    config = Config(
        database=str(tmp_path / "nd.db"),
        polling=PollingConfig(allow_private_networks=True, timeout=5.0),
    )
    app = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    try:
        yield app
    finally:
        app.close()
