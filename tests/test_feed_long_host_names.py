"""A host name no DNS can look up though every character of it is fine: a label longer than 63
characters, a name longer than 253, or (stored by an older version) a space in it. The first two
were added, then the resolver's idna codec raised a UnicodeError at every poll, which failed as
"internal error" for good and was never disabled; a redirect to one did the same to any feed.
Adding one is refused now, a stored one is disabled at its next poll as an unusable address, and
a redirect to one is a failure like any other, retried. Real SQLite file, real loopback server,
the system's resolver (which refuses such a name before asking DNS)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from _cli_env import cli_env
from click.testing import CliRunner

from bot.cli import cli
from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.feedurls import FeedUrlError, check_feed_url
from bot.ingest.netguard import resolve_host
from bot.ingest.policy import UNUSABLE
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store
from bot.store.database import iso, open_database

NOW = datetime(2031, 4, 7, 9, 0, tzinfo=UTC)
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0, max_failures=5)
LABEL_64 = "a" * 64 + ".example"
LONG_LABEL = f"http://{LABEL_64}/rss"
# Five labels of 60 and ".example": 312 characters.
NAME_312 = ".".join(["b" * 60] * 5) + ".example"
SPACED = "https://exa mple.com/rss"


def test_adding_a_label_longer_than_63_characters_is_refused() -> None:
    with pytest.raises(FeedUrlError) as info:
        check_feed_url(LONG_LABEL)
    assert str(info.value) == (
        f"{LABEL_64!r} is not a valid host name (a label of 64 characters: DNS allows 63)"
    )


def test_adding_a_name_longer_than_253_characters_is_refused() -> None:
    with pytest.raises(FeedUrlError) as info:
        check_feed_url(f"https://{NAME_312}/rss")
    assert str(info.value) == (
        f"{NAME_312!r} is not a valid host name (312 characters: DNS allows 253)"
    )


def test_names_at_the_limits_are_still_added() -> None:
    """A guard: passes on the code before this change too, and keeps names at the DNS limits
    (a 63-character label, a 253-character name) added."""
    label_63 = "a" * 63 + ".example"
    name_253 = ".".join(["c" * 63] * 3) + "." + "d" * 61
    assert len(name_253) == 253
    assert check_feed_url(f"http://{label_63}/rss") == f"http://{label_63}/rss"
    assert check_feed_url(f"http://{name_253}./rss") == f"http://{name_253}./rss"
    assert check_feed_url("http://[::1]:8080/rss") == "http://[::1]:8080/rss"


def test_feeds_add_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli_env(tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["feeds", "add", LONG_LABEL])
    assert result.exit_code != 0
    assert "is not a valid host name (a label of 64 characters: DNS allows 63)" in result.output


async def test_the_resolver_refusing_such_a_name_is_a_network_failure() -> None:
    # The guard's own check comes first at a poll; the connection's resolve must not crash
    # on one either.
    with pytest.raises(httpx.ConnectError, match=f"cannot resolve {LABEL_64}: "):
        await resolve_host(LABEL_64, 80, allow_private_networks=False)


@pytest.mark.parametrize(
    ("url", "shown", "why"),
    [
        (LONG_LABEL, LONG_LABEL, "a label of 64 characters: DNS allows 63"),
        (f"http://{NAME_312}/rss", f"http://{NAME_312}/rss", "312 characters: DNS allows 253"),
        # It was retried with backoff for good, DNS failing to find "exa%20mple.com".
        (SPACED, "https://exa%20mple.com/rss", "a space in it"),
    ],
    ids=["label", "name", "space"],
)
async def test_a_stored_one_is_disabled_at_its_next_poll_as_an_unusable_address(
    tmp_path: Path, url: str, shown: str, why: str
) -> None:
    db = open_database(tmp_path / "nd.db")
    # As an older version stored it, the URL as typed.
    db["feeds"].insert({"url": url, "poll_interval": 1800, "origin": "cli", "created_at": iso(NOW)})

    report = await poll_feeds(db, POLLING, now=NOW)

    stored = feed_store.get_feed(db, url)
    assert stored is not None
    error = f"invalid URL {shown!r}: its host name is not valid ({why})"
    assert stored.last_error == error
    assert stored.disabled_reason is not None
    assert stored.disabled_reason.startswith(f"{UNUSABLE}{error}, which no poll can fetch")
    assert [r.status for r in report.feeds] == ["disabled"]
    db.close()


async def test_a_redirect_to_one_is_a_failure_retried(server: FeedServer, tmp_path: Path) -> None:
    server.route("/moved", Reply(status=302, headers={"Location": LONG_LABEL}))
    db = open_database(tmp_path / "nd.db")
    moved = feed_store.add_feed(db, server.url("/moved"))

    await poll_feeds(db, POLLING, now=NOW)

    redirected = feed_store.get_feed(db, moved.url)
    assert redirected is not None
    # A redirect's host may be the server's passing mistake (or a hostile server's).
    assert redirected.disabled_reason is None
    assert redirected.consecutive_failures == 1
    assert redirected.last_error == (
        f"invalid URL {LONG_LABEL!r}: its host name is not valid (a label of 64 characters:"
        " DNS allows 63)"
    )
    db.close()
