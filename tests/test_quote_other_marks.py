"""Quotations in »…« (German and Danish) and English marks inside a German „…“ pair read as
paired, so a sentence holding one can be an angle's quote; the quote is still the outlet's words
verbatim, and a mark left open still keeps a sentence from being quoted.

Every sentence here is written for the tests."""

from __future__ import annotations

from bot.models import Article
from bot.summarize import quote_marks
from bot.summarize.grounding import is_verbatim
from bot.summarize.quote_marks import open_quotes, quotation_bounds, quoted_spans
from bot.summarize.quotes import Told, pick_quote, verbatim_quote

POINTED = "Die Hafenmeisterin sagte am Montag, »der alte Steg bleibt bis zum Sommer gesperrt«."
NESTED = "Der Fischer sagte: „Die Gebühr ist “reiner Wucher” und trifft die kleinen Boote.“"


def _picked(sentence: str) -> str:
    article = Article(id="1", source="Tolberg Bote", title="Steg gesperrt", text=sentence)
    return pick_quote([(1.0, sentence, article, sentence.split())], Told())


def test_pointed_marks_opening_with_the_right_one_pair() -> None:
    assert open_quotes(POINTED) == []
    assert quoted_spans(POINTED) == ["der alte Steg bleibt bis zum Sommer gesperrt"]
    # French «…» still pairs the other way round.
    assert quoted_spans("Elle a dit «le quai reste fermé» lundi.") == ["le quai reste fermé"]


def test_a_sentence_quoting_in_pointed_marks_is_quoted_verbatim() -> None:
    assert verbatim_quote(POINTED, POINTED, ["Steg"]) == POINTED
    quote = _picked(POINTED)
    assert quote == POINTED and is_verbatim(quote, POINTED)


def test_english_marks_inside_a_german_quotation_pair() -> None:
    assert open_quotes(NESTED) == []
    assert sorted(quoted_spans(NESTED)) == sorted(
        ["reiner Wucher", "Die Gebühr ist “reiner Wucher” und trifft die kleinen Boote."]
    )
    quote = _picked(NESTED)
    assert quote == NESTED and is_verbatim(quote, NESTED)


def test_a_german_closing_mark_still_closes_its_german_quotation() -> None:
    # "“" at a word's end closes „…“; only one at a word's start opens an English quotation.
    said = "„Wir bauen den Steg neu“, sagte die Hafenmeisterin."
    assert open_quotes(said) == [] and quoted_spans(said) == ["Wir bauen den Steg neu"]


def test_a_mark_left_open_still_keeps_a_sentence_unquoted() -> None:
    # The window's own words, verbatim, are not enough: whose words end where must be plain.
    for sentence in (
        "Die Hafenmeisterin sagte am Montag, »der alte Steg bleibt bis zum Sommer gesperrt.",
        "Der Fischer sagte: „Die Gebühr ist “reiner Wucher” und trifft die kleinen Boote.",
    ):
        assert open_quotes(sentence) != []
        assert verbatim_quote(sentence, sentence, ["Steg"]) == ""


def test_a_kept_reading_is_handed_out_afresh_each_time() -> None:
    # A sentence's reading of its marks is kept for the next rule that asks: a caller changing
    # the list it got must not change what the next one reads.
    text = "The mayor said “we will reopen the pier and «then the quay"
    first = open_quotes(text)
    assert len(first) == 2
    first.clear()
    assert len(open_quotes(text)) == 2
    bounds = quotation_bounds("She called it “a ‘total’ mess” on Friday.")
    bounds.append((0, 0))
    assert quotation_bounds("She called it “a ‘total’ mess” on Friday.") == [(18, 23), (15, 29)]


def test_a_reading_of_many_marks_is_read_again_not_kept() -> None:
    # A 2,000-character sentence of nested quotations kept 113 KiB of spans in the cache.
    quote_marks._kept_reading.cache_clear()
    hostile = "“" * 999 + "x" + "”" * 999
    assert len(quotation_bounds(hostile)) == 999
    assert quote_marks._kept_reading(hostile) is None
    # A real sentence's reading is kept, and the hostile one is read right each time.
    plain = "She called it “a ‘total’ mess” on Friday."
    assert quotation_bounds(plain) == [(18, 23), (15, 29)]
    assert quote_marks._kept_reading(plain) is not None
    assert len(quotation_bounds(hostile)) == 999
    # The few big readings are kept apart, a handful of them: 113 KiB each, not 16,384.
    for i in range(100):
        assert len(quotation_bounds(f"{i} {hostile}")) == 999
    assert quote_marks._kept_big_reading.cache_info().maxsize == quote_marks.MAX_KEPT_BIG <= 64
