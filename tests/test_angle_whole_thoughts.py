"""An angle line is a sentence or a well-formed clause of the outlet's: never cut mid-phrase by
the line's word cap, never cut at a comma that ends no clause, never opened inside a quotation."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angle_lines import _detail, line_detail
from bot.summarize.angles import build_angles
from bot.summarize.clauses import MID_CUT_ENDINGS
from bot.summarize.grounding import ELLIPSIS

LEAD = "Kettle Valley News"
LEAD_TEXT = (
    "The lantern festival opened in Kettle Valley on Saturday with a parade along the river. "
    "Organisers said more stalls had opened than last year."
)


def _lines(other_text: str) -> list[str]:
    lead = Article(id="1", source=LEAD, title="Lantern festival opens", text=LEAD_TEXT)
    other = Article(id="2", source="Fenwick Tribune", title="Festival opens", text=other_text)
    angles, _ = build_angles([lead, other], [LEAD, "Fenwick Tribune"], LEAD)
    return [a.line for a in angles]


def _ends_mid_phrase(line: str) -> bool:
    last = line.rstrip(".").removesuffix(ELLIPSIS).split()[-1].casefold()
    return line.endswith(ELLIPSIS) or last in MID_CUT_ENDINGS


def test_a_sentence_past_the_cap_with_no_clause_end_gives_way_to_the_next_detail() -> None:
    # Cut at its 24th word the line read "... from Tern Quay to Port…", inside a name.
    lines = _lines(
        "Lantern makers across the whole coast are joining the celebrations of the start of the "
        "festival season this weekend with stalls from Tern Quay to Port Ellery and the islands "
        "beyond the bay. Volunteers from Gull Creek rebuilt the floating stage after the storm."
    )
    assert lines and "Gull Creek rebuilt the floating stage" in lines[0], lines
    assert not any(_ends_mid_phrase(line) for line in lines), lines


def test_a_comma_inside_a_list_of_words_is_no_clause_boundary() -> None:
    # "... has come to stand for the noisy." cut the list "the noisy, smoky, home-made".
    line = _detail(
        "The Harbour Walk, one of the town's oldest processions, has come to stand for the "
        "noisy, smoky, home-made spirit of the festival far from the grand official parade.",
        ["Harbour", "Walk", "procession", "noisy"],
    )
    assert not line.endswith(("noisy", "smoky")), line


def test_a_place_and_its_country_are_not_cut_apart_nor_left_without_a_main_clause() -> None:
    # "In the century since it was first held in Tolberg, Vennmark." has no main clause.
    line = _detail(
        "In the more than a century since it was first held in Tolberg, Vennmark, in 1911, the "
        "lantern festival has been hosted by 19 towns across 6 different provinces.",
        ["Tolberg", "Vennmark", "hosted", "towns", "provinces"],
        "19",
    )
    assert not line.endswith(("Tolberg", "Vennmark", "1911")), line


def test_a_line_never_opens_inside_someone_elses_quotation() -> None:
    # The detail's name lies past the cap; a window around it opened on '…dark,” said ...'.
    lines = _lines(
        "While the stalls along the river are busy, the lanterns are “not bright enough to be seen "
        "from the far bank of the river after the sun has set and the fog comes in,” said Oskar "
        "Brenneman, a lighting designer at the Pellmouth Institute for Stage Craft, to the "
        "Harbour Gazette."
    )
    for line in lines:
        detail = line_detail(line)
        assert not detail.startswith(ELLIPSIS), line
        assert detail.find("”") == -1 or -1 < detail.find("“") < detail.find("”"), line


def test_with_no_whole_form_anywhere_a_long_line_is_the_whole_sentence() -> None:
    # The outlet's only detail, 38 words without a clause boundary: cut at its 24th word it
    # ended "... villages above the…", and cut where a phrase ends "... the old quarry road…",
    # which leaves the reader to guess where it went. Whole, it says.
    sentence = (
        "Lantern makers from Gull Creek carried more than nine hundred paper lanterns down the old "
        "quarry road past the three hill villages above the bay and on to the island ferries in "
        "the early hours of the morning."
    )
    lines = _lines(sentence)
    assert lines and line_detail(lines[0]) == sentence, lines


def test_neither_a_report_without_its_content_nor_a_possessive_subject_is_a_line() -> None:
    # "... admitted this week…" says nothing of what was admitted, and "The guild's treasurer
    # Odile Marchetti of Gull Creek" has no verb (the possessive's "s" read as one).
    sentence = (
        "The lantern guild's long-serving treasurer Odile Marchetti of Gull Creek, who has kept "
        "the books for two decades, admitted this week that the festival had spent its entire "
        "reserve on the new floating stage."
    )
    line = _detail(sentence, ["Marchetti", "Gull", "Creek", "reserve"], "Gull Creek", True)
    assert not line.endswith(f"this week{ELLIPSIS}"), line
    assert not line.endswith(f"admitted{ELLIPSIS}"), line
    assert not line.endswith("Gull Creek"), line


def test_a_series_of_predicates_is_not_cut_before_its_last() -> None:
    sentence = (
        "The harbour board shook the trust of the pilots with its threats to sell Tern Quay, "
        "raised mooring fees on friend and foe alike, and ignored the union's safety report."
    )
    detail = _detail(sentence, ["fees", "mooring", "union"])
    assert not detail.endswith("alike"), detail
