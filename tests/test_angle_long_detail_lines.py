"""An outlet whose one detail of its own is too long for a line still gets one: the detail cut
where a clause ends, up to 32 words framed (`test_angle_rescue_lines`), or, when no clause of
it reads whole, the outlet's own title if it has a figure or name of its own. Listed under "Also reporting" it read as adding nothing (`angles.build_angles` took an
empty line for that)."""

from __future__ import annotations

from bot.models import Angle, Article, Bullet
from bot.summarize.angles import build_angles

SHARED = "Islanders on the Tallow Sound route have paid a crossing levy since March."
COUNCIL = "Their council said the levy raised money for a new pier."
# 55 words, its figure the 25th: no form of a line's length (24) holds it, no phrase cut
# before it, and one figure is too few facts for the long-sentence pass.
QUAY = (
    "The harbour master warned on Monday that she would shut the north quay unless the rotten "
    "piles under the fish market were replaced for 380,000 crowns, saying the council had "
    "ignored three surveys since the storm of the winter before last and that crews now risked "
    "their lives on every tide."
)


def _article(i: int, source: str, text: str, title: str = "Ferry levy") -> Article:
    return Article(id=str(i), source=source, title=title, text=text, url=f"https://{i}.example/x")


def _build(text: str, title: str = "Ferry levy") -> tuple[list[Angle], list[str]]:
    lead = _article(1, "Sound Courier", f"{SHARED} {COUNCIL}")
    other = _article(2, "Grell Observer", f"{SHARED} {text}", title)
    outlets = ["Sound Courier", "Grell Observer"]
    tldr = [Bullet(SHARED, outlets), Bullet(COUNCIL, ["Sound Courier"])]
    return build_angles([lead, other], outlets, "Sound Courier", tldr=tldr, headline="Ferry levy")


def test_a_long_detail_is_cut_where_the_clause_holding_its_figure_ends() -> None:
    angles, also = _build(QUAY)
    assert also == []
    (angle,) = angles
    assert angle.source == "Grell Observer"
    # The whole clause up to the figure, in the outlet's words; not what follows the comma.
    assert angle.line.endswith("replaced for 380,000 crowns."), angle.line
    assert "380,000" in angle.line and "surveys" not in angle.line
    assert angle.line.removeprefix("Puts a figure on it: ").startswith("The harbour master")


def test_a_detail_the_feed_cut_off_mid_quotation_leaves_the_outlet_its_title() -> None:
    # The feed stopped inside the report's title: no clause of the sentence reads whole.
    cut_off = (
        "Late on Monday, the ferry board – a body the islanders have long accused of serving "
        "the mainland hauliers first – published a report titled “Tallow"
    )
    title = "Ferry board brushes off Mayor Ilse Brandt’s ‘reckless’ levy complaints"
    angles, also = _build(cut_off, title)
    assert also == []
    (angle,) = angles
    assert angle.line == f"Its headline: {title}"
    assert angle.url == "https://2.example/x"


def test_with_no_word_of_its_own_in_its_title_the_outlet_is_still_listed() -> None:
    cut_off = (
        "Late on Monday, the ferry board – a body the islanders have long accused of serving "
        "the mainland hauliers first – published a report titled “Tallow"
    )
    # The title tells the card's headline and nothing more: no line to give.
    angles, also = _build(cut_off, "Ferry levy")
    assert (angles, also) == ([], ["Grell Observer"])
