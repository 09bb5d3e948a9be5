"""A line given to an outlet only because no other way gave it one (its one detail too long for
a line, or cut off by the feed) reads as one line of the card: a clause of at most 32 words,
framing and all, keeping the outlet's own figure or name, and not the card told again in other
words; else the outlet is listed under "Also reporting". Lines the outlet had before such
rescues existed keep their length: a rescue of its first detail never displaces one."""

from __future__ import annotations

from bot.models import Angle, Article, Bullet
from bot.summarize.angle_cuts import WHOLE_LINE_MAX_WORDS
from bot.summarize.angle_lines import _rescue_form
from bot.summarize.angles import build_angles

SHARED = "Islanders on the Tallow Sound route have paid a crossing levy since March."
COUNCIL = "Their council said the levy raised money for a new pier."
REST = (
    ", saying the council had ignored three surveys since the storm of the winter before last "
    "and that crews now risked their lives on every tide."
)
# The figure is the 25th word: no form of a line's length (24) holds it, no phrase cut either.
SHORT_CLAUSE = (
    "The harbour master warned on Monday that she would shut the north quay unless the rotten "
    "piles under the fish market were replaced for 380,000 crowns"
)
# ... and here the 38th: only a 40-word clause holds it.
LONG_CLAUSE = (
    "The harbour master warned the council on Monday that she would shut the north quay to all "
    "ferries and fishing boats this week unless the rotten piles under the old fish market were "
    "replaced at a cost of 380,000 crowns"
)
CUT_OFF = (
    "Late on Monday, the ferry board – a body the islanders have long accused of serving the "
    "mainland hauliers first – published a report titled “Tallow"
)


def _build(text: str, title: str = "Ferry levy") -> tuple[list[Angle], list[str]]:
    lead = Article(id="1", source="Sound Courier", title="Ferry levy", text=f"{SHARED} {COUNCIL}")
    other = Article(
        id="2", source="Grell Observer", title=title, text=f"{SHARED} {text}", url="https://2.ex/x"
    )
    outlets = ["Sound Courier", "Grell Observer"]
    tldr = [Bullet(SHARED, outlets), Bullet(COUNCIL, ["Sound Courier"])]
    return build_angles([lead, other], outlets, "Sound Courier", tldr=tldr, headline="Ferry levy")


def test_a_long_detail_gets_the_clause_holding_its_figure_as_one_line() -> None:
    angles, also = _build(SHORT_CLAUSE + REST)
    assert also == []
    (angle,) = angles
    assert angle.line.endswith("replaced for 380,000 crowns."), angle.line
    assert len(angle.line.split()) <= WHOLE_LINE_MAX_WORDS


def test_with_no_short_clause_holding_its_figure_the_outlet_is_listed() -> None:
    # A 45-word line was the wall of text the card's one-line angles are not.
    angles, also = _build(LONG_CLAUSE + REST)
    assert (angles, also) == ([], ["Grell Observer"])


def test_a_rescued_line_telling_the_card_again_in_other_words_is_listed() -> None:
    # Its one name of its own aside, every telling word is a bullet's or the headline's.
    retold = (
        "Islanders on the Tallow Sound route who have paid the crossing levy since March heard "
        "their council say on Monday that the levy raised money for Brandt Quay's new pier, and "
        "that the levy would stay until the last pile of the pier was driven next spring."
    )
    angles, also = _build(retold)
    assert (angles, also) == ([], ["Grell Observer"])


def test_a_rescue_never_stops_inside_a_name() -> None:
    # The clause ending "... with oak from Varkaus" fits, but cuts "Varkaus, Savo's ...".
    text = (
        "The harbour master warned on Monday that she would shut the north quay unless the "
        "rotten piles under the fish market were replaced with oak from Varkaus, Savo's oldest "
        "and best-known mill town, which the council had refused to pay for since the storm of the winter "
        "before last and which the crews said had now rotted through."
    )
    angles, _ = _build(text)
    assert not any(a.line.endswith("from Varkaus.") for a in angles), angles
    assert all(len(a.line.split()) <= WHOLE_LINE_MAX_WORDS for a in angles), angles


def test_a_rescue_never_stops_before_a_dash_aside_its_clause_goes_on_past() -> None:
    # Cut before the dash, the board would order the crews and not their life jackets.
    text = (
        "The ferry board ordered every crew working the Tallow Sound crossing for Brandt Lines "
        "this winter – deckhands and pursers alike – to carry life jackets for more passengers."
    )
    assert _rescue_form(text, ["Brandt Lines"], set(), 20, keep_focus=False) == ""
    # A dash opening no aside that closes ends its clause: the cut before it stands.
    ended = text.split(" – ")[0] + " – and the inspectors counted every life jacket on board twice."
    assert _rescue_form(ended, ["Brandt Lines"], set(), 20, keep_focus=False).endswith("winter")


def test_a_title_with_no_figure_or_name_of_its_own_is_no_line() -> None:
    # "Allegations fly as recall vote looms": the outlet's words, but nothing to check.
    angles, also = _build(CUT_OFF, "Islanders fume as ferry board brushes off levy complaints")
    assert (angles, also) == ([], ["Grell Observer"])


def test_a_title_naming_someone_of_its_own_is_the_line() -> None:
    title = "Ferry board to keep levy as Mayor Ilse Brandt digs in"
    angles, also = _build(CUT_OFF, title)
    assert also == []
    assert [a.line for a in angles] == [f"Its headline: {title}"]


def test_a_title_telling_the_card_again_is_no_line() -> None:
    title = "Tallow Sound islanders to keep paying crossing levy for new pier, says Ilse Brandt"
    angles, also = _build(CUT_OFF, title)
    assert (angles, also) == ([], ["Grell Observer"])


def test_a_rescue_of_the_first_detail_never_displaces_the_next_details_line() -> None:
    # The first detail's figure is past any short clause; the next detail had its line, whole,
    # before long details were rescued, and keeps it: not a longer one of the first detail.
    varkaus = (
        "The harbour board blamed the delay on a shortage of oak piles from the mills of "
        "Varkaus in the north and on storms that kept the barges in port for most of the "
        "winter months this year."
    )
    angles, also = _build(f"{LONG_CLAUSE}{REST} {varkaus}")
    assert also == []
    (angle,) = angles
    assert angle.line == varkaus


def test_in_a_title_case_title_no_capitalised_run_counts_as_a_name_of_its_own() -> None:
    # Every word capitalised, "Ferry Board Brushes Off Levy Complaints" reads as one long name.
    title = "Islanders Fume As Ferry Board Brushes Off Levy Complaints"
    angles, also = _build(CUT_OFF, title)
    assert (angles, also) == ([], ["Grell Observer"])


def test_a_rescue_never_opens_on_a_pronoun_after_a_short_opening_phrase() -> None:
    # "he" is no one the card names: the line would leave the reader asking who.
    text = (
        "After all, he had warned the council that the rotten piles under the fish market would "
        "give way before the winter storms, and that no crew could tie up at the north quay."
    )
    focus = {"rotten", "pile", "fish", "market", "storm", "crew", "quay"}
    assert _rescue_form(text, [], focus, 32, keep_focus=False) == ""
    named = text.replace("After all, he", "After all, the harbour master")
    assert _rescue_form(named, [], focus, 32, keep_focus=False).startswith("After all, the")


def test_a_rescue_never_ends_on_a_clause_opened_and_never_given() -> None:
    # "..., but according to the head of the firm" leaves out what the head of the firm said.
    text = (
        "Tariffs levied by the mayor against the islands may hurt the ferry crews of Brandt Lines "
        "in the short term, but according to the head of the firm, they will gain in the long "
        "run from the new pier and its cranes."
    )
    form = _rescue_form(text, ["Brandt Lines"], set(), 30, keep_focus=False)
    assert form == (
        "Tariffs levied by the mayor against the islands may hurt the ferry crews of Brandt Lines "
        "in the short term"
    )
