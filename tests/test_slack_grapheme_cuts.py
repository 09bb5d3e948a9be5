"""A Slack cut (a header, a button's label, a card's lines: `head` and `truncate` in UTF-16 units)
never splits what shows as one character: a ZWJ family emoji, a flag's two regional indicators,
a letter and its combining accent, an Indic conjunct, an emoji and its skin tone or VS16, a keycap. Slack accepts the
halves, but they show as garbage ("👨‍…", a lone "🇩", a bare "e" where the text had "é")."""

from __future__ import annotations

import pytest

from bot.adapters.slack.escape import head, plain, truncate, units

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl
FLAG_DE = "\U0001f1e9\U0001f1ea"
E_ACUTE = "e\u0301"  # decomposed, as some feeds send it
THUMB_DARK = "\U0001f44d\U0001f3ff"
HEART = "\u2764\ufe0f"
KEYCAP_ONE = "1\ufe0f\u20e3"
KSSA = "\u0915\u094d\u0937"  # Devanagari conjunct: ka, virama, ssa
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"


@pytest.mark.parametrize(
    "cluster", [FAMILY, FLAG_DE, E_ACUTE, THUMB_DARK, HEART, KEYCAP_ONE, SCOTLAND, KSSA]
)
def test_no_cut_splits_a_cluster(cluster: str) -> None:
    text = "News " + cluster + " tail"
    for limit in range(units(text) + 1):
        cut = head(text, limit)
        assert units(cut) <= limit
        # Whole or not at all.
        assert cut in ("News "[: len(cut)], "News " + cluster, text[: len(cut)])
        assert not (5 < len(cut) < 5 + len(cluster)), (limit, cut)


def test_the_cut_keeps_what_fits_whole() -> None:
    text = "ab" + FLAG_DE + FLAG_DE + FLAG_DE + "cd"
    # 2 + 3 flags of 4 units: a limit of 13 keeps the first two flags, not the third's half.
    assert head(text, 13) == "ab" + FLAG_DE + FLAG_DE
    assert head(text, 14) == "ab" + FLAG_DE * 3
    # Regional indicators are paired from the start of their run, not from the cut.
    assert head("x" + FLAG_DE * 2, 7) == "x" + FLAG_DE


def test_a_150_unit_cut_of_feed_text_ends_on_whole_characters() -> None:
    # "g" with a tilde has no precomposed form, so no normalising joins it.
    for cluster in (FAMILY, FLAG_DE, "g\u0303", THUMB_DARK, SCOTLAND):
        for before in range(140, 150):
            text = "w" * before + cluster + " and more words after it"
            for cut in (plain(text, 150), truncate(text, 150)):
                assert cut.endswith("…") and units(cut) <= 150
                rest = cut.removesuffix("…").rstrip().removeprefix("w" * before)
                assert rest == "" or rest.startswith(cluster), (cluster, before, rest)


def test_ordinary_text_is_cut_where_it_was() -> None:
    assert head("plain text", 5) == "plain"
    assert head("caf\u00e9 au lait", 4) == "caf\u00e9"
    assert head("\U0001f600\U0001f600", 3) == "\U0001f600"
