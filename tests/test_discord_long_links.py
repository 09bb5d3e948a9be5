"""Long URLs in Discord cards: a masked link is whole or replaced by its label, never cut through
its markup; a long source URL never leaves the Sources field without a source; and the embed's
own url stays within what Discord accepts."""

from __future__ import annotations

import re

import discord
from test_discord_embeds import make_card

from bot.adapters.discord.embeds import (
    EMBED_URL_LIMIT,
    FIELD_VALUE_LIMIT,
    MAX_LINK_CHARS,
    card_embeds,
)
from bot.adapters.discord.escape import utf16_len
from bot.cards import SourceLink
from bot.models import Angle

HUGE = "https://news.example.com/article?" + "&".join(f"id{i}=abcdefgh" for i in range(100))
ARTICLE = (
    "https://www.example-news.com/world/europe/2025/03/01/coastal-towns-win-40m-lighthouse"
    "-restoration-grant-after-years-of-storm-damage-officials-say/"
)
# An unescaped "](" opens a masked link's target; it must be closed by ")" in the same value.
_OPENED = re.compile(r"(?<!\\)\]\(")
_WHOLE = re.compile(r"(?<!\\)\]\(https?://[^()\s]+\)")


def _fields(embeds: list[discord.Embed]) -> dict[str, str]:
    return {f.name or "": f.value or "" for e in embeds for f in e.fields}


def _assert_links_whole(embeds: list[discord.Embed]) -> None:
    for value in _fields(embeds).values():
        assert utf16_len(value) <= FIELD_VALUE_LIMIT
        assert len(_OPENED.findall(value)) == len(_WHOLE.findall(value)), value[-120:]


def test_a_source_with_a_huge_url_shows_its_label_in_compact_and_full_cards() -> None:
    assert len(HUGE) > MAX_LINK_CHARS
    card = make_card(
        sources=[
            SourceLink("Harbor Ledger", "Grant lights up the coast", HUGE),
            SourceLink("Valley Times", "Towns get the money", "https://valley.example/b"),
        ]
    )
    for full in (False, True):
        embeds = card_embeds(card, full=full)
        _assert_links_whole(embeds)
        assert _fields(embeds)["Sources"] == (
            "• Harbor Ledger: Grant lights up the coast\n"
            "• [Valley Times: Towns get the money](https://valley.example/b)"
        )


def test_long_links_that_fit_are_kept_whole_in_the_compact_card() -> None:
    url = "https://news.example.com/a?" + "x" * 450  # the markup is just under MAX_LINK_CHARS
    sources = [SourceLink(f"Outlet {i}", "Grant lights up the coast", url) for i in range(8)]
    (embed,) = card_embeds(make_card(sources=sources))
    value = _fields([embed])["Sources"]
    assert value == (
        f"• [Outlet 0: Grant lights up the coast]({url})\n+7 more outlets (use /story lighthouse-grant)"
    )
    _assert_links_whole([embed])


def test_an_angles_read_link_is_never_the_part_cut() -> None:
    angle = Angle(
        "Valley Times", "The mayor says " + "word " * 110, "We will " + "rebuild " * 40, ARTICLE
    )
    for full in (False, True):
        embeds = card_embeds(make_card(angles=[angle]), full=full)
        value = _fields(embeds)["1. Valley Times"]
        assert value.endswith(f"[Read →]({ARTICLE})")
        assert "\n> “We will rebuild" in value and value.startswith("The mayor says word")
        _assert_links_whole(embeds)


def test_an_angle_with_a_huge_url_has_no_read_link() -> None:
    angle = Angle("Valley Times", "Notes the storm damage.", "The lamp went dark.", HUGE)
    (embed,) = card_embeds(make_card(angles=[angle]))
    assert _fields([embed])["1. Valley Times"] == "Notes the storm damage.\n> “The lamp went dark.”"


def test_the_embed_url_skips_a_source_url_discord_would_refuse() -> None:
    too_long = "https://news.example.com/a?q=" + "x" * EMBED_URL_LIMIT
    two = [
        SourceLink("Harbor Ledger", "Grant lights up the coast", too_long),
        SourceLink("Valley Times", "Towns get the money", "https://valley.example/b"),
    ]
    (embed,) = card_embeds(make_card(sources=two))
    assert embed.url == "https://valley.example/b"
    (alone,) = card_embeds(make_card(sources=two[:1]))
    assert alone.url is None and "url" not in alone.to_dict()
