"""A headline made from body text (no item has a title) starts after the dateline, keeps the
text's own case, leaves out a picture credit after " | ", and is never cut to a name and a
dateline or in the middle of a place name."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.headline import choose_headline


def _headline(*texts: str) -> str:
    articles = [
        Article(id=str(i), source=f"Outlet {i}", title="", text=t) for i, t in enumerate(texts)
    ]
    return choose_headline(articles)[0]


@pytest.mark.parametrize(
    "dateline",
    [
        "BRISTOL (AP) — ",
        "PORT ELLIS, Maine (AP) — ",
        "BRISTOL, England — ",
        "BRISTOL — ",
        "BRISTOL, May 3 (Reuters) - ",
        "ST. CLOUD, Minn. -- ",
        "(CNN) — ",
        "(Wire Service) BRISTOL (AP) — ",
        "BRISTOL | BRISTOL (Reuters) - ",
        "Updated | ",
    ],
)
def test_a_dateline_is_not_part_of_the_headline(dateline: str) -> None:
    headline = _headline(
        f"{dateline}Marta Feld, a baker who opened the first night bakery in town, has died. "
        "She was 61."
    )
    assert headline == "Marta Feld, a baker who opened the first night bakery in town, has died"


def test_body_text_keeps_its_own_case() -> None:
    headline = _headline("OSLO — The NATO drill off the coast near Tromsø ended on Friday.")
    assert headline == "The NATO drill off the coast near Tromsø ended on Friday"


def test_a_long_sentence_after_a_dateline_is_not_cut_to_a_name() -> None:
    headline = _headline(
        "GLASGOW (Reuters) — Irvine Dalgety, a boatwright who built the ferry fleet of the "
        "Clyde Isles line, was found dead at his workshop on Tuesday night, police said."
    )
    assert "GLASGOW" not in headline and "Reuters" not in headline, headline
    assert "was found dead" in headline or len(headline.split()) >= 10, headline


def test_a_credit_after_a_bar_is_left_out() -> None:
    headline = _headline(
        "Crews cleared the last snow from Route 9 on Sunday night. | Ola Berg/Northway Press "
        "Plows lined up at the depot before dawn."
    )
    assert headline == "Crews cleared the last snow from Route 9 on Sunday night"


def test_a_cut_never_splits_a_place_name() -> None:
    headline = _headline(
        "Forecasters said the storm would bring snow and strong winds to the hills of northern "
        "New Mexico and southern Colorado by the weekend."
    )
    assert headline == "Forecasters said the storm would bring snow and strong winds", headline
    assert not headline.removesuffix(ELLIPSIS).endswith("New"), headline
    assert len(headline.split()) <= 16, headline


def test_a_name_before_a_dash_is_no_dateline_when_it_is_an_initialism() -> None:
    headline = _headline(
        "U.S. — Marovia trade talks collapsed on Friday after negotiators failed to agree."
    )
    assert headline.startswith("U.S. — Marovia trade talks collapsed")
