"""A figure the card lacks excuses a quote only for the sentence it sits in: a quote whose other
sentence tells a TL;DR bullet again gives way, or is trimmed to the sentence that adds."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.grounding import figures, is_verbatim
from bot.summarize.quotes import Told, pick_quote
from bot.summarize.sentences import content_stems
from bot.summarize.told import quote_sentences

HEADLINE = "Dornau opens its new river bridge after three years of work"
BULLET = "Mayor Ilse Brandt opened the bridge over the Vell river in her hometown of Dornau."


def _told(bullet: str = BULLET) -> Told:
    return Told(
        headline=frozenset(content_stems(HEADLINE)),
        bullets=[(frozenset(content_stems(bullet)), frozenset(figures(bullet)))],
        figures=frozenset(figures(HEADLINE)) | frozenset(figures(bullet)),
        texts=[bullet],
    )


def test_a_retelling_sentence_is_not_excused_by_a_figure_in_the_cut_off_tail() -> None:
    # "Ark." keeps the two sentences one for the splitter, so the quote's window runs on into
    # the next one and is cut there, a new figure and all.
    quote = (
        "Brandt, who won a third term in the spring, opened the bridge over the Vell river in "
        "her hometown of Dornau, Ark. In a 20-minute address…"
    )
    assert _told().retold_by(quote)


def test_a_figure_in_the_retelling_sentence_itself_still_makes_it_news() -> None:
    quote = "Brandt opened the bridge over the Vell river in her hometown of Dornau before 4,000 people."
    assert not _told().retold_by(quote)


def test_a_second_sentence_that_retells_nothing_does_not_sink_the_quote() -> None:
    quote = (
        "The crossing cost 40 million crowns. Ferry crews will be offered jobs on the new buses."
    )
    assert not _told().retold_by(quote)


def test_a_retold_quote_is_trimmed_to_its_sentence_with_the_new_figure() -> None:
    text = (
        "Brandt opened the bridge over the Vell river in her hometown of Dornau, Ark. The "
        "crossing cost 40 million crowns to build. Ferry crews will drive the new buses."
    )
    article = Article(id="d1", source="Vell Gazette", title="Bridge opens", text=text)
    sentence = text.rsplit(" Ferry", 1)[0]  # one sentence to the splitter, for the "Ark."
    quote = pick_quote([(1.0, sentence, article, ["crossing"])], _told())
    # The outlet's sentence began before it: the ellipsis says so, as for any quote cut at its
    # start (`verbatim_quote`).
    assert quote == "…The crossing cost 40 million crowns to build."
    assert is_verbatim(quote, text)


def test_a_retold_quote_with_no_whole_sentence_to_keep_gives_way_to_the_next() -> None:
    text = (
        "Brandt, who won a third term, opened the bridge over the Vell river in her hometown of "
        "Dornau, Ark. In a 20-minute address she thanked the crews. Ferry crews will be offered "
        "jobs driving the new buses, the council said."
    )
    article = Article(id="d1", source="Vell Gazette", title="Bridge opens", text=text)
    # The window a longer sentence was cut to: it ends on a fragment, no sentence to keep.
    first = (
        "Brandt, who won a third term, opened the bridge over the Vell river in her hometown of "
        "Dornau, Ark. In a 20-minute address…"
    )
    nxt = "Ferry crews will be offered jobs driving the new buses, the council said."
    others = [(2.0, first, article, ["third"]), (1.0, nxt, article, ["ferry"])]
    assert pick_quote(others, _told()) == nxt


def test_a_quote_is_not_split_after_a_title_or_an_initial() -> None:
    # "Mr." and "J." lead on to a name: "Lund paid 40 crowns..." is no sentence of its own.
    assert quote_sentences("Mr. Lund and J. Berg paid 40 crowns. They left.") == [
        "Mr. Lund and J. Berg paid 40 crowns.",
        "They left.",
    ]
    assert quote_sentences("“We will.” Then 30 crews left, Ark. officials said.") == [
        "“We will.”",
        "Then 30 crews left, Ark. officials said.",
    ]


def test_a_quote_is_not_split_inside_a_name_or_a_time() -> None:
    # A full stop inside the word ("U.S.", "D.C.", "a.m.") or a name's suffix ("Inc.", "Corp.")
    # ends no sentence: cut there, "Army said ..." would be quoted as if it were one.
    for whole in (
        "The U.S. Army said 600 soldiers built it.",
        "Officials in Washington, D.C. Police said 12 were held.",
        "It opened at 9 a.m. Tuesday with 300 guests.",
        "Staff at Nordbau Inc. Workers said 600 of them built it.",
        "Acme Corp. Chief Executive Jo Lind paid 40 crowns.",
        "The Lund Co. Board met Sen. Alva Berg Jr. Twice in May.",
    ):
        assert quote_sentences(whole) == [whole]


def _pick(text: str, focus: list[str], told: Told | None = None) -> str:
    article = Article(id="d1", source="Vell Gazette", title="Bridge opens", text=text)
    return pick_quote([(1.0, text, article, focus)], told or _told())


def test_a_retold_quote_is_not_trimmed_to_the_middle_of_a_name() -> None:
    text = (
        "Brandt opened the bridge over the Vell river in her hometown of Dornau, Ark. "
        "The U.S. Army said 600 soldiers had built the crossing."
    )
    quote = _pick(text, ["crossing"])
    assert quote == "…The U.S. Army said 600 soldiers had built the crossing."
    assert is_verbatim(quote, text)


def test_a_retold_quote_is_not_trimmed_to_a_sentence_inside_a_quotation() -> None:
    # The sentence with the new figure starts inside someone's words: alone, it would give them
    # as the outlet's, ending on a closing mark that pairs with nothing.
    text = (
        "“Brandt opened the bridge over the Vell river in her hometown of Dornau, Ark. The "
        "crossing cost 40 million crowns,” the council said."
    )
    assert _pick(text, ["crossing"]) == ""
    text = (
        "Brandt opened the bridge over the Vell river in her hometown of Dornau, Ark. “It was "
        "hard. It cost 40 million crowns,” Lind said."
    )
    assert _pick(text, ["hard"]) == ""


def test_a_quote_is_split_after_a_figure_or_an_initialism_that_ends_its_sentence() -> None:
    # A figure's full stop ("9.30") leads on to nothing, and "The" after "U.S." opens a sentence:
    # kept whole, the quote's retelling first sentence hid behind the second's new figure.
    for first in (
        "Brandt opened the bridge over the Vell river in her hometown of Dornau at 9.30.",
        "Brandt opened the bridge over the Vell river in her hometown of Dornau, in the U.S.",
    ):
        told = _told(f"{BULLET.rstrip('.')} at 9.30.")
        quote = f"{first} The crossing cost 40 million crowns to build."
        assert quote_sentences(quote) == [first, "The crossing cost 40 million crowns to build."]
        assert told.retold_by(quote)
        assert _pick(quote, ["crossing"], told) == "…The crossing cost 40 million crowns to build."
    # A name still runs on past an initialism: "Army" opens no sentence.
    assert quote_sentences("Crews from the U.S. Army said 600 built it.") == [
        "Crews from the U.S. Army said 600 built it."
    ]
