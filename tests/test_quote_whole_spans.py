"""A quote windowed out of a long sentence is a span that says something: it ends at a clause
boundary or a phrase's end, never just after "told the paper that he", never on a condition
without its consequence, and never with a quotation it opened left unclosed."""

from __future__ import annotations

from bot.summarize.grounding import ELLIPSIS
from bot.summarize.quote_marks import open_quotes
from bot.summarize.quotes import verbatim_quote


def _quote(sentence: str, focus: str) -> str:
    return verbatim_quote(sentence, sentence, [focus])


def test_a_report_cut_just_after_its_verb_is_no_quote() -> None:
    sentence = (
        "Ilse Varnholt, who has repaired the lock gates at Tern Quay for thirty long winters, told "
        "the Pellmouth Gazette that she learned of the closure from a notice pinned to the gate of "
        "the yard on Monday."
    )
    quote = _quote(sentence, "Varnholt")
    body = quote.removesuffix(ELLIPSIS)
    assert not body.endswith(("that she learned", "that she", "learned of")), quote


def test_a_condition_cut_before_its_consequence_is_no_quote() -> None:
    sentence = (
        "If the harbour board did decide to close the yard, or even sell the western slipway, it "
        "would be “a far larger blow than anything the storms did,” the union's Marit Olsberg "
        "said on Tuesday evening."
    )
    quote = _quote(sentence, "harbour")
    assert (
        quote
        != f"If the harbour board did decide to close the yard, or even sell the western slipway{ELLIPSIS}"
    )
    assert not quote.endswith(f"slipway{ELLIPSIS}"), quote


def test_a_quotation_opened_inside_the_window_is_closed_in_it_or_not_quoted() -> None:
    sentence = (
        "He ‘had a ringside seat to the long decline of the Tern Quay yards, a trade founded in "
        "1890 partly by his grandfather and run for years by his uncles,’ the harbour historian "
        "wrote in her column."
    )
    quote = _quote(sentence, "ringside")
    assert not open_quotes(quote.replace(ELLIPSIS, " ").strip()[1:]), quote


def test_neither_a_list_of_adjectives_nor_a_report_before_its_content_ends_a_quote() -> None:
    sentence = (
        "But the harbour master spoke for many in the deeply divided, badly frightened crews of "
        "the western yards when she said that the board would have to rebuild trust first."
    )
    quote = _quote(sentence, "harbour")
    assert not quote.endswith(f"divided{ELLIPSIS}"), quote
    assert not quote.endswith(f"that the board{ELLIPSIS}"), quote


def test_a_quote_does_not_end_inside_a_list() -> None:
    sentence = (
        "Congratulatory messages for council leader Anna Holt, expected to become the next mayor, "
        "poured in from Lyon, Oslo, the U.S., Japan and other nations after the count."
    )
    quote = _quote(sentence, "Congratulatory")
    assert not quote.endswith((f"the U.S.{ELLIPSIS}", f"Oslo{ELLIPSIS}")), quote
    listed = (
        "Congratulatory messages for council leader Anna Holt, expected to become the next mayor "
        "of the city, poured in from Lyon, Oslo, the U.S., Japan and other nations."
    )
    quote = _quote(listed, "Congratulatory")
    assert not quote.endswith(f"Japan{ELLIPSIS}"), quote


def test_a_quote_does_not_end_before_the_complement_its_clause_needs() -> None:
    hosted = (
        "In the more than a century since the fair was first held in Tolberg, Vennmark, in 1924, "
        "the festival has been hosted by 21 cities across 13 countries and three continents."
    )
    larger = (
        "If the council did decide to shut the western yard, or even sell the slipway, it would "
        "be “something much larger, likely” than “anything the storms of the last decade did to "
        "the port,” she said."
    )
    urged = (
        "Orla Brenne, who heads a small research group in Pellmouth and has studied the estuary "
        "for more than a full decade, has urged guests to stay away from the harbour gala on Friday."
    )
    for sentence, focus in ((hosted, "fair"), (larger, "council"), (urged, "Brenne")):
        quote = _quote(sentence, focus)
        body = quote.removesuffix(ELLIPSIS).rstrip("”’")
        assert not body.endswith(("hosted", "likely", "urged guests", "first held")), quote


def test_a_sentence_opening_inside_someones_words_is_no_quote() -> None:
    # The splitter parts a quotation of two sentences: the second, alone, closes a quotation it
    # never opened, and reads as the outlet's words up to a stray mark.
    text = (
        "Brandt spoke at the ceremony. She said “The crossing cost 40 million crowns to build. "
        "We are proud of every one of the 600 crews,” to loud applause from the crowd."
    )
    tail = "We are proud of every one of the 600 crews,” to loud applause from the crowd."
    assert verbatim_quote(tail, text, ["crews"]) == ""
    # Whole, the quotation pairs and is quoted.
    whole = "She said “The crossing cost 40 million crowns to build. We are proud,” to applause."
    assert verbatim_quote(whole, whole, ["crossing"]) == whole


def test_an_inch_mark_after_a_figure_is_no_stray_closing_mark() -> None:
    sentence = 'Samsung said the new 6.1" model will ship to 40 countries in March.'
    assert verbatim_quote(sentence, sentence, ["countries"]) == sentence
    # A straight mark after a word still closes a quotation the quote never opened.
    tail = 'We shipped the 6.1 model," Lind said of the phones sold in March.'
    assert verbatim_quote(tail, tail, ["phones"]) == ""


def test_a_german_quotation_closed_by_its_own_mark_is_quoted() -> None:
    # „…“: the German closing mark is the English opening one, and pairs with „.
    sentence = "„Wir bauen 40 Wohnungen am Hafen“, sagte die Bürgermeisterin am Montag."
    assert open_quotes(sentence) == []
    assert verbatim_quote(sentence, sentence, ["Wohnungen"]) == sentence
    # An English quotation inside one still opens with it.
    assert open_quotes("She said “we will") == [9]
