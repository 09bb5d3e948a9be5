"""Small synthetic multi-outlet stories for the summariser tests (invented text, no real news)."""

from __future__ import annotations

from bot.models import Article


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
