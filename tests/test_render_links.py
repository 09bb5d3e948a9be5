"""Feed links read the way a browser reads them (bot/render/links.py), on every platform.

A reader clicks what the platform's client opens, and clients follow the WHATWG URL standard,
not urllib: a backslash is a slash, the user info ends at the last "@", and a host is
percent-decoded and mapped from full-width and other compatibility forms before it is resolved.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from rich.console import Console

from bot.adapters.discord.embeds import card_embeds
from bot.adapters.discord.escape import masked_link
from bot.adapters.slack.blocks import card_messages
from bot.adapters.slack.escape import slack_link
from bot.cards import SourceLink, StoryCard
from bot.models import Angle
from bot.render.console import render_card_console
from bot.render.html import render_card_html
from bot.render.text import disguised_link, render_card_text, safe_url, url_host

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
BACKSLASH = "https://evil.example\\@bank.example/login"


def _card(url: str, title: str = "bank.example login") -> StoryCard:
    return StoryCard(
        story_id="a1b2c3d4e5f6",
        slug="lighthouse-grant",
        headline="Coastal towns win grant",
        source_count=1,
        outlets=["Bank"],
        tldr=[],
        sources=[SourceLink("Bank", title, url)],
        angles=[],
        also_reporting=[],
        first_seen=T0,
        as_of=T0 + timedelta(hours=2),
    )


def _slack_source_line(card: StoryCard) -> str:
    for block in card_messages(card)[0].blocks:
        if block["type"] == "section" and block["text"]["text"].startswith("*Sources*"):
            return block["text"]["text"].splitlines()[1]
    raise AssertionError("no Sources section")


def _discord_sources(card: StoryCard) -> str:
    (embed,) = card_embeds(card)
    return next(f.value for f in embed.fields if f.name == "Sources")


def _html_source_line(card: StoryCard) -> str:
    return next(line for line in render_card_html(card).splitlines() if "Bank" in line)


def _console_source_line(card: StoryCard) -> str:
    console = Console(file=StringIO(), width=200, color_system=None)
    render_card_console(card, console)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    return next(line for line in output.splitlines() if "Bank:" in line).strip(" │")


# --- a backslash is a slash ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host"),
    [
        (BACKSLASH, "evil.example"),
        ("https://evil.example\\.bank.example/login", "evil.example"),
        ("https://bank.example@evil.example/", "evil.example"),
        ("https://a@b@evil.example/", "evil.example"),  # the last "@" ends the user info
        ("http:\\\\evil.example\\x", "evil.example"),
        ("https://bank.example#@evil.example", "bank.example"),
        ("\x00 https://evil.example/ \x1f", "evil.example"),  # C0 and spaces around go
        ("https://evil.exa\tmple/", "evil.example"),  # as do tabs and newlines inside
        ("https://www.bank.example/", "bank.example"),
    ],
)
def test_url_host_is_the_host_a_browser_opens(url: str, host: str) -> None:
    assert url_host(url) == host


def test_a_backslash_link_is_noted_and_opens_what_it_names_on_slack() -> None:
    assert _slack_source_line(_card(BACKSLASH)) == (
        "• *Bank*: <https://evil.example/@bank.example/login|bank.example login> (evil.example)"
    )


def test_a_backslash_link_is_noted_and_opens_what_it_names_on_discord() -> None:
    assert _discord_sources(_card(BACKSLASH)) == (
        "• [Bank: bank.example login](https://evil.example/@bank.example/login) (evil.example)"
    )


def test_a_backslash_link_is_noted_and_opens_what_it_names_in_html() -> None:
    assert _html_source_line(_card(BACKSLASH)) == (
        '<li><strong>Bank</strong>: <a href="https://evil.example/@bank.example/login" '
        'rel="noopener noreferrer nofollow">bank.example login</a> (evil.example)</li>'
    )


def test_a_backslash_link_shows_its_real_host_in_the_console() -> None:
    assert _console_source_line(_card(BACKSLASH)) == "• Bank: bank.example login (evil.example)"


def test_the_plain_text_card_prints_the_url_it_checked() -> None:
    assert "  • Bank: bank.example login — https://evil.example/@bank.example/login" in (
        render_card_text(_card(BACKSLASH)).splitlines()
    )


def test_a_label_naming_the_host_behind_a_backslash_is_disguised() -> None:
    assert disguised_link("bank.example login", BACKSLASH)
    assert not disguised_link("evil.example login", BACKSLASH)


def test_a_backslash_cannot_hide_an_internal_host() -> None:
    assert safe_url("http://127.0.0.1\\@ok.example/") is None
    assert slack_link("http://127.0.0.1\\@ok.example/", "Read") == "Read"


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        # The link is rebuilt from what was read: no user info, no backslash, ASCII host.
        ("https://bank.example@evil.example/x", "https://evil.example/x"),
        ("HTTPS://News.Example/Story?a=1", "https://news.example/Story?a=1"),
        ("https://news.example/a\\b?q=c\\d#e\\f", "https://news.example/a/b?q=c%5Cd#e%5Cf"),
        ("https://\uff42\uff41\uff4e\uff4b.example/", "https://bank.example/"),
        ("https://%62ank.example/", "https://bank.example/"),
        ("https://m\u00fcnchen.example/tram", "https://xn--mnchen-3ya.example/tram"),
        ("https://news.example:0443/", "https://news.example:443/"),
        ("https://news.example:/", "https://news.example/"),
        # The host ends at the backslash; the rest is the path, as the browser reads it.
        ("http://ok.example:80\\@127.0.0.1/x", "http://ok.example:80/@127.0.0.1/x"),
    ],
)
def test_safe_url_links_the_url_it_read(url: str, linked: str) -> None:
    assert safe_url(url) == linked


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example:99999/",  # port out of range
        "https://news.example:8o/",
        "https://bank%00.example/",  # a decoded host with a forbidden character
        "https://bank%2fevil.example/",
        "https://%ff.example/",  # not UTF-8
        "https://bank%e2%80%8b.example/",  # a zero-width space, percent-encoded
        "http://1.2.3.4.5/",  # a number last, but no IPv4 address
        "http://256.0.0.1/",
        "http://0x100000000/",
        "http://[::1%25eth0]/",  # zone ids are not valid in a URL
        "http://[::1/",
        "https:/news.example/",
        "https:///news.example/",
        "https://@/",
    ],
)
def test_a_host_that_does_not_read_is_not_linked(url: str) -> None:
    assert safe_url(url) is None
    assert url_host(url) == ""


# --- every spelling of an internal address ---------------------------------------------------

INTERNAL = [
    "http://%31%36%39.254.169.254/latest/meta-data/",
    "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11:8080/admin",  # full-width digits and dots
    "http://\u2460\u2461\u2466.0.0.1/",  # circled digits
    "http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/admin",  # full-width letters
    "http://127%2e0%2e0%2e1/",
    "http://localhost%2e/",
    "http://LOCALHOST./",
    "http://127.0.0.1\uff0e/",
    "http://0x7f.1/",
    "http://0177.0.0.1/",
    "http://0x7F.0.0.1/",
    "http://2130706433/",
    "http://017700000001/",
    "http://127.1/",
    "http://0/",
    "http://169.254.169.254./",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://user:pw@127.0.0.1/",
    "http://ok.example@127.0.0.1/",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_no_spelling_of_an_internal_address_is_linked(url: str) -> None:
    assert safe_url(url) is None
    assert slack_link(url, "Read more") == "Read more"
    assert masked_link("Read more", url) == "Read more"
    card = _card(url, "Read more")
    assert _slack_source_line(card) == "• *Bank*: Read more"
    assert _discord_sources(card) == "• Bank: Read more"
    (embed,) = card_embeds(card)
    assert embed.url is None
    assert _html_source_line(card) == "<li><strong>Bank</strong>: Read more</li>"


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("http://8.8.8.8/x", "http://8.8.8.8/x"),
        ("http://0x8.0x8.0x8.0x8/x", "http://8.8.8.8/x"),  # the address a browser opens
        ("http://134744072/", "http://8.8.8.8/"),
        ("http://[2606:4700::1111]/", "http://[2606:4700::1111]/"),
        ("http://intranet/hr", "http://intranet/hr"),
        ("http://127.0.0.1.example/", "http://127.0.0.1.example/"),  # a name, not a number
    ],
)
def test_public_addresses_in_any_spelling_stay_links(url: str, linked: str) -> None:
    assert safe_url(url) == linked


def test_a_trailing_unicode_space_is_dropped_not_the_link() -> None:
    # A CMS's trailing &nbsp; was stripped before links were read the browsers' way; it still is.
    assert safe_url("https://example.com/news\xa0") == "https://example.com/news"
    assert safe_url("\u2003https://example.com/news") == "https://example.com/news"
    assert safe_url("https://exa\xa0mple.com/") is None  # inside the address: refused, as before


def test_an_outlet_named_by_its_host_is_not_followed_by_that_host_in_the_console() -> None:
    # A feed with no name of its own appears under its host: "(host)" after it said it twice.
    card = _card("https://www.harbourcast.example/a/1", "Quay reopens")
    card.sources = [SourceLink("harbourcast.example", "Quay reopens", card.sources[0].url)]
    card.angles = [Angle("harbourcast.example", "Adds the cost.", "", card.sources[0].url)]
    console = Console(file=StringIO(), width=200, color_system=None)
    render_card_console(card, console)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    lines = [line.strip(" │") for line in output.splitlines() if "harbourcast" in line]
    assert lines == ["• harbourcast.example: Quay reopens", "1. harbourcast.example"]


def test_an_outlet_named_otherwise_still_shows_the_host_it_links_to() -> None:
    # The host in brackets is the link's real destination: a name that is another host keeps it.
    card = _card("https://evil.example/x", "Quay reopens")
    card.sources = [SourceLink("bank.example", "Quay reopens", "https://evil.example/x")]
    console = Console(file=StringIO(), width=200, color_system=None)
    render_card_console(card, console)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert "• bank.example: Quay reopens (evil.example)" in output
