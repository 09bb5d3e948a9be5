""" "Puts a figure on it:" only where the detail's main figure is the outlet's own, outside anyone's
quotation, and once a card: an editor found it on 11 of 55 cards, twice on one, before a
candidate's quotation for the crowd's size in its cue, and before a list's "•". Every sentence
here is invented."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angle_facts import key_figure_of_own
from bot.summarize.angle_lines import FIGURE_FRAMING, angle_line
from bot.summarize.angles import build_angles

ARTICLE = Article(id="a", source="Grell Observer", title="Ferry levy", text="Fares rose.")


def _line(sentence: str, numbers: list[str], words: list[str]) -> str:
    return angle_line(sentence, ARTICLE, [], numbers, words)


def test_an_incidental_figure_of_its_own_is_not_framed() -> None:
    # The week's count is everyone's; the forecast it beat is the outlet's, and incidental.
    sentence = "Crossings fell to 2,300 last week, below the board's forecast of 2,750."
    line = _line(sentence, ["2,750"], ["below", "forecast"])
    assert line and not line.startswith(FIGURE_FRAMING), line
    assert key_figure_of_own("Crossings rose to 2,750 last week.", ["2,750"])


def test_the_main_figure_of_its_own_is_framed() -> None:
    sentence = "The levy will raise 4.2 million a year for the new pier."
    assert _line(sentence, ["4.2 million"], ["raise", "pier"]).startswith(FIGURE_FRAMING)


def test_a_figure_in_a_quotation_or_its_cue_is_no_measure() -> None:
    quoted = "“We will sink 300 more piles before winter,” the harbour engineer told reporters."
    assert not _line(quoted, ["300"], ["sink", "piles", "winter"]).startswith(FIGURE_FRAMING)
    cue = "“Let us turn the levy into a pier,” Vald told about 600 islanders at the old quay."
    line = _line(cue, ["600"], ["levy", "pier", "proud"])
    assert line and not line.startswith(FIGURE_FRAMING), line


def test_a_list_marker_is_not_part_of_the_line() -> None:
    sentence = "• In May, crews on the Tallow route moved 1,800 crates of salt fish."
    line = _line(sentence, ["1,800"], ["crews", "crates", "salt"])
    assert "•" not in line and "In May, crews" in line, line


def test_a_card_puts_a_figure_on_it_once() -> None:
    outlets = ["Tarn Observer", "Wick Gazette", "Holm Herald"]
    articles = [
        Article(
            id="1",
            source=outlets[0],
            title="Canal city approves sea wall",
            text="The canal city approved a sea wall on Monday. Work begins in May.",
        ),
        Article(
            id="2",
            source=outlets[1],
            title="Sea wall gets go-ahead",
            text="Councillors backed the sea wall on Monday. The wall will shield 42,000 homes "
            "from storm surges along the lagoon.",
        ),
        Article(
            id="3",
            source=outlets[2],
            title="Sea wall backed",
            text="The city backed the sea wall on Monday. Dredgers will move 900,000 tonnes of "
            "silt from the harbour mouth first.",
        ),
    ]
    angles, _ = build_angles(articles, outlets, outlets[0])
    lines = [a.line for a in angles]
    assert len(lines) == 2 and all(("42,000" in li) != ("900,000" in li) for li in lines), lines
    assert sum(li.startswith(FIGURE_FRAMING) for li in lines) == 1, lines
