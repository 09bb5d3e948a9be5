"""Private feeds' tokens hidden by their shape, key names behind a percent-encoded `=`, `:` or
`/`, and a slug that merely ends in a key word shown whole."""

from __future__ import annotations

import pytest

from bot.redact import hidden_in_text, hidden_url

HEX = "0123456789abcdef" * 2


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        # A key-named segment whose mark was percent-encoded, in any case.
        ("https://ex.example/rss/apikey%3DK1b2c3", "https://ex.example/rss/apikey%3D…"),
        ("https://ex.example/rss/api_key%3dK1b2c3", "https://ex.example/rss/api_key%3d…"),
        ("https://ex.example/rss/token%3AK1b2c3", "https://ex.example/rss/token%3A…"),
        ("https://ex.example/apikey%2FK1b2c3/rss", "https://ex.example/apikey%2F…/rss"),
        ("https://ex.example/rss/%2Fapikey%2FK1b2c3", "https://ex.example/rss/%2Fapikey%2F…"),
        # Private feeds' shapes: a calendar's private address, a podcast host's per-listener
        # feed, a Telegram bot token.
        (
            f"https://cal.example/ical/team%40group.example/private-{HEX}/basic.ics",
            "https://cal.example/ical/team%40group.example/private-…/basic.ics",
        ),
        (f"https://pods.example/episodes/{HEX}.xml", "https://pods.example/episodes/…"),
        (f"https://reader.example/starred/{HEX}/rss", "https://reader.example/starred/…/rss"),
        (
            "https://api.example/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ/getUpdates",
            "https://api.example/…/getUpdates",
        ),
    ],
)
def test_a_private_feeds_token_is_hidden(url: str, shown: str) -> None:
    assert hidden_url(url) == shown
    assert hidden_in_text(f"failed: {url}.") == f"failed: {shown}."


@pytest.mark.parametrize(
    "url",
    [
        # A slug ending in a key's name is a title, not a name before a key.
        "https://ex.example/2025/02/19/how-not-to-format-a-private-key/feed/",
        "https://ex.example/2024/05/01/how-to-rotate-an-api-key/amp/",
        # Hex ids of images, articles and avatars are no feed's token.
        f"https://img.example/avatar/{HEX}",
        f"https://ex.example/wp-content/uploads/2026/02/{HEX}.jpg",
        f"https://ex.example/news/long-story-title/news-story/{HEX}",
        # A `private-` slug with words is a headline.
        "https://ex.example/news/private-health-patients-find-exclusions/106325324",
    ],
)
def test_ids_and_slugs_stay_shown(url: str) -> None:
    assert hidden_url(url) == url


def test_a_short_name_ending_in_a_key_word_still_names_a_key() -> None:
    assert hidden_url("https://ex.example/v1/my_access_token/K1b2c3") == (
        "https://ex.example/v1/my_access_token/…"
    )
