"""A feed URL whose host is punycode that is no valid IDNA ("xn--a.example"): the host pattern
let it be added, then httpx's idna raised at every poll, an error no handler expected, so the
feed failed as "internal error" for good. Adding one is refused now; one stored before is
disabled at its next poll as an unusable address, saying what to do, and a redirect to one is
a failure like any other, retried. Real SQLite file, a real feed server on loopback."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from _cli_env import cli_env
from click.testing import CliRunner

from bot.cli import cli
from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.feedurls import FeedUrlError, check_feed_url
from bot.ingest.policy import UNUSABLE
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store
from bot.store.database import iso, open_database

NOW = datetime(2031, 4, 7, 9, 0, tzinfo=UTC)
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0, max_failures=5)
BAD = "https://xn--a.example/rss"


@pytest.mark.parametrize("url", [BAD, "https://XN--ZZ.example/rss", "http://xn---.example/feed"])
def test_adding_a_host_that_is_no_valid_idna_is_refused(url: str) -> None:
    with pytest.raises(FeedUrlError, match="is not a valid host name"):
        check_feed_url(url)


def test_valid_internationalised_hosts_are_still_added() -> None:
    assert check_feed_url("https://xn--bcher-kva.example/rss") == (
        "https://xn--bcher-kva.example/rss"
    )
    assert check_feed_url("https://bücher.example/rss") == "https://bücher.example/rss"


def test_feeds_add_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli_env(tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["feeds", "add", BAD])
    assert result.exit_code != 0
    assert "'xn--a.example' is not a valid host name" in result.output


async def test_a_stored_one_is_disabled_at_its_next_poll_as_an_unusable_address(
    server: FeedServer, tmp_path: Path
) -> None:
    server.route("/moved", Reply(status=302, headers={"Location": "http://xn--a.example/rss"}))
    db = open_database(tmp_path / "nd.db")
    # As an older version stored it, the URL as typed.
    db["feeds"].insert({"url": BAD, "poll_interval": 1800, "origin": "cli", "created_at": iso(NOW)})
    moved = feed_store.add_feed(db, server.url("/moved"))

    await poll_feeds(db, POLLING, now=NOW)

    stored = feed_store.get_feed(db, BAD)
    assert stored is not None
    assert stored.disabled_reason is not None
    assert stored.disabled_reason.startswith(
        f"{UNUSABLE}invalid URL {BAD!r}: its host name is not valid IDNA ("
    )
    assert "add the feed again at its right address" in stored.disabled_reason
    assert stored.last_error is not None and "internal error" not in stored.last_error
    # A redirect's host may be the server's passing mistake: a failure, retried with backoff.
    redirected = feed_store.get_feed(db, moved.url)
    assert redirected is not None
    assert redirected.disabled_reason is None
    assert redirected.consecutive_failures == 1
    assert redirected.last_error == (
        "bad redirect Location: its host name is not valid IDNA"
        " (Codepoint U+0080 at position 1 of '\\x80' not allowed)"
    )
    db.close()
