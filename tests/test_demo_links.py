"""The demo's article links read as real ones: a path of whole title words, never cut mid-word."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.demo.feeds import _link
from bot.demo.sample_news import ITEMS, OUTLETS


def test_every_demo_link_ends_on_a_whole_word_of_its_title() -> None:
    outlet = OUTLETS[0]
    for item in ITEMS:
        path = urlsplit(_link(outlet, item)).path.rsplit("/", 1)[1]
        words = path.split("-")
        title = "".join(ch if ch.isalnum() else " " for ch in item.title.lower()).split()
        assert len(path) <= 60 and words == title[: len(words)], (item.title, path)
