"""Which outlets "report" a TL;DR bullet: one sentence must carry the claim, figures and all.

Every story here is invented. Each outlet shares the story's common words (the place, the event,
the weekday) with every bullet, which is exactly what must not count as support on its own.
"""

from __future__ import annotations

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize import summarize
from bot.summarize.grounding import claim, figures, is_verbatim, supporting_outlets, ungrounded


def _story(*outlets: tuple[str, str, str]) -> list[Article]:
    return [
        Article(id=f"g{i}", source=source, title=title, text=text)
        for i, (source, title, text) in enumerate(outlets)
    ]


def _support(text: str, origin: str | None, articles: list[Article]) -> list[str]:
    return supporting_outlets(text, origin, articles, outlet_names(articles))


MILL = _story(
    (
        "Ardan Courier",
        "Textile mill blaze kills 14 in Port Ardan",
        "A blaze at a textile mill in Port Ardan killed 14 workers on Friday. "
        "Crews fought the flames for most of the night.",
    ),
    (
        "Harbour Ledger",
        "Port Ardan mill fire toll climbs to 25",
        "A blaze at a textile mill in Port Ardan killed 25 workers on Friday, the port authority "
        "said. The mill's owner was detained.",
    ),
    (
        "Coastal Record",
        "Port Ardan textile mill fire",
        "Police have not detained the owner of the textile mill after the blaze in Port Ardan. "
        "The blaze killed workers at the mill on Friday.",
    ),
)
FOURTEEN_DEAD = "A blaze at a textile mill in Port Ardan killed 14 workers on Friday."


def test_a_different_or_missing_figure_is_not_support() -> None:
    # Harbour Ledger says 25 died and Coastal Record gives no toll: neither reports "14".
    assert _support(FOURTEEN_DEAD, "Ardan Courier", MILL) == ["Ardan Courier"]


def test_opposite_negation_is_not_support() -> None:
    not_detained = "Police have not detained the owner of the textile mill after the blaze."
    assert _support(not_detained, "Coastal Record", MILL) == ["Coastal Record"]
    # And the other way round: the outlet that says "not detained" does not back "was detained".
    assert _support("The mill's owner was detained.", "Harbour Ledger", MILL) == ["Harbour Ledger"]


def test_a_negation_in_another_clause_does_not_flip_the_claim() -> None:
    articles = [
        *MILL,
        Article(
            id="g9",
            source="Mill Town Post",
            title="Mill fire in Port Ardan",
            text="The blaze at the Port Ardan textile mill killed 14 workers on Friday, "
            "though its cause is not yet known.",
        ),
    ]
    assert _support(FOURTEEN_DEAD, "Ardan Courier", articles) == [
        "Ardan Courier",
        "Mill Town Post",
    ]


QUAKE = _story(
    (
        "Velmora Today",
        "Quake shakes northern Velmora",
        "A magnitude 6.4 earthquake struck the northern coast of Velmora on Thursday, killing at "
        "least eight people.",
    ),
    (
        "North Shore News",
        "Velmora quake kills eight",
        "At least eight people died in a 6.4 quake on the northern coast of Velmora; a tsunami "
        "alert was later cancelled.",
    ),
    (
        "Island Dispatch",
        "Deadly Velmora quake",
        "Ferries were suspended along the northern coast of Velmora after Thursday's deadly 6.4 "
        "earthquake.",
    ),
)


def test_the_storys_common_words_are_not_support() -> None:
    # Velmora Today shares the place, the coast, the day, the magnitude and "earthquake" with the
    # ferry bullet, but says nothing about ferries.
    ferries = (
        "Ferries were suspended along the northern coast of Velmora after Thursday's deadly 6.4 "
        "earthquake."
    )
    assert _support(ferries, "Island Dispatch", QUAKE) == ["Island Dispatch"]


def test_words_spread_over_an_outlets_text_are_not_one_claim() -> None:
    articles = _story(
        (
            "Civic Gazette",
            "Councillor charged",
            "Councillor Ines Marlow took payments from two developers, prosecutors said on "
            "Wednesday. Marlow has denied wrongdoing and will plead not guilty.",
        ),
        (
            "Town Crier",
            "Councillor Marlow indicted on fraud charges",
            "A grand jury indicted Councillor Ines Marlow on four counts of fraud on Wednesday. "
            "Her attorney said Marlow would contest the charges.",
        ),
    )
    contest = "Her attorney said Marlow would contest the charges."
    assert _support(contest, "Town Crier", articles) == ["Town Crier"]


def test_a_paraphrase_with_the_same_figure_and_names_is_support() -> None:
    articles = [
        *MILL,
        Article(
            id="g9",
            source="Evening Beacon",
            title="Port Ardan mourns",
            text="Fourteen workers died on Friday when fire tore through a textile mill in Port "
            "Ardan. The city declared a day of mourning.",
        ),
    ]
    assert _support(FOURTEEN_DEAD, "Ardan Courier", articles) == [
        "Ardan Courier",
        "Evening Beacon",
    ]


def test_a_headline_alone_can_carry_the_claim() -> None:
    articles = [
        *MILL,
        Article(
            id="g9",
            source="Wire Brief",
            title="14 killed in Port Ardan textile mill blaze",
            text="",
        ),
    ]
    assert _support(FOURTEEN_DEAD, "Ardan Courier", articles) == ["Ardan Courier", "Wire Brief"]


def test_the_origin_always_supports_and_comes_first() -> None:
    assert _support("Crews fought the flames for most of the night.", "Ardan Courier", MILL) == [
        "Ardan Courier"
    ]
    # Without an origin (the LLM writer) only sentences count.
    assert _support("The mill's owner was detained.", None, MILL) == ["Harbour Ledger"]


def test_card_bullets_do_not_credit_outlets_with_another_toll() -> None:
    summary = summarize(MILL)
    for bullet in summary.tldr:
        if "14" in bullet.text:
            assert "Harbour Ledger" not in bullet.sources
        if "25" in bullet.text:
            assert "Ardan Courier" not in bullet.sources
        if "not detained" in bullet.text:
            assert bullet.sources == ["Coastal Record"]


def test_figures_compare_values_not_spellings() -> None:
    assert figures("Fourteen died; 1,200 fled; a 7.0 quake") == {"14", "1200", "7"}
    assert figures("1200 fled") <= figures("about 1,200 fled")
    # Digits inside a name are no count.
    assert figures("Covid-19 cases, an F-35 jet and the G7 summit") == frozenset()


def test_negation_is_read_per_clause() -> None:
    sentence = claim("The blaze, which was not deliberate, destroyed the mill.")
    assert not sentence.negated_where({"destroy"})
    assert sentence.negated_where({"deliber"})
    assert claim("Officials denied the mill was destroyed.").negated_where({"destroy"})


# --- word boundaries in the LLM writer's checks ---


def test_word_boundaries_in_the_grounding_checks() -> None:
    text = "The announcement listed the plant's suppliers in alphabetical order."
    # "Crews" opens the sentence but no source uses the word, so it is checked like a name.
    assert ungrounded("Crews from Alpha met Bob of Ann.", [text]) == [
        "Crews",
        "Alpha",
        "Bob of Ann",
    ]
    assert ungrounded("Suppliers met the Announcement panel.", [text]) == []
    assert not is_verbatim("nnouncement listed", text)
    assert not is_verbatim("the plant's supplier", text)
    assert is_verbatim("…listed the plant's suppliers…", text)
    assert is_verbatim("The announcement listed the plant's suppliers in alphabetical order.", text)


def test_quotes_opening_on_punctuation_still_match() -> None:
    text = 'The mayor said "we will rebuild the pier" on Friday.'
    assert is_verbatim('"we will rebuild the pier"', text)
    assert is_verbatim("said \u201cwe will rebuild", text)
    assert not is_verbatim('"we will rebuild the pie', text)


def test_a_shorter_report_of_the_same_fact_is_support() -> None:
    # The headline says part of what the bullet says (no day, no cause) and nothing else: it
    # reports the fact. An outlet that only shares the story's place and river does not.
    articles = _story(
        (
            "Lowland Post",
            "Evacuations along the Tarn",
            "Rising water on the Tarn forced hundreds of families out of Oxley on Monday night.",
        ),
        (
            "Tarn Valley News",
            "Tarn floods, hundreds of families leave Oxley",
            "Boats ferried residents of the lower town to the school gym.",
        ),
        (
            "Oxley Mercury",
            "Oxley counts the cost as the Tarn recedes",
            "Shops on the Tarn quay reopened after the water fell in Oxley.",
        ),
    )
    bullet = "Rising water on the Tarn forced hundreds of families out of Oxley on Monday night."
    assert _support(bullet, "Lowland Post", articles) == ["Lowland Post", "Tarn Valley News"]


def test_possessive_names_are_looked_up_without_the_possessive() -> None:
    sources = ["Macron named Barnier after talks with the Workers Union."]
    assert ungrounded("The pick was Macron's call", sources) == []
    assert (
        ungrounded("The pick was Macron’s call, backed by the Workers Union's chief", sources) == []
    )
    assert ungrounded("The pick was Scholz's call", sources) == ["Scholz"]


def test_a_name_opening_a_sentence_is_checked() -> None:
    sources = ["Macron named Michel Barnier as prime minister. Residents were evacuated by crews."]
    assert ungrounded("Scholz named Michel Barnier as prime minister.", sources) == ["Scholz"]
    assert ungrounded("Barnier was named. Merkel is a former negotiator.", sources) == ["Merkel"]
    assert ungrounded('He said: "Scholz agreed."', sources) == ["Scholz"]
    # Common words opening a sentence are not names: function words, and words the sources use
    # in any form.
    for text in ["Macron named Barnier.", "Evacuations began as crews arrived.", "Residents left."]:
        assert ungrounded(text, sources) == [], text
    assert ungrounded("It's Macron's pick. Officials say little.", sources) == ["Officials"]


def test_numbers_are_grounded_with_their_scale_unit_and_role() -> None:
    sources = [
        "On March 12, 2024, a fire broke out at the plant. The deal is worth $6.16 billion. "
        "Turnout rose 5% after 10:30 am. Eleven workers of the F-35 line were hurt. "
        "See https://news.example/2024/44/story for details. Profits fell 3.2 percent."
    ]
    invented = {
        "The fire killed 12 people.": ["12"],  # the 12 of the sources is a day
        "The deal is worth $6.16 million.": ["6.16"],
        "The deal is worth €6.16 billion.": ["6.16"],
        "Turnout rose 5 points.": ["5"],  # a share is not a count
        "It took 30 minutes.": ["30"],  # the 30 of the sources is a time
        "The line built 35 jets.": ["35"],  # part of a name
        "The plant had 44 workers.": ["44"],  # only in a link
    }
    for text, missing in invented.items():
        assert ungrounded(text, sources) == missing, text
    grounded = [
        "The fire broke out on March 12.",
        "The fire broke out on the 12th, in 2024.",
        "The deal is worth $6,160 million.",
        "The deal is worth $6.16bn.",
        "Turnout rose 5 percent; profits fell 3.2%.",
        "11 workers were hurt.",
        "The F-35 line was hit.",
    ]
    for text in grounded:
        assert ungrounded(text, sources) == [], text


def test_a_possessive_inside_a_name_run_splits_it() -> None:
    sources = [
        "Joe Biden’s Supreme Court Commission met. China's People's Liberation Army drilled."
    ]
    assert ungrounded("Joe Biden's Supreme Court Commission met.", sources) == []
    assert ungrounded("The People’s Liberation Army drilled.", sources) == []
    assert ungrounded("Joe Biden's Space Force drilled.", sources) == ["Space Force"]


def test_a_long_token_without_spaces_is_read_in_linear_time() -> None:
    # Feed text can hold a 20,000-character token (a data URI, a run of letters); the link
    # pattern used to rescan it from every position (20 s). Links are still read as links.
    import time

    from bot.summarize.quantities import quantities

    # CPU time, not wall time: other processes on a loaded machine do not count.
    start = time.process_time()
    quantities("a" * 200_000)
    quantities("x://" * 50_000)
    assert time.process_time() - start < 2.0
    assert [q.value for q in quantities("See https://x.example/2024/12 where 12 people died.")] == [
        12
    ]
