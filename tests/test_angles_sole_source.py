"""An outlet that alone reports a TL;DR bullet adds something: it is never "Also reporting"."""

from __future__ import annotations

from bot.models import Article, Bullet
from bot.summarize import summarize
from bot.summarize.angles import build_angles


def _article(i: int, source: str, title: str, text: str) -> Article:
    return Article(id=str(i), source=source, title=title, text=text, url=f"https://{i}.example/x")


def test_sole_source_of_a_bullet_is_not_also_reporting() -> None:
    shared = "Ferry crews on the Tallow Sound route will walk out for three days from Monday."
    lead = f"{shared} Their union said talks over rosters had failed after six weeks."
    other = (
        f"{shared} The operator will charter two catamarans from Grellport to keep a reduced "
        "timetable, manager Sabine Ovett said."
    )
    summary = summarize(
        [
            _article(1, "Sound Courier", "Tallow Sound ferry crews to strike", lead),
            _article(2, "Grell Observer", "Ferry strike: catamarans chartered", other),
        ]
    )
    sole = {b.sources[0] for b in summary.tldr if len(b.sources) == 1}
    assert not sole & set(summary.also_reporting), (summary.tldr, summary.also_reporting)


def test_a_sole_source_without_a_strong_angle_shows_its_best_or_is_only_credited() -> None:
    lead = _article(1, "Sound Courier", "Ferry strike", "Ferry crews will strike on Monday.")
    text = "Ferry crews will strike on Monday. Two catamarans were chartered from Grellport."
    other = _article(2, "Grell Observer", "Ferry strike", text)
    outlets = ["Sound Courier", "Grell Observer"]
    shared = Bullet("Ferry crews will strike on Monday.", outlets)
    only = Bullet("Two catamarans were chartered from Grellport.", ["Grell Observer"])
    # Its only sentence of its own is the bullet: no angle (it would repeat the bullet), but not
    # "adding nothing" either; the bullet's "reported by 1 of 2" credits it.
    angles, also = build_angles([lead, other], outlets, "Sound Courier", tldr=[shared, only])
    assert (angles, also) == ([], [])
    # Texts alone (no sources known) keep the old behaviour: nothing new, so "Also reporting".
    _, also = build_angles([lead, other], outlets, "Sound Courier", tldr=[shared.text, only.text])
    assert also == ["Grell Observer"]
    # With a weak sentence of its own beside the bullet, that sentence is its angle.
    other.text += " Crews met at dawn."
    angles, also = build_angles([lead, other], outlets, "Sound Courier", tldr=[shared, only])
    assert also == [] and [a.source for a in angles] == ["Grell Observer"]
    assert "dawn" in angles[0].line and "catamarans" not in angles[0].line
