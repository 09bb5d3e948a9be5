"""After a bare "Credit:" a name is a credit whatever its shape (initials, particles, a hyphen,
capitals, "Courtesy of ...", a handout), and a headline that shows itself one (a possessive, a
lowercase word, a run-on past four words) is reporting: "Credit:" also heads a credit-market
item. A short title-case headline without one of a headline's verbs ("Ferry Chief Quits") reads
as a name: the rule in bot/credit_names.py does not guess from word endings, which lost real
photographers' credits."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_boilerplate, is_caption, is_credit, strip_boilerplate
from bot.credit_names import named_credit_end
from bot.summarize.text_headline import headline_from_text


@pytest.mark.parametrize(
    "line",
    [
        "Credit: Dr. B. Okafor",
        "Credit: B. Okafor",
        "Credit: A. Okafor",
        "Credit: Dr. A. Okafor",
        "Credit: Nell B. Okafor",
        "Credit: Nell van der Berg",
        "Credit: Marie-Claire de la Fosse",
        "Credit: NELL OKAFOR",
        "Credit: Courtesy of Nell Okafor",
        "Credit: Courtesy Harbour Museum",
        "Credit: Handout",
        "Credit: Pool photo",
        "Credit: Nell Okafor",
        "Credit: Harbour Press",
        "Credit: Rui O'Hara, Port Ellis University",
    ],
)
def test_a_name_after_a_credit_label_is_a_credit(line: str) -> None:
    assert is_boilerplate(line), line
    assert is_credit(line), line
    assert strip_boilerplate(f"The quay reopened.\n{line}") == "The quay reopened."


@pytest.mark.parametrize(
    "line",
    [
        "Credit: Harbour Bank Profit Falls Sharply Again",
        "Credit: Brightmill's Bonds Downgraded",
        "Credit: Lenders pull back from the port deal",
        "Credit: Lenders Pull Back From Port Deal",
    ],
)
def test_a_headline_after_a_credit_label_is_reporting(line: str) -> None:
    assert not is_boilerplate(line), line
    assert not is_credit(line), line
    text = f"Markets were calm.\n{line}\nBond prices fell."
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize(
    "line",
    [
        "Credit: Lars Ekberg",
        "Credit: Jens Arvid",
        "Credit: Nils Dahl",
        "Credit: Imants Ozols",
        "Credit: Rosa Hughes Carter",
        "Credit: Piet Jan Evers",
        "Credit: Ana Luisa Pires",
        "Credit: Anna Lee Bowers",
        "Credit: Tove Lund Peters for The Harbour Courier",
    ],
)
def test_a_name_ending_like_a_verb_or_plural_is_still_a_credit(line: str) -> None:
    assert is_credit(line), line
    story = "The quay council voted on Monday to widen the old slipway."
    assert strip_boilerplate(f"{line}\n{story}") == story


def test_an_untitled_story_under_a_credit_gets_its_own_headline() -> None:
    body = strip_boilerplate(
        "Credit: Nils Dahl\nThe quay council voted on Monday to widen the old slipway."
    )
    assert headline_from_text(body).startswith("The quay council voted")


def test_a_name_ends_where_the_caption_runs_on() -> None:
    text = "Credit: Dr. B. Okafor. Crowds gathered."
    assert text[: named_credit_end(text, len("Credit: "))] == "Credit: Dr. B. Okafor"
    assert is_credit(text)


@pytest.mark.parametrize(
    "line",
    [
        "Credit: Pooled savings rose 3% in June, the lender said.",
        "Credit: Filers of late returns paid more in fines.",
        "Credit: Handouts to small ferry firms ended in March.",
        "Credit: File transfers were slowed by the outage.",
    ],
)
def test_a_word_starting_like_handout_pool_or_file_is_reporting(line: str) -> None:
    assert not is_caption(line), line
    assert not is_credit(line), line


@pytest.mark.parametrize(
    "line",
    ["Credit: Handout", "Credit: Pool", "Credit: File", "Credit: File photo/Nell Okafor"],
)
def test_handout_pool_or_file_alone_is_a_credit(line: str) -> None:
    assert is_caption(line), line
    assert is_credit(line), line
