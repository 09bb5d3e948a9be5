"""An angle line ends the way its sentence does: no teaser cut passed off as a full sentence,
no "?." after a question, no ellipsis eaten and replaced by a full stop."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angles import build_angles

LEAD = "The Quarry Gazette"


def _angles(other_text: str) -> list[str]:
    lead = Article(
        id="1",
        source=LEAD,
        title="Lighthouse keeper retires",
        text="The last keeper of the Brannock lighthouse retired on Sunday after 31 years.",
        url="https://1.example/x",
    )
    other = Article(
        id="2",
        source="Shale Herald",
        title="Keeper retires",
        text=other_text,
        url="https://2.example/x",
    )
    angles, _ = build_angles([lead, other], [LEAD, "Shale Herald"], LEAD)
    return [a.line for a in angles] + [a.quote for a in angles]


def test_a_teaser_cut_with_dots_is_not_made_a_line() -> None:
    text = (
        "The Brannock keeper retired on Sunday. Volunteers from the sailing club plan to repaint "
        "the tower and ask the harbour trust whether the..."
    )
    for teaser in (text, text.replace("...", "…")):
        shown = _angles(teaser)
        assert not any("whether the" in s for s in shown), shown


def test_a_question_keeps_its_question_mark_alone() -> None:
    text = (
        "The Brannock keeper retired on Sunday. Who will row out to trim the wicks when the "
        "automatic lamp on the headland fails in a winter gale?"
    )
    lines = _angles(text)
    assert lines and lines[0].endswith("gale?"), lines


def test_a_line_ending_in_a_quoted_sentence_gets_no_second_stop() -> None:
    text = 'The Brannock keeper retired on Sunday. Ewan Cathro, his nephew, shouted "Bring back the oil lamps!"'
    lines = _angles(text)
    assert lines and lines[0].endswith('lamps!"'), lines
