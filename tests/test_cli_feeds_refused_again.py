"""A feed disabled as refused comes back when it may: turning polling.allow_private_networks on
enables, at the next `poll`, every feed it now allows (no `feeds enable` one id at a time);
`feeds enable` follows the redirect a feed was refused at before saying "Enabled"; `--refused`
checks them all. The poll's summary tells a feed it just disabled from one disabled before."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from _refused_feeds import RSS, allow_private, refused_config, words
from click.testing import CliRunner

from bot.cli import cli
from bot.feedserver import FeedServer, Reply
from bot.ingest.fetcher import FeedFetcher
from bot.store import feeds as feed_store
from bot.store.database import open_database

TO_METADATA = Reply(status=302, headers={"Location": "http://169.254.169.254/latest"})
METADATA = (
    "refused: redirected to http://169.254.169.254/latest: link-local address 169.254.169.254, "
    "which no setting allows; fix the address, then re-enable the feed (newsdigest feeds enable)"
)


def _reason(tmp_path: Path, feed_id: int) -> str | None:
    db = open_database(tmp_path / "nd.db")
    try:
        feed = feed_store.get_feed(db, feed_id)
        assert feed is not None
        return feed.disabled_reason
    finally:
        db.close()


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return refused_config(tmp_path, monkeypatch)


def test_turning_the_setting_on_enables_the_feeds_it_allows_at_the_next_poll(
    config: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    with FeedServer({"/rss.xml": Reply(body=RSS), "/moved.xml": TO_METADATA}) as server:
        for path in ("/rss.xml", "/moved.xml"):
            assert (
                runner.invoke(cli, ["feeds", "add", "--no-check", server.url(path)]).exit_code == 0
            )
        allow_private(config, False)
        first = runner.invoke(cli, ["poll"])
        assert first.exit_code == 1  # both refused: 127.0.0.1 as written, at once
        assert "2 feeds disabled by this poll" in words(first.output)
        assert "not polled" not in first.output  # they were polled, just now

        allow_private(config, True)  # the operator fixes the setting: no `feeds enable` by hand
        second = runner.invoke(cli, ["poll"])
        said = words(second.output)
        assert "Enabled feed 1 again: polling.allow_private_networks now allows" in said
        assert "Enabled feed 2 again" in said
        assert "1 new article" in said
        # Feed 2 polled again and refused at its redirect, which no setting allows.
        assert METADATA in said
        assert "1 feed disabled by this poll" in said
        assert _reason(tmp_path, 1) is None
        assert _reason(tmp_path, 2) == METADATA

        third = runner.invoke(cli, ["poll", "--all"])
        said = words(third.output)
        assert "Enabled feed" not in said  # the setting cannot allow the link-local address
        assert "1 feed disabled, not polled" in said
        # Each polled once after the setting allowed them; nothing after feed 2's refusal.
        assert sorted(r.path for r in server.requests) == ["/moved.xml", "/rss.xml", "/rss.xml"]


def test_enable_follows_the_redirect_the_feed_was_refused_at(config: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    with FeedServer({"/rss.xml": TO_METADATA}) as server:
        assert runner.invoke(cli, ["feeds", "add", server.url("/rss.xml")]).exit_code == 0
        runner.invoke(cli, ["poll"])
        assert _reason(tmp_path, 1) == METADATA

        # The feed's own host is allowed, but the redirect still leads to the metadata service:
        # not "Enabled" only to be disabled, and alerted about, again at the next poll.
        refused = runner.invoke(cli, ["feeds", "enable", "1"])
        assert refused.exit_code == 1
        assert f"feed 1 not enabled: {METADATA}" in words(refused.output)
        assert _reason(tmp_path, 1) == METADATA

        server.route("/rss.xml", RSS)  # the publisher fixes the redirect
        enabled = runner.invoke(cli, ["feeds", "enable", "1"])
        assert enabled.exit_code == 0, enabled.output
        assert enabled.output.strip() == f"Enabled feed 1: {server.url('/rss.xml')}"
        assert _reason(tmp_path, 1) is None


def test_enable_says_the_address_is_allowed_when_the_server_answers_an_error(
    config: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    with FeedServer({"/rss.xml": TO_METADATA}) as server:
        assert runner.invoke(cli, ["feeds", "add", server.url("/rss.xml")]).exit_code == 0
        runner.invoke(cli, ["poll"])
        assert _reason(tmp_path, 1) == METADATA

        # The redirect is gone and the feed with it: the address was checked, and allowed.
        server.route("/rss.xml", Reply(status=410))
        enabled = runner.invoke(cli, ["feeds", "enable", "1"])
    assert enabled.exit_code == 0, enabled.output
    said = words(enabled.output)
    assert "could not be checked" not in said
    assert said == (
        f"Enabled feed 1: {server.url('/rss.xml')} (the address is allowed; the server answered "
        "HTTP 410 Gone, so the next poll disables it as gone)"
    )


def test_enable_refused_checks_every_refused_feed(config: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    routes = {"/a.xml": Reply(body=RSS), "/b.xml": TO_METADATA, "/c.xml": Reply(status=503)}
    with FeedServer(routes) as server:
        for path in ("/a.xml", "/b.xml", "/c.xml"):
            assert runner.invoke(cli, ["feeds", "add", server.url(path)]).exit_code == 0
        allow_private(config, False)
        runner.invoke(cli, ["poll"])
        assert all(_reason(tmp_path, i) for i in (1, 2, 3))
        allow_private(config, True)
        server.requests.clear()

        checked = runner.invoke(cli, ["feeds", "enable", "--refused"])
    assert checked.exit_code == 0, checked.output
    lines = checked.output.splitlines()
    assert lines[0] == f"Enabled feed 1: {server.url('/a.xml')}"
    assert lines[1] == f"Feed 2 not enabled: {METADATA}"
    # A server that answers 503 now is the next poll's to judge; the note says what happened:
    # the address was checked, and allowed.
    assert lines[2] == (
        f"Enabled feed 3: {server.url('/c.xml')} (the address is allowed; the server answered "
        "HTTP 503 Service Unavailable, which the next poll counts as a failure)"
    )
    assert lines[3] == "Enabled 2 of 3 refused feeds."
    assert _reason(tmp_path, 2) == METADATA
    assert not {r.path for r in server.requests} - {"/a.xml", "/b.xml", "/c.xml"}


def test_enable_needs_a_feed_or_refused(config: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["feeds", "enable"]).exit_code == 2
    assert runner.invoke(cli, ["feeds", "enable", "1", "--refused"]).exit_code == 2
    assert runner.invoke(cli, ["feeds", "add", "https://news.example/rss.xml"]).exit_code == 0
    done = runner.invoke(cli, ["feeds", "enable", "--refused"])
    assert done.exit_code == 0 and done.output == "No feed is disabled as refused.\n"


async def test_a_network_error_without_a_message_is_named() -> None:
    # An exception is truthy however empty its message: "ConnectError: " said nothing.
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("")

    async with FeedFetcher(transport=httpx.MockTransport(fail)) as fetcher:
        result = await fetcher.fetch("http://93.184.216.34/feed.xml")
    assert result.error == "ConnectError: network error"
