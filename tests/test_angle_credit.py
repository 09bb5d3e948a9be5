"""An angle credits its outlet only with what it adds: not another publication's words it relays,
not a "Names ..." label for the story's own subject, a place in passing or half a name, and a
sentence going on past a bullet's fact with a fact of its own is the outlet's detail."""

from __future__ import annotations

from bot.models import Angle, Article
from bot.summarize.angle_names import name_runs
from bot.summarize.angle_topic import credits_publication, quotes_no_one
from bot.summarize.angles import build_angles

LEAD = "Kettle Valley News"
OTHER = "Fenwick Tribune"
LEAD_TEXT = (
    "Harbour pilot Mirela Vostanek was dismissed on Monday after a ferry ran aground near the "
    "estuary mouth. The harbour board said an inquiry would follow."
)


def _angles(other_text: str, tldr: list[str] | None = None) -> tuple[list[Angle], list[str]]:
    lead = Article(id="1", source=LEAD, title="Harbour pilot dismissed", text=LEAD_TEXT)
    other = Article(id="2", source=OTHER, title="Pilot dismissed", text=other_text)
    return build_angles([lead, other], [LEAD, OTHER], LEAD, tldr=tldr or [])


def test_another_publications_words_are_not_the_outlets_angle() -> None:
    angles, _ = _angles(
        "The board has “no appetite for a public fight with the pilots’ union,” said the Pellmouth "
        "Gazette.\nThe ferry’s owners were fined twice last year, the Orrin Bay Times reported.\n"
        "Deckhands from Gull Creek will crew the relief ferry until Friday."
    )
    assert angles and "Gull Creek" in angles[0].line, angles
    for angle in angles:
        assert "Gazette" not in angle.line + angle.quote, angle
        assert "fined twice" not in angle.line + angle.quote, angle


def test_a_roundups_excerpt_of_another_papers_column_is_not_its_angle() -> None:
    angles, also = _angles(
        "‘The harbour deserves better pilots’\n"
        "Tomas Reyl at The Pellmouth Post\n"
        "The dismissal “shows the board finally listening to the crews,” says Tomas Reyl. Pilots "
        "“should never again be chosen for their friends rather than their charts.”"
    )
    assert not angles and also == [OTHER], angles


def test_a_name_label_keeps_the_whole_name_of_an_institution() -> None:
    assert "Pellmouth Institute for Harbour Safety" in name_runs(
        "The figures came from Oskar Brenne of the Pellmouth Institute for Harbour Safety."
    )


def test_for_between_two_names_does_not_join_them() -> None:
    runs = name_runs("Last summer the striker left Tolberg for Kessington Rovers in a late deal.")
    assert "Tolberg" in runs and "Kessington Rovers" in runs, runs
    assert name_runs("She joined the Orrin Bay Campaign for Clean Water in May.") == [
        "Orrin Bay Campaign for Clean Water"
    ]


def test_what_a_possessive_owns_is_not_part_of_the_name() -> None:
    runs = name_runs("A statement on the Harbour Board’s X account thanked the crews.")
    assert "Harbour Board" in runs and not any("X" in r.split() for r in runs), runs


def test_the_storys_subject_spelt_another_way_is_not_named() -> None:
    # The lead writes "Mirela Vostanek"; "Mirella Vostanek" is the same woman, no new name.
    angles, _ = _angles(
        "The estuary ferries had been steered for nineteen years by the senior pilot, Mirella "
        "Vostanek."
    )
    assert angles and "nineteen years" in angles[0].line, angles
    assert not angles[0].line.startswith("Names Mirella Vostanek"), angles


def test_a_place_in_passing_is_not_named() -> None:
    angles, _ = _angles(
        "Passengers were stranded on both banks, from Gull Creek to Orrin Bay, until the "
        "relief ferry came."
    )
    assert angles and not angles[0].line.startswith("Names"), angles


def test_a_restated_bullet_going_on_with_its_own_fact_is_the_outlets_detail() -> None:
    bullet = "Harbour pilot Mirela Vostanek was dismissed on Monday after a ferry ran aground."
    angles, also = _angles(
        "Harbour pilot Mirela Vostanek was dismissed on Monday after a ferry ran aground, "
        "leaving the port without a senior pilot only weeks before the Pellmouth Regatta opens "
        "on June 9.",
        tldr=[bullet],
    )
    assert angles and "Pellmouth Regatta" in angles[0].line, (angles, also)


def test_a_bullets_fact_in_other_words_is_not_a_detail_the_others_lack() -> None:
    bullet = "The harbour board and the pilots agreed on a set of interim safety rules on Monday."
    lead = Article(id="1", source=LEAD, title="Pilots and board agree rules", text=bullet)
    other = Article(
        id="2",
        source=OTHER,
        title="Pilots deal",
        text="The pilots reached an understanding with the harbour board on key interim safety "
        "rules in indirect talks.",
    )
    angles, also = build_angles([lead, other], [LEAD, OTHER], LEAD, tldr=[bullet])
    assert not angles and also == [OTHER], angles


def test_a_sentence_going_on_quoting_a_publication_credited_just_before_is_relayed() -> None:
    angles, _ = _angles(
        "Despite “calm on the quays,” said Al Jazeera, the board is hiring relief pilots. Recent "
        "moves by the board “put two tugboats and a spare launch on the estuary.” "
        "Deckhands from Gull Creek will crew the relief ferry until Friday."
    )
    assert angles and "Gull Creek" in angles[0].line, angles
    assert all("tugboats" not in a.line + a.quote for a in angles), angles


def test_agencies_and_broadcasters_are_publications_too() -> None:
    for credit in (
        "The pier was closed, The Associated Press said.",
        "The pier was closed, the AP reported.",
        "The pier was closed, Fox News said.",
        "The pier was closed, CBS News reported.",
        "The pier was closed, according to Agence France-Presse.",
        "The pier was closed, said Sky News.",
    ):
        assert credits_publication(credit), credit


def test_a_company_named_like_a_paper_is_no_publication() -> None:
    # Its own statement is news the outlet reports, not words it relays from another paper.
    for statement in (
        "Canada Post said deliveries would resume on Friday.",
        "The Royal Mail said deliveries would resume on Friday.",
        "American Express said card fees would not change.",
    ):
        assert not credits_publication(statement), statement
    assert credits_publication("Deliveries will resume, the Daily Mail reported.")


def test_a_line_quoting_someone_it_does_not_name_is_not_the_outlets_detail() -> None:
    # The speaker is named a sentence before: the line alone would give his words to the outlet.
    angles, _ = _angles(
        "Retired harbour master Ivo Renn spoke on a radio show on Sunday. The closure could cost "
        "Pellmouth “a season of empty berths that would leave the estuary without its 14 winter "
        "ferries.” "
        "Deckhands from Gull Creek will crew the relief ferry until Friday."
    )
    assert angles, angles
    assert all("empty berths" not in a.line for a in angles), angles


def test_a_line_quoting_someone_it_names_may_stay() -> None:
    assert not quotes_no_one(
        "The closure could bring “a season of empty berths on the estuary,” Ivo Renn said."
    )
    assert not quotes_no_one("Crews called the rota ‘ringside’ seating for the storms.")
    assert not quotes_no_one("“The berths are not safe yet, not at all,” Renn cautioned.")
    assert quotes_no_one("The closure could bring “a season of empty berths on the estuary.”")


def test_a_bullet_told_again_with_only_a_weekday_more_is_no_detail() -> None:
    bullet = (
        "Harbour pilot Mirela Vostanek was dismissed after a ferry ran aground near the estuary."
    )
    angles, also = _angles(
        "Port authorities formally dismissed veteran harbour pilot Mirela Vostanek on Wednesday "
        "after a ferry ran aground near the estuary.",
        tldr=[bullet],
    )
    assert not angles and also == [OTHER], angles
