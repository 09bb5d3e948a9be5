"""Which names are the story's subjects, tying no quote to its line: the card's (its headline's
and bullets') and those in more than half the outlets' titles."""

from __future__ import annotations

from bot.summarize.angle_quotes import CardSubjects


def test_a_name_most_outlets_titles_give_is_the_storys_subject() -> None:
    titles = [
        "Kabelhus wins cable order",
        "Danish firm Kabelhus to lay Tallow cable",
        "Cable order for Kabelhus's crews",
        "Islanders wait for their cable",
    ]
    subjects = CardSubjects(["Brenning Bank signed the order on Monday."], titles)
    assert "Kabelhus" in subjects
    # One title of four naming the islanders makes them no subject; a name the card gives is.
    assert "Islanders" not in subjects
    assert "Brenning Bank" in subjects and "Brenning" in subjects
    assert "Tallow" not in subjects
