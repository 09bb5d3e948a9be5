"""Checking a feed URL a person typed (the network guard runs again at fetch time)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.app import NewsDigest
from bot.cli import cli
from bot.commands import CommandContext, Commands
from bot.feedurls import FeedUrlError, check_feed_url
from bot.store import feeds as feed_store


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example/rss",
        "http://[::1]:8080/feed",
        "https://bücher.example/feed",
        "<https://news.example/rss>",
    ],
)
def test_good_urls(url: str) -> None:
    assert check_feed_url(url).startswith("http")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("file:///etc/passwd", "only http"),
        ("javascript:alert(1)", "only http"),
        ("https:///nohost", "no host"),
        ("https://user:pw@news.example/rss", "user name or password"),
        # A password with no user name is still a secret kept in the stored URL.
        ("https://:secret@news.example/rss", "user name or password"),
        ("http://<!channel>.example/", "not a valid host"),
        ("https://news.example/a b", "spaces"),
        ("http://[oops/feed", "not a valid URL"),
        ("https://news.example]/rss", "not a valid URL"),
        ("https://news.example:99999/rss", "not a valid URL"),
    ],
)
def test_bad_urls(url: str, problem: str) -> None:
    with pytest.raises(FeedUrlError, match=problem):
        check_feed_url(url)


async def test_feeds_add_in_chat_says_what_is_wrong_with_a_malformed_url(core: NewsDigest) -> None:
    admin = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)
    reply = await Commands(core).dispatch("feeds", "add http://[oops/feed", admin)
    assert "not a valid URL" in reply.text and "Invalid IPv6 URL" in reply.text
    assert feed_store.get_feed(core.db, "http://[oops/feed") is None


def test_opml_import_skips_a_malformed_url_and_keeps_going(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    opml = tmp_path / "subs.opml"
    opml.write_bytes(
        b'<?xml version="1.0"?><opml version="2.0"><head/><body>'
        b'<outline text="A" xmlUrl="https://a.example/feed"/>'
        b'<outline text="Broken" xmlUrl="http://[oops/feed"/>'
        b'<outline text="C" xmlUrl="https://c.example/feed"/>'
        b"</body></opml>"
    )

    result = CliRunner().invoke(cli, ["feeds", "import", str(opml)])

    assert result.exit_code == 0, result.output
    listed = CliRunner().invoke(cli, ["feeds", "list"]).output
    assert "a.example" in listed and "c.example" in listed


def test_a_host_label_of_63_characters_is_the_longest_dns_allows() -> None:
    longest = "https://" + "a" * 63 + ".example/rss"
    assert check_feed_url(longest) == longest
    with pytest.raises(FeedUrlError, match="a label of 64 characters: DNS allows 63"):
        check_feed_url("https://" + "a" * 64 + ".example/rss")
