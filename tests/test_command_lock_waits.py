"""A chat command while another process holds the database's write lock (`newsdigest poll`
beside `run`, a prune, an import): the platform still gets its acknowledgement within its 3
seconds, and the person the true outcome, saved once the lock is free or "busy" if it stays
held (`bot.store.loop_waits`). Before, the command's write waited for the lock on the event
loop, so no timer fired: the setting was saved but the user saw "did not respond".

Each test holds the lock on a connection of its own in a thread, as another process would."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from fakes.discord_api import FakeDiscord
from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_story
from test_discord_commands import CHANNEL, EPHEMERAL, answer, callbacks, click, interact, slash
from test_discord_commands import make_bot as make_discord_bot
from test_slack_app import ack_text, make_harness

from bot.app import NewsDigest
from bot.store import channels as channel_store
from bot.store import loop_waits
from bot.store.database import utcnow

BUSY = (
    "The database is busy (another newsdigest command is writing to it), so nothing was "
    "changed. Please try again in a moment."
)


# The longest a lock held `until` something happens is held: a hang guard, well under the
# connection's 30 s busy timeout, so a command that waits for the lock on the event loop answers
# only after the release (and fails the test), not after its own wait ran out.
UNTIL_AT_MOST = 10.0


@asynccontextmanager
async def lock_held(
    core: NewsDigest, seconds: float, until: threading.Event | None = None
) -> AsyncIterator[list[float]]:
    """The write lock held by another connection for `seconds` from entry, or with `until`
    until it is set (at most `UNTIL_AT_MOST`); yields a list that gets the monotonic time it was
    released."""
    path = core.config.database
    held, released = threading.Event(), []

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        held.set()
        if until is None:
            time.sleep(seconds)
        else:
            until.wait(UNTIL_AT_MOST)
        released.append(time.monotonic())
        conn.execute("COMMIT")
        conn.close()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    await asyncio.to_thread(held.wait)
    try:
        yield released
    finally:
        await asyncio.to_thread(holder.join)


@pytest.fixture
def core(slack_core: NewsDigest) -> Iterator[NewsDigest]:
    add_story(slack_core.db, "aaaaaaaaaaaa", ["Harbor Ledger", "Valley Times"], now=utcnow())
    yield slack_core


def mode(core: NewsDigest, platform: str, channel_id: str) -> str:
    row = channel_store.get_channel(core.db, platform, channel_id)
    assert row is not None
    return row.mode


# --- Slack ------------------------------------------------------------------------------------------


async def test_slack_acks_in_time_and_saves_once_the_lock_is_free(
    slack_api: FakeSlackAPI, core: NewsDigest
) -> None:
    channel_store.ensure_channel(core.db, "slack", "C1")
    answered = threading.Event()
    async for h in make_harness(slack_api, core):  # the real 1.5 s ack budget
        # Held until the ack came: an ack that waited for the lock comes after its release,
        # however fast or slow the machine (a 3.2 s hold raced the 1.5 s budget on a busy one).
        async with lock_held(core, 0, until=answered) as released:
            _, body = await h.slash("/watchlist", "mode instant", trigger="held")
            acked = time.monotonic()
            answered.set()
            assert body == "Working on it…"
            [reply] = await slack_api.wait_for("response_url:held")
        assert acked < released[0]  # the ack did not wait for the lock
        assert reply["text"].startswith("Saved.")
    assert mode(core, "slack", "C1") == "instant"


async def test_slack_says_busy_and_saves_nothing_when_the_lock_stays_held(
    slack_api: FakeSlackAPI, core: NewsDigest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loop_waits, "GIVE_UP_SECONDS", 0.4)
    channel_store.ensure_channel(core.db, "slack", "C1")
    async for h in make_harness(slack_api, core):
        async with lock_held(core, 1.2):
            _, body = await h.slash("/watchlist", "mode instant")
            assert ack_text(body) == BUSY  # quick and private: on the ack itself
    assert mode(core, "slack", "C1") == "digest"


# --- Discord ----------------------------------------------------------------------------------------


def stamp_callbacks(api: FakeDiscord, came: threading.Event | None = None) -> list[float]:
    """When each interaction callback (the answer or the deferral) reached Discord; `came` is
    set at the first."""
    stamps: list[float] = []
    original = api._callback

    def stamped(*args: Any) -> Any:
        stamps.append(time.monotonic())
        if came is not None:
            came.set()
        return original(*args)

    api._callback = stamped  # type: ignore[method-assign]
    return stamps


async def test_discord_defers_in_time_and_saves_once_the_lock_is_free(
    discord_api: FakeDiscord, core: NewsDigest
) -> None:
    channel_store.ensure_channel(core.db, "discord", str(CHANNEL))
    bot = await make_discord_bot(core)  # the real 2 s defer
    deferred = threading.Event()
    stamps = stamp_callbacks(discord_api, deferred)
    try:
        # Held until the deferral came (a 3.2 s hold left a busy machine 1.2 s past the 2 s).
        async with lock_held(core, 0, until=deferred) as released:
            await slash(bot, "watchlist", "mode", mode="instant")
    finally:
        await bot.close()
    (deferral,) = callbacks(discord_api)
    assert deferral.body["type"] == 5
    assert stamps[0] < released[0]  # the deferral did not wait for the lock
    (edit,) = discord_api.calls("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert edit.body["content"].startswith("Saved.")
    assert mode(core, "discord", str(CHANNEL)) == "instant"


async def test_discord_mute_button_defers_while_the_lock_is_held(
    discord_api: FakeDiscord, core: NewsDigest
) -> None:
    row = channel_store.ensure_channel(core.db, "discord", str(CHANNEL))
    bot = await make_discord_bot(core, defer_after=0.3)
    try:
        await slash(bot, "story", query="story-aaaaaaaaaaaa")
        (card,) = discord_api.calls("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
        buttons = card.body["components"][0]["components"]
        (mute,) = [b["custom_id"] for b in buttons if b["label"] == "Mute story"]
        discord_api.requests.clear()
        deferred = threading.Event()
        stamps = stamp_callbacks(discord_api, deferred)
        async with lock_held(core, 0, until=deferred) as released:
            await interact(bot, click(mute))
    finally:
        await bot.close()
    (deferral,) = callbacks(discord_api)
    assert deferral.body["type"] == 5 and deferral.body["data"]["flags"] & EPHEMERAL
    assert stamps[0] < released[0]
    (edit,) = discord_api.calls("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert edit.body["content"].startswith("Muted: this channel will get no more posts")
    assert channel_store.muted_story_ids(core.db, row.id) == {"aaaaaaaaaaaa"}


async def test_discord_mute_button_says_busy_when_the_lock_stays_held(
    discord_api: FakeDiscord, core: NewsDigest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loop_waits, "GIVE_UP_SECONDS", 0.3)
    row = channel_store.ensure_channel(core.db, "discord", str(CHANNEL))
    bot = await make_discord_bot(core)
    try:
        async with lock_held(core, 1.0):
            await interact(bot, click(f"nd:mute:{'a' * 12}"))
    finally:
        await bot.close()
    assert answer(discord_api)["content"] == BUSY
    assert channel_store.muted_story_ids(core.db, row.id) == set()


# --- the waits themselves ---------------------------------------------------------------------------


async def test_only_the_works_own_steps_wait_briefly_and_the_loop_runs_meanwhile(
    core: NewsDigest,
) -> None:
    db = core.db
    seen: dict[str, int] = {}
    ticks: list[float] = []

    def busy_timeout() -> int:
        return int(db.execute("PRAGMA busy_timeout").fetchone()[0])

    async def ticker() -> None:
        while True:
            seen["between steps"] = busy_timeout()
            ticks.append(time.monotonic())
            await asyncio.sleep(0.02)

    tries: list[float] = []

    async def work() -> str:
        seen["in a step"] = busy_timeout()
        await asyncio.sleep(0.05)
        tries.append(time.monotonic())
        channel_store.ensure_channel(db, "slack", "C9")  # waits for the lock
        return "done"

    ticking = asyncio.create_task(ticker())
    try:
        async with lock_held(core, 1.2) as released:
            result = await loop_waits.with_retries(db, work)
            finished = time.monotonic()
    finally:
        ticking.cancel()
    assert result == "done" and finished >= released[0]
    assert seen == {"in a step": 200, "between steps": 30_000}
    # The loop ran on while the work waited for the lock: a step that waited for it whole held
    # the loop from its first try to the release, with no tick between. An order of events, not
    # a longest pause (0.7 s allowed, which a loaded machine's lateness could pass).
    assert len(tries) > 1
    assert any(tries[0] < t < released[0] for t in ticks)


async def test_a_task_started_inside_the_work_waits_briefly_too(core: NewsDigest) -> None:
    """The guard against nesting is the task's own: a task created inside the work inherits
    its context, but its steps are not the work's, so a `with_retries` there bounds them."""
    db = core.db
    seen: list[int] = []

    async def inner() -> str:
        seen.append(int(db.execute("PRAGMA busy_timeout").fetchone()[0]))
        channel_store.ensure_channel(db, "slack", "C7")  # waits for the lock
        return "inner done"

    async def work() -> str:
        return await asyncio.create_task(loop_waits.with_retries(db, inner))

    async with lock_held(core, 0.8) as released:
        result = await loop_waits.with_retries(db, work)
        finished = time.monotonic()
    assert result == "inner done" and finished >= released[0]
    assert seen[0] == 200  # not the connection's 30 s, on the event loop
    assert channel_store.get_channel(db, "slack", "C7") is not None


async def test_work_that_wrote_is_not_run_again(core: NewsDigest) -> None:
    db = core.db
    runs = 0

    async def work() -> None:
        nonlocal runs
        runs += 1
        channel_store.ensure_channel(db, "slack", "C8")
        await asyncio.sleep(0.3)  # the other connection takes the lock meanwhile
        channel_store.ensure_channel(db, "slack", "C9")

    async def soon_held() -> None:
        await asyncio.sleep(0.1)
        async with lock_held(core, 0.8):
            await asyncio.sleep(0.8)

    holding = asyncio.create_task(soon_held())
    with pytest.raises(loop_waits.DatabaseBusyError) as raised:
        await loop_waits.with_retries(db, work, give_up_after=5.0)
    await holding
    assert raised.value.wrote and runs == 1
