"""Slugs keep non-Latin letters; lookups find such stories by slug and by headline words."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.adapters.discord.views import FullBreakdownButton
from bot.cluster.slugs import make_slug
from bot.models import Article
from bot.topics.lookup import StoryRef, find_story, slugify

WHEN = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _slug(title: str, taken: set[str] | None = None) -> str:
    article = Article(id="1", source="Desk", title=title, text="")
    return make_slug([article], lambda s: s in (taken or set()))


def test_non_latin_titles_get_their_own_words() -> None:
    assert _slug("Мэрия Казани открыла мост") == "мэрия-казани"
    assert _slug("Σεισμός στη Ρόδο") == "σεισμός-στη"  # final sigma kept as written
    assert _slug("大阪で新橋が開通") == "大阪で新橋が開通"  # dakuten not stripped
    # Two different Cyrillic stories no longer collide on "story".
    assert _slug("Мэрия Казани открыла мост") != _slug("Пожар на складе в Томске")


def test_latin_slugs_are_unchanged() -> None:
    # The words are the rarest names ("rotterdam" over "crane"); the form is still plain ascii.
    assert _slug("Harbor crane collapse halts Rotterdam port traffic") == "harbor-rotterdam"
    assert _slug("Zürich café owners protest") == "zurich-cafe"
    assert re.fullmatch(r"[a-z0-9-]+", _slug("Ärzte in Köln streiken"))


def test_lookup_finds_non_latin_stories() -> None:
    bridge = StoryRef("s1", "мэрия-казани", (), "Мэрия Казани открыла мост", WHEN)
    # A story slugged before this change: ascii fallback, words only in the headline.
    fire = StoryRef("s2", "story-3", (), "Пожар на складе в Томске", WHEN)
    assert slugify("Мэрия Казани") == "мэрия-казани"
    assert find_story("Мэрия Казани", [bridge, fire]).story == bridge
    found = find_story("складе", [bridge, fire])
    assert (found.story, found.reason) == (fire, "search")
    # Nothing searchable at all: the newest stories are offered, as such.
    nothing = find_story("«»", [bridge, fire])
    assert (nothing.story, nothing.reason, len(nothing.suggestions)) == (None, "unusable", 2)


def test_discord_button_keeps_a_unicode_slug() -> None:
    button = FullBreakdownButton("мэрия-казани")
    assert button.item.custom_id == "nd:full:мэрия-казани"
    assert re.fullmatch(
        FullBreakdownButton.__discord_ui_compiled_template__, "nd:full:мэрия-казани"
    )
