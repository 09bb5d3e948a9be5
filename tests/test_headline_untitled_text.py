"""An untitled story's headline from its text: a title line above the text ends at its paragraph
break, a drop cap joins its word, a picture's caption and a page's furniture give way to the
reporting, and a cut never stops before "of" or "to"."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.headline import choose_headline
from bot.summarize.text_headline import headline_from_text
from bot.summarize.title_tone import badness as _badness


def test_a_title_line_ends_at_its_paragraph_break() -> None:
    text = "Pellmouth Ferry Songs: Five of the Best \n \n The harbour choir sang on Sunday."
    assert headline_from_text(text) == "Pellmouth Ferry Songs: Five of the Best"


def test_a_drop_cap_joins_its_word() -> None:
    text = "T \n \n he harbour board approved the new pier on Tuesday."
    assert headline_from_text(text) == "The harbour board approved the new pier on Tuesday"
    assert headline_from_text("T he pier opens in May.") == "The pier opens in May"


def test_a_caption_with_its_credit_gives_way() -> None:
    text = (
        "Ada Brill waves from the ferry on May 2. Rosa Kettle/Getty Images \n \n "
        "The harbour board approved the new pier on Tuesday."
    )
    assert headline_from_text(text).startswith("The harbour board approved")


def test_page_furniture_gives_way() -> None:
    text = "share tweet pin email \n \n The harbour board approved the new pier on Tuesday."
    assert headline_from_text(text).startswith("The harbour board approved")
    text = (
        "Media playback is unsupported on your device Media caption The pier at dusk \n \n "
        "The harbour board approved the new pier on Tuesday."
    )
    assert headline_from_text(text).startswith("The harbour board approved")


def test_a_salutation_line_is_no_headline() -> None:
    text = "To our readers, \n \n The Pellmouth Post will stop printing on Friday."
    assert headline_from_text(text).startswith("The Pellmouth Post will stop")


def test_a_word_cut_does_not_stop_before_of() -> None:
    text = (
        "A car park in a Highland town has been confirmed by surveyors as the meeting "
        "place of the ancient ferry guild of the northern isles."
    )
    headline = headline_from_text(text)
    rest = text[len(headline.removesuffix("…")) :].split()
    assert rest and rest[0] not in ("of", "to"), headline


def test_an_editorial_second_sentence_or_kicker_is_marked_down() -> None:
    plain = "Harbour board approves new pier for Pellmouth ferries"
    assert _badness(f"{plain}. This Is A Disgrace") > _badness(plain)
    assert _badness(f"Pier we go — {plain} after long fight") > _badness(
        f"{plain} after long fight"
    )
    # An abbreviation's dot ends no sentence.
    assert _badness("Pellmouth Panel Subpoenas Ada Brill, Former Harbour Dept. Official") < 0.3


def test_the_plain_title_beats_a_kicker() -> None:
    articles = [
        Article(
            id="1",
            source="Pellmouth Post",
            title="Pier we go - Harbour board approves new ferry pier",
            text="The harbour board approved a new ferry pier on Tuesday.",
        ),
        Article(
            id="2",
            source="Grell Observer",
            title="Harbour board approves new ferry pier",
            text="The harbour board approved a new ferry pier on Tuesday after a long fight.",
        ),
    ]
    assert choose_headline(articles)[0] == "Harbour board approves new ferry pier"


def test_title_case_is_no_fault_of_tone() -> None:
    # It only tips a near tie (`title_tone.best_title`), tested in test_headline_title_case_margin.
    sentence_case = "Harbour board approves new ferry pier plan"
    title_case = "Harbour Board Approves New Ferry Pier Plan"
    assert _badness(title_case) == _badness(sentence_case)
