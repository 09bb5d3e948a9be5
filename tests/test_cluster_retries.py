"""A pass whose batches another process keeps refusing waits between its tries, and says so when
it gives up: tries straight after each other were all refused within seconds beside a process
working through a big backlog, and the poll's report of "0 stories" then read as nothing found."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app import NewsDigest
from bot.config import Config
from bot.pipeline import cluster_passes
from bot.pipeline.cluster_passes import CLUSTER_ATTEMPTS
from bot.store.database import open_database


async def test_refused_passes_pause_longer_each_time_and_the_last_says_what_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    core = NewsDigest(
        Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db")
    )
    tries: list[int] = []
    pauses: list[float] = []

    async def refused(changed: set[str], on_progress: object) -> tuple[int, bool]:
        tries.append(len(tries))
        return 0, False  # another process's commit refused the batch

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    monkeypatch.setattr(core._cluster_passes, "_cluster_once", refused)
    monkeypatch.setattr(cluster_passes.asyncio, "sleep", pause)
    with caplog.at_level(logging.INFO, logger="bot.pipeline.cluster_passes"):
        assert await core.cluster_backlog(set()) == 0
    core.close()

    assert len(tries) == CLUSTER_ATTEMPTS
    assert pauses == [0.5, 1.0, 2.0, 4.0]
    left = [r for r in caplog.records if getattr(r, "event", None) == "cluster_left"]
    assert len(left) == 1 and left[0].levelno == logging.WARNING
    assert "next pass" in left[0].getMessage()


async def test_a_pass_that_finishes_first_time_does_not_pause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    core = NewsDigest(
        Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db")
    )
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    monkeypatch.setattr(cluster_passes.asyncio, "sleep", pause)
    with caplog.at_level(logging.INFO, logger="bot.pipeline.cluster_passes"):
        await core.cluster_backlog(set())
    core.close()
    assert [p for p in pauses if p > 0] == []
    assert not [r for r in caplog.records if getattr(r, "event", None) == "cluster_left"]
