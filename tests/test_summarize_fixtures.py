"""Small synthetic multi-outlet stories for the summariser tests (invented text, no real news)."""

from __future__ import annotations

from bot.models import Article


def art(i: int, source: str, title: str, text: str) -> Article:
    """An article with a numbered id, for stories written inline in a test."""
    return Article(id=str(i), source=source, title=title, text=text)


def tram_strike_story(*, extra: bool = True) -> list[Article]:
    """Two outlets give one strike in two spellings ("strike for 48 hours" / "a 48-hour strike",
    the second adding "two days"); `extra`: each also has a second sentence of its own."""
    post = "Tram crews in Lindmoor will strike for 48 hours from Monday after wage talks failed."
    ledger = (
        "Riders in Lindmoor face two days without trams after the drivers' union called a "
        "48-hour strike."
    )
    if extra:
        post += " The city plans 150 replacement coaches."
        ledger += " Ticket offices will stay open."
    return [
        Article(id="1", source="Harbour Post", title="Tram crews set 48-hour walkout in Lindmoor",
                text=post),
        Article(id="2", source="Valley Ledger", title="Lindmoor riders brace for tram stoppage",
                text=ledger),
    ]  # fmt: skip


def harbor_bridge_story() -> list[Article]:
    """Four outlets on one invented event; Coastline Times adds a number, Valley Echo adds nothing."""
    return [
        Article(
            id="a1",
            source="Harbor Daily",
            title="Storm closes Millbrook harbor bridge after cracks found - Harbor Daily",
            text=(
                "The Millbrook harbor bridge was closed on Tuesday after engineers found cracks in "
                "its main span following a powerful storm, city officials said. "
                "Traffic was diverted to the northern ring road. "
                "Mayor Elena Brandt said repairs would begin once inspections are complete."
            ),
            url="https://harbor.example/bridge",
        ),
        Article(
            id="a2",
            source="Coastline Times",
            title="MILLBROOK BRIDGE SHUT AFTER STORM DAMAGE",
            text=(
                "Engineers found cracks in the main span of the Millbrook harbor bridge after the "
                "storm, and the city closed the bridge on Tuesday. "
                "The repair bill could reach $14 million, according to an estimate by Fulton "
                "Engineering, and the work may take eight months."
            ),
            url="https://coastline.example/millbrook",
        ),
        Article(
            id="a3",
            source="Regional Wire",
            title="Millbrook closes harbor bridge as storm leaves cracks in main span",
            text=(
                "Millbrook closed its harbor bridge on Tuesday after a storm left cracks in the "
                "main span. "
                "Ferry operator Bluewater Lines added extra crossings for commuters while the "
                "bridge stays shut."
            ),
            url="https://wire.example/harbor-bridge",
        ),
        Article(
            id="a4",
            source="Valley Echo",
            title="Harbor bridge closed after storm",
            text="The Millbrook harbor bridge was closed on Tuesday after cracks were found.",
            url="https://echo.example/bridge",
        ),
    ]
