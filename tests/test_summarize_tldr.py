from __future__ import annotations

import re

import pytest

from bot.models import Article, Bullet
from bot.summarize import summarize
from bot.summarize.candidates import TldrParams, _forms
from bot.summarize.clauses import clause_prefixes, cut_to_words
from bot.summarize.compress import compress, variants
from bot.summarize.finite_verbs import is_clause
from bot.summarize.sentences import content_stems, split_sentences
from bot.summarize.tldr import build_tldr, core_first
from tests.test_summarize_fixtures import harbor_bridge_story

_WORD = re.compile(r"[\w$’'-]+")


def _source_words(articles: list[Article]) -> set[str]:
    return {w.casefold() for a in articles for w in _WORD.findall(f"{a.title} {a.text}")}


def test_bullets_are_grounded_and_know_their_outlets() -> None:
    articles = harbor_bridge_story()
    summary = summarize(articles)
    assert 2 <= len(summary.tldr) <= 3
    vocabulary = _source_words(articles)
    outlets = {a.source for a in articles}
    for bullet in summary.tldr:
        # Extractive: every word of a bullet occurs in the sources (nothing invented).
        assert {w.casefold() for w in _WORD.findall(bullet.text)} <= vocabulary
        assert bullet.sources and set(bullet.sources) <= outlets
    # The closure is reported by every outlet, so its bullet should be backed by several.
    assert max(len(b.sources) for b in summary.tldr) >= 3
    assert summary.writer == "extractive"


def test_word_cap_and_no_repetition() -> None:
    articles = harbor_bridge_story()
    long_text = " ".join(
        f"The harbor bridge closure on Tuesday forced detour number {i} through the old town "
        "district, where traffic backed up for hours along the river road near the market."
        for i in range(12)
    )
    articles.append(Article(id="a5", source="Long Post", title="Bridge detours", text=long_text))
    summary = summarize(articles)
    assert sum(len(b.text.split()) for b in summary.tldr) <= 55
    stems = [set(content_stems(b.text)) for b in summary.tldr]
    for i in range(len(stems)):
        for j in range(i + 1, len(stems)):
            overlap = len(stems[i] & stems[j]) / min(len(stems[i]), len(stems[j]))
            assert overlap <= 0.5


def test_outlets_without_source_names_are_kept_apart() -> None:
    articles = [
        Article(id=a.id, source="unknown", title=a.title, text=a.text)
        for a in harbor_bridge_story()
    ]
    bullets = build_tldr(articles, [f"article {a.id}" for a in articles])
    assert max(len(b.sources) for b in bullets) >= 3


def test_empty_story() -> None:
    summary = summarize([])
    assert summary.tldr == [] and summary.angles == []


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


def test_bullets_do_not_restate_one_figure_in_other_words() -> None:
    # Three outlets open with the same toll in their own words; the TL;DR says it once and
    # spends its other bullet on what else happened (it used to give the toll twice).
    from bot.summarize.grounding import figures
    from tests.test_summarize_fixtures import art

    articles = [
        art(1, "A", "Earthquake strikes central Japan",
            "A magnitude 7.1 earthquake struck central Japan on Tuesday, killing at least nine "
            "people. Rescue teams searched collapsed homes in Ishikawa."),
        art(2, "B", "Deadly quake hits Japan",
            "At least nine people died when a powerful 7.1-magnitude quake hit central Japan on "
            "Tuesday. The government said a tsunami warning had been lifted."),
        art(3, "C", "Japan quake kills nine",
            "Nine people were killed after a strong earthquake of magnitude 7.1 shook central Japan "
            "on Tuesday. Trains were halted across the region."),
    ]  # fmt: skip
    tldr = summarize(articles).tldr
    with_toll = [b.text for b in tldr if "9" in figures(b.text)]
    assert len(tldr) >= 2 and len(with_toll) == 1, [b.text for b in tldr]


def test_a_figure_spelt_two_ways_is_one_fact_even_beside_another_figure() -> None:
    # "a 48-hour strike" and "strike for 48 hours" are one fact, even when one telling adds a
    # figure of its own ("two days"): the TL;DR gives the strike once (it used to give it twice).
    from bot.summarize.grounding import figures
    from tests.test_summarize_fixtures import tram_strike_story

    tldr = summarize(tram_strike_story()).tldr
    with_strike = [b.text for b in tldr if "48" in figures(b.text)]
    assert len(with_strike) == 1, [b.text for b in tldr]


def test_a_quote_the_splitter_cut_in_two_is_no_bullet() -> None:
    # The splitter ends a sentence at the first full stop inside a long quote, leaving halves
    # with a quotation mark open or closed outside them; each half is the best match for the
    # story, but as a bullet it reads broken.
    quoted = (
        'Mayor Lena Cho said: "The harbour pier is repaired and safe. The harbour pier will reopen '
        'to ferries on Friday after repairs to its deck," Cho told reporters at the harbour.'
    )
    articles = [
        Article(id="q1", source="Harbour Ledger", title="Harbour pier to reopen", text=quoted),
        Article(
            id="q2",
            source="Coastal Record",
            title="Ferries return to repaired harbour pier",
            text="Ferries will return to the repaired harbour pier on Friday, the mayor said. "
            "Repairs to its deck took three months.",
        ),
    ]
    assert any(s.count('"') % 2 for s in split_sentences(quoted))  # the split this is about
    bullets = [b.text for b in summarize(articles).tldr]
    assert bullets
    for text in bullets:
        assert text.count('"') % 2 == 0 and text.count("(") == text.count(")"), text


def test_a_bullet_never_opens_on_a_pronoun_it_cannot_resolve() -> None:
    # "She declined the post on Tuesday." is the best-covered sentence here, but read alone on a
    # card nobody knows who "she" is.
    articles = [
        Article(
            id="p1",
            source="Harbour Ledger",
            title="Harbour chief Ada Rook turns down ministry post",
            text="Harbour chief Ada Rook was offered the transport ministry post last week. "
            "She declined the transport ministry post on Tuesday, citing the pier repairs.",
        ),
        Article(
            id="p2",
            source="Coastal Record",
            title="Rook declines transport ministry post",
            text="She declined the transport ministry post on Tuesday to finish the pier repairs. "
            "Ada Rook has run the harbour since 2019.",
        ),
    ]
    bullets = [b.text for b in summarize(articles).tldr]
    assert bullets
    assert not [t for t in bullets if t.split()[0] in ("She", "He", "It", "They", "Its", "Their")]


@pytest.mark.parametrize(
    ("text", "leans_on_another_sentence"),
    [
        ("That brings the total to 26 million claims in five weeks.", True),
        ("That amounts to a monthly increase of 92 crowns.", True),
        ("These are the highest tolls since the storm of 1990.", True),
        ("Also on board the ferry were the mayor and two councillors.", True),
        ("So when the jackpot hit a record, neighbours pooled their money.", True),
        # A demonstrative that names its own subject, or sets the time, stands alone.
        ("That plan was rejected by the council on Monday.", False),
        ("This week's vote passed by a wide margin.", False),
        ("This week, the council voted to keep the ferry running.", False),
        ("Those who voted against it left the chamber.", False),
    ],
)
def test_bullets_that_lean_on_a_sentence_the_card_does_not_show(
    text: str, leans_on_another_sentence: bool
) -> None:
    from bot.summarize.clauses import leans_on_context

    assert leans_on_context(text) is leans_on_another_sentence


def test_a_bullet_restating_half_of_another_is_a_repeat() -> None:
    # Both sentences open on the landing itself; the second adds the drill. Read one after the
    # other on a card, the landing is said twice (8 of the second's 15 words: it used to pass).
    from bot.summarize.candidates import Option, _repeats, sentence_options
    from bot.summarize.sentences import make_sentence

    first = (
        "The private lander Osprey-3, built by Halvard Aerospace, landed near the Moon's south "
        "pole on Thursday, making Halvard the third private company to land intact."
    )
    second = (
        "Halvard Aerospace's Osprey-3 landed near the Moon's south pole, carrying a drill "
        "designed by students at the University of Tarnby."
    )
    params = TldrParams()
    a, b = (
        next(o for o in sentence_options([make_sentence(t, "X", i, 0)], params)[0] if o.text == t)
        for i, t in enumerate((first, second))
    )
    assert isinstance(a, Option)
    assert _repeats(a, b, params) and _repeats(b, a, params)


def test_the_bullet_stating_the_headline_event_comes_first() -> None:
    # The reaction sits in the lead of its article as early as the event does in its own; the
    # headline names the approval, so the approval is read first, then the reaction.
    articles = [
        Article(
            id="m1",
            source="Daily Post",
            title="Health agency approves first dengue vaccine for children",
            text="The Global Health Agency approved the first dengue vaccine for children on "
            "Monday, clearing the way for use in nine countries next year.",
        ),
        Article(
            id="m2",
            source="City Ledger",
            title="Doctors welcome dengue vaccine approval but warn of shortages",
            text="Doctors welcomed the approval of the Corla Labs dengue vaccine but warned "
            "that making 15 million doses a year would not meet demand in the worst-hit "
            "regions.",
        ),
    ]
    summary = summarize(articles)
    assert summary.headline.startswith("Health agency approves")
    texts = [b.text for b in summary.tldr]
    assert len(texts) == 2, texts
    assert texts[0].startswith("The Global Health Agency approved"), texts
    assert texts[1].startswith("Doctors welcomed"), texts


def _tram_story() -> list[Article]:
    """Four outlets on one city's tram deal: two report the spending, two add a side of it of
    their own (the builder's shares, the mayor's promise). Every bullet is some article's lead."""
    return [
        Article(
            id="v1",
            source="Harbourside Gazette",
            title="Velden pledges 2 billion kroner for a tram line of its own",
            text="The city council of Velden will spend up to 2 billion kroner on a tram line "
            "linking the port to the university, the transport office said on Tuesday. Builder "
            "Brakk will lead the work, with the engineering firms Lunde and Tollef among the "
            "partners. Officials said trams would run every six minutes at peak hours rather "
            "than every ten.",
        ),
        Article(
            id="v2",
            source="Transit Weekly",
            title="Velden's tram gamble: Brakk leads eight-firm building group",
            text="Velden wants a tram line of its own, and it is putting 2 billion kroner behind "
            "the plan. Brakk will lead a group of eight firms that plans to lay track along the "
            "old harbour road. The design studio Ostmark is named as architect, a detail the "
            "council's statement left out. The first trams are due in 2029.",
        ),
        Article(
            id="v3",
            source="Market Desk",
            title="Brakk shares jump 8% after it is named to lead Velden tram group",
            text="Shares in Brakk jumped 8% on Tuesday after the builder was named leader of a "
            "city-funded tram group. Analysts at Sandvik Securities said the 2 billion kroner "
            "contract could lift Brakk's order book by a third by 2030. Brakk is also building "
            "a bus depot for a rival operator, putting it on both sides of the transport debate.",
        ),
        Article(
            id="v4",
            source="Evening Courier",
            title="Velden's new tram will carry bicycles free, mayor says",
            text="The tram paid for by Velden's council will carry bicycles free of charge at "
            "all hours, not only off peak, mayor Lise Hamre said. She said the line would "
            "create 300 construction jobs and that every stop would be heated in winter.",
        ),
    ]


def test_the_bullet_most_outlets_report_opens_the_tldr() -> None:
    # The headline is the shares story's, so by reading order alone Market Desk's lead (1 of 4)
    # came first and the spending two outlets report came after it.
    summary = summarize(_tram_story())
    assert summary.headline.startswith("Brakk shares jump"), summary.headline
    texts = [b.text for b in summary.tldr]
    assert len(texts) == 3, texts
    assert texts[0].startswith("Velden wants a tram line of its own"), texts
    assert summary.tldr[0].sources == ["Transit Weekly", "Harbourside Gazette"]
    # Only the core moves: the others keep their reading order.
    assert texts[1].startswith("Shares in Brakk jumped 8%"), texts
    assert texts[2].startswith("Brakk will lead a group of eight firms"), texts
    assert [b.sources for b in summary.tldr[1:]] == [["Market Desk"], ["Transit Weekly"]]
    # The lead outlet follows the first bullet: the core's outlet gets no angle (its report is
    # the TL;DR), while Market Desk, no longer the lead, shows what it adds beyond its bullet.
    by_outlet = {a.source: a for a in summary.angles}
    assert "Transit Weekly" not in by_outlet
    assert "Sandvik Securities" in by_outlet["Market Desk"].line


def _bullet(text: str, *sources: str) -> Bullet:
    return Bullet(text=text, sources=list(sources))


def test_wire_copies_back_a_bullet_once_when_choosing_the_core() -> None:
    # One agency text run by three papers is one source: the fact two outlets found on their
    # own is the better backed, as the card's "reported by" counts them (1 of 3 and 2 of 3).
    wired = _bullet("Wire detail.", "Post", "Herald", "Ledger")
    found = _bullet("Independent fact.", "Courier", "Gazette")
    groups = [["Herald", "Ledger", "Post"]]
    assert core_first([wired, found], [0, 0], groups) == [found, wired]
    # Without the wire groups the three copies would count three times.
    assert core_first([wired, found], [0, 0]) == [wired, found]


def test_the_core_is_chosen_among_leads_and_ties_keep_reading_order() -> None:
    lead = _bullet("Lead.", "Post")
    quoted = _bullet("A quote two outlets carry.", "Post", "Courier")
    # A later sentence is not promoted over a lead, however many outlets carry it.
    assert core_first([lead, quoted], [0, 2]) == [lead, quoted]
    other = _bullet("Another lead.", "Courier")
    assert core_first([lead, other], [0, 0]) == [lead, other]
    backed = _bullet("A backed lead.", "Gazette", "Herald")
    assert core_first([lead, other, backed], [0, 0, 0]) == [backed, lead, other]
    assert core_first([], []) == [] and core_first([lead], [0]) == [lead]
    # No bullet opens its article: nothing is promoted, however well backed.
    assert core_first([lead, quoted], [3, 3]) == [lead, quoted]
