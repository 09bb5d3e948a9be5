"""The TL;DR's sentence forms: sentence splitting, compression and clause cuts, and which
shorter forms of a sentence are offered as bullets."""

from __future__ import annotations

from bot.models import Article
from bot.summarize import summarize
from bot.summarize.candidates import TldrParams, _forms
from bot.summarize.clauses import clause_prefixes, cut_to_words
from bot.summarize.compress import compress, variants
from bot.summarize.finite_verbs import is_clause
from bot.summarize.sentences import split_sentences


def test_sentence_splitter_keeps_abbreviations() -> None:
    text = (
        'Sen. Rand Paul, R-Ky., said on "Fox News Sunday" that it was over. '
        "John F. Kerry met officials in the U.S. Senate. Then he left!"
    )
    assert split_sentences(text) == [
        'Sen. Rand Paul, R-Ky., said on "Fox News Sunday" that it was over.',
        "John F. Kerry met officials in the U.S. Senate.",
        "Then he left!",
    ]


def test_compression_drops_datelines_attributions_and_asides() -> None:
    assert compress(
        "WASHINGTON (Reuters) - The Senate passed the budget bill (HR 1) on Monday."
    ) == ("The Senate passed the budget bill on Monday.")
    assert compress("However, the council approved the new stadium plan, officials said.") == (
        "The council approved the new stadium plan."
    )
    forms = variants("Ana Ruiz, the city's chief engineer, ordered a full inspection of the span.")
    assert "Ana Ruiz ordered a full inspection of the span." in forms


def test_cut_at_clause_boundary() -> None:
    sentence = "The bridge was closed on Tuesday, and traffic was diverted to the ring road."
    assert cut_to_words(sentence, 8) == "The bridge was closed on Tuesday."
    assert cut_to_words(sentence, 4) is None


def test_trailing_attribution_needs_a_comma_and_keeps_negations() -> None:
    # "a decision has not been announced" is the clause's content, not who said it.
    sentence = (
        "The ferry operator cancelled the winter timetable in a dispute in which a decision "
        "has not been announced."
    )
    assert compress(sentence) == sentence
    assert compress("The ferry operator cancelled the winter timetable, the port told us.") == (
        "The ferry operator cancelled the winter timetable."
    )


def test_cuts_keep_a_main_clause_and_what_was_said() -> None:
    # A lone subordinate clause: the main clause comes after the dash.
    sentence = "After the storm hit the coast on Friday — the third in a month — the pier closed."
    assert cut_to_words(sentence, 12) is None
    # A reporting verb cut off from its report, and a main clause whose object still follows.
    said = "The mayor said on the radio, speaking on Monday, that the pier will reopen in May."
    assert cut_to_words(said, 8) is None
    clear = "Residents are making it clear, even before the vote, that they want the pier rebuilt."
    assert cut_to_words(clear, 9) is None
    assert cut_to_words("The old pier closed on Friday, and the ferries stopped.", 7) == (
        "The old pier closed on Friday."
    )


def test_a_clause_that_is_the_subject_is_never_cut_before_its_verb() -> None:
    # The subject is a whole clause ("That ... Ingrid Sol, two harbour veterans,"): its verb comes
    # last, so every cut before it, the appositive's comma included, leaves a fragment.
    that = (
        "That the report was written by Pell Arkin and Ingrid Sol, two harbour veterans who led "
        "the review of the pier, amounts to a rebuke of the council."
    )
    whether = "Whether the ferry resumes on Monday, officials say, depends on the weather."
    for sentence, verb in ((that, "amounts to a rebuke"), (whether, "depends on the weather")):
        fragments = {f for f in _all_forms(sentence) if verb not in f}
        assert not fragments


def test_cuts_keep_the_predicate_and_the_speakers_verb() -> None:
    # The verb after an appositive, or after an adverb, belongs to the head's subject.
    appositive = "The rally came after the local currency, the dinar, slid to a record low."
    assert cut_to_words(appositive, 9) is None
    adverb = "The one event that the mayor of Eastport, Lena Cho, never missed: the harbour parade."
    assert cut_to_words(adverb, 10) is None
    # ", told reporters," is the speaker's own verb, not an aside to drop.
    quote = '"We will rebuild the pier," Mayor Lena Cho, D-Eastport, told reporters, adding that work starts soon.'
    assert not any("Cho, D-Eastport, adding" in v for v in variants(quote))


def test_time_openers_may_go_but_not_places_or_conditions() -> None:
    assert "The harbour board approved the new pier design." in variants(
        "On Wednesday night, the harbour board approved the new pier design."
    )
    # Where or on what condition the claim holds is part of it.
    for opener in ("In Eastport, ", "If the vote passes, "):
        sentence = opener + "the harbour board will approve the new pier design."
        assert "The harbour board will approve the new pier design." not in variants(sentence)


def test_dash_asides_go_but_not_the_openers_boundary() -> None:
    sentence = "The harbour board -- five members since May -- approved the new pier design."
    assert "The harbour board approved the new pier design." in variants(sentence)
    opener = "Despite the storm -- the worst in years -- the harbour board approved the design."
    assert "Despite the storm the harbour board approved the design." not in variants(opener)
    # The comma of a date is no place to cut.
    dated = "The board approved the design on June 4, 2021 after a long public debate."
    assert cut_to_words(dated, 8) is None


def test_case_names_do_not_split_sentences() -> None:
    assert split_sentences(
        "The case, Eastport v. Harbour Board, was heard in May. It is pending."
    ) == [
        "The case, Eastport v. Harbour Board, was heard in May.",
        "It is pending.",
    ]


def test_inner_aside_is_not_dropped_from_a_list() -> None:
    # After ", the old law that limits berths to locally built," the next item ("Locally
    # crewed") is the list's, not the main clause's: dropping the aside would garble the sentence.
    sentence = (
        "The port kept the Harbour Act, the old law that limits berths to locally built, "
        "Locally crewed boats, in force."
    )
    assert "The port kept the Harbour Act Locally crewed boats, in force." not in variants(sentence)
    forms = variants("Ana Ruiz, the city's chief engineer, ordered a full inspection of the span.")
    assert "Ana Ruiz ordered a full inspection of the span." in forms


def test_cut_forms_keep_the_main_verb() -> None:
    sentence = (
        "The private lunar lander Kestrel-2, built by Skyforge Dynamics, landed near the "
        "Moon's south pole on Wednesday, making Skyforge the second private firm to land there."
    )
    assert is_clause(sentence)
    assert not is_clause("The private lunar lander Kestrel-2, built by Skyforge Dynamics.")
    assert not is_clause("Mara Quinn, chief executive of Skyforge Dynamics.")
    assert is_clause("Skyforge plans a second mission next year.")
    assert is_clause("The firm swung to a loss in the spring.")
    # The compressor's clause cut after the aside is offered no more.
    forms = _forms(compress(sentence), TldrParams())
    assert "The private lunar lander Kestrel-2, built by Skyforge Dynamics." not in forms
    assert any(f.endswith("south pole on Wednesday.") for f in forms)
    articles = [
        Article(id="k1", source="Orbit Daily", title="Kestrel-2 lands on the Moon", text=sentence),
        Article(
            id="k2",
            source="Launch Ledger",
            title="Skyforge lander Kestrel-2 reaches the Moon",
            text="Skyforge Dynamics said its Kestrel-2 lander reached the lunar south pole. "
            "The lander carries a drill built by students to look for ice.",
        ),
    ]
    for bullet in summarize(articles).tldr:
        assert is_clause(bullet.text), bullet.text


def _all_forms(sentence: str) -> set[str]:
    """Every shorter form the compressor offers for `sentence`: compressed, asides dropped twice
    (as `candidates._forms` does), clause prefixes and word-capped cuts of each."""
    forms = {compress(sentence)}
    for first in variants(sentence):
        for form in variants(first):
            forms.add(form)
            forms.update(clause_prefixes(form, 14, 6))
            forms.update(c for n in range(6, 20) if (c := cut_to_words(form, n)) is not None)
    return forms


def test_negated_leading_attribution_is_kept() -> None:
    for sentence, negation in [
        ("Inspectors never said that the ferry was unsafe for its passengers.", "never"),
        ("The port authority has not said that the ferry will be sold.", "not"),
        ("No one reported that the ferry had left the harbour early.", "No one"),
        ("The captain didn't say that the ferry had engine trouble that night.", "didn't"),
    ]:
        assert all(negation in form for form in _all_forms(sentence)), sentence
    # An attribution with no negation may still go.
    assert compress("Inspectors said that the ferry was unsafe for its passengers.") == (
        "The ferry was unsafe for its passengers."
    )


def test_trailing_conditions_and_concessions_are_kept() -> None:
    for sentence, condition in [
        ("The mill will close its night shift in May, unless the town buys the site.", "unless"),
        ("The new glue sealed the hull cracks, though only in calm water so far.", "though"),
        ("The levy applies to every harbour berth, except in towns that opt out.", "except"),
        ("Ferry fares will drop by a fifth, if the fuel tax is cut, the operator said.", "if the"),
        ("The bridge will reopen to trucks in June, as long as the tests pass.", "as long as"),
    ]:
        forms = _all_forms(sentence)
        assert len(forms) >= 1
        assert all(condition in form for form in forms), (sentence, forms)
    # The attribution after the condition may still go, the condition with the claim.
    assert "Ferry fares will drop by a fifth, if the fuel tax is cut." in _all_forms(
        "Ferry fares will drop by a fifth, if the fuel tax is cut, the operator said."
    )


def test_clause_openers_are_kept() -> None:
    sentence = "After the sale is approved, the shipyard will cut 300 jobs in Eastport."
    assert all("After the sale is approved" in form for form in _all_forms(sentence))
    # A noun-phrase opener only sets the scene.
    assert "The shipyard will cut 300 jobs in Eastport." in variants(
        "After the vote, the shipyard will cut 300 jobs in Eastport."
    )


def test_place_scope_is_kept_wherever_the_place_word_stands() -> None:
    for sentence, place in [
        ("Last winter in Eastport, more than 40 boats sank at their moorings.", "Eastport"),
        ("This week in the harbour, divers found two more sunken boats.", "harbour"),
        ("Earlier this month in Westbay, the ferry ran aground twice in one day.", "Westbay"),
    ]:
        assert all(place in form for form in _all_forms(sentence)), sentence
    assert "The ferry ran aground twice in one day." in variants(
        "Earlier this month, the ferry ran aground twice in one day."
    )


def test_dash_asides_with_a_qualifier_are_kept() -> None:
    for sentence, qualifier in [
        (
            "The new hull paint is safe — at least for small boats — the yard said on Friday.",
            "at least",
        ),
        (
            "The harbour is open to ferries -- only in daylight -- until the lights are fixed.",
            "only",
        ),
        ("The ferry is back on schedule — but not on Sundays — the operator said.", "not"),
    ]:
        assert all(qualifier in form for form in _all_forms(sentence)), sentence
    # Before an attribution, even a plain aside is the end of the claim, not a parenthesis.
    tail = "The harbour is safe for ferries — the divers checked every pier — the port said."
    assert "The harbour is safe for ferries the port said." not in _all_forms(tail)


def test_discourse_opener_needs_its_comma() -> None:
    for sentence, start in [
        ("So far, 12 boats have sunk in the harbour this winter.", "So far,"),
        ("In addition to the fines, the shipyard must repay every customer.", "In addition to"),
        ("Later this year, the shipyard will open a second dry dock.", "Later this year,"),
    ]:
        assert compress(sentence).startswith(start), sentence
        assert not any(
            f.startswith(("Far", "To the fines", "This year")) for f in _all_forms(sentence)
        )
    assert compress("Meanwhile, the shipyard opened a second dry dock in May.") == (
        "The shipyard opened a second dry dock in May."
    )


def test_condition_of_a_second_clause_is_not_left_dangling() -> None:
    sentence = "The mill will close its night shift in May; unless the town buys it, 80 jobs go."
    forms = _all_forms(sentence)
    assert not any(f.endswith("unless the town buys it.") for f in forms), forms


def _offered(sentence: str) -> set[str]:
    """Every form a bullet may take for `sentence`: what `candidates` builds from its compressed
    form, plus `_all_forms` of the sentence as written."""
    full = compress(sentence)
    return {full, *_forms(full, TldrParams()), *_all_forms(sentence)}


def test_denied_or_disputed_reports_are_not_stated_as_fact() -> None:
    for sentence, kept in [
        ("The ferry company denied reports that it will be sold to a rival next month.", "denied"),
        ("The harbour board dismissed reports that the old pier will be demolished.", "dismissed"),
        ("The shipyard disputes reports that its dry dock failed a safety test.", "disputes"),
        ("The port has rejected reports that the night ferry will be cut in May.", "rejected"),
        ("Shares fell after the regulator said that the ferry merger would be blocked.", "fell"),
        (
            "Unconfirmed reports said that the ferry company will close its Westbay route.",
            "reports",
        ),
    ]:
        forms = _offered(sentence)
        assert all(kept in form for form in forms), (sentence, forms)
    # A plain speaker's "said that" may still go.
    assert compress("The ferry company said that the new terminal will open in early May.") == (
        "The new terminal will open in early May."
    )


def test_parenthetical_qualifiers_are_kept() -> None:
    for sentence, kept in [
        (
            "The new glue sealed hull cracks in half the time (in lab tests) at the Eastport yard.",
            "(in lab tests)",
        ),
        (
            "The ferry line will cut 12 crossings a week (but not in summer) from next year.",
            "(but not in summer)",
        ),
        (
            "Police held the skipper (who has not been charged) overnight in Westbay.",
            "(who has not been charged)",
        ),
        (
            "The harbour levy raised 3 million pounds (excluding fuel duty) in its first year.",
            "(excluding fuel duty)",
        ),
        (
            "The harbour fund grew by a third (if one-off grants are counted) over the year.",
            "(if one-off",
        ),
        ("Ferry fares rose 8 percent (only on the island routes) in the spring.", "(only on"),
    ]:
        forms = _offered(sentence)
        assert all(kept in form for form in forms), (sentence, forms)
    # Pure asides still go: a photo note, a credit, an acronym, a party label.
    for sentence, short in [
        ("The mayor (pictured) opened the new ferry terminal on Friday.", "The mayor opened"),
        ("The mayor opened the new ferry terminal (file photo) on Friday.", "terminal on Friday"),
        ("The Harbour Safety Board (HSB) grounded the old ferry on Friday.", "Board grounded"),
        ("Senator Lena Cho (D-Eastport) voted against the harbour bill on Friday.", "Cho voted"),
        ("(AP) The harbour board approved the new pier design on Friday.", "The harbour board"),
    ]:
        assert short in compress(sentence) and "(" not in compress(sentence), sentence


def test_accusations_keep_who_makes_them() -> None:
    for sentence, speaker in [
        ("The harbour master took cash from six fishing crews, prosecutors said.", "prosecutors"),
        ("Critics said that the toll would double ferry fares for island families.", "Critics"),
        ("The harbour master, investigators said, hid the cash in a boat shed.", "investigators"),
        ("The shipyard dumped oil in the bay for years, according to the lawsuit.", "lawsuit"),
        ("The shipyard dumped oil in the bay for years, police alleged on Friday.", "alleged"),
        (
            "The shipyard dumped oil in the bay — activists say — for at least ten years.",
            "activists",
        ),
        (
            "The shipyard dumped oil in the bay (the complaint says) for at least ten years.",
            "complaint",
        ),
        (
            "Opponents of the toll said that it would empty the island's shops by winter.",
            "Opponents",
        ),
    ]:
        forms = _offered(sentence)
        assert all(speaker in form for form in forms), (sentence, forms)
    # A neutral attribution may still go, leading or trailing.
    assert compress("The new ferry terminal will open in early May, the ministry said.") == (
        "The new ferry terminal will open in early May."
    )
    assert compress("Officials said that the new ferry terminal will open in early May.") == (
        "The new ferry terminal will open in early May."
    )
