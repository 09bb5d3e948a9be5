"""The "Puts a figure on it" framing only for a figure the card and the other outlets do not give already;
a figure the outlet alone gives still earns it."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angles import build_angles

OUTLETS = ["Tarn Observer", "Wick Gazette", "Holm Herald"]


def _lines(third_text: str, headline: str = "") -> dict[str, str]:
    articles = [
        Article(
            id="1",
            source=OUTLETS[0],
            title="Canal city approves €1.8 billion sea wall",
            text="The canal city approved a €1.8 billion sea wall on Monday. Work begins in May.",
        ),
        Article(
            id="2",
            source=OUTLETS[1],
            title="Sea wall costing €1.8 billion gets go-ahead",
            text="Councillors backed the €1.8 billion sea wall on Monday. Fishermen objected.",
        ),
        Article(id="3", source=OUTLETS[2], title="Sea wall backed", text=third_text),
    ]
    angles, _ = build_angles(articles, OUTLETS, OUTLETS[0], headline=headline)
    return {a.source: a.line for a in angles}


def test_a_scaled_figure_the_others_give_is_not_put_as_a_figure() -> None:
    lines = _lines(
        "The city backed the sea wall on Monday. Engineers warned the €1.8 billion bill would "
        "crowd out dredging of the harbour mouth for a decade.",
        headline="Canal city approves €1.8 billion sea wall",
    )
    assert OUTLETS[2] in lines, lines
    assert not lines[OUTLETS[2]].startswith("Puts a figure on it"), lines


def test_a_figure_only_this_outlet_gives_is_put_as_a_figure() -> None:
    lines = _lines(
        "The city backed the sea wall on Monday. The wall will shield 42,000 homes from storm "
        "surges along the lagoon."
    )
    assert lines.get(OUTLETS[2], "").startswith("Puts a figure on it"), lines
