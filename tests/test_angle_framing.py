"""An angle line's framing says what the detail adds, or nothing: no "Adds a detail the others
lack:" on every line, no "Names ..." for a phrase inside someone's quotation or a place the
detail happens in. And a line stands alone: no "That list ...", no "I'll ..." with no speaker,
no speaker's cue without the words, and never a sentence cut off with "…"."""

from __future__ import annotations

from bot.models import Article, Bullet
from bot.summarize.angle_lines import angle_line, line_detail, repeats_bullet
from bot.summarize.angles import build_angles
from bot.summarize.grounding import ELLIPSIS

ARTICLE = Article(
    id="a",
    source="Grell Observer",
    title="Ferry levy",
    text="Islanders on the Tallow Sound route have paid a crossing levy since March.",
)


def _line(sentence: str, names: list[str], words: list[str]) -> str:
    return angle_line(sentence, ARTICLE, names, [], words)


def test_a_detail_with_nothing_to_frame_is_the_line_alone() -> None:
    sentence = "Night crossings will stop until the new pier is finished."
    line = _line(sentence, [], ["night", "crossings", "pier"])
    assert line == sentence, line
    assert line_detail(line) == sentence


def test_line_detail_strips_only_a_framing() -> None:
    assert line_detail("Names Ada Brill: The judge ruled.") == "The judge ruled."
    assert line_detail("Puts a figure on it: Fares rose 9%.") == "Fares rose 9%."
    assert line_detail("Adds a voice: “No,” Brill said.") == "“No,” Brill said."
    # A detail with a colon of its own keeps it.
    assert line_detail("Why it matters: fares rose.") == "Why it matters: fares rose."
    # A bare line that is a bullet again is still caught.
    fact = "Ferry crews on the Tallow Sound route will strike for three days."
    assert repeats_bullet(fact, [fact])


def test_a_phrase_inside_a_quotation_is_no_name() -> None:
    sentence = (
        "Councillor Ines Vald vowed to save the islands from the “radical Harbour Socialist "
        "agenda” of the ferry board."
    )
    line = _line(sentence, ["Harbour Socialist"], ["vowed", "radical", "agenda"])
    assert line and not line.startswith("Names Harbour Socialist"), line


def test_a_place_or_body_the_detail_happens_in_is_not_named() -> None:
    # The old check read only the word just before the name: "the" let these through.
    for sentence, name in (
        (
            "The ferry company will end its night service by spring as it dials down its role "
            "in the Outer Skerries.",
            "Outer Skerries",
        ),
        (
            "The strike committee met at the Brannock Harbour Institute on Friday.",
            "Brannock Harbour Institute",
        ),
        (
            "Crew member Ola Dahl took a job with the Tallow Workers Alliance.",
            "Tallow Workers Alliance",
        ),
        ("The ruling came one day before the Grell Assembly convened.", "Grell Assembly"),
    ):
        line = _line(sentence, [name], ["night", "strike", "job", "ruling", "convened"])
        assert line and not line.startswith("Names"), line


def test_a_name_the_detail_is_about_is_shown_once() -> None:
    # "Names Ada Brill: ... judge Ada Brill ..." said the name twice: the detail shows it.
    sentence = "Islanders asked harbour judge Ada Brill to halt the levy until the vote."
    line = _line(sentence, ["Ada Brill"], ["halt", "judge"])
    assert line == sentence, line


def test_a_line_that_leans_on_what_came_before_is_refused() -> None:
    for sentence in (
        "That list includes teachers and nurses on the ferry route.",
        "I'll sink every ferry you own!",
        "We both made that clear to the harbour board.",
        "On another occasion, she writes.",
    ):
        assert _line(sentence, [], ["list", "teachers", "ferry", "board", "occasion"]) == "", (
            sentence
        )


def test_lines_that_say_who_or_when_still_stand() -> None:
    for sentence in (
        "This week the harbour board met to discuss the levy.",
        "“That is not what happened,” harbour judge Ada Brill said on Friday.",
        'Ewan Cathro, the pier keeper, shouted "Bring back the night ferry!"',
    ):
        line = _line(sentence, [], ["week", "board", "happened", "keeper"])
        assert line_detail(line).startswith(sentence[:20]), (sentence, line)


def test_a_long_detail_is_never_cut_with_an_ellipsis() -> None:
    shared = "Islanders on the Tallow Sound route have paid a crossing levy since March."
    long_detail = (
        "Lantern makers and ferry crews from Gull Creek and the three hill villages above the "
        "bay marched down the old quarry road past the harbour office and the closed fish market "
        "to the pier in the early hours of the morning in protest against the levy that the "
        "council imposed in March without any vote."
    )
    lead = Article(id="1", source="Sound Courier", title="Ferry levy", text=shared)
    other = Article(id="2", source="Grell Observer", title="Levy", text=f"{shared} {long_detail}")
    outlets = ["Sound Courier", "Grell Observer"]
    angles, also = build_angles(
        [lead, other], outlets, "Sound Courier", tldr=[Bullet(shared, outlets)]
    )
    assert not any(a.line.endswith(ELLIPSIS) for a in angles), angles
    assert angles or also == ["Grell Observer"], also


def test_a_sentence_the_source_cut_off_is_no_whole_line() -> None:
    # The article's text stops mid-sentence; a line adding its own stop passed "... on Monday
    # night, angered." off as the outlet's whole sentence.
    sentence = "Protesters confronted harbour judge Ada Brill at a cafe on Monday night, angered"
    line = _line(sentence, ["Ada Brill"], ["protesters", "cafe", "angered"])
    assert not line.endswith("angered."), line
