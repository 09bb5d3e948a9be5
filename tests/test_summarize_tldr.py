from __future__ import annotations

import re

import pytest

from bot.models import Article, Bullet
from bot.summarize import summarize
from bot.summarize.candidates import TldrParams
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
    # A later sentence is not promoted over a lead, however many outlets carry it; not even
    # an article's second sentence.
    assert core_first([lead, quoted], [0, 2]) == [lead, quoted]
    assert core_first([lead, quoted], [0, 1]) == [lead, quoted]
    other = _bullet("Another lead.", "Courier")
    assert core_first([lead, other], [0, 0]) == [lead, other]
    backed = _bullet("A backed lead.", "Gazette", "Herald")
    assert core_first([lead, other, backed], [0, 0, 0]) == [backed, lead, other]
    assert core_first([], []) == [] and core_first([lead], [0]) == [lead]
    # No bullet opens its article: nothing is promoted, however well backed.
    assert core_first([lead, quoted], [3, 3]) == [lead, quoted]
