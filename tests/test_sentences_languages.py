"""Sentence splitting in German, French, Spanish, Italian and Dutch: their abbreviations and
dates are not sentence ends, and English splitting is unchanged."""

from __future__ import annotations

import pytest

from bot.summarize.sentences import split_sentences


def test_german_abbreviations_hold_the_sentence() -> None:
    text = (
        "Laut Dr. Jana Kühn vom Fahrgastverband sind z. B. Pendler im Süden betroffen. "
        "Der Verkehrsverbund rechnet mit Schäden von ca. 4 Mio. Euro pro Tag. "
        "Die Zahl der Ausfälle stieg d. h. deutlich an."
    )
    assert split_sentences(text) == [
        "Laut Dr. Jana Kühn vom Fahrgastverband sind z. B. Pendler im Süden betroffen.",
        "Der Verkehrsverbund rechnet mit Schäden von ca. 4 Mio. Euro pro Tag.",
        "Die Zahl der Ausfälle stieg d. h. deutlich an.",
    ]


def test_german_numbers_and_dates() -> None:
    text = (
        "Die Werft (Nr. 2 am Markt) meldet 3 Mrd. Euro Umsatz bzw. 1 Mrd. Euro Gewinn. "
        "Der Streik dauert bis zum 5. März. Am 6. März fahren die Fähren wieder."
    )
    assert split_sentences(text) == [
        "Die Werft (Nr. 2 am Markt) meldet 3 Mrd. Euro Umsatz bzw. 1 Mrd. Euro Gewinn.",
        "Der Streik dauert bis zum 5. März.",
        "Am 6. März fahren die Fähren wieder.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "La société Marée S.A. supprime env. 300 postes. Les syndicats protestent.",
            ["La société Marée S.A. supprime env. 300 postes.", "Les syndicats protestent."],
        ),
        (
            "Mme Roux dirige la Cie des Ports. Elle part en mai.",
            ["Mme Roux dirige la Cie des Ports.", "Elle part en mai."],
        ),
        (
            "La Sra. Ortega llegó a las 10 a. m. del lunes. Habló con la Dra. Vidal.",
            ["La Sra. Ortega llegó a las 10 a. m. del lunes.", "Habló con la Dra. Vidal."],
        ),
        (
            "Il sig. Bruni e il dott. Gallo hanno firmato. La nave parte domani.",
            ["Il sig. Bruni e il dott. Gallo hanno firmato.", "La nave parte domani."],
        ),
        (
            "Volgens dhr. Visser kost het bijv. 2 mln. Euro. De haven sluit.",
            ["Volgens dhr. Visser kost het bijv. 2 mln. Euro.", "De haven sluit."],
        ),
        (
            # "usw." often ends a sentence; before a lowercase word it does not.
            "Sie kauften Brot, Käse usw. Danach gingen sie heim. Brot usw. sind teurer.",
            ["Sie kauften Brot, Käse usw.", "Danach gingen sie heim.", "Brot usw. sind teurer."],
        ),
    ],
)
def test_romance_and_dutch_abbreviations(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_english_sentences_ending_in_short_words_still_split() -> None:
    text = (
        "The ferry gave up. Crews said it was 3. The mayor agreed it is. "
        "Port staff went in. Art lovers came on March 3. April saw more."
    )
    assert split_sentences(text) == [
        "The ferry gave up.",
        "Crews said it was 3.",
        "The mayor agreed it is.",
        "Port staff went in.",
        "Art lovers came on March 3.",
        "April saw more.",
    ]
