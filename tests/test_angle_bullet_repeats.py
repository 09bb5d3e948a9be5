"""An angle line never says a TL;DR bullet again word for word: a sentence that goes on past a
bullet only with who said it ("..., the Ferry Federation said") adds nothing the card lacks."""

from __future__ import annotations

from bot.models import Article, Bullet
from bot.summarize.angle_lines import _detail, line_detail, repeats_bullet
from bot.summarize.angles import build_angles

LEAD = "Sound Courier"
OTHER = "Grell Observer"
FACT = "Ferry crews on the Tallow Sound route will strike for three days from Monday."


def _article(i: int, source: str, title: str, text: str) -> Article:
    return Article(id=str(i), source=source, title=title, text=text, url=f"https://{i}.example/x")


def test_a_focus_that_is_only_an_attribution_gives_no_line() -> None:
    sentence = (
        "Ferry crews on the Tallow Sound route will strike for three days from Monday, according "
        "to a Harbour Post analysis of rosters."
    )
    # What the sentence adds past the bullet is its credit, which the compressed form drops:
    # every form left is the bullet again.
    focus = ["Harbour", "Post", "analysis", "rosters."]
    assert _detail(sentence, focus, keep_focus=True) == ""


def test_a_bullet_said_again_with_its_speaker_is_no_angle() -> None:
    lead = _article(1, LEAD, "Tallow Sound ferry strike", f"{FACT} Talks broke down on Friday.")
    text = (
        "Ferry crews on the Tallow Sound route will strike for three days from Monday, the Ferry "
        "Workers Federation said, as rosters across the sound stayed unsigned. Talks broke down "
        "on Friday."
    )
    other = _article(2, OTHER, "Ferry crews to strike", text)
    tldr = [Bullet(FACT, [LEAD, OTHER])]
    angles, _ = build_angles([lead, other], [LEAD, OTHER], LEAD, tldr=tldr)
    for angle in angles:
        assert not line_detail(angle.line).startswith("Ferry crews on the Tallow"), angle


def test_a_line_equal_to_a_bullet_or_its_start_repeats_it() -> None:
    # A line is the detail alone, or the detail after a framing saying what it adds.
    assert repeats_bullet(FACT, [FACT])
    assert repeats_bullet(f"Names Tallow Sound: {FACT}", [FACT])
    cut = "Ferry crews on the Tallow Sound route will strike"
    assert repeats_bullet(cut, ["Talks failed.", FACT])
    # Going on past the bullet with a fact of its own is the outlet's detail.
    longer = f"{FACT[:-1]}, days before the Grell regatta opens."
    assert not repeats_bullet(longer, [FACT])
    assert not repeats_bullet(f"Puts a figure on it: {longer}", [FACT])
    assert not repeats_bullet("Talks broke down.", [FACT])
