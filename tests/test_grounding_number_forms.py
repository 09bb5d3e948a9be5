"""A figure the model writes in a number character that is no decimal digit (a Roman numeral,
a circled or parenthesised number, a fraction) is checked like one in digits: "Ⅸ months" is not
the sources' eight months, and such a character no longer slips past the fact check."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _llm_writer import llm_summary
from fakes.llm_api import serve_completions

from bot.summarize.grounding import ungrounded
from bot.summarize.llm_facts import misstated
from bot.textutil import number_forms_as_digits
from tests.test_summarize_fixtures import harbor_bridge_story
from tests.test_summarize_llm import GOOD

# GOOD's second bullet, with the sources' "eight months" written otherwise.
LASTS = "The repair bill could reach $14 million and the work may take {} months."


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(b"") as url:
        yield url


def _with_months(months: str) -> dict[str, object]:
    return {**GOOD, "tldr": [GOOD["tldr"][0], LASTS.format(months)]}


@pytest.mark.parametrize(
    "months",
    [
        "\u2168",  # Ⅸ, Roman numeral nine
        "\u2468",  # ⑨, circled nine
        "\u277e",  # ❾, dingbat negative circled nine
        "\u247c",  # ⑼, parenthesised nine
        "\u2170\u2170",  # ⅱⅱ, small Roman numerals written side by side
        "\u00bd",  # ½
    ],
)
def test_a_number_character_the_sources_do_not_give_is_refused(endpoint: str, months: str) -> None:
    summary = llm_summary(endpoint, _with_months(months), harbor_bridge_story())
    assert summary.writer == "extractive"


@pytest.mark.parametrize("months", ["\u2167", "\u2467"])  # Ⅷ, ⑧
def test_a_number_character_the_sources_give_in_words_passes(endpoint: str, months: str) -> None:
    summary = llm_summary(endpoint, _with_months(months), harbor_bridge_story())
    assert summary.writer == "llm"
    assert summary.tldr[1].text == LASTS.format(months)


def test_the_fact_checks_read_the_character_as_its_number() -> None:
    sources = ["Four ministers resigned on Monday; the inquiry may take 3 weeks."]
    assert ungrounded("The inquiry may take \u2462 weeks.", sources) == []  # ③
    assert ungrounded("The inquiry may take \u2465 weeks.", sources) == ["6"]  # ⑥
    # Grounded as a number, but the sources count weeks with it, never ministers.
    assert misstated("\u2162 ministers resigned.", sources) is not None  # Ⅲ


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Pius \u2166 wrote", "Pius 7 wrote"),
        ("a 4\u00bd hour wait", "a 4 0.5 hour wait"),
        ("item \u2473.", "item 20."),  # ⑳
        # A power or a note mark glued to its word is no figure of its own.
        ("50 km\u00b2 of land", "50 km\u00b2 of land"),
        ("10\u2079 cells", "10\u2079 cells"),
        ("as she said\u00b9", "as she said\u00b9"),
        ("\u2079 months", "9 months"),
        ("plain ASCII 12", "plain ASCII 12"),
    ],
)
def test_number_characters_as_digits(text: str, read: str) -> None:
    assert number_forms_as_digits(text) == read
