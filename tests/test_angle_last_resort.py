"""An outlet whose one detail of its own is a long sentence, with no phrase end to cut at but
before an "of" or "to" phrase, still gets a line: the sentence whole, as long as an outlet's one
long detail may be. A cut there with "…" ("... gave the board the power…") left the reader the
sentence's start and not what it came to say; with no whole form either, the outlet is listed."""

from __future__ import annotations

from bot.models import Article, Bullet
from bot.summarize.angle_lines import ELLIPSIS, _detail
from bot.summarize.angles import build_angles

SHARED = "Islanders on the Tallow Sound route have paid a crossing levy since March."
COUNCIL = "Their council said the levy raised money for a new pier."
RULING = (
    "Harbour judge Ada Brill ruled the Tallow ferry levy was unlawful because the council never "
    "gave the harbour board the power to charge a fee to islanders who sail to the mainland for "
    "work or school"
)


def _article(i: int, source: str, text: str) -> Article:
    return Article(
        id=str(i), source=source, title="Ferry levy", text=text, url=f"https://{i}.example/x"
    )


def _angles(detail: str) -> tuple[list[str], list[str]]:
    lead = _article(1, "Sound Courier", f"{SHARED} {COUNCIL}")
    other = _article(2, "Grell Observer", f"{SHARED} {detail}")
    outlets = ["Sound Courier", "Grell Observer"]
    tldr = [Bullet(SHARED, outlets), Bullet(COUNCIL, ["Sound Courier"])]
    angles, also = build_angles([lead, other], outlets, "Sound Courier", tldr=tldr)
    return [a.line for a in angles if a.source == "Grell Observer"], also


def test_a_sole_detail_with_no_other_cut_is_shown_whole_never_cut_with_an_ellipsis() -> None:
    lines, also = _angles(f"{RULING}.")
    assert also == [] and lines == [f"{RULING}."], lines
    # Past the longest a line may be and with no clause end to cut at: no line ending in "…".
    longer = f"{RULING}, or who cross for hospital visits, markets and the weekly livestock sales."
    lines, also = _angles(longer)
    assert not any(line.endswith(ELLIPSIS) for line in lines), lines
    assert lines or also == ["Grell Observer"], also


def test_the_complement_ban_still_holds_before_the_last_resort() -> None:
    focus = ["Brill", "unlawful", "council", "harbour", "board", "power", "mainland"]
    line = _detail(f"{RULING}.", focus, phrase_cut=True)
    assert not line.endswith(f"the power{ELLIPSIS}"), line
