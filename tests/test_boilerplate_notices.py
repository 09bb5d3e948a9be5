"""A page's notices are boilerplate by their form, wherever they stand: correction and update
notices, calls to action, a page's date stamp, Wikipedia's furniture, a stream's label, a
newsletter's lone section head, a content warning. Reporting that mentions the same things stays.
Text written for the project in the pages' manner."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_boilerplate, strip_boilerplate
from bot.summarize.sentences import split_sentences


@pytest.mark.parametrize(
    "sentence",
    [
        "Please try again later.",
        "Something went wrong. Please try again later.",
        "From Wikipedia, the free encyclopedia",
        "Jump to navigation",
        "Why it matters…",
        "The big picture:",
        "Correction 4 May 2019: This article has been amended to give the ferry's correct name.",
        "CORRECTION: An earlier version of this story misstated the harbour master's title.",
        "An earlier version of this post incorrectly gave the skipper's name as Ola Bergh.",
        "This story has been updated to include comments from the port authority.",
        "Editor's note: This article was corrected on 2 June 2020.",
        "We regret the error.",
        "*** UPDATED x2 ***",
        "To advertise on the Pellmouth Harbour Blog, please click here.",
        "To subscribe to Harbour Notes, click here.",
        "Follow Rosa Kettle on Twitter: @rosakettle",
        "Follow PELLMOUTHNEWS.COM: Facebook | Twitter",
        "Follow us at https://social.example/pellmouth",
        "Published on Mar 3, 2018",
        "Updated at 9:41 a.m.",
        "By Rosa Kettle, Harbour Desk / Published May 2, 2019",
        "Advertisement",
        "By Rosa Kettle",
        "By Rosa Kettle and Ola Berg, Harbour Desk",
        "Ola Berg Live on Periscope 03-14-2017.",
        "WARNING: This video contains images of a graphic nature that some may find distressing.",
    ],
)
def test_notice_is_boilerplate(sentence: str) -> None:
    assert is_boilerplate(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The paper issued a correction on Monday after the harbour master complained.",
        "An earlier version of the harbour bill passed the assembly in May.",
        "The ferry timetable was updated on Tuesday to add a late sailing.",
        "Updated figures published on Friday show 4,000 more passengers.",
        "She went live on Periscope to rally supporters outside the town hall.",
        "Follow the money, the auditor told the council.",
        "Followers of the mayor on Twitter were quick to respond.",
        "Why it matters: the quay closure cuts the town's only ferry link.",
        "Advertisement revenue at the Pellmouth Post fell 12% last year.",
        "To advertise the sale, the council hired a marketing firm.",
        "Please try to understand our position, the harbour master said.",
        "The warning came after the video showed graphic scenes of the collapse.",
        "Wikipedia, the free encyclopedia, removed the page on Monday.",
        "This story has been told many times in Pellmouth.",
        "By Tuesday, the ferry was back in service.",
        "By Nov. 4, every crew must hold a licence.",
    ],
)
def test_reporting_is_not_a_notice(sentence: str) -> None:
    assert not is_boilerplate(sentence), sentence


def test_notices_leave_a_text_at_ingest_and_in_the_split() -> None:
    text = (
        "Correction: An earlier version of this story misstated the ferry's name.\n"
        "The Pellmouth ferry Sea Lark ran aground on Tuesday near the harbour mouth.\n"
        "Please try again later.\n"
        "Crews refloated it at high tide, the harbour master said."
    )
    stripped = strip_boilerplate(text)
    assert "Correction" not in stripped and "try again" not in stripped
    assert "ran aground" in stripped and "refloated" in stripped
    sentences = split_sentences("From Wikipedia, the free encyclopedia\nThe ferry sank in 1902.")
    assert sentences == ["The ferry sank in 1902."]
