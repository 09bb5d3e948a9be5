"""`newsdigest feeds disable`: a feed parked on purpose. There was no such command, so a dead feed
could only be removed (and a config feed came back at the next start) or left disabled, which kept
/healthz "degraded" and its daily retry going for good. Parked, it is not polled nor retried,
`feeds list` and /feeds list say "disabled by operator", /healthz does not count it, no channel
is alerted, the config sync leaves it parked, and `feeds enable` undoes it. Real SQLite files, the
CLI through click, polls against the loopback feed server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from _cli_env import cli_env
from click.testing import CliRunner
from fakes.cores import local_core
from fakes.runner import health_url, start_slack_service, stop

from bot.app import NewsDigest
from bot.cli import cli
from bot.commands import CommandContext, Commands
from bot.config import ChannelConfig, Config, FeedConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.policy import REFUSED, PollOutcome, unusable_reason
from bot.pipeline.feed_state import record_outcome
from bot.runner.feed_alerts import alert_disabled_feeds
from bot.store import feeds as feed_store
from bot.store.database import iso, open_database
from bot.store.sync import sync_config

T0 = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)
RSS = (
    b'<rss version="2.0"><channel><title>Quay Desk</title><item><guid>q1</guid>'
    b"<title>Quay notice one</title><link>https://q.example/1</link></item></channel></rss>"
)
ALLOW = "[polling]\nallow_private_networks = true\n"


def _said(result: object) -> str:
    return " ".join(str(getattr(result, "output", "")).split())


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    with local_core(tmp_path) as app:
        yield app


def test_a_disabled_feed_is_not_polled_until_enabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: FeedServer
) -> None:
    cli_env(tmp_path, monkeypatch, ALLOW)
    server.route("/quay.xml", RSS)
    runner = CliRunner()
    url = server.url("/quay.xml")
    assert runner.invoke(cli, ["feeds", "add", "--no-check", url]).exit_code == 0
    disabled = runner.invoke(cli, ["feeds", "disable", url])
    assert disabled.exit_code == 0, disabled.output
    assert "Disabled feed 1 by operator" in _said(disabled)
    again = runner.invoke(cli, ["feeds", "disable", "1"])
    assert "already disabled by operator" in _said(again)
    polled = runner.invoke(cli, ["poll", "--all"])
    assert polled.exit_code == 0
    assert server.requests_to("/quay.xml") == []
    assert "1 feed disabled by operator, not polled" in _said(polled)
    listed = runner.invoke(cli, ["feeds", "list"], env={"COLUMNS": "200"})
    assert "disabled by operator" in _said(listed)
    enabled = runner.invoke(cli, ["feeds", "enable", "1"])
    assert "Enabled feed 1" in _said(enabled)
    assert len(server.requests_to("/quay.xml")) == 1  # the way to it checked, no body read
    assert runner.invoke(cli, ["poll"]).exit_code == 0
    assert len(server.requests_to("/quay.xml")) == 2


def test_an_unknown_feed_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli_env(tmp_path, monkeypatch)
    assert CliRunner().invoke(cli, ["feeds", "add", "https://q.example/a.xml"]).exit_code == 0
    result = CliRunner().invoke(cli, ["feeds", "disable", "https://q.example/none.xml"])
    assert result.exit_code == 1
    assert "no feed 'https://q.example/none.xml' (see: newsdigest feeds list)" in _said(result)
    assert "Usage:" in CliRunner().invoke(cli, ["feeds", "disable"]).output


def test_a_feed_disabled_for_its_failures_is_no_longer_retried_daily(core: NewsDigest) -> None:
    feed = feed_store.add_feed(core.db, "https://q.example/down.xml")
    core.db.execute(
        "UPDATE feeds SET disabled_reason = ?, consecutive_failures = 30, next_poll_at = ?"
        " WHERE id = ?",
        ["failing since 2026-02-01 10:00 UTC (30 failed polls in a row); last error: HTTP 503",
         iso(T0 - timedelta(hours=1)), feed.id],
    )  # fmt: skip
    core.db.conn.commit()
    assert [f.id for f in feed_store.due_feeds(core.db, T0)] == [feed.id]
    feed_store.disable_feed(core.db, feed.id, T0)
    assert feed_store.due_feeds(core.db, T0 + timedelta(days=30)) == []
    assert feed_store.failing_feeds(core.db) == []


async def test_healthz_does_not_count_a_parked_feed(tmp_path: Path, server: FeedServer) -> None:
    now = [T0]
    service, _chat = await start_slack_service(
        tmp_path, lambda: now[0], ChannelConfig(platform="slack", id="C1"), health=True
    )
    server.route("/gone", Reply(status=410, body=b"gone"))
    feed_store.add_feed(service.db, server.url("/gone"), name="Quayline Post")
    try:
        async with httpx.AsyncClient() as client:
            await service.core.poll(feeds=feed_store.list_feeds(service.db), now=T0)
            before = (await client.get(health_url(service))).json()
            feed_store.disable_feed(service.db, 1, T0)
            after = (await client.get(health_url(service))).json()
    finally:
        await stop(service)
    assert before["disabled_feeds"]["count"] == 1 and before["status"] == "degraded"
    assert after["disabled_feeds"] == {"count": 0, "names": []}
    assert after["failing_feeds"] == []
    assert not any("disabled" in p for p in after["problems"])
    assert after["disabled_by_operator"] == {"count": 1, "names": ["Quayline Post"]}


def test_the_config_sync_leaves_a_parked_feed_parked(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    try:
        url = "https://q.example/config.xml"
        sync_config(db, Config(feeds=[FeedConfig(url=url, name="Quay")]))
        feed_store.disable_feed(db, url, T0)
        # A start with the file unchanged, then with its entry edited: parked both times.
        sync_config(db, Config(feeds=[FeedConfig(url=url, name="Quay")]))
        sync_config(db, Config(feeds=[FeedConfig(url=url, name="Quay Desk", interval=3600)]))
        [feed] = feed_store.list_feeds(db)
        assert feed.name == "Quay Desk" and feed.poll_interval == 3600
        assert feed_store.disabled_by_operator(feed.disabled_reason)
    finally:
        db.close()


async def test_chat_lists_a_parked_feed_and_cannot_disable(core: NewsDigest) -> None:
    feed_store.add_feed(core.db, "https://q.example/a.xml")
    feed_store.disable_feed(core.db, 1, T0)
    admin = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)
    listed = await Commands(core).dispatch("feeds", "list", admin)
    assert "(disabled by operator)" in str(listed.lines[0])
    # Chat has no /feeds enable, so no /feeds disable either: it says where it is done.
    feed_store.add_feed(core.db, "https://q.example/b.xml")
    said = await Commands(core).dispatch("feeds", "disable 2", admin)
    assert "`newsdigest feeds disable ID`" in said.text
    assert feed_store.list_feeds(core.db)[1].disabled_reason is None


def test_a_poll_in_flight_does_not_lift_the_park(core: NewsDigest) -> None:
    # The poll read the row before `feeds disable`; storing its success must not enable it.
    before = feed_store.add_feed(core.db, "https://q.example/b.xml")
    feed_store.disable_feed(core.db, before.id, T0)
    outcome = PollOutcome(
        url=before.url, etag=None, last_modified=None, consecutive_failures=0,
        next_poll_at=T0 + timedelta(minutes=15), disabled_reason=None, last_error=None,
        has_new_body=True,
    )  # fmt: skip
    record_outcome(core.db, before, outcome, None, T0)
    after = feed_store.get_feed(core.db, before.id)
    assert after is not None and feed_store.disabled_by_operator(after.disabled_reason)
    assert feed_store.due_feeds(core.db, T0 + timedelta(days=1)) == []


def test_no_channel_is_alerted_of_a_parked_feed(core: NewsDigest) -> None:
    feed_store.add_feed(core.db, "https://q.example/c.xml")
    feed_store.disable_feed(core.db, 1, T0)
    alert_disabled_feeds(core.db, now=T0)
    row = core.db.execute("SELECT alert_sent_at FROM feeds WHERE id = 1").fetchone()
    assert row[0] is None


def test_status_counts_a_parked_feed_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Counted "ok" (no alarm), it read as a feed that works.
    cli_env(tmp_path, monkeypatch)
    runner = CliRunner()
    for n in range(2):
        assert runner.invoke(cli, ["feeds", "add", f"https://q.example/{n}.xml"]).exit_code == 0
    assert runner.invoke(cli, ["feeds", "disable", "1"]).exit_code == 0
    report = json.loads(runner.invoke(cli, ["status", "--json"]).output)
    feeds = report["feeds"]
    assert (feeds["ok"], feeds["disabled"], feeds["disabled_by_operator"]) == (0, 0, 1)
    assert feeds["not_polled_yet"] == 1
    assert "1 disabled by operator" in _said(runner.invoke(cli, ["status"]))


def test_disable_says_the_old_reason_without_its_terminal_escapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reason carries a server's error: an OSC title change and a screen clear in it.
    cli_env(tmp_path, monkeypatch)
    assert CliRunner().invoke(cli, ["feeds", "add", "https://q.example/d.xml"]).exit_code == 0
    db = open_database(tmp_path / "nd.db")
    db.execute(
        "UPDATE feeds SET disabled_reason = ? WHERE id = 1",
        ["failing since 2026-03-01; last error: HTTP 503 \x1b]0;owned\x07\x1b[2J quay"],
    )
    db.conn.commit()
    db.close()
    result = CliRunner().invoke(cli, ["feeds", "disable", "1"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "last error: HTTP 503 ]0;owned [2J quay)" in _said(result)


def _parked_after(tmp_path: Path, url: str, reason: str) -> int:
    """A feed stored at `url`, disabled for `reason`, then parked with `feeds disable`."""
    db = open_database(tmp_path / "nd.db")
    feed_id = int(
        db["feeds"]
        .insert({"url": url, "poll_interval": 1800, "origin": "cli", "created_at": iso(T0)})
        .last_pk
    )
    db.execute("UPDATE feeds SET disabled_reason = ? WHERE id = ?", [reason, feed_id])
    db.conn.commit()
    db.close()
    assert CliRunner().invoke(cli, ["feeds", "disable", str(feed_id)]).exit_code == 0
    return feed_id


def _parked(tmp_path: Path, feed_id: int) -> bool:
    db = open_database(tmp_path / "nd.db")
    try:
        feed = feed_store.get_feed(db, feed_id)
        return feed is not None and feed_store.disabled_by_operator(feed.disabled_reason)
    finally:
        db.close()


def test_enable_checks_a_parked_feed_that_was_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: FeedServer
) -> None:
    # Private addresses not allowed: the loopback server's address is refused as written.
    cli_env(tmp_path, monkeypatch)
    server.route("/inner.xml", RSS)
    reason = f"{REFUSED}127.0.0.1 is a loopback address"
    feed_id = _parked_after(tmp_path, server.url("/inner.xml"), reason)
    result = CliRunner().invoke(cli, ["feeds", "enable", str(feed_id)])
    assert result.exit_code == 1, result.output
    said = _said(result)
    assert f"feed {feed_id} not enabled (it stays disabled by operator): refused:" in said
    assert "loopback" in said
    assert _parked(tmp_path, feed_id)
    assert server.requests_to("/inner.xml") == []


def test_enable_leaves_a_parked_unusable_feed_parked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch, ALLOW)
    url = "http://127.0.0.1:0/rss"  # stored by an older version; no fetch can use port 0
    feed_id = _parked_after(tmp_path, url, unusable_reason(f"invalid port 0 in {url!r}"))
    result = CliRunner().invoke(cli, ["feeds", "enable", str(feed_id)])
    assert result.exit_code == 1, result.output
    assert "not enabled (it stays disabled by operator): unusable address:" in _said(result)
    assert _parked(tmp_path, feed_id)


def test_enable_of_a_parked_feed_that_works_enables_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: FeedServer
) -> None:
    cli_env(tmp_path, monkeypatch, ALLOW)
    server.route("/quay.xml", Reply(status=503, body=b"down"))
    feed_id = _parked_after(tmp_path, server.url("/quay.xml"), "failing since 2026-03-01")
    result = CliRunner().invoke(cli, ["feeds", "enable", str(feed_id)])
    assert result.exit_code == 0, result.output
    said = _said(result)
    assert f"Enabled feed {feed_id}" in said
    assert "the address is allowed; the server answered HTTP 503" in said
    assert not _parked(tmp_path, feed_id)


def test_a_park_from_another_process_as_the_poll_writes_is_kept(core: NewsDigest) -> None:
    # `feeds disable` in another process commits just as the poll starts writing its outcome,
    # after anything it read: the poll's success must not lift the park.
    before = feed_store.add_feed(core.db, "https://q.example/r.xml")
    other = open_database(core.db.conn.execute("PRAGMA database_list").fetchone()[2])
    parked: list[str] = []

    def park_once(statement: str) -> None:
        # The poll's first write, its BEGIN or its UPDATE: the other process's park lands first.
        if not parked and statement.lstrip().upper().startswith(("BEGIN", "UPDATE")):
            parked.append(statement)
            feed_store.disable_feed(other, before.id, T0)

    outcome = PollOutcome(
        url=before.url, etag=None, last_modified=None, consecutive_failures=0,
        next_poll_at=T0 + timedelta(minutes=15), disabled_reason=None, last_error=None,
        has_new_body=True,
    )  # fmt: skip
    core.db.conn.set_trace_callback(park_once)
    try:
        record_outcome(core.db, before, outcome, None, T0)
    finally:
        core.db.conn.set_trace_callback(None)
        other.close()
    assert parked, "the poll wrote nothing"
    after = feed_store.get_feed(core.db, before.id)
    assert after is not None and feed_store.disabled_by_operator(after.disabled_reason)
    assert after.last_success_at == T0  # the poll's own outcome is stored all the same
    assert feed_store.due_feeds(core.db, T0 + timedelta(days=1)) == []
