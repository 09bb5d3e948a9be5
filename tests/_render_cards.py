"""The story card and digest the renderer tests draw, the parts every renderer shows of it, and a
console renderer's output as text."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from rich.console import Console

from bot.cards import Digest, SourceLink, StoryCard
from bot.models import Angle, Bullet

FIRST = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
OUTLETS = ["Harbor Ledger", "Pinecrest Wire", "Valley Times", "Northgate Post", "Dune Radio"]


def make_card(**overrides: object) -> StoryCard:
    fields: dict[str, object] = {
        "story_id": "s1",
        "slug": "lighthouse-grant",
        "headline": "Coastal towns win $40M lighthouse restoration grant",
        "source_count": 4,
        "outlets": list(OUTLETS),
        "tldr": [
            Bullet("Twelve lighthouses will be restored by 2027.", OUTLETS[:4]),
            Bullet("Volunteers will staff the beacons on weekends.", OUTLETS[:1]),
        ],
        "sources": [
            SourceLink("Harbor Ledger", "Grant lights up the coast", "https://ledger.example/a"),
            SourceLink("Pinecrest Wire", "Towns get restoration money", None),
        ],
        "angles": [
            Angle("Harbor Ledger", "Names the twelve towns.", "Every keeper cheered.", None),
            Angle("Pinecrest Wire", "Puts a cost per beacon.", "“About $3M each.”", None),
            Angle("Valley Times", "Notes the 2019 storm damage.", "The lamp went dark.", None),
            Angle("Northgate Post", "Quotes a skeptical mayor.", "Roads come first.", None),
            Angle("Dune Radio", "Interviews a keeper's family.", "We grew up here.", None),
        ],
        "also_reporting": ["Bay Courier", "Tide Journal"],
        "first_seen": FIRST,
        "as_of": FIRST + timedelta(hours=2),
        "wire_groups": [["Valley Times", "Dune Radio"]],
    }
    fields.update(overrides)
    return StoryCard(**fields)  # type: ignore[arg-type]


# What the console and the HTML renderer both show of make_card(), in one place so a change to
# the sample card is made once.
CARD_PARTS = (
    "Coastal towns win $40M lighthouse restoration grant",
    "4 sources tracking this story",
    "/story lighthouse-grant",
    "TL;DR",
    "(reported by 4 of 4)",
    "Grant lights up the coast",
    "What others are reporting",
    "“Every keeper cheered.”",
    "+2 more (use /story lighthouse-grant)",
    "Also reporting: Bay Courier, Tide Journal",
)


def make_digest(*cards: StoryCard) -> Digest:
    return Digest(
        channel="#coast",
        cards=list(cards),
        generated_at=datetime(2025, 3, 1, 10, 0, tzinfo=UTC),
        title="Morning digest",
    )


def console_output(draw: Callable[..., None], subject: object, **kwargs: object) -> str:
    buffer = io.StringIO()
    draw(subject, Console(file=buffer, width=100, color_system=None), **kwargs)
    return buffer.getvalue()


EVIL = "[bold red]pwned[/bold red] [link=https://evil.example]click[/link] <script>x</script>"
