"""Cutting Slack text to a limit: only an entity genuinely cut in half is dropped, so a plain `&`
("AT&T", "Q&A") never takes the rest of a headline with it."""

from __future__ import annotations

from test_slack_blocks import make_card

from bot.adapters.slack.blocks import MAX_HEADER_CHARS, button, card_messages, header
from bot.adapters.slack.escape import slack_escape, truncate
from bot.cards import SourceLink

LONG = (
    "AT&T and Verizon agree to share rural towers in a deal regulators say could bring coverage"
    " to millions of households across the Midwest within two years"
)


def test_a_long_header_with_an_ampersand_keeps_its_text() -> None:
    shown = header(LONG)["text"]["text"]
    assert len(shown) == MAX_HEADER_CHARS and shown.endswith("…")
    assert shown.startswith("AT&T and Verizon agree") and "within two ye" in shown
    assert header("Q&A: " + "x" * 200)["text"]["text"].startswith("Q&A: xxx")


def test_a_button_label_with_an_ampersand_keeps_its_text() -> None:
    label = button("Follow R&D " + "y" * 100, "a", "v")["text"]["text"]
    assert label.startswith("Follow R&D yyy") and len(label) == 75


def test_an_entity_cut_in_half_is_still_dropped() -> None:
    escaped = slack_escape("Q" * 10 + " & more")  # "QQQQQQQQQQ &amp; more"
    for limit in range(13, 17):  # cuts after "&", "&a", "&am", "&amp"
        assert truncate(escaped, limit) == "Q" * 10 + "…"
    assert truncate(escaped, 18) == "Q" * 10 + " &amp;…"
    # A plain "&T" at the cut is text when the caller says the text is not escaped.
    assert truncate("AT&T rocks", 5, escaped=False) == "AT&T…"


def test_a_long_source_title_with_an_ampersand_keeps_its_text() -> None:
    title = "P&O ferries " + "z" * 400
    card = make_card(sources=[SourceLink("Harbor Ledger", title, "https://e.example/po")])
    text = "".join(b["text"]["text"] for b in card_messages(card)[0].blocks if "text" in b)
    assert "|P&amp;O ferries zzz" in text
