"""Angle lines and TL;DR bullets read quotation marks as the angle's quote does (`quote_marks`):
a sentence quoting in German „…“, in »…«, or in „…” closes its quotation, so it may be a bullet or
a line; one that starts or ends inside someone's words still may not.

Every sentence here is written for the tests."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.angle_lines import angle_line
from bot.summarize.candidates import TldrParams, sentence_options
from bot.summarize.compress import variants
from bot.summarize.quote_marks import has_open_quote, stray_closings
from bot.summarize.sentences import make_sentence

GERMAN = "Die Hafenmeisterin nannte den Steg am Montag „ein Risiko für alle Boote“ im Hafen."
POINTED = "Die Hafenmeisterin nannte den Steg am Montag »ein Risiko für alle Boote« im Hafen."
POLISH = "Kapitan portu nazwał w poniedziałek molo „ryzykiem dla wszystkich łodzi” w porcie."
QUOTING = (GERMAN, POINTED, POLISH)


@pytest.mark.parametrize("sentence", QUOTING)
def test_a_quotation_in_other_marks_is_closed(sentence: str) -> None:
    assert not has_open_quote(sentence)
    assert stray_closings(sentence) == []


def test_a_mark_closing_what_it_never_opened_is_still_a_stray() -> None:
    # "“" at a word's end closes a German „…“, or one begun before the cut: it opens nothing.
    german = "ein Risiko für alle Boote“ sagte sie am Montag"
    assert stray_closings(german) == [german.index("“")]
    assert not has_open_quote(german)
    for cut in ("the pier is a risk,” the harbour master said", 'the pier is a risk," she said'):
        assert stray_closings(cut) == [cut.index(",") + 1], cut
    # A straight mark after a figure is an inch mark, not a closing one.
    assert stray_closings('The new 6.1" screen sold out on Monday') == []


def _bullet_forms(text: str) -> list[str]:
    options = sentence_options([make_sentence(text, "X", 0, 0)], TldrParams())
    return [o.text for forms in options for o in forms]


@pytest.mark.parametrize("sentence", QUOTING)
def test_a_sentence_quoting_in_other_marks_can_be_a_bullet(sentence: str) -> None:
    assert sentence in _bullet_forms(sentence)


def test_a_sentence_starting_inside_a_quotation_is_still_no_bullet() -> None:
    for cut in (
        "ein Risiko für alle Boote“, sagte die Hafenmeisterin am Montag in Tolberg.",
        "a risk to every boat in the harbour,” the harbour master said on Monday.",
        'a risk to every boat in the harbour," the harbour master said on Monday.',
    ):
        assert _bullet_forms(cut) == [], cut


def test_an_aside_after_a_german_quotation_can_still_be_dropped() -> None:
    # An English report quoting a German speaker in her own marks.
    sentence = (
        "The harbour master called the pier „ein Risiko“, and the mayor, a former fisherman, "
        "closed it on Monday."
    )
    shorter = "The harbour master called the pier „ein Risiko“, and the mayor closed it on Monday."
    assert shorter in variants(sentence)
    assert shorter.replace("„", "»").replace("“", "«") in variants(
        sentence.replace("„", "»").replace("“", "«")
    )


def test_no_aside_is_dropped_from_inside_a_quotation_the_sentence_starts_in() -> None:
    # The splitter parted this from the quotation's opening: the words up to the stray mark
    # are the mayor's, and ", said Berg on March 8," is no aside to drop from them.
    sentence = (
        'Sadly, I think the pier is beyond saving," said Berg on March 8, 2014, a day before '
        "the council voted to close it."
    )
    forms = variants(sentence)
    assert not any(form.startswith("Sadly, 2014") for form in forms), forms


@pytest.mark.parametrize("sentence", QUOTING)
def test_a_sentence_quoting_in_other_marks_can_be_an_angle_line(sentence: str) -> None:
    article = Article(id="1", source="Tolberg Bote", title="Steg", text=sentence)
    line = angle_line(sentence, article, [], [], sentence.split())
    assert line.endswith(sentence.removesuffix(".") + "."), line


def test_a_line_starting_inside_a_pointed_quotation_is_still_refused() -> None:
    # French «…» read the other way round: a » first closes nothing and opens a quotation
    # left open, so the form is still broken.
    cut = "un risque pour tous les bateaux» a dit la capitaine du port lundi à Tolberg."
    article = Article(id="1", source="Tolberg Bote", title="Quai", text=cut)
    assert angle_line(cut, article, [], [], cut.split()) == ""


def test_a_cut_before_a_quotation_run_on_without_a_space_is_still_a_bullet() -> None:
    # The next sentence's opening mark follows the full stop with no space, so the splitter
    # kept both as one and the mark reads as closing what it never opened.
    run_on = (
        "However, the harbour board said on Monday that the old ferry pier, in its words "
        "'a danger to boats,' would close for good: the last ferry leaves on Friday."
        '"We cannot keep patching it up," the harbour master told the Tolberg Bote.'
    )
    forms = _bullet_forms(run_on)
    assert forms, "a clause cut before the mark survives"
    assert all('"' not in form and "last ferry" not in form for form in forms), forms
    # A sentence starting inside a quotation still gives nothing: the words before the stray
    # mark are someone's.
    assert (
        _bullet_forms('We cannot keep patching it up, so the pier closes on Friday," she said.')
        == []
    )
