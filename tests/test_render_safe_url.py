"""`safe_url` and `clean`, which every renderer shares: which links a card may carry, and
which characters of feed text it may show."""

from __future__ import annotations

import pytest

from bot.adapters.discord.escape import escape, masked_link
from bot.adapters.slack.escape import slack_link
from bot.render.text import clean, safe_url

# --- shared helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://a.example/x?y=1&z=2", True),
        ("http://a.example", True),
        ("HTTPS://A.EXAMPLE/", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("https:///nohost", False),
        ("//a.example/x", False),
        ("ftp://a.example", False),
        ("https://a.example/\x1b]8;;", False),
        (None, False),
        ("", False),
    ],
)
def test_safe_url(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) == ok


@pytest.mark.parametrize(
    "url",
    [
        "https://exa\u202emple.com/",  # right-to-left override: the host reads reversed
        "https://a.example/\u2067x\u2069",  # isolates around the path
        "https://bank\u200b.example/",  # zero-width space hides in the host
        "https://a.example/\u00adlogin",  # soft hyphen
        "https://a.example/\ufeff",  # byte order mark / zero-width no-break space
    ],
)
def test_safe_url_refuses_invisible_format_characters(url: str) -> None:
    # A printed link with a bidi control or other format character can show a different address
    # than the one it opens, so it is rendered as text, never as a link.
    assert safe_url(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # the cloud metadata address
        "http://127.0.0.1:8080/admin/delete?all=1",
        "http://127.1/",  # shorthand, decimal and hex spellings browsers accept
        "http://2130706433/",
        "http://0x7f000001/",
        "http://192.168.1.1/cgi-bin/reboot",
        "http://10.0.0.5/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://localhost:631/admin",
        "http://printer.localhost/",
        "http://127\u30020\u30020\u30021/",  # ideographic stops read as dots
    ],
)
def test_safe_url_refuses_links_into_the_readers_own_network(url: str) -> None:
    # A click from chat would send the reader's browser to their own machine or network.
    assert safe_url(url) is None
    assert slack_link(url, "Read") == "Read"
    assert masked_link(escape("Read"), url, raw="Read") == "Read"


@pytest.mark.parametrize("url", ["http://8.8.8.8/x", "http://intranet/hr", "https://a.example/"])
def test_safe_url_keeps_public_addresses_and_names(url: str) -> None:
    # A name is not resolved to check it (renderers never ask DNS): an intranet page by name
    # stays a link.
    assert safe_url(url) == url


def test_safe_url_keeps_visible_unicode() -> None:
    # The host in the ASCII form a browser resolves; the path, query and fragment as written.
    assert safe_url("https://bücher.example/straße") == "https://xn--bcher-kva.example/straße"
    assert safe_url("https://bücher.example/straße?q=ü#é") == (
        "https://xn--bcher-kva.example/straße?q=ü#é"
    )


def test_clean_strips_control_and_bidi_characters() -> None:
    assert clean("a\x1b[31mb\u202ec\n\nd\t e") == "a [31mb c d e"
