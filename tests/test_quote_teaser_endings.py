"""A teaser cut mid-phrase quotes only up to words that finish something: not a possessive whose
noun the cut took ("... found that Warden Holt's…"), nor a that/whether clause with no verb yet;
and a cut teaser is quoted only when the outlet has no complete sentence to give."""

from __future__ import annotations

import pytest
from test_angle_leads import angle_of_third as _third

from bot.summarize.grounding import ELLIPSIS
from bot.summarize.quotes import teaser_quote


@pytest.mark.parametrize(
    "teaser",
    [
        "A review commissioned by the river trust last winter concluded that Warden Holt's...",
        "Auditors reading the harbour accounts for the past three years found the moorings'...",
        "Boat owners living on the Tern Quay moorings this summer still do not know whether the "
        "council...",
        "The marina's long-serving manager told a packed public meeting on Monday that the new "
        "harbour...",
    ],
)
def test_a_teaser_never_ends_on_a_possessive_or_an_open_clause(teaser: str) -> None:
    quote = teaser_quote(teaser)
    if quote:
        last = quote.removesuffix(ELLIPSIS).split()[-1].casefold()
        assert not last.endswith(("'s", "’s", "s'", "s’")), quote
        assert "that" not in quote.split()[-3:] and "whether" not in quote.split()[-3:], quote


def test_a_complete_sentence_is_quoted_before_a_cut_teaser() -> None:
    _, quote = _third(
        "The rule also bans new licences in Heron Creek and Gull Creek from next spring. "
        "Boatbuilders at the Tern Quay yards expect to lose 30 orders worth some 900,000 euros "
        "and say apprentices from Pell and Orrin will be let go, while the...\n"
        "Harbour warden Ilse Varnholt said she would count the boats again in October. "
        "Several yards have already stopped taking apprentices until October."
    )
    # The two complete sentences back each other (October): one is the line, the other the quote.
    assert quote == (
        "Harbour warden Ilse Varnholt said she would count the boats again in October."
    ), quote
