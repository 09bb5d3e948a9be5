"""A bullet shortened at a comma must not end inside a list.

Every sentence here is invented. On the real cards a bullet read "Congratulatory messages ...
poured in from <country>, <country>, the U.S." : the sentence was cut at the comma after "the
U.S.", whose own full stop made the head look finished, and the list's last items were lost.
"""

from __future__ import annotations

from bot.summarize.clauses import clause_prefixes, cut_to_words
from bot.summarize.compress import variants

LIST_SENTENCE = (
    "Messages of support for the new harbour master, who takes office next week, arrived from "
    "Tolberg, Vennmark, the U.S., Japan and other ports."
)


def test_no_cut_inside_a_list_of_places() -> None:
    cuts = clause_prefixes(LIST_SENTENCE, 55)
    assert not any(c.endswith(("Tolberg.", "Vennmark.", "the U.S.", "Japan.")) for c in cuts)


def test_no_cut_after_the_lists_first_item() -> None:
    sentence = (
        "The festival drew visitors from the whole coast on Saturday, from Tolberg, Oslo and Rome."
    )
    cuts = clause_prefixes(sentence, 55)
    assert "The festival drew visitors from the whole coast on Saturday, from Tolberg." not in cuts
    # The clause before the list still stands on its own.
    assert "The festival drew visitors from the whole coast on Saturday." in cuts


def test_shortening_to_a_word_budget_keeps_the_list_whole() -> None:
    # The only comma cuts within 24 words fall inside the list: no cut, rather than half a list.
    cut = cut_to_words(LIST_SENTENCE, 24)
    assert cut is None or not cut.endswith(("Tolberg.", "Vennmark.", "the U.S."))


def test_a_clause_break_that_is_no_list_is_still_a_cut() -> None:
    assert clause_prefixes(
        "The council approved the new ferry terminal on Monday, the first in a decade.", 55
    ) == ["The council approved the new ferry terminal on Monday."]
    assert clause_prefixes(
        "The mayor opened the bridge on Tuesday, ending a decade of disputes over its cost.", 55
    ) == ["The mayor opened the bridge on Tuesday."]


def test_a_date_or_a_places_country_after_the_comma_is_no_list() -> None:
    assert clause_prefixes(
        "The harbour master resigned during a meeting of the board on Sunday, October 3, 2021.", 55
    ) == ["The harbour master resigned during a meeting of the board on Sunday."]
    assert clause_prefixes(
        "Divers searched the flooded quay near the old ferry terminal in Tolberg, Vennmark.", 55
    ) == ["Divers searched the flooded quay near the old ferry terminal in Tolberg."]


def test_between_keeps_both_sides() -> None:
    assert (
        clause_prefixes(
            "Harbour voters go to the polls Tuesday to decide between Ann Roe, a ferry pilot, and "
            "Jon Berg, a trawler owner.",
            55,
        )
        == []
    )


def test_a_second_predicate_after_and_is_no_list() -> None:
    # The subject's aside holds commas, but the cut ends a whole clause before a second one.
    assert clause_prefixes(
        "On Friday, the harbour board chair, Nick Berg, announced that the ferry line would be "
        "suspended for two years, and would only be reinstated if certain conditions were met.",
        55,
    ) == [
        "On Friday, the harbour board chair, Nick Berg, announced that the ferry line would be "
        "suspended for two years."
    ]


def test_a_whole_between_phrase_does_not_block_a_later_cut() -> None:
    # "between the two sides" has both its sides; the cut ends the clause after it.
    assert clause_prefixes(
        "Talks between the two sides collapsed on Friday in Tolberg, officials said, and no new "
        "date was set.",
        55,
    ) == ["Talks between the two sides collapsed on Friday in Tolberg."]
    assert clause_prefixes(
        "A clash between rival fishing crews left three men injured at the Tolberg quay, police "
        "said on Sunday.",
        55,
    ) == ["A clash between rival fishing crews left three men injured at the Tolberg quay."]
    assert "The feud between fishermen has split Tolberg for years." in clause_prefixes(
        "The feud between fishermen has split Tolberg for years, and the premier has now stepped "
        "in with a new quota plan.",
        55,
    )


def test_an_attribution_after_the_list_does_not_hide_it() -> None:
    cuts = clause_prefixes(
        "The new ferry will stop in Tolberg, Vennmark and Lundia, the harbour board said on "
        "Monday.",
        55,
    )
    assert "The new ferry will stop in Tolberg." not in cuts
    assert "The new ferry will stop in Tolberg, Vennmark and Lundia." in cuts


def test_a_date_after_a_place_and_its_country_is_no_list_item() -> None:
    cuts = clause_prefixes(
        "The harbour master was born in Tolberg, Vennmark, in 1950, and moved to Lundia as a "
        "child.",
        55,
    )
    assert "The harbour master was born in Tolberg, Vennmark." in cuts


def test_between_keeps_its_second_side_after_the_first_sides_aside() -> None:
    cuts = clause_prefixes(
        "Harbour voters go to the polls Tuesday to decide between Ann Roe, a Republican, and "
        "Jon Berg, a Democrat, in the closest race in years.",
        55,
    )
    assert not any(c.endswith(("Ann Roe.", "a Republican.")) for c in cuts)


def test_a_names_age_is_not_cut_off_from_it() -> None:
    cuts = clause_prefixes(
        "The ruling made harbour pilots Dan Roe, 75, and Ann Roe, 68, the first to be paid from "
        "the new fund.",
        55,
    )
    assert not any(c.endswith(("Dan Roe, 75.", "Dan Roe.")) for c in cuts)
    cuts = clause_prefixes(
        "A seven-count charge sheet accused harbour pilot Dan Roe, 74, of selling ferry routes "
        "to a rival port and lying about it to the board.",
        55,
    )
    assert not any(c.endswith(("Dan Roe.", "Dan Roe, 74.")) for c in cuts)


def _ends(forms: list[str], endings: tuple[str, ...]) -> list[str]:
    return [f for f in forms if f.endswith(endings)]


def test_no_cut_before_a_serial_commas_last_item() -> None:
    sentence = (
        "The harbour board rebuked Tolberg, Vennmark, and Lundia for raising the ferry tolls "
        "without any notice."
    )
    assert not _ends(clause_prefixes(sentence, 55), ("Tolberg.", "Vennmark."))


def test_no_cut_in_a_list_of_plural_nouns() -> None:
    sentence = (
        "The inquiry covers the port's records on some pilots, crews, and family members, the "
        "harbour board said."
    )
    forms = clause_prefixes(sentence, 55) + variants(sentence)
    assert not _ends(forms, ("pilots.", "crews."))


def test_no_cut_in_a_list_that_opens_inside_the_clause() -> None:
    # The list's last item is followed by what the verb asks of the whole list.
    sentence = (
        "The mayor regretted the ruling on the ferry lease, and urged ports, towns, fishers and "
        "others to do what they could to keep the boats running."
    )
    forms = clause_prefixes(sentence, 55) + variants(sentence)
    assert not _ends(forms, ("urged ports.", "towns."))
    # The clause before the list still stands.
    assert "The mayor regretted the ruling on the ferry lease." in forms


def test_dropping_the_last_aside_keeps_a_list_whole() -> None:
    sentence = "The new law allows the licensed building, repair, sale and hire of small ferries."
    assert not _ends(variants(sentence), ("building.", "repair."))


def test_no_cut_before_a_serial_lists_one_word_last_item() -> None:
    sentence = (
        "Crews will have to show a permit for the night shifts, the cargo decks, and docks, the "
        "port said on Monday."
    )
    forms = clause_prefixes(sentence, 55) + variants(sentence)
    assert not _ends(forms, ("night shifts.", "cargo decks."))


def test_a_cut_after_a_closed_list_stands() -> None:
    sentence = (
        "The inquiry covers the port's records on some pilots, crews, and family members, the "
        "harbour board said."
    )
    assert (
        "The inquiry covers the port's records on some pilots, crews, and family members."
        in variants(sentence)
    )


def test_no_cut_after_the_first_of_plain_nouns_before_an_attribution() -> None:
    sentence = (
        "The inquiry will cover the port's records on pilots, crews and some family members, the "
        "harbour board said on Friday."
    )
    forms = clause_prefixes(sentence, 55) + variants(sentence)
    assert not _ends(forms, ("on pilots.",))


def test_a_phrase_opening_on_as_is_no_list_item() -> None:
    sentence = (
        "The pilots' union rejected a report blaming the crash on its captain, Ada Holm, as a "
        "“hasty and careless” reading of the facts."
    )
    assert "The pilots' union rejected a report blaming the crash on its captain, Ada Holm." in (
        clause_prefixes(sentence, 55)
    )
