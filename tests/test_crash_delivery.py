"""Crash safety of digest delivery: the bot process is killed with SIGKILL at many points while
posting a digest to a fake chat API (a Slack-like channel and a Discord-like one), restarted,
and in the end every story has reached every channel exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from fakes.chat_server import FakeChatServer
from fakes.stories import add_channel, add_story

from bot.store import delivery_counts
from bot.store.database import open_database, utcnow

ROOT = Path(__file__).resolve().parent.parent
STORIES = [f"s{i}" for i in range(6)]
CHANNELS = ["C1", "D1"]  # C: Slack-like (history lookup), D: Discord-like (nonce de-duplication)


@pytest.fixture
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    db_path = tmp_path / "crash.db"
    db = open_database(db_path)
    now = utcnow()
    for channel in CHANNELS:
        add_channel(db, channel, platform="slack")
    for story in STORIES:
        add_story(db, story, ["A", "B"], now=now)
    db.close()
    with FakeChatServer() as server:
        yield db_path, server


def child(
    db_path: Path, url: str, *, crash: str | None = None, pace: float = 0
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}",
        "NEWSDIGEST_POST_PACE": str(pace),
    }
    env.pop("NEWSDIGEST_FAKE_CRASH", None)
    if crash:
        env["NEWSDIGEST_FAKE_CRASH"] = crash
    return subprocess.Popen(
        [sys.executable, "-m", "fakes.crash_child", str(db_path), url],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_exactly_once(db_path: Path, server: FakeChatServer) -> None:
    cards = [(m["channel"], m["story_id"]) for m in server.messages if m["kind"] == "card"]
    counts = Counter(cards)
    assert all(n == 1 for n in counts.values()), f"posted twice: {counts}"
    assert set(counts) == {(c, s) for c in CHANNELS for s in STORIES}, "a story was lost"
    db = open_database(db_path)
    assert delivery_counts.counts(db) == {"pending": 0, "sending": 0, "sent": 12, "failed": 0}
    db.close()


def finish(db_path: Path, server: FakeChatServer) -> None:
    proc = child(db_path, server.url)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err


def test_crash_at_each_side_of_the_api_call(setup) -> None:  # type: ignore[no-untyped-def]
    db_path, server = setup
    # Each restart resumes where the last one died: before a post, after a post landed but
    # before it was recorded, on both platforms' channels, and on the very first call.
    for point in ("after:1", "before:2", "after:3", "before:1"):
        proc = child(db_path, server.url, crash=point)
        _out, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, f"{point}: {err}"
    finish(db_path, server)
    assert_exactly_once(db_path, server)


def test_crash_at_random_moments(setup) -> None:  # type: ignore[no-untyped-def]
    db_path, server = setup
    rng = random.Random(20240506)
    killed = 0
    for _ in range(3):
        # Paced so that six posts a channel outlast the kills below on a fast machine too.
        proc = child(db_path, server.url, pace=0.15)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        # Anywhere in reconcile, enqueue, claim, post or record, including mid-commit.
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        killed += proc.returncode == -signal.SIGKILL
    assert killed >= 2  # a child that finished first is fine, but most must die mid-way
    finish(db_path, server)
    assert_exactly_once(db_path, server)
