"""What a `newsdigest poll` run beside `newsdigest run` finds reaches the channels: the running
service plans its stories within a minute (its job sync's look, `bot.runner.elsewhere`), as it
plans its own passes': an instant channel gets a new story once, a posted card whose story grew
gets its thread update and edit. Never twice, whichever process saw the story, and the service's
own passes are not planned again.

Real SQLite file, real feeds on 127.0.0.1; the CLI poll a process of its own against the
running service, posting through slack-sdk to the fake Slack Web API; the orderings of the two
processes' passes driven step by step on two connections, with the fake chat adapter."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from fakes.chat import FakeChatAdapter
from fakes.runner import stop
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.app import NewsDigest
from bot.config import ChannelConfig, Config, FeedConfig, PollingConfig, load_config
from bot.feedserver import FeedServer, Reply
from bot.runner import elsewhere
from bot.runner.elsewhere import plan_elsewhere
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import feeds as feed_store
from bot.store.database import open_database, utcnow

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths")

# One event as three outlets tell it, and an unrelated item each feed starts with.
EVENT = {
    "alpha": (
        "Harbour ferry crews end strike and river crossings resume",
        "Ferry crews at the harbour ended their strike on Tuesday and river crossings resumed"
        " after the union accepted a new pay offer.",
    ),
    "beta": (
        "River crossings resume as harbour ferry crews end strike",
        "River crossings resumed on Tuesday after harbour ferry crews ended their strike and"
        " accepted the new pay offer, the union said.",
    ),
    "gamma": (
        "Harbour ferry strike ends, river crossings resume on new pay offer",
        "The harbour ferry strike ended on Tuesday; crews accepted a new pay offer and river"
        " crossings resumed, the operator said.",
    ),
}
OTHER = {
    "alpha": ("Town library extends its weekend opening hours", "The library opens longer."),
    "beta": ("Mountain railway closes for summer track repairs", "The line shuts for works."),
    "gamma": ("Bakery cooperative opens a second shop downtown", "The co-op grows again."),
}


def rss(outlet: str, items: Sequence[tuple[str, str]], when: datetime) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>http://{outlet}.example/{n}.html</link>"
        f"<guid>{outlet}-{n}</guid><pubDate>{format_datetime(when)}</pubDate>"
        f"<description>{text}</description></item>"
        for n, (title, text) in enumerate(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{outlet}</title>'
        f"<link>http://{outlet}.example/</link><description>news</description>{body}"
        "</channel></rss>"
    ).encode()


def serve(server: FeedServer, outlet: str, *, event: bool, other: bool = True) -> None:
    items = [*([OTHER[outlet]] if other else []), *([EVENT[outlet]] if event else [])]
    server.route(f"/{outlet}.xml", rss(outlet, items, utcnow() - timedelta(minutes=5)))


# --- the CLI's poll as a process of its own, beside the running service ------------------------


CONFIG = """\
[polling]
allow_private_networks = true
timeout = 5

{feeds}
[[channels]]
platform = "slack"
id = "C1"
mode = "instant"
min_sources = 2
"""


def write_config(tmp_path: Path, server: FeedServer) -> Path:
    feeds = "".join(
        f'[[feeds]]\nurl = "{server.url(f"/{o}.xml")}"\ninterval = "1h"\n\n' for o in EVENT
    )
    path = tmp_path / "nd.toml"
    path.write_text(CONFIG.format(feeds=feeds), encoding="utf-8")
    return path


async def cli_poll(config: Path, db: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSDIGEST_DB": str(db)}
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN", "NEWSDIGEST_CONFIG"):
        env.pop(name, None)
    proc = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "bot", "--config", str(config), "poll", "--all"],
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, (out + err).decode()


def top_level(api: FakeSlackAPI) -> list[dict[str, object]]:
    return [m for m in api.messages["C1"] if "thread_ts" not in m]


def replies(api: FakeSlackAPI) -> list[dict[str, object]]:
    return [m for m in api.messages["C1"] if "thread_ts" in m]


async def until(check: object, timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():  # type: ignore[operator]
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_a_cli_poll_beside_the_running_service_is_posted_once_and_its_growth_followed(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    db_path = tmp_path / "nd.db"
    with FeedServer() as server:
        for outlet in EVENT:
            serve(server, outlet, event=False)
        config_path = write_config(tmp_path, server)
        config = load_config(config_path)
        core = NewsDigest(config, db=open_database(db_path))
        settings = RunnerSettings(
            health_port=None,
            post_pace=0,
            start_spread=0,
            poll_tick=0.2,
            sync_interval=0.2,
            update_interval=timedelta(0),
        )
        service = Service(config, core=core, settings=settings, env={})
        client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
        service.register_adapter(SlackAdapter(client, pacer=ChannelPacer(0)))
        await service.start()
        try:
            # The service's own first pass: one unrelated item per feed, nothing to post. The
            # feeds are next due in an hour.
            await until(lambda: service.poller.last_pass is not None)
            await until(lambda: not service.poller.inflight)

            # Two outlets report the event; an operator polls from a shell.
            serve(server, "alpha", event=True)
            serve(server, "beta", event=True)
            await cli_poll(config_path, db_path)
            await until(lambda: top_level(slack_api))
            await asyncio.sleep(1.0)  # several more job syncs: nothing more
            [card] = top_level(slack_api)
            assert "ferry" in str(card).lower()
            assert replies(slack_api) == []

            # A third outlet, polled from the shell again: the thread gets its update, the card
            # its count.
            serve(server, "gamma", event=True)
            await cli_poll(config_path, db_path)
            await until(lambda: replies(slack_api))
            await until(lambda: slack_api.calls_to("chat.update"))
            await asyncio.sleep(1.0)
        finally:
            await stop(service)
    assert len(top_level(slack_api)) == 1
    [reply] = replies(slack_api)
    assert reply["thread_ts"] == card["ts"]
    assert "gamma" in str(reply).lower()
    [edit] = slack_api.calls_to("chat.update")
    assert edit["ts"] == card["ts"]
    assert "3 sources tracking this story" in str(edit)


# --- the two processes' passes in either order, on two connections ----------------------------


def two_processes(
    tmp_path: Path, server: FeedServer
) -> tuple[Service, FakeChatAdapter, NewsDigest]:
    """The service (its jobs paused: the test runs its passes and looks) and another process's
    core on its own connection, over the same config and database file."""
    config = Config(
        database=str(tmp_path / "nd.db"),
        polling=PollingConfig(allow_private_networks=True, timeout=5.0),
        feeds=[FeedConfig(url=server.url(f"/{o}.xml"), interval=3600) for o in EVENT],
        channels=[ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=2)],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(
        health_port=None, post_pace=0, start_spread=0, update_interval=timedelta(0)
    )
    service = Service(config, core=core, settings=settings, env={})
    chat = FakeChatAdapter("slack")
    service.register_adapter(chat)
    other = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    return service, chat, other


@asynccontextmanager
async def started_beside(
    tmp_path: Path, *, other_items: bool
) -> AsyncIterator[tuple[FeedServer, Service, FakeChatAdapter, NewsDigest]]:
    """The three outlets serving the event (and each an unrelated item first, if
    `other_items`), the service started with its jobs paused (the test runs the passes and the
    looks) and the other process beside it; both stopped after."""
    with FeedServer() as server:
        for outlet in EVENT:
            serve(server, outlet, event=True, other=other_items)
        service, chat, other = two_processes(tmp_path, server)
        # Paused from its start: the catch-up's instant posts are chosen in a thread, and a poll
        # job would run while it awaits them.
        real_start = service.scheduler.start
        service.scheduler.start = lambda: real_start(paused=True)  # type: ignore[method-assign]
        await service.start()
        try:
            yield server, service, chat, other
        finally:
            await stop(service)
            other.close()


async def own_pass(service: Service, *outlets: str) -> set[str]:
    feeds = [f for f in feed_store.list_feeds(service.db) if any(o in f.url for o in outlets)]
    report = await service.core.poll(feeds=feeds)
    await service.on_poll_pass(report)
    await service.outbox.drain()
    return report.touched_stories


async def other_pass(service: Service, other: NewsDigest, *outlets: str) -> set[str]:
    feeds = [f for f in feed_store.list_feeds(other.db) if any(o in f.url for o in outlets)]
    report = await other.poll(feeds=feeds)
    return report.touched_stories


async def look(service: Service) -> int:
    """The job sync's look at other processes' stories, and the posts it queued."""
    planned = await plan_elsewhere(service)
    await service.outbox.drain()
    return planned


@pytest.mark.parametrize("own_first", [False, True], ids=["cli-first", "service-first"])
async def test_a_story_both_processes_clustered_is_posted_once(
    tmp_path: Path, own_first: bool
) -> None:
    async with started_beside(tmp_path, other_items=False) as (_, service, chat, other):
        if own_first:
            # The service's pass makes the story with one source; the CLI's adds the second.
            [story] = await own_pass(service, "alpha")
            assert chat.cards() == []
            assert await other_pass(service, other, "beta") == {story}
        else:
            # The CLI's pass makes the story with two sources; the service's adds a third
            # before its job sync looked: its pass plans the story as it now is.
            [story] = await other_pass(service, other, "alpha", "beta")
            assert await own_pass(service, "gamma") == {story}
        await service.outbox.drain()
        posted_by_pass = [m.story_id for m in chat.cards()]
        planned = await look(service)
        assert await look(service) == 0  # nothing committed since
    if own_first:
        # Its pass saw one source; the look saw the CLI's second, and posted it.
        assert posted_by_pass == [] and planned == 1
    else:
        # The pass posted it; the look passes over it: the service's commit came last.
        assert posted_by_pass == [story] and planned == 0
    assert [m.story_id for m in chat.cards()] == [story]
    assert chat.updates() == []


async def test_a_look_that_failed_is_made_again_the_next_minute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Planning failed once (a database busy past its timeout, a bug): the next look plans the
    other process's story all the same, rather than passing over it until a restart."""
    async with started_beside(tmp_path, other_items=False) as (_, service, chat, other):
        [story] = await other_pass(service, other, "alpha", "beta")
        real = elsewhere.plan_changed

        def busy(*_args: object, **_kwargs: object) -> None:
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(elsewhere, "plan_changed", busy)
        with pytest.raises(sqlite3.OperationalError):
            await look(service)
        monkeypatch.setattr(elsewhere, "plan_changed", real)
        planned = [await look(service), await look(service)]
    assert planned == [1, 0]
    assert [m.story_id for m in chat.cards()] == [story]


async def test_the_service_own_passes_are_not_planned_again(tmp_path: Path) -> None:
    async with started_beside(tmp_path, other_items=True) as (_, service, chat, other):
        own = await own_pass(service, "alpha", "beta")
        assert own and [m.story_id for m in chat.cards()] != []
        assert service.elsewhere.changed() is None  # no other process committed
        # Another process's commit: only its own stories are read, not the service's.
        theirs = await other_pass(service, other, "gamma")
        seen = service.elsewhere.changed()
    # Gamma's event item joined the service's story; its other item is a story of its own. The
    # service's other stories are not read again.
    assert seen == theirs and len(theirs) == 2 and len(own) == 3
    assert len(chat.cards()) == 1


async def test_a_feed_the_cli_poll_disabled_is_alerted_by_the_running_service(
    tmp_path: Path,
) -> None:
    async with started_beside(tmp_path, other_items=False) as (server, service, chat, other):
        [story] = await own_pass(service, "alpha", "beta")
        assert [m.story_id for m in chat.cards()] == [story]
        server.route("/alpha.xml", Reply(status=410))  # gone: disabled at once
        await other_pass(service, other, "alpha")
        assert await look(service) == 0  # no story changed
        await look(service)  # and alerted once
    [alert] = chat.texts()
    assert alert.text.startswith("The feed alpha (")
    assert "was disabled after 1 failed poll: feed is gone (HTTP 410)" in alert.text


async def test_a_cli_poll_clustering_mid_pass_leaves_one_story_posted_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service's pass has stored its articles and is about to commit their clustering when
    a CLI poll clusters the same articles (its backlog is every unclustered article): the
    service's batch is refused and clustered again, so the event is one story, posted once."""
    async with started_beside(tmp_path, other_items=False) as (_, service, chat, other):
        clusterer = service.core.clusterer
        commit = clusterer._commit
        theirs: list[set[str]] = []

        def the_cli_commits_first(*args: Any) -> int:
            if not theirs:
                theirs.append(other.ingest(other.clusterer.backlog()))
            return commit(*args)

        monkeypatch.setattr(clusterer, "_commit", the_cli_commits_first)
        own = await own_pass(service, "alpha", "beta")
        planned = await look(service)
    db = open_database(tmp_path / "nd.db")
    live = [
        r[0]
        for r in db.execute(
            "SELECT id FROM stories WHERE merged_into IS NULL AND article_count > 0"
        )
    ]
    members = db.execute("SELECT COUNT(DISTINCT story_id) FROM articles").fetchone()[0]
    db.close()
    [story] = theirs[0]
    # Filed twice, the articles left the CLI's story counting members it no longer had.
    assert live == [story] and members == 1
    assert [m.story_id for m in chat.cards()] == [story]
    assert own == set() and planned == 1  # the CLI's story, planned by the look
