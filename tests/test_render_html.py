"""The HTML digest: a standalone page, every part of a card, feed text escaped, safe links."""

from __future__ import annotations

from html.parser import HTMLParser

from _render_cards import CARD_PARTS, EVIL, make_card, make_digest

from bot.cards import SourceLink
from bot.models import Angle, Bullet
from bot.render import render_digest_html

# --- HTML --------------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    return collector


def test_html_is_standalone_page() -> None:
    page = render_digest_html(make_digest(make_card()))
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    tags = parse(page).tags
    names = {t for t, _ in tags}
    assert "script" not in names
    assert "link" not in names
    assert not any("src" in attrs for _, attrs in tags)
    assert "<style>" in page
    assert "Content-Security-Policy" in page


def test_html_card_has_every_part() -> None:
    page = render_digest_html(make_digest(make_card()))
    for part in (*CARD_PARTS, "as of 2h after first report", "Morning digest"):
        assert part in page, part
    # Held-back angles are folded into <details>, still readable offline.
    details = page[page.index("<details>") :]
    assert "Northgate Post" in details
    assert "Dune Radio" in details


def test_html_escapes_all_feed_text() -> None:
    card = make_card(
        headline=EVIL,
        slug='x" onmouseover="alert(1)',
        tldr=[Bullet(EVIL, ["a"])],
        sources=[SourceLink(EVIL, EVIL, "https://ok.example/?a=1&b=<2>")],
        angles=[Angle(EVIL, EVIL, EVIL, 'https://ok.example/"><script>')],
        also_reporting=[EVIL],
        topics=[EVIL],
    )
    digest = make_digest(card)
    digest.title = "<script>alert('t')</script>"
    digest.channel = "<img src=x onerror=alert(1)>"
    page = render_digest_html(digest)
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    for _, attrs in parse(page).tags:
        assert not any(name.startswith("on") for name in attrs)
    assert 'href="https://ok.example/?a=1&amp;b=&lt;2&gt;"' in page


def test_html_links_only_http_with_safe_rel() -> None:
    card = make_card(
        sources=[
            SourceLink("Good", "Good title", "https://good.example/story"),
            SourceLink("Bad", "Bad title", "javascript:alert(document.cookie)"),
            SourceLink("Data", "Data title", "data:text/html;base64,PHNjcmlwdD4="),
        ],
        angles=[Angle("Bad", "line", "quote", "JaVaScRiPt:alert(1)")],
    )
    page = render_digest_html(make_digest(card))
    links = [attrs for tag, attrs in parse(page).tags if tag == "a"]
    assert [a["href"] for a in links] == ["https://good.example/story"]
    assert all(a["rel"] == "noopener noreferrer nofollow" for a in links)
    assert "javascript" not in page.lower()
    assert "Bad title" in page


def test_html_empty_digest() -> None:
    page = render_digest_html(make_digest())
    assert "No new stories." in page
    assert "0 stories" in page
