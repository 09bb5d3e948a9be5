"""What `newsdigest run` logs of polling: a line per pass with its counts (INFO when it found
something or a feed failed, DEBUG when quiet), one WARNING when a feed starts failing and one
INFO line when it works again (not at every failed poll), each feed's poll at DEBUG, and `-v` showing
newsdigest's DEBUG lines without the libraries'. The runner's real poller and core against the
loopback feed server."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fakes.cores import local_core
from test_runner_new_feeds_spread import _drain

from bot.app import NewsDigest, PassReport
from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.pipeline.poll import poll_feeds
from bot.runner import logs
from bot.runner.poll_log import log_feed
from bot.runner.polling import Poller
from bot.store import feeds as feed_store
from bot.store.database import iso, open_database, utcnow

RSS = b"""<rss version="2.0"><channel><title>Quay Desk</title>
<item><guid>q1</guid><title>Harbour crane repaired after storm</title>
<link>https://q.example/1</link></item></channel></rss>"""
MILL = b"""<rss version="2.0"><channel><title>Mill Gazette</title>
<item><guid>m1</guid><title>Old mill reopens as library</title>
<link>https://m.example/1</link></item></channel></rss>"""
LOGGER = "bot.runner.poll_log"


def _events(caplog: pytest.LogCaptureFixture, event: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "event", None) == event]


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    with local_core(tmp_path) as app:
        yield app


async def test_passes_and_a_feeds_failure_are_logged_once_each_way(
    core: NewsDigest, server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    server.route("/quay", Reply(body=RSS))
    server.route("/mill", Reply(body=MILL))
    flaky = feed_store.add_feed(core.db, server.url("/quay"))
    feed_store.add_feed(core.db, server.url("/mill"))
    clock = [utcnow()]
    reports: list[PassReport] = []

    async def on_pass(report: PassReport) -> None:
        reports.append(report)

    poller = Poller(core, on_pass, clock=lambda: clock[0])
    await poller.open(spread=0)

    async def one_pass(days: int) -> None:
        # Days on: every feed is due (its interval, its backoff), all in one pass.
        caplog.clear()
        clock[0] += timedelta(days=days)
        assert await poller.tick() == 2
        await _drain(poller)

    try:
        # 1. Everything new: one INFO line with the pass's counts.
        await one_pass(1)
        [line] = _events(caplog, "poll_pass")
        report = reports[-1]
        feeds = len(report.poll.feeds)
        assert line.levelno == logging.INFO and feeds == 2
        new, stories = len(report.poll.new_articles), len(report.touched_stories)
        assert new > 0 and stories > 0
        assert line.getMessage().startswith(
            f"polled {feeds} feeds: {new} new articles, {stories} stories changed, 0 failed, "
        )
        assert line.__dict__["new_articles"] == new and line.__dict__["failed"] == 0
        # Each feed's poll at DEBUG, and no feed changed state.
        polled = _events(caplog, "feed_polled")
        assert len(polled) == feeds and {r.levelno for r in polled} == {logging.DEBUG}
        assert not _events(caplog, "feed_failing") + _events(caplog, "feed_recovered")

        # 2. The feed starts failing: one WARNING naming it and the error.
        server.route("/quay", Reply(status=503, body=b"down"))
        await one_pass(2)
        [failing] = _events(caplog, "feed_failing")
        assert failing.levelno == logging.WARNING and failing.__dict__["feed"] == flaky.url
        assert "started failing: HTTP 503" in failing.getMessage()
        [line] = _events(caplog, "poll_pass")
        assert line.levelno == logging.INFO and ", 1 failed, " in line.getMessage()

        # 3. Failing on: the pass says so, the feed's warning is not repeated.
        await one_pass(2)
        assert not _events(caplog, "feed_failing")
        [line] = _events(caplog, "poll_pass")
        assert line.levelno == logging.INFO and line.__dict__["failed"] == 1

        # 4. It works again: one INFO line (good news, no warning), once.
        server.route("/quay", Reply(body=RSS.replace(b"q1", b"q2")))
        await one_pass(2)
        [back] = _events(caplog, "feed_recovered")
        assert back.levelno == logging.INFO
        assert f"feed {flaky.url} works again after 2 failed polls" in back.getMessage()
        await one_pass(2)
        assert not _events(caplog, "feed_recovered") + _events(caplog, "feed_failing")

        # 5. A quiet pass (nothing new, nothing failed) is DEBUG only.
        await one_pass(2)
        [line] = _events(caplog, "poll_pass")
        assert line.levelno == logging.DEBUG and line.__dict__["new_articles"] == 0
        assert not [r for r in caplog.records if r.name == LOGGER and r.levelno >= logging.INFO]
    finally:
        await poller.close(1)


@pytest.fixture
def restore_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("", "bot", "httpx", "httpcore"):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "level", logger.level)
    # Bolt copies the root's level into its app's logger when an app is made (after `run` set
    # up logging): one an earlier test made in this process kept that test's level.
    for name in ("slack_bolt.AsyncApp", "discord.client", "discord.gateway", "apscheduler"):
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    monkeypatch.setattr(logging.getLogger(), "handlers", list(logging.getLogger().handlers))


def _run_logs(monkeypatch: pytest.MonkeyPatch, cli_level: int) -> str:
    """What `run` writes for a few lines, its logging set up after the CLI's root level."""
    stream = io.StringIO()
    monkeypatch.setattr(logs.sys, "stderr", stream)
    logging.getLogger().setLevel(cli_level)
    logs.configure_logging("text")
    logging.getLogger(LOGGER).debug("a feed's poll")
    logging.getLogger(LOGGER).info("a pass")
    logging.getLogger("discord.gateway").debug("a library's detail")
    # Said by discord.py at each login, so at each retry while discord.com is out of reach.
    logging.getLogger("discord.client").info("logging in using static token")
    logging.getLogger("slack_bolt.AsyncApp").info("a library's notice")
    logging.getLogger("apscheduler.executors.default").info("Running job")
    logging.getLogger("discord.client").warning("a library's warning")
    logging.getLogger("httpx").info("GET http://user:pw@llm.example/")
    return stream.getvalue()


@pytest.mark.parametrize(
    ("cli_level", "ours", "libraries"),
    [
        (logging.WARNING, False, False),  # newsdigest run
        (logging.INFO, True, False),  # newsdigest -v run
        (logging.DEBUG, True, True),  # newsdigest -vv run
    ],
)
def test_verbose_run_shows_our_debug_lines_then_the_libraries(
    monkeypatch: pytest.MonkeyPatch,
    restore_logging: None,
    cli_level: int,
    ours: bool,
    libraries: bool,
) -> None:
    written = _run_logs(monkeypatch, cli_level)
    assert "a pass" in written
    assert ("a feed's poll" in written) is ours
    assert ("a library's detail" in written) is libraries
    assert ("logging in using static token" in written) is libraries
    assert ("a library's notice" in written) is libraries
    assert ("Running job" in written) is libraries
    assert "a library's warning" in written
    assert "user:pw" not in written


async def test_a_feed_disabled_for_an_unusable_address_says_disabled_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    db = open_database(tmp_path / "nd.db")
    url = "http://example.com:0/rss"  # as an older version stored it
    db["feeds"].insert(
        {"url": url, "poll_interval": 1800, "origin": "cli", "created_at": iso(utcnow())}
    )

    report = await poll_feeds(db, PollingConfig(allow_private_networks=True, timeout=5.0))
    for result in report.feeds:
        log_feed(result)

    [polled] = _events(caplog, "feed_polled")
    assert polled.getMessage().startswith(
        f"feed {url}: disabled: unusable address: invalid port 0 in {url!r}"
    )
    assert "disabled: disabled" not in polled.getMessage()
    db.close()
