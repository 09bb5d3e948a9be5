"""A line giving someone's own words is framed "Adds a voice", whoever says them: a speaker the
other outlets name too, and speech verbs past "said" ("defended ..., saying ...")."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angle_lines import angle_line

ARTICLE = Article(id="1", source="Grell Observer", title="Ferry pilot speaks", text="x")


def test_a_quotation_by_a_speaker_the_others_name_is_a_voice() -> None:
    sentence = (
        "“We sailed with a broken radar for two weeks and nobody listened,” the pilot said on "
        "Monday."
    )
    line = angle_line(sentence, ARTICLE, [], [], ["sailed", "broken", "radar", "listened"])
    assert line.startswith("Adds a voice: "), line


def test_a_scare_quoted_phrase_is_no_voice() -> None:
    sentence = "The board said the repairs were “largely cosmetic” and would finish in spring."
    line = angle_line(sentence, ARTICLE, [], [], ["repairs", "cosmetic", "finish", "spring"])
    assert not line.startswith("Adds a voice"), line


def test_defending_and_saying_are_speech() -> None:
    sentence = (
        "Odile Marchetti defended the crew, saying that the radar had failed twice before the "
        "ferry left port."
    )
    line = angle_line(sentence, ARTICLE, ["Odile Marchetti"], [], ["defended", "crew", "radar"])
    assert line.startswith("Adds a voice: "), line


def test_a_report_attributed_to_an_agency_near_a_place_name_is_no_voice() -> None:
    # "said" plus any name was framed as a voice: a wire report is a detail, not a speaker.
    sentence = (
        "The Wavecrest news agency said two catamarans ran aground off Tallow Sound overnight."
    )
    line = angle_line(
        sentence,
        ARTICLE,
        ["Tallow Sound"],
        [],
        ["catamarans", "aground", "overnight"],
        subjects={"Tallow Sound"},
    )
    # No framing: the detail alone.
    assert line == sentence, line


def test_a_speaker_named_only_in_passing_is_no_voice() -> None:
    sentence = "Officials told reporters on Sunday that the pier built under Governor Ada Brill was unsafe."
    line = angle_line(sentence, ARTICLE, ["Ada Brill"], [], ["pier", "unsafe", "officials"])
    assert not line.startswith("Adds a voice"), line


def test_a_quotation_with_its_speaker_is_a_voice_not_a_name() -> None:
    # "Names Tomas Hale: “...,” said Tomas Hale." promised a name where the line gives a voice.
    sentence = (
        "“We planned for a hundred-year flood and got something worse,” said Tomas Hale, the "
        "town's mayor."
    )
    article = Article(id="2", source="Riverside Gazette", title="Flood", text=sentence)
    line = angle_line(sentence, article, ["Tomas Hale"], [], ["planned", "flood", "worse"])
    assert line == f"Adds a voice: {sentence}", line


def test_a_name_with_a_few_quoted_words_is_no_voice() -> None:
    # Mostly the outlet's own words: the quoted phrase does not make the line a voice.
    sentence = (
        "Islanders asked harbour judge Ada Brill to halt the levy, which they called “a tax on "
        "living here”, until the vote."
    )
    article = Article(id="3", source="Riverside Gazette", title="Levy", text=sentence)
    line = angle_line(sentence, article, ["Ada Brill"], [], ["halt", "judge", "levy"])
    # The detail alone: it shows the name, so no framing repeats it.
    assert line.startswith("Islanders asked harbour judge Ada Brill"), line
