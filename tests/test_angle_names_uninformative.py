"""A "Names ..." framing promises a name the outlet adds: not the story's own subject, a place
or body of every story, the publication a statement was given to, a web page's furniture, nor a
name clipped from a longer one ("Qaeda", "Senate Bill", "International Woman")."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angle_lines import angle_line
from bot.summarize.angle_names import name_runs
from bot.summarize.angle_subjects import StorySubjects, is_uninformative
from bot.summarize.sentences import content_stems

TEXT = "The statement was given to Fox News on Tuesday. Odile Marchetti signed it."
ARTICLE = Article(id="1", source="Grell Observer", title="Pier", text=TEXT)


def _framing(sentence: str, names: list[str], subjects: StorySubjects | None = None) -> str:
    words = sentence.rstrip(".").split()[-6:]
    kwargs = {"subjects": subjects} if subjects is not None else {}
    return angle_line(sentence, ARTICLE, names, [], words, **kwargs).partition(": ")[0]


def test_places_bodies_publications_and_page_words_are_no_names() -> None:
    for name in ("United States", "White House", "Capitol Hill", "Legislature"):
        assert is_uninformative(name), name
    for name in ("Fox News", "Associated Press", "Washington Post", "Wayback Machine", "URLs"):
        assert is_uninformative(name), name
    for name in ("Harbour News Network", "Eastern United States"):
        assert is_uninformative(name), name
    for name in ("Odile Marchetti", "Pellmouth Harbour Board", "Texas Legislature"):
        assert not is_uninformative(name), name


def test_the_outlet_a_statement_went_to_is_not_named() -> None:
    sentence = "The pier trust issued a statement to Fox News saying repairs would start in June."
    assert _framing(sentence, ["Fox News"]) != "Names Fox News"


def test_the_storys_subject_is_not_named_again() -> None:
    subjects = StorySubjects("Marchetti resigns as Pellmouth harbour master", [set(), set()])
    assert "Odile Marchetti" in subjects  # her surname is the headline's
    sentence = "The board had asked Odile Marchetti to stay on until the regatta in June."
    assert _framing(sentence, ["Odile Marchetti"], subjects) != "Names Odile Marchetti"
    # Nor is a name of the outlet's own: the line shows it, so no framing repeats it.
    assert _framing(sentence, ["Odile Marchetti"]) != "Names Odile Marchetti"


def test_a_name_most_outlets_write_is_the_storys() -> None:
    texts = [
        set(content_stems(t))
        for t in ("Kestrel ran aground.", "The Kestrel was refloated.", "Crews met at dawn.")
    ]
    assert "Kestrel" in StorySubjects("Ferry aground", texts)
    assert "Osprey" not in StorySubjects("Ferry aground", texts)


def test_names_are_not_clipped() -> None:
    runs = name_runs("Officials said al-Qaeda and al Qaeda cells had used the route for years.")
    assert "Qaeda" not in runs and "al-Qaeda" in runs, runs
    assert name_runs("The law known as Senate Bill 8 took effect.") == ["Senate Bill 8"]
    runs = name_runs("The orders will be signed on International Women's Day in the capital.")
    assert runs == ["International Women's Day"], runs
    runs = name_runs("Guidance came from the Centers for Disease Control on Friday.")
    assert runs == ["Centers for Disease Control"], runs
    assert name_runs("Officers from the 70th Precinct came.") == ["70th Precinct"]
