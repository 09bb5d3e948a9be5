"""A TL;DR bullet is read without the article it came from: it may not continue a sentence the
card does not show ("... were also found", "The talks came as ..."), tell a year-old event as
news, name someone by surname alone, or announce an event the story reports as done; and the
headline is not the announcement either.

Every sentence here is invented. Reviewers found "Six victims were also found dead ...",
"The direct talks last week came as ...", "X opened last year's conference ...", "Meta declined
to comment on Sánchez's call ..." with Sánchez never introduced, and "will meet in Geneva
Tuesday" beside "agreed ... at talks in Geneva on Tuesday" under the headline "... to hold talks".
"""

from __future__ import annotations

from bot.models import Article, Bullet
from bot.summarize.candidates import TldrParams, sentence_options
from bot.summarize.headline import choose_headline
from bot.summarize.introduced import full_forms, leans_on_earlier, turns_to_other_news
from bot.summarize.restated import core_claim
from bot.summarize.sentences import make_sentence
from bot.summarize.tldr import introduced


def _leans(text: str) -> bool:
    return leans_on_earlier(text, core_claim(text))


def test_a_sentence_continuing_another_is_no_bullet() -> None:
    assert _leans("Four more crew members were also pulled from the water near the pier.")
    assert _leans("The emergency talks on Monday came as envoys tried to save the truce.")
    assert _leans("Ada Wren opened last year's regatta with a speech attacking the harbour board.")
    assert turns_to_other_news("And, the port of Tarn reopens to ferries today.")
    # Sentences that state their own news.
    assert not _leans("Four crew members were pulled from the water near the pier on Monday.")
    assert not _leans("The mayor's plan came under fire from the harbour board.")
    assert not _leans("Ferry fares will rise 4% in May, the operator said, after a loss last year.")
    assert not turns_to_other_news("And the board approved the plan on Monday.")


def test_a_continuing_sentence_offers_no_bullet_form() -> None:
    params = TldrParams()
    sentences = [
        make_sentence(
            "Four more crew members were also pulled from the water near the pier.", "A", 0, 1
        ),
        make_sentence(
            "Four crew members were pulled from the water near the pier on Monday.", "A", 0, 0
        ),
    ]
    groups = sentence_options(sentences, params)
    assert [forms[0].sentence.position for forms in groups] == [0]


STORY = [
    "Harbour chief Ilse Varga said on Monday that the ferry union would be fined.",
    "The union declined to comment on Varga's call for a fine.",
]


def test_a_surname_alone_gets_the_full_name_the_story_gives() -> None:
    forms = full_forms(STORY)
    bullets = [
        Bullet("The Tarn ferry union struck for a third day on Monday.", ["A"]),
        Bullet("The union declined to comment on Varga's call for a fine.", ["B"]),
    ]
    texts = [b.text for b in introduced(bullets, forms, "Tarn ferry strike enters third day", 55)]
    assert texts[1] == "The union declined to comment on Ilse Varga's call for a fine."
    assert texts[0] == bullets[0].text


def test_a_surname_the_card_already_introduced_is_left_alone() -> None:
    forms = full_forms(STORY)
    second = Bullet("The union declined to comment on Varga's call for a fine.", ["B"])
    first = Bullet("Harbour chief Ilse Varga called for the ferry union to be fined.", ["A"])
    assert introduced([first, second], forms, "Tarn ferry strike", 55)[1].text == second.text
    # ... or in the headline, or when the full name would overrun the word budget.
    assert introduced([second], forms, "Ilse Varga calls for fine", 55)[0].text == second.text
    assert introduced([second], forms, "Tarn ferry strike", 11)[0].text == second.text


def test_a_surname_two_people_share_is_not_guessed() -> None:
    forms = full_forms([*STORY, "Her deputy, Otto Varga, backed the union."])
    bullet = Bullet("The union declined to comment on Varga's call for a fine.", ["B"])
    assert introduced([bullet], forms, "Tarn ferry strike", 55)[0].text == bullet.text


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
