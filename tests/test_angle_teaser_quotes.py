"""A feed teaser cut mid-sentence ("... and ask whether the...") is no angle line, but what it
says up to its last clean clause boundary is the outlet's own words and may be the quote, with an
ellipsis owning up to the cut. (In a text of paragraphs: a feed's description of a sentence or
two is no article to quote, see test_angle_quote_sources.)"""

from __future__ import annotations

from test_angle_leads import angle_of_third as _third

from bot.summarize.grounding import ELLIPSIS


def test_a_teaser_cut_quotes_up_to_its_last_clause() -> None:
    line, quote = _third(
        "The rule also bans new licences in Heron Creek and Gull Creek from next spring.\n"
        "Residents of the old Tern Quay moorings, some there since 1980, plan a legal challenge "
        "to the licences at the High Court in Pell, and ask whether the..."
    )
    assert "Heron Creek" in line, line
    assert quote == (
        "Residents of the old Tern Quay moorings, some there since 1980, plan a legal challenge "
        f"to the licences at the High Court in Pell{ELLIPSIS}"
    ), quote


def test_a_teaser_without_a_clause_boundary_quotes_up_to_its_cut() -> None:
    _, quote = _third(
        "The rule also bans new licences in Heron Creek and Gull Creek from next spring.\n"
        "Residents of the old Tern Quay moorings fear the licences bans will end the boatbuilders and..."
    )
    assert quote == (
        "Residents of the old Tern Quay moorings fear the licences bans will end the "
        f"boatbuilders{ELLIPSIS}"
    ), quote


def test_a_fragment_teaser_gives_no_quote() -> None:
    _, quote = _third(
        "The rule also bans new licences in Heron Creek and Gull Creek from next spring.\n"
        "Tern Quay residents did not..."
    )
    assert "Tern" not in quote, quote
