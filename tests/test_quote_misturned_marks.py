"""A closing double mark typed the wrong way round, "“" straight after a word's last letter or its
full stop ("... the end.“ Then ..."), closes the quotation as "”" would: it never opens a second
one that runs to the end of the text, and a sentence ending on it ends there, whole. A "“" at a
word's start still opens, and one at a word's end still closes a German „…“.

Every sentence here is invented."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angle_lines import angle_line
from bot.summarize.candidates import TldrParams, sentence_options
from bot.summarize.quote_marks import open_quotes, quoted_ranges, quoted_spans, stray_closings
from bot.summarize.quotes import verbatim_quote
from bot.summarize.sentences import make_sentence, split_sentences

SAID = "Harbour master Ada Wren said: “The old pier stays shut until the end of summer.“"


def test_a_misturned_closing_mark_after_a_full_stop_closes_the_quotation() -> None:
    text = SAID + " Then the ferry crews went home."
    assert open_quotes(text) == []
    assert quoted_spans(text) == ["The old pier stays shut until the end of summer."]
    # What follows the mark is the outlet's own words again, not inside the quotation.
    then = text.index("Then")
    assert not any(start <= then < end for start, end in quoted_ranges(text))


def test_a_misturned_closing_mark_after_a_word_closes_the_quotation() -> None:
    text = "The union called the offer “a first step“ and went back to the table."
    assert open_quotes(text) == [] and quoted_spans(text) == ["a first step"]


def test_a_misturned_mark_closing_nothing_is_a_stray() -> None:
    # A cut that starts inside the quotation: the mark closes one opened before it, as "”" does.
    cut = "until the end of summer.“ Then the ferry crews went home."
    assert open_quotes(cut) == []
    assert stray_closings(cut) == [cut.index("“")]
    assert stray_closings(cut.replace("“", "”")) == stray_closings(cut)


def test_a_sentence_closed_so_can_still_be_quoted() -> None:
    # Read as left open, the sentence gave no quote: nothing said where the speaker's words end.
    assert verbatim_quote(SAID, SAID, ["pier", "summer"]) == SAID


def test_marks_at_a_words_start_still_open() -> None:
    two = "She called it “the end“ and he called it “a new start“."
    assert quoted_spans(two) == ["the end", "a new start"] and open_quotes(two) == []
    # Inside a German „…“ an English “…” opens at a word's start; the German closes at the end.
    german = "Der Fischer sagte: „Die Gebühr ist “reiner Wucher“ und trifft die Boote.“"
    assert open_quotes(german) == []
    assert quoted_spans(german) == [
        "reiner Wucher",
        "Die Gebühr ist “reiner Wucher“ und trifft die Boote.",
    ]


def test_a_sentence_closed_so_ends_there_and_can_be_a_bullet() -> None:
    assert split_sentences(SAID + " Then the ferry crews went home.") == [
        SAID,
        "Then the ferry crews went home.",
    ]
    assert make_sentence(SAID, "Pell Courier", 0, 0).complete
    options = sentence_options([make_sentence(SAID, "Pell Courier", 0, 0)], TldrParams())
    assert SAID in [o.text for forms in options for o in forms]


def test_a_sentence_closed_so_can_be_an_angle_line() -> None:
    article = Article(id="1", source="Pell Courier", title="Pier stays shut", text=SAID)
    line = angle_line(SAID, article, [], [], SAID.split())
    assert line.endswith(": " + SAID), line
