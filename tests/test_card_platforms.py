"""A story card says the same things on Slack and Discord: the core's card decides the words
(`bot.cards.StoryCard`), each adapter only lays them out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.discord.embeds import card_embed
from bot.adapters.discord.views import card_buttons
from bot.adapters.slack.blocks import card_messages
from bot.cards import SourceLink, StoryCard
from bot.models import Angle, Bullet

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def _card(*, sources: int = 3, outlets: int = 3, **fields: object) -> StoryCard:
    names = ["Harbor Ledger", "Pinecrest Wire", "Valley Times", "Ridge Post", "Bay Courier"]
    card = StoryCard(
        story_id="a1b2c3d4e5f6",
        slug="lighthouse-grant",
        headline="Coastal towns win grant",
        source_count=sources,
        outlets=names[:outlets],
        tldr=[Bullet("Twelve lighthouses will be restored.", names[:2])],
        sources=[SourceLink("Harbor Ledger", "Grant", "https://ledger.example/a")],
        angles=[Angle("Valley Times", "Notes the storm damage.", None, None)],
        also_reporting=[],
        first_seen=T0,
        as_of=T0 + timedelta(hours=2),
    )
    for name, value in fields.items():
        setattr(card, name, value)
    return card


def _slack_count_line(card: StoryCard) -> str:
    (message,) = card_messages(card)
    context = message.blocks[1]
    assert context["type"] == "context"
    return str(context["elements"][0]["text"]).split(" · ")[0]


def _discord_count_line(card: StoryCard) -> str:
    return (card_embed(card).description or "").split("\n")[0]


@pytest.mark.parametrize(
    ("sources", "outlets", "label"),
    [
        (1, 1, "1 source tracking this story"),
        (3, 3, "3 sources tracking this story"),
        # Wire copy counted once: the note belongs to the count, in the card's own words.
        (3, 5, "3 sources tracking this story (5 outlets; shared wire copy counted once)"),
    ],
)
def test_both_platforms_show_the_cards_own_count_label(
    sources: int, outlets: int, label: str
) -> None:
    card = _card(sources=sources, outlets=outlets)
    assert card.sources_label == label
    assert _slack_count_line(card) == f"*{label}*"
    assert _discord_count_line(card) == f"**{label}**"


def _listing(*names: str) -> list[SourceLink]:
    return [
        SourceLink(name, f"Report {n}", f"https://{n}.example/a") for n, name in enumerate(names)
    ]


@pytest.mark.parametrize(
    ("sources", "outlets", "listed", "label"),
    [
        # Three feeds of one site, each listed under its own name: the count says why it is 1.
        (
            1,
            1,
            _listing("Alpha Post", "Beta Herald", "Gamma Daily"),
            "1 source tracking this story (1 outlet under 3 names; an outlet's feeds counted once)",
        ),
        # And both reasons at once.
        (
            2,
            3,
            _listing("Harbor Ledger", "Harbor Ledger Business", "Pinecrest Wire", "Valley Times"),
            "2 sources tracking this story (3 outlets under 4 names; an outlet's feeds and shared"
            " wire copy counted once)",
        ),
        # Two articles of one outlet under one name need no note.
        (1, 1, _listing("Harbor Ledger", "Harbor Ledger"), "1 source tracking this story"),
    ],
)
def test_a_count_below_the_names_listed_says_why(
    sources: int, outlets: int, listed: list[SourceLink], label: str
) -> None:
    card = _card(sources=sources, outlets=outlets)
    card.sources = listed
    assert card.sources_label == label
    assert _slack_count_line(card) == f"*{label}*"
    assert _discord_count_line(card) == f"**{label}**"


def _slack_buttons(card: StoryCard, *, full: bool = False) -> list[tuple[str, str]]:
    (message, *_) = card_messages(card, full=full)
    (actions,) = [b for b in message.blocks if b["type"] == "actions"]
    return [(e["text"]["text"], e["value"]) for e in actions["elements"]]


def _discord_buttons(card: StoryCard, *, full: bool = False) -> list[tuple[str, str]]:
    out = []
    for item in card_buttons(card, full=full):
        button = item.item  # type: ignore[attr-defined]
        # `nd:<action>:<value>`; a follow button's story id after it only keeps ids unique.
        out.append((button.label, button.custom_id.split(":")[2]))
    return out


@pytest.mark.parametrize(
    ("follow_topics", "full", "buttons"),
    [
        # A matched topic the channel does not follow yet is offered by name.
        (
            ["semis"],
            False,
            [
                ("Full breakdown", "lighthouse-grant"),
                ("Follow semis", "semis"),
                ("Mute story", "a1b2c3d4e5f6"),
            ],
        ),
        # None to offer: a new topic, named after the story (Slack drew no button here).
        (
            [],
            False,
            [
                ("Full breakdown", "lighthouse-grant"),
                ("Follow topic", "lighthouse-grant"),
                ("Mute story", "a1b2c3d4e5f6"),
            ],
        ),
        # The breakdown itself offers no "Full breakdown" (Discord's did, opening it again).
        (["semis"], True, [("Follow semis", "semis"), ("Mute story", "a1b2c3d4e5f6")]),
        # A topic that is no slug (a hand-edited database) is never offered: Discord's button
        # followed "chips-ai" for "Chips & AI".
        (
            ["Chips & AI"],
            False,
            [
                ("Full breakdown", "lighthouse-grant"),
                ("Follow topic", "lighthouse-grant"),
                ("Mute story", "a1b2c3d4e5f6"),
            ],
        ),
    ],
)
def test_both_platforms_draw_the_cards_own_buttons(
    follow_topics: list[str], full: bool, buttons: list[tuple[str, str]]
) -> None:
    card = _card(follow_topics=follow_topics)
    assert [(a.label, a.value) for a in card.actions(full=full)] == buttons
    assert _slack_buttons(card, full=full) == buttons
    assert _discord_buttons(card, full=full) == buttons


def _slack_lines(card: StoryCard) -> list[str]:
    (message,) = card_messages(card)
    texts = [str(b["text"]["text"]) for b in message.blocks if b["type"] == "section"]
    return [line for text in texts for line in text.split("\n")]


def _discord_lines(card: StoryCard) -> list[str]:
    return [line for field in card_embed(card).fields for line in str(field.value).split("\n")]


def _slack_styled(note: str) -> str:
    return "_" + note.replace("/story lighthouse-grant", "`/story lighthouse-grant`") + "_"


def test_both_platforms_say_the_cards_own_more_note() -> None:
    # Slack said "_…and 2 more: `/story x`_" of sources and "_+1 more: `/story x`_" of angles,
    # Discord "+2 more sources (/story x)" and "+1 more (use /story x)": one wording now, the
    # core's, which each platform only styles (Slack: in italics, the command a code span).
    card = _card(sources=8, outlets=5)
    names = [f"Outlet {i}" for i in range(8)]
    title = "A long title about the lighthouse grant " * 4
    card.sources = [SourceLink(n, title, f"https://o{i}.example/a") for i, n in enumerate(names)]
    card.angles = [Angle(n, "Notes the storm damage.", None, None) for n in names[:4]]
    angles_note = card.more_label(1)
    assert angles_note == "+1 more (use /story lighthouse-grant)"
    assert _slack_styled(angles_note) in _slack_lines(card)
    assert angles_note in _discord_lines(card)
    # Sources: each platform shows as many as fit, and names the rest the same way, as the
    # outlets they are (one line each), not "sources", which the header counts otherwise.
    for lines, style in ((_slack_lines(card), _slack_styled), (_discord_lines(card), str)):
        (held,) = [line for line in lines if " more outlet" in line]
        count = int(held.lstrip("_+").split()[0])
        assert held == style(card.more_label(count, "outlet"))
