"""What is and is not part of a name in a "Names ..." label: "St." of a place, "&" of a firm and
the "No" a group's name opens on are; a party-state aside, a number's "No.", an adjective
compound, a headline in title case, a word only ever used before another word and a gallery's
buttons are not."""

from __future__ import annotations

from bot.boilerplate import is_caption
from bot.models import Article
from bot.summarize.angle_names import name_runs
from bot.summarize.sentences import split_sentences
from bot.summarize.telling_names import is_telling_name


def test_saint_fort_and_mount_stay_with_the_place() -> None:
    runs = name_runs("Voters in Ft. Carrow and Mt. Hollis lined up before dawn.")
    assert runs == ["Ft. Carrow", "Mt. Hollis"], runs


def test_a_place_opening_the_sentence_keeps_its_saint() -> None:
    runs = name_runs("St. Aldric officials said the ferry would stop at noon.")
    assert runs == ["St. Aldric"], runs


def test_fort_and_mount_end_no_sentence_but_a_unit_still_may() -> None:
    text = "Crews reached Mt. Hollis by noon. The cliff there drops 6 ft. The path stays shut."
    assert split_sentences(text) == [
        "Crews reached Mt. Hollis by noon.",
        "The cliff there drops 6 ft.",
        "The path stays shut.",
    ]


def test_a_party_and_state_after_a_lawmaker_names_no_one() -> None:
    runs = name_runs(
        "The repeal was filed by Sen. Marla Quennel, D-Vt., and Rep. Tobias Arvel (R-Ohio), "
        "backed by Sen. Ida Brenn, R-W.Va."
    )
    assert runs == ["Marla Quennel", "Tobias Arvel", "Ida Brenn"], runs


def test_party_of_state_in_words_names_no_one_either() -> None:
    runs = name_runs("Sen. Ida Brenn, Republican of Ohio, voted against the toll.")
    assert runs == ["Ida Brenn"], runs


def test_a_numbers_label_and_a_lone_no_are_no_names() -> None:
    assert name_runs("Protesters gathered outside No. 4 Harbour Row at dusk.") == ["Harbour Row"]
    runs = name_runs("The council said No to the toll on Friday.")
    assert runs == [], runs


def test_a_group_whose_name_opens_on_no_is_named_wherever_it_stands() -> None:
    # One rule for the run wherever it starts: after a verb, after "the", after "Backers of".
    for sentence in (
        "Organisers said No Tolls would march to the bridge on Friday.",
        "Organisers of the No Tolls marches met the council.",
        "Backers of No Tolls met the council.",
    ):
        runs = name_runs(sentence)
        assert runs == ["No Tolls"], (sentence, runs)


def test_a_pronoun_in_a_groups_name_after_a_lead_in_keeps_the_name() -> None:
    runs = name_runs("Members of Together We Ferry rallied at the bridge.")
    assert runs == ["Together We Ferry"], runs
    # A form of "to be" still reads as a title's: "Who Is Paying" names no one.
    runs = name_runs("Viewers of Who Is Paying wrote in.")
    assert runs == [], runs


def test_an_ampersand_joins_a_firm_but_not_two_people() -> None:
    runs = name_runs("Dockers at Kettle & Bramwell Co. walked out over the toll.")
    assert runs == ["Kettle & Bramwell Co"], runs
    runs = name_runs("The toll was mocked by comedians Rosa Kettle & Ivo Bramwell on air.")
    assert runs == ["Rosa Kettle", "Ivo Bramwell"], runs


def test_an_adjective_compound_on_a_name_is_no_name() -> None:
    runs = name_runs("The toll was designed by a Fenwick-based engineering firm last spring.")
    assert runs == [], runs
    runs = name_runs("The Republican-led Harbour Council voted on the toll.")
    assert runs == ["Harbour Council"], runs


def test_a_title_after_an_adjective_compound_keeps_its_capitalised_opening() -> None:
    runs = name_runs("He opposed the Labour-drafted For the Ferries Act last week.")
    assert runs == ["For the Ferries Act"], runs


def test_a_headline_in_title_case_is_no_name() -> None:
    runs = name_runs("Her column ran as Every Toll Booth Keeps Calling Me Names on Monday.")
    assert runs == [], runs


def test_a_word_only_ever_written_before_another_word_is_no_name() -> None:
    article = Article(
        id="1",
        source="Fenwick Tribune",
        title="Bridge toll set",
        text=(
            "The Harbour variant spread along the quay. Doctors said the Harbour variant "
            "spread faster than the last, and Harbour-19 cases doubled."
        ),
    )
    assert not is_telling_name("Harbour", article)
    article.text = "The levy was drafted by Okonkwo in May. Okonkwo variant rules came later."
    assert is_telling_name("Okonkwo", article)
    # Before a verb a word is the sentence's subject, which a modifier never is.
    article.text = "Under the deal Harbourton formally apologised. Harbourton wants more ferries."
    assert is_telling_name("Harbourton", article)


def test_a_line_carrying_a_gallerys_buttons_is_a_caption() -> None:
    assert is_caption("Fur coats at the Harbour market.— Rosa Kettle + Read Caption Share Photo")
    assert is_caption("Ferries at the quay in 1950. Hide Caption 2 of 6 Photos: Old ferries")
    assert not is_caption("She read the caption aloud before sharing the photo with the court.")


def test_a_gallerys_buttons_alone_or_run_together_are_a_caption() -> None:
    assert is_caption("Enlarge this image toggle caption Rosa Kettle/AP")
    assert is_caption("toggle caption Rosa Kettle/Harbour Daily")
    assert is_caption("Share Photo")


def test_prose_using_the_buttons_words_is_no_caption() -> None:
    # The same words in a sentence of reporting: lowercase, among other words.
    assert not is_caption("The update lets users share photo albums with relatives in one tap.")
    assert not is_caption("Critics said the app would hide caption settings from deaf users.")
    assert not is_caption("Viewers should read caption warnings before the ferry film starts.")
