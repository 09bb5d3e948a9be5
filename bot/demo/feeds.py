"""Rendering the sample news as real feed documents, one format per outlet (RSS 2.0, RSS 1.0,
Atom, JSON Feed), so the demo exercises every parser path over HTTP."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from bot.demo.sample_news import BROKEN_OUTLET, ITEMS, OUTLETS, Item, Outlet


def _slugify(text: str, limit: int = 60) -> str:
    """A URL path word list, cut between words (not "…-seven-company-mode")."""
    slug = "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())
    return slug if len(slug) <= limit else slug[: limit + 1].rsplit("-", 1)[0]


def _link(outlet: Outlet, item: Item) -> str:
    # Tracking parameters on purpose: the pipeline must store the canonical URL without them.
    return f"{outlet.site}/news/{_slugify(item.title)}?utm_source=rss&utm_medium=feed"


def render_feed(outlet: Outlet, items: list[Item], now: datetime) -> tuple[bytes, str]:
    """(body, content type) for one outlet's feed."""
    dated = [(item, now - timedelta(hours=item.hours_ago)) for item in items]
    if outlet.format == "rss2":
        return _rss2(outlet, dated), "application/rss+xml; charset=utf-8"
    if outlet.format == "rss1":
        return _rss1(outlet, dated), "application/rdf+xml; charset=utf-8"
    if outlet.format == "atom":
        return _atom(outlet, dated), "application/atom+xml; charset=utf-8"
    if outlet.format == "jsonfeed":
        return _jsonfeed(outlet, dated), "application/feed+json"
    if outlet.format == "broken":
        # A common real-world breakage: the feed URL now serves an HTML page.
        page = b"<!doctype html><html><head><title>Page moved</title></head><body><p>Our feed has moved.</p></body></html>"
        return page, "text/html; charset=utf-8"
    raise ValueError(f"unknown feed format {outlet.format!r}")


def sample_feeds(now: datetime) -> dict[str, tuple[bytes, str]]:
    """Path -> (body, content type) for every demo outlet, plus the broken one."""
    feeds: dict[str, tuple[bytes, str]] = {}
    for outlet in OUTLETS:
        items = [i for i in ITEMS if i.outlet == outlet.slug]
        feeds[f"/{outlet.slug}/feed"] = render_feed(outlet, items, now)
    feeds[f"/{BROKEN_OUTLET.slug}/feed"] = render_feed(BROKEN_OUTLET, [], now)
    return feeds


def _rss2(outlet: Outlet, dated: list[tuple[Item, datetime]]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(item.title)}</title><link>{escape(_link(outlet, item))}</link>"
        f'<guid isPermaLink="false">{outlet.slug}-{_slugify(item.title)}</guid>'
        f"<pubDate>{format_datetime(when)}</pubDate>"
        f"<description>{escape('<p>' + escape(item.text) + '</p>')}</description></item>"
        for item, when in dated
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(outlet.name)}</title><link>{outlet.site}</link>"
        f"<description>News from {escape(outlet.name)}</description><ttl>5</ttl>"
        f"{entries}</channel></rss>"
    ).encode()


def _rss1(outlet: Outlet, dated: list[tuple[Item, datetime]]) -> bytes:
    entries = "".join(
        f'<item rdf:about="{escape(_link(outlet, item))}"><title>{escape(item.title)}</title>'
        f"<link>{escape(_link(outlet, item))}</link><description>{escape(item.text)}</description>"
        f"<dc:date>{when.isoformat()}</dc:date></item>"
        for item, when in dated
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="{outlet.site}"><title>{escape(outlet.name)}</title>'
        f"<link>{outlet.site}</link><description>News</description></channel>"
        f"{entries}</rdf:RDF>"
    ).encode()


def _atom(outlet: Outlet, dated: list[tuple[Item, datetime]]) -> bytes:
    updated = max((when for _, when in dated), default=None)
    entries = "".join(
        f"<entry><title>{escape(item.title)}</title>"
        f'<link rel="alternate" href="{escape(_link(outlet, item))}"/>'
        f"<id>tag:{outlet.slug},2026:{_slugify(item.title)}</id>"
        f"<updated>{when.isoformat()}</updated><published>{when.isoformat()}</published>"
        f'<summary type="html">{escape("<p>" + escape(item.text) + "</p>")}</summary></entry>'
        for item, when in dated
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(outlet.name)}</title><id>{outlet.site}/</id>"
        f'<link rel="alternate" href="{outlet.site}"/>'
        f"<updated>{updated.isoformat() if updated else ''}</updated>{entries}</feed>"
    ).encode()


def _jsonfeed(outlet: Outlet, dated: list[tuple[Item, datetime]]) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": outlet.name,
            "home_page_url": outlet.site,
            "items": [
                {
                    "id": f"{outlet.slug}-{_slugify(item.title)}",
                    "url": _link(outlet, item),
                    "title": item.title,
                    "content_text": item.text,
                    "date_published": when.isoformat(),
                }
                for item, when in dated
            ],
        }
    ).encode()
