"""Names opening on a capital outside A-Z ("Élodie", "Ørsted", "Владимир") are checked against the
sources like any other name, accent- and case-insensitively."""

from __future__ import annotations

import pytest
from test_summarize_fixtures import harbor_bridge_story

from bot.outlets import outlet_names
from bot.summarize import summarize
from bot.summarize.grounding import entities, ungrounded
from bot.summarize.llm_check import LLMRejected, check_answer

SOURCES = [
    "Mayor Elena Brandt met Élodie Ñúñez of Ørsted and Владимир Путин in Zürich. "
    "ŁÓDŹ and Αθήνα sent envoys."
]


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Mayor Élodie Ñúñez said repairs would begin.", ["Mayor Élodie Ñúñez"]),
        ("The talks were led by Ángela Ruiz.", ["Ángela Ruiz"]),
        ("Brandt met Ørjan Berg in Zürich.", ["Ørjan Berg"]),
        ("Brandt met Дмитрий Медведев.", ["Дмитрий Медведев"]),
        ("Envoys came from Θεσσαλονίκη.", ["Θεσσαλονίκη"]),
        # Opening the sentence does not let it pass either.
        ("Ærø sent envoys.", ["Ærø"]),
    ],
)
def test_an_invented_name_with_a_non_ascii_capital_is_not_grounded(
    text: str, missing: list[str]
) -> None:
    assert ungrounded(text, SOURCES) == missing


@pytest.mark.parametrize(
    "text",
    [
        "Élodie Ñúñez met Brandt.",
        # Accents and case do not matter, as for any name.
        "Elodie Nunez of Orsted met Brandt in ZURICH.",
        "ÉLODIE ÑÚÑEZ met Brandt.",
        "Brandt met Владимир Путин; Łódź and Αθήνα sent envoys.",
    ],
)
def test_a_name_with_a_non_ascii_capital_that_the_sources_give_is_grounded(text: str) -> None:
    assert ungrounded(text, SOURCES) == []


def test_non_ascii_capitals_start_entities() -> None:
    assert entities("Brandt met Élodie Ñúñez and Владимир Путин.") == [
        "Élodie Ñúñez",
        "Владимир Путин",
    ]


def test_the_llm_answer_naming_an_invented_accented_person_is_rejected() -> None:
    articles = harbor_bridge_story()
    closed = (
        "Millbrook closed its harbor bridge on Tuesday after a storm left cracks in the main span."
    )
    answer = {
        "tldr": [
            closed,
            "Mayor Élodie Ñúñez said repairs would begin once inspections are complete.",
        ]
    }
    with pytest.raises(LLMRejected, match="Élodie"):
        check_answer(answer, articles, outlet_names(articles), summarize(articles))
