"""Page text around a story is no bullet, however a site writes it: a wire photo's caption
without its "FILE" mark ("In this June 3, 2019, photo, ...", "This photo provided by ...
shows ...", or a present-tense scene dated by weekday, date and year), a caption's credit after
a bar before the page's next headline, an embedded tweet's link and signature, and sharing
buttons glued before a sentence's first words. Reporting that shares their words stays. Text
written for the project."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_caption
from bot.models import Article
from bot.summarize import summarize
from bot.summarize.sentences import article_sentences


@pytest.mark.parametrize(
    "caption",
    [
        "In this June 3, 2019, photo, harbour master Ola Berg speaks to reporters on the quay.",
        "In this Saturday, July 1, 2023, photo, islanders queue for the first ferry of summer.",
        "In this photo provided by the Port Ellis council, the two skippers shake hands.",
        "In this image released by the coastguard, a lifeboat tows the dinghy to shore.",
        "This undated photo provided by the harbour board shows the cracked hull.",
        "Crews clear snow from the ferry ramp at Port Ellis, Thursday, Dec. 20, 2012.",
        "Harbour master Ola Berg, left, speaks at a rally Thursday, Oct. 3, 2013, in Tolberg.",
        "The skippers were named on Monday. | AP Photo Ferry Strike Ends The strike lasted a week.",
        "The crews walk to the quay on Monday. | Jane Roe/Harbour Post Ferry Deal Reached The "
        "deal raises pay.",
        "Snow on the quay. pic.twitter.com/Ab12Cd34 — Ola Berg (@olaberg) January 7, 2017",
        "(Wire Service) In this May 2, 2024, photo, islanders queue at the ferry office.",
        "AP file photo/harbour illustration: Nets drying on the quay at Port Ellis.",
        "A ferry ran aground near the... (Associated Press)",
        "(Associated Press)",
    ],
)
def test_a_site_s_caption_or_embed_is_no_bullet(caption: str) -> None:
    assert is_caption(caption), caption


@pytest.mark.parametrize(
    "news",
    [
        "In this photo-heavy campaign, the mayor posed on every quay.",
        "In this case, the photo was faked, the court found.",
        "This image of the port was shared 10,000 times on Monday.",
        "The mayor resigned during an interview on Sunday, October 3, 2021.",
        "A local paper published the letter Monday, Oct. 28, 2013, that it said showed the plan.",
        "Polls by AP | Reuters show the mayor ahead.",
        "The skippers posted photos on Twitter of the storm, police said.",
        "AP photos show the quay flooded on Monday.",
        "PORT ELLIS (Reuters) - The harbour board closed the quay on Monday.",
        "The ferry ran aground on Monday, the agency said (Reuters).",
        # A verb before the picture word makes it prose about a picture, and a sentence giving
        # its words to a speaker is reporting, however it opens.
        "This is a storm picture, plain and simple, shot from the deck by the crew.",
        "This was a photo, the skipper admits, that he never meant to publish.",
        "This photo shows how high the tide rose, the harbour master said on Monday.",
        "In this image, the damage to the quay is clear, engineers said.",
    ],
)
def test_reporting_sharing_their_words_stays(news: str) -> None:
    assert not is_caption(news), news


def test_buttons_glued_before_a_sentence_never_reach_a_bullet() -> None:
    text = (
        "SHARE COPY LINK A judge in Port Ellis ruled on Tuesday that the harbour board broke the "
        "records law. The board must hand over its ferry logs within a week."
    )
    article = Article(id="0", source="Harbor Times", title="Board broke records law", text=text)
    texts = [s.text for s in article_sentences([article], ["Harbor Times"])]
    assert texts[0].startswith("A judge in Port Ellis ruled"), texts
    card = summarize(
        [
            article,
            Article(
                id="1",
                source="Daily Ledger",
                title="Judge rules against harbour board",
                text="A judge ruled on Tuesday that the Port Ellis harbour board broke the records "
                "law and must hand over its ferry logs.",
            ),
        ]
    )
    assert card.tldr
    assert not any("SHARE" in b.text or "COPY LINK" in b.text for b in card.tldr), card.tldr


def test_a_wire_caption_is_passed_over_for_the_reporting() -> None:
    caption = "In this May 2, 2024, photo, harbour master Ola Berg inspects a cracked ferry hull."
    article = Article(
        id="0",
        source="Harbor Times",
        title="Ferries grounded",
        text=f"{caption} The ferry fleet at Port Ellis was grounded on Tuesday after inspectors "
        "found cracks in two hulls. Repairs will take three weeks.",
    )
    texts = [s.text for s in article_sentences([article], ["Harbor Times"])]
    assert caption not in texts
    assert texts[0].startswith("The ferry fleet")
