"""A TL;DR bullet is read without the article it came from: it may not continue a sentence the
card does not show ("... were also found", "The talks came as ..."), tell a year-old event as
news, or announce an event the story reports as done; and the
headline is not the announcement either.

Every sentence here is invented. Reviewers found "Six victims were also found dead ...",
"The direct talks last week came as ...", "X opened last year's conference ...", "Meta declined
to comment on Sánchez's call ...", and "will meet in Geneva
Tuesday" beside "agreed ... at talks in Geneva on Tuesday" under the headline "... to hold talks".
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Article
from bot.summarize import summarize
from bot.summarize.candidates import TldrParams, sentence_options
from bot.summarize.headline import choose_headline
from bot.summarize.introduced import (
    is_teaser,
    leans_on_earlier,
    turns_to_other_news,
    without_also,
)
from bot.summarize.restated import core_claim
from bot.summarize.sentences import make_sentence, split_sentences


def _leans(text: str) -> bool:
    return leans_on_earlier(text, core_claim(text))


def test_a_sentence_continuing_another_is_no_bullet() -> None:
    assert _leans("The harbour master, too, said the pier had been unsafe for weeks.")
    assert _leans("The emergency talks on Monday came as envoys tried to save the truce.")
    assert _leans("Ada Wren opened last year's regatta with a speech attacking the harbour board.")
    assert turns_to_other_news("And, the port of Tarn reopens to ferries today.")
    # Sentences that state their own news.
    assert not _leans("Four crew members were pulled from the water near the pier on Monday.")
    assert not _leans("The mayor's plan came under fire from the harbour board.")
    assert not _leans("Ferry fares will rise 4% in May, the operator said, after a loss last year.")
    assert not turns_to_other_news("And the board approved the plan on Monday.")


def test_too_much_and_last_year_as_a_measure_are_the_sentences_own_news() -> None:
    # "too" meaning "excessively", and last year as what this year is measured against.
    assert not _leans("Tides rose too fast for the crews to finish the sea wall.")
    assert not _leans("Ferry traffic fell by a third compared with last year, the port said.")
    assert not _leans("The ferry line made a profit of 3 million crowns last year.")
    assert not _leans("Islanders now pay more for a crossing than they did two years ago.")
    # A report that opens like a gallery's caption, or on a journey, is reporting.
    assert not is_teaser("In photos released by the coastguard, the trawler is seen listing.")
    assert not is_teaser("A journey across the strait took the lifeboat crew five hours.")
    assert is_teaser("In pictures: the Tarn regatta through the years")


def test_an_also_sentence_is_offered_without_the_also() -> None:
    params = TldrParams()
    also = "Two more crew members were also found alive in a lifeboat near the pier."
    sentences = [
        make_sentence(also, "A", 0, 1),
        make_sentence("The trawler sank off Tarn on Monday with nine crew on board.", "A", 0, 0),
    ]
    texts = {form.text for forms in sentence_options(sentences, params) for form in forms}
    assert "Two more crew members were found alive in a lifeboat near the pier." in texts
    assert not any(" also " in text for text in texts)
    # "not only ... but also" reads wrong without the word: no bullet.
    assert without_also("The storm hit not only Tarn but also the islands to its north.") is None


def test_an_also_in_a_quotation_a_title_or_a_not_only_is_kept() -> None:
    # A quotation is the speaker's words: the sentence makes no bullet rather than misquote.
    assert without_also('The minister said "we will also raise harbour taxes" in May.') is None
    assert without_also("The minister said “we will also raise harbour taxes” in May.") is None
    # A single quotation closing after a plural-looking word ("fees' next") is still one.
    assert (
        without_also("The minister said the port 'will also raise harbour fees' next summer.")
        is None
    )
    assert (
        without_also("The minister said the port ‘will also raise harbour fees’ next summer.")
        is None
    )
    # A possessive before the word opens no quotation: the "also" is dropped as before.
    assert without_also("The workers' union also declared a strike.") == (
        "The workers' union declared a strike."
    )
    assert (
        without_also("The mayor's office also said fares rise.")
        == "The mayor's office said fares rise."
    )
    # A title-cased "Also" names a work, not an addition.
    title = "The orchestra played Also Sprach Zarathustra at the regatta's opening."
    assert without_also(title) == title
    # "not only ... but (will) also": the word answers the "not only".
    assert without_also("The plan not only cuts fares but will also add two ferries.") is None


def test_a_bullet_never_drops_an_also_from_a_quotation() -> None:
    quoted = '"we will also raise harbour taxes"'
    bullets = _bullets_of(
        "Tarn ferry fares to rise, minister says || Ferry fares to Tarn will rise by a fifth in "
        f"May, the transport minister said on Monday. The minister said {quoted} before the "
        "summer season opens. Islanders have protested the fares for months outside the port.",
        "Minister announces ferry fare rise for Tarn || The transport minister said on Monday "
        f"that ferry fares to Tarn will rise by a fifth in May. He told reporters {quoted} before "
        "the summer season opens. Island councils called the rise unfair to island families.",
    )
    assert bullets
    assert not any("we will raise harbour taxes" in bullet for bullet in bullets)


def test_a_bullet_never_drops_an_also_from_a_single_quoted_quotation() -> None:
    for opening, closing in (("'", "'"), ("‘", "’")):
        quoted = f"the port {opening}will also raise harbour fees{closing} next summer"
        bullets = _bullets_of(
            "Tarn ferry fares to rise, minister says || Ferry fares to Tarn will rise by a fifth "
            f"in May, the transport minister said on Monday. The minister said {quoted}, "
            "angering islanders. Islanders have protested the fares for months outside the port.",
            "Minister announces ferry fare rise for Tarn || The transport minister said on Monday "
            f"that ferry fares to Tarn will rise by a fifth in May. He told reporters {quoted}, "
            "angering islanders. Island councils called the rise unfair to island families.",
        )
        assert bullets
        assert not any("will raise harbour fees" in bullet for bullet in bullets)


def _bullets_of(*texts: tuple[str, str]) -> list[str]:
    when = datetime(2026, 3, 2, tzinfo=UTC)
    articles = [
        Article(
            id=str(n),
            source=source,
            url=f"https://{n}.example/a",
            published=when,
            title=title,
            text=text,
        )
        for n, (source, title, text) in enumerate(
            (f"Outlet {n}", t.split(" || ")[0], t.split(" || ")[1]) for n, t in enumerate(texts)
        )
    ]
    return [b.text for b in summarize(articles).tldr]


def _sources(*texts: str) -> list[str]:
    return [s for t in texts for s in split_sentences(t.split(" || ")[1])]


def test_a_bullet_keeps_the_sources_words_for_a_name() -> None:
    # "the Abbot" is a title, not the surname of "Tova Abbot"; "Varga" is said of two people, one
    # named in full only where her name opens a sentence; the chant is a quote.
    first = (
        "Monks meet the Abbot over the ferry fares || "
        "Monks from nine islands met the Abbot at the harbour chapel on Monday to protest the "
        "ferry fares. Port economist Tova Abbot told reporters the fares had doubled since May. "
        'Ilse Varga wrote the petition the monks delivered. Protesters chanted "Down with Varga '
        'and her fares" outside the port office, where Piet Varga, her former husband, works.'
    )
    second = (
        "Island monks press the Abbot on ferry fares || "
        "On Monday monks from nine islands met the Abbot at the harbour chapel to protest the "
        "ferry fares. The petition by Varga was signed by four thousand islanders. "
        'Protesters chanted "Down with Varga and her fares" outside the port office.'
    )
    source = _sources(first, second)
    bullets = _bullets_of(first, second)
    assert bullets
    for bullet in bullets:
        assert "Tova Abbot" not in bullet or "Port economist" in bullet
        assert "Piet Varga" not in bullet or "former husband" in bullet
        assert "Ilse Varga" not in bullet or bullet.startswith("Ilse Varga wrote")
        # Each bullet is a source sentence or a cut of one: no word the sentence lacks.
        assert any(
            set(bullet.rstrip(".").split()) <= set(s.split()) | {s.split()[-1].rstrip(".")}
            for s in source
        ), bullet


def test_an_announcement_the_story_reports_done_is_no_bullet() -> None:
    params = TldrParams()
    announced = "Envoys of Norland and Lundia will meet in Tarn on Tuesday for a second round of border talks."
    done = "Norland and Lundia agreed on a draft border map at talks in Tarn on Tuesday."
    groups = sentence_options(
        [make_sentence(done, "A", 0, 0), make_sentence(announced, "B", 1, 0)], params
    )
    assert [forms[0].text for forms in groups] == [done]
    # The same actors' next step, on another day, is news of its own.
    later = "Envoys of Norland and Lundia will meet in Tarn on Friday to sign the border map."
    groups = sentence_options(
        [make_sentence(done, "A", 0, 0), make_sentence(later, "B", 1, 0)], params
    )
    assert len(groups) == 2


def test_an_announcing_headline_gives_way_to_one_reporting_the_event() -> None:
    text = "Norland and Lundia agreed on a draft border map at talks in Tarn on Tuesday."
    articles = [
        Article(
            id="a", source="A", title="Norland and Lundia to hold border talks in Tarn", text=text
        ),
        Article(
            id="b", source="B", title="Norland and Lundia agree border map at Tarn talks", text=text
        ),
    ]
    assert choose_headline(articles)[0] == "Norland and Lundia agree border map at Tarn talks"
    # With no report of the event, the announcement is the news.
    alone = [articles[0], Article(id="c", source="C", title="Ferry fares rise in Tarn", text=text)]
    assert choose_headline(alone)[0] == "Norland and Lundia to hold border talks in Tarn"
