"""One event told twice with other background is one bullet, and no outlet's angle either.

Every story here is invented. On the real cards "People are celebrating the festival on
Tuesday, the day that starts ..." and "The festival, the most important holiday in many ...
countries, is being celebrated around the world." were both bullets, a third outlet's "Millions
of people ... are celebrating the start of the festival" its angle, and "X died on Saturday,
two days after being beaten in <city> ..." the angle under the bullet "X, 23, was beaten to
death ... in <city> last week". Each pair shares few words as a whole: the claim is told in its
core (subject, verb, object), with an aside after the subject and background after it.
"""

from __future__ import annotations

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize.angles import build_angles
from bot.summarize.candidates import TldrParams, _repeats
from bot.summarize.quotes import Told, pick_quote
from bot.summarize.restated import bare_core, cores_alike, one_remark
from bot.summarize.sentences import content_stems
from tests.test_tldr_repeats import _option

CROWDS = (
    "Crowds are celebrating the Harvest Festival on Sunday, the day that opens the Lantern Month."
)
REGION = (
    "The Harvest Festival, the biggest holiday in many Nordic towns, is being celebrated "
    "across the region."
)
THOUSANDS = (
    "Thousands of people across the region are celebrating the start of the Harvest Festival, "
    "with parades from Tolberg to Vennmark."
)


def test_an_aside_after_the_subject_is_left_out_of_the_core() -> None:
    assert bare_core(REGION) == "The Harvest Festival is being celebrated across the region."


def test_one_event_with_other_background_is_one_bullet() -> None:
    assert _repeats(_option(CROWDS), _option(REGION, 1), TldrParams())
    assert cores_alike(CROWDS, THOUSANDS)


def test_other_acts_of_the_same_actors_stay_two_bullets() -> None:
    # The same festival and town, something else done: the act words differ.
    assert not cores_alike(
        CROWDS, "Crowds blocked the Harvest Festival parade in Tolberg on Sunday."
    )
    assert not cores_alike(
        "Ada Wren died on Sunday, two days after the crane fell.",
        "Ada Wren was arrested on Sunday in Tarn.",
    )


def _story(*outlets: tuple[str, str, str]) -> list[Article]:
    return [
        Article(id=f"s{i}", source=source, title=title, text=text)
        for i, (source, title, text) in enumerate(outlets)
    ]


def test_an_outlet_telling_only_the_bullets_death_in_other_words_has_no_angle() -> None:
    bullet = "Ada Wren, 31, was beaten to death by masked youths in Tarn's old port last week."
    articles = _story(
        ("Quay Herald", "Nine held over killing of dock clerk Ada Wren", bullet),
        (
            "Fjord Post",
            "Nine arrested over death of Tarn dock clerk",
            "Ada Wren died on Sunday, two days after being beaten in Tarn by hooded men "
            "believed to be rival dockers.",
        ),
    )
    angles, also = build_angles(articles, outlet_names(articles), "Quay Herald", tldr=[bullet])
    assert angles == [] and also == ["Fjord Post"]


def test_a_retelling_going_on_only_with_a_peoples_adjective_has_no_angle() -> None:
    articles = _story(
        ("Quay Herald", "Harvest Festival celebrated", CROWDS),
        ("Fjord Post", "Harvest Festival in photos", REGION),
        ("Metro Sound", "Harvest Festival parades", THOUSANDS),
    )
    angles, also = build_angles(articles, outlet_names(articles), "Quay Herald", tldr=[CROWDS])
    assert "Fjord Post" in also
    # A retelling that goes on to places of its own still adds them.
    assert [a.source for a in angles] == ["Metro Sound"]


# One visit's remarks, picked by two outlets: each quotes other words, the rest is the same.
SAID = (
    "The harbour minister said in Tolberg that the premier was “deeply and firmly committed” to "
    "the success of Anna Holm."
)
VISITED = (
    "Harbour Minister Jon Berg visited Lundia on Monday and repeated Premier Eva Lind’s “very "
    "close bond” with Mayor Anna Holm."
)


def test_one_speakers_remarks_quoted_in_other_words_are_one_bullet() -> None:
    assert _repeats(_option(SAID), _option(VISITED, 1), TldrParams())
    # Other quoted words about other people are two facts.
    assert not _repeats(
        _option(SAID),
        _option("Fishermen called the new quota rules “a disaster” at a rally in Tarn.", 1),
        TldrParams(),
    )


def test_an_outlet_quoting_the_same_visit_in_other_words_has_no_angle() -> None:
    articles = _story(
        # The headline names the minister, the premier and the place the other outlet names.
        (
            "Quay Herald",
            "In Lundia, Jon Berg stresses Eva Lind's support for Mayor Anna Holm",
            SAID,
        ),
        ("Fjord Post", "Berg boosts Holm", VISITED),
    )
    angles, also = build_angles(articles, outlet_names(articles), "Quay Herald", tldr=[SAID])
    assert angles == [] and also == ["Fjord Post"]


def test_a_quote_telling_a_bullets_remark_in_other_words_is_not_used() -> None:
    article = Article(id="q", source="Fjord Post", title="Berg boosts Holm", text=VISITED)
    others = [(1.0, VISITED, article, ["visited", "repeated", "close", "bond"])]
    bullet = (frozenset(content_stems(SAID)), frozenset[str]())
    assert pick_quote(others, Told(bullets=[bullet])) != ""
    assert pick_quote(others, Told(bullets=[bullet], texts=[SAID])) == ""


def test_a_retelling_going_on_with_a_group_that_acts_keeps_its_angle() -> None:
    # "Lundians boycotted ..." is a group doing something: news, where "Lundian towns" describes.
    articles = _story(
        ("Quay Herald", "Harvest Festival celebrated", CROWDS),
        (
            "Fjord Post",
            "Harvest Festival boycott",
            "Crowds are celebrating the Harvest Festival on Sunday, though angry Lundians "
            "boycotted the lantern parade over new fees.",
        ),
    )
    angles, _ = build_angles(articles, outlet_names(articles), "Quay Herald", tldr=[CROWDS])
    assert [a.source for a in angles] == ["Fjord Post"]


def test_a_retelling_going_on_with_a_country_or_a_person_keeps_its_angle() -> None:
    # "Iran", "Japan", "Susan" end like "Asian" but name a place or a person acting.
    for tail in (
        "though officials in Iran cancelled the lantern parade over new fees.",
        "though the parade was cancelled in Japan and Pakistan over new fees.",
        "though Susan Morgan cancelled the lantern parade over new fees.",
        "though Brian Logan cancelled the lantern parade over new fees.",
    ):
        articles = _story(
            ("Quay Herald", "Harvest Festival celebrated", CROWDS),
            (
                "Fjord Post",
                "Harvest Festival boycott",
                f"Crowds are celebrating the Harvest Festival on Sunday, {tail}",
            ),
        )
        angles, _ = build_angles(articles, outlet_names(articles), "Quay Herald", tldr=[CROWDS])
        assert [a.source for a in angles] == ["Fjord Post"], tail


def test_two_speakers_on_one_subject_are_two_remarks() -> None:
    assert not one_remark(
        "Premier Anna Holm called the Vennmark fishing ban on Tolberg's fleet “a declaration of "
        "war” on Monday.",
        "Vennmark's fisheries minister said the fishing ban on Tolberg's fleet was “fully legal” "
        "and would stay.",
    )


def test_one_speaker_on_two_subjects_is_two_remarks() -> None:
    # Only the speaker and the speech verb are shared: what was said of what differs.
    assert not one_remark(
        "House Speaker Anna Holm told reporters the harbour bill was “dead on arrival”.",
        "House Speaker Anna Holm said she would “never resign” over the ferry scandal.",
    )
    assert not one_remark(
        "Premier Anna Holm said on Monday that Vennmark had “broken the fishing deal”.",
        "Premier Anna Holm said on Friday she would impose “heavy tariffs” on Vennmark.",
    )


def test_a_short_core_inside_another_events_sentence_is_not_that_event() -> None:
    # "A harbour police officer has died" is in the plea's words, but the plea is another event.
    assert not cores_alike(
        "A Tolberg man pleaded not guilty on Friday to murder charges in connection with the "
        "shooting death of a harbour police officer.",
        "A harbour police officer has died after he was shot in the head on Tuesday night in "
        "Tolberg.",
    )
    assert not cores_alike(
        "A man was sentenced to death for the murder of a Tolberg ferry pilot.",
        "A man died after the murder of a Tolberg ferry pilot.",
    )


def test_a_headline_in_title_case_tells_no_act_words() -> None:
    assert not cores_alike(
        "Radio Host Interviews Harbour Queen From Tolberg Docks (Anna Holm)",
        "Anna Holm turns 40 on Thursday, Aug. 22.",
    )


def test_a_negated_core_is_not_the_same_event() -> None:
    assert not cores_alike(
        "The harbour master did not die in the fire at the ferry terminal on Sunday.",
        "The harbour master died in the fire at the ferry terminal on Sunday.",
    )
    assert not cores_alike(
        "The union voted to strike at the Tolberg port.",
        "The union voted not to strike at the Tolberg port.",
    )
