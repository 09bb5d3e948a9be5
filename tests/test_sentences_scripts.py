"""Sentence splitting in non-Latin scripts and before brand names that start lowercase."""

from __future__ import annotations

from bot.summarize import sentences
from bot.summarize.sentences import split_sentences


def test_cyrillic_and_greek_sentences_split() -> None:
    text = (
        "Мэрия Казани открыла новый мост. Движение пустят в субботу. "
        "«Это важный день», сказал мэр. 40 автобусов изменят маршрут."
    )
    assert split_sentences(text) == [
        "Мэрия Казани открыла новый мост.",
        "Движение пустят в субботу.",
        "«Это важный день», сказал мэр.",
        "40 автобусов изменят маршрут.",
    ]
    assert len(split_sentences("Η γέφυρα άνοιξε. Οι οδηγοί χάρηκαν.")) == 2


def test_caseless_scripts_split() -> None:
    assert split_sentences("大阪で新しい橋が開通した。渋滞は減る見込みだ！") == [
        "大阪で新しい橋が開通した。",
        "渋滞は減る見込みだ！",
    ]
    assert len(split_sentences("افتتح الجسر الجديد. سيخفف الازدحام.")) == 2


def test_brand_names_starting_lowercase_open_a_sentence() -> None:
    text = "The toymaker's revenue climbed. iPad orders slowed in June. eBay listings doubled."
    assert split_sentences(text) == [
        "The toymaker's revenue climbed.",
        "iPad orders slowed in June.",
        "eBay listings doubled.",
    ]
    # An ordinary lowercase word after a dot is still not a new sentence.
    assert split_sentences("The crane lifted approx. nine tonnes.") == [
        "The crane lifted approx. nine tonnes."
    ]


def test_abbreviations_still_hold() -> None:
    text = "The U.S. Navy docked on Feb. 3 and Dr. Ada Moss spoke. Rep. Lee, D-Ohio, agreed."
    assert split_sentences(text) == [
        "The U.S. Navy docked on Feb. 3 and Dr. Ada Moss spoke.",
        "Rep. Lee, D-Ohio, agreed.",
    ]
    assert split_sentences("Премьер встретился с И. Ивановым. Встреча длилась час.") == [
        "Премьер встретился с И. Ивановым.",
        "Встреча длилась час.",
    ]


def test_a_long_token_is_stemmed_afresh_not_kept() -> None:
    # Text without spaces is one token a sentence: 65,536 of them kept took gigabytes.
    sentences._cached_token_stems.cache_clear()
    long = "港口渡轮船员周一罢工" * 20
    stems = sentences.token_stems(long)
    assert stems == sentences.token_stems(long)
    assert stems == tuple(sentences.content_stems(long))
    assert sentences._cached_token_stems.cache_info().currsize == 0
    assert sentences.token_stems("ferries") == ("ferri",)
    assert sentences._cached_token_stems.cache_info().currsize == 1
