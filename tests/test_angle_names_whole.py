"""Names are read whole, people, organisations and places, and a line shows them so (with no
"Names ..." label repeating them): a middle initial stays
inside the name, an office or party word before a person is dropped, and a quoted chant or a
word the outlet also writes in lowercase is no name."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angle_names import name_runs
from bot.summarize.angles import build_angles
from bot.summarize.framed_names import whole_names
from bot.summarize.telling_names import is_telling_name

LEAD = "Kettle Valley News"
LEAD_TEXT = "The county approved a new toll on the river bridge on Thursday, starting in spring."


def _line(other_text: str) -> str:
    lead = Article(id="1", source=LEAD, title="Bridge toll approved", text=LEAD_TEXT)
    other = Article(id="2", source="Fenwick Tribune", title="Bridge toll set", text=other_text)
    angles, _ = build_angles([lead, other], [LEAD, "Fenwick Tribune"], LEAD)
    assert angles, other_text
    return angles[0].line


def _shows(line: str, name: str) -> bool:
    """Whether the line shows `name` whole, with no "Names ..." framing saying it again."""
    return name in line and not line.startswith("Names ")


def test_a_middle_initial_stays_inside_the_name() -> None:
    runs = name_runs("The toll was first proposed by former governor Harlan T. Vossberg in 1999.")
    assert "Harlan T. Vossberg" in runs, runs
    assert "Harlan T" not in runs, runs


def test_the_line_shows_the_whole_name_with_its_initial() -> None:
    line = _line(
        "The county approved the toll. The toll was first proposed by former governor Harlan T. "
        "Vossberg, who later sold the ferry line."
    )
    assert _shows(line, "Harlan T. Vossberg"), line


def test_a_name_never_ends_on_an_initial() -> None:
    runs = name_runs("The petition against the toll was signed by ferryman Oskar Lind and Rosa K.")
    assert "Oskar Lind" in runs, runs
    assert not any(r.split()[-1].rstrip(".") == "K" for r in runs), runs


def test_a_weekday_ends_no_name_but_a_month_may() -> None:
    runs = name_runs("The toll was raised with the Harbour Cabinet Monday by Premier Theresa May.")
    assert runs == ["Harbour Cabinet", "Theresa May"], runs


def test_a_state_party_and_office_before_a_person_are_dropped() -> None:
    runs = name_runs(
        "The repeal was filed by Vermont Democratic Rep. Marla Quennel and Ohio Republican "
        "Sen. Tobias Arvel on Friday."
    )
    assert runs == ["Marla Quennel", "Tobias Arvel"], runs


def test_an_office_inside_a_run_gives_way_to_the_person() -> None:
    runs = name_runs(
        "Critics include Harbour Authority Chairman Ilse Morrow, who sat on the board."
    )
    assert runs == ["Ilse Morrow"], runs


def test_a_party_word_before_a_person_is_dropped_but_a_party_body_stays() -> None:
    assert name_runs("The plan was backed by Democrat Pella Ostrand last year.") == [
        "Pella Ostrand"
    ]
    runs = name_runs("It was opposed by the Republican National Committee in a statement.")
    assert runs == ["Republican National Committee"], runs


def test_titles_and_party_words_alone_name_no_one() -> None:
    runs = name_runs("The letter was signed by two senators and several Democratic Reps.")
    assert runs == [], runs


def test_a_possessive_inside_an_institutions_name_keeps_the_name_whole() -> None:
    runs = name_runs("The suit was brought by the Fenwick Children’s Aid Society in May.")
    assert "Fenwick Children’s Aid Society" in runs, runs
    runs = name_runs("The toll was set by Mayor Ada Brandt’s Harbour Party last week.")
    assert runs == ["Ada Brandt"], runs


def test_a_quoted_chant_is_no_name() -> None:
    runs = name_runs("Drivers honked and some shouted “Vela Mora” as the barrier went up.")
    assert runs == [], runs


def test_the_first_word_after_an_opening_quote_is_no_name() -> None:
    runs = name_runs("“Maybe I was wrong about the toll,” said Quennel.")
    assert runs == ["Quennel"], runs


def test_a_word_the_outlet_also_writes_in_lowercase_is_no_name() -> None:
    article = Article(
        id="3",
        source="Fenwick Tribune",
        title="Bridge toll set",
        text=(
            "Ferry crews blamed Fog for the delays. Fog closed the crossing twice in May, and "
            "fog is forecast again on Friday."
        ),
    )
    assert not is_telling_name("Fog", article)
    article.text = "The levy was drafted by Okonkwo. Okonkwo declined to comment on the toll."
    assert is_telling_name("Okonkwo", article)


def test_a_person_named_again_by_surname_is_listed_once() -> None:
    line = _line(
        "The county approved the toll. The ferry line owner Dagny Solberg lost half its trade "
        "when Solberg cut fares last year."
    )
    assert _shows(line, "Dagny Solberg"), line
    # Weighed for a voice (`angle_lines`), the surname is the same person again.
    assert whole_names(["Dagny Solberg", "Solberg"]) == ["Dagny Solberg"]
