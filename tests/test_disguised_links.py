"""Disguised links: a label that reads as another site's address than the link opens shows the
real host beside it on every platform, however the address in the label is dressed up
(invisible characters, look-alike dots and letters, fullwidth forms, platform escaping)."""

from __future__ import annotations

from bot.render.text import clean


def test_clean_drops_invisible_characters_but_keeps_joined_emoji() -> None:
    assert clean("bank\u200b.example\u2060 ba\u00adnk \ufeffx\u200ey\u200fz") == (
        "bank.example bank xyz"
    )
    # ZWJ sequences (👩‍💻), ZWNJ in Persian words and flag tag characters are kept whole.
    assert clean("👩\u200d💻 \u0645\u06cc\u200c\u0634\u0648\u062f") == (
        "👩\u200d💻 \u0645\u06cc\u200c\u0634\u0648\u062f"
    )
    england = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert clean(england) == england
