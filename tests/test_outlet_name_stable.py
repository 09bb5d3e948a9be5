"""An outlet keeps the name a channel was shown it by: a later-seen, earlier-dated article from
the same site's other section feed neither renames it nor passes for a new voice in a thread
update."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from _newsroom import Newsroom

from bot.delivery.updates import worth_an_update
from bot.models import Article
from bot.outlets import outlet_names, story_outlets

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
FEEDS = {
    "world": ("Alpha World", "https://alpha.example"),
    "biz": ("Alpha Business", "https://alpha.example"),
    "beta": ("Beta", "https://beta.example"),
    "gamma": ("Gamma", "https://gamma.example"),
}
WORLD = (
    "Kestrel lander touches down near lunar south pole",
    "The European Space Agency said on Monday its Kestrel lander touched down near the lunar"
    " south pole after a three day descent, making it the first European craft to land on the Moon.",
)
BETA = (
    "European Kestrel lander reaches the Moon's south pole",
    "Europe's Kestrel probe landed on the Moon on Monday, space agency officials said, after a"
    " descent lasting three days. Mission controllers in Darmstadt celebrated as telemetry showed"
    " the lander upright and drawing power from its panels.",
)
BUSINESS = (
    "Kestrel Moon landing lifts European space stocks",
    "Shares in European space suppliers rose after the Kestrel lander touched down on the Moon,"
    " with investors betting on new ESA contracts for the lunar south pole programme.",
)
GAMMA = (
    "Kestrel lander sends first pictures from the lunar south pole",
    "The first images from Europe's Kestrel lander show a boulder-strewn crater rim near the"
    " Moon's south pole, agency scientists said, hours after the probe touched down on Monday.",
)


async def test_a_section_feed_dated_earlier_is_no_new_outlet(tmp_path: Path) -> None:
    async with Newsroom(tmp_path, FEEDS, T0) as room:
        room.publish("world", "w1", *WORLD)
        room.publish("beta", "b1", *BETA)
        await room.poll()
        (card,) = room.chat.cards()
        assert card.source_count == 2

        # Alpha's Business desk runs the story too, its item dated an hour before the World desk's.
        room.now += timedelta(hours=2)
        room.publish("biz", "z1", *BUSINESS, published=T0 - timedelta(hours=1))
        await room.poll()
        assert room.chat.updates() == []
        assert sorted(room.card().outlets) == ["Alpha World", "Beta"]

        # A new voice is announced, and only it.
        room.now += timedelta(hours=1)
        room.publish("gamma", "g1", *GAMMA)
        await room.poll()
        (update,) = room.chat.updates()
        assert update.new_outlets == ["Gamma"]
        assert sorted(room.card().outlets) == ["Alpha World", "Beta", "Gamma"]


def _article(id_: str, source: str, outlet: str, published: datetime, seen: datetime) -> Article:
    return Article(
        id=id_, source=source, title=id_, text="", outlet=outlet, published=published, seen=seen
    )


# As the store lists them: by first report (published time), so the Business item comes first.
MEMBERS = [
    _article(
        "z1", "Alpha Business", "alpha.example", T0 - timedelta(hours=1), T0 + timedelta(hours=2)
    ),
    _article("w1", "Alpha World", "alpha.example", T0, T0),
    _article("b1", "Beta", "beta.example", T0, T0),
]


def test_an_outlet_is_named_by_its_first_seen_article() -> None:
    assert outlet_names(MEMBERS) == ["Alpha World", "Alpha World", "Beta"]
    assert story_outlets(MEMBERS) == ["Alpha World", "Beta"]


def test_a_name_stored_under_the_old_rule_still_stands_for_its_outlet() -> None:
    # A post stored before names were settled by first sight named Alpha after its earliest-dated
    # article; the story's members map that name to the outlet the card now calls "Alpha World".
    decide = dict(source_count=2, wire_groups=[], shown_count=2, members=MEMBERS)
    shown = ["Alpha Business", "Beta"]
    assert not worth_an_update(outlets=["Alpha World", "Beta"], shown_outlets=shown, **decide)
    gamma = _article("g1", "Gamma", "gamma.example", T0, T0 + timedelta(hours=3))
    decide["members"] = [*MEMBERS, gamma]
    assert worth_an_update(outlets=["Alpha World", "Beta", "Gamma"], shown_outlets=shown, **decide)


def test_a_name_two_outlets_could_claim_is_no_alias() -> None:
    news = [
        _article("n1", "News", "one.example", T0, T0),
        _article("n2", "News", "two.example", T0, T0 + timedelta(hours=1)),
    ]
    assert outlet_names(news) == ["News", "News (two.example)"]
    # Shown only the first "News", the second site is a new outlet.
    assert worth_an_update(
        source_count=2,
        outlets=["News", "News (two.example)"],
        wire_groups=[],
        shown_count=2,
        shown_outlets=["News"],
        members=news,
    )
