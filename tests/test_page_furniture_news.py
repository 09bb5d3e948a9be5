"""News that shares a page notice's words is reporting, not furniture: stories about web
crawlers and archives, pub crawls, sign-up drives, script warnings, tweets and "related"
coverage, and sentences whose first words read as sharing buttons. Each must reach the TL;DR,
the angles and the quotes. Text written for the project."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_caption, is_page_furniture, page_furniture_end


@pytest.mark.parametrize(
    "line",
    [
        # Crawlers and archives in the news.
        "The ferry company said it would stop search-engine crawlers from copying its timetable sites.",
        "A chatbot maker's web crawler ignored robots.txt on Pellmouth news sites, editors said.",
        "Archivists said a web crawl of 900 council sites found the flood maps missing.",
        "The Wayback Machine shows the harbour board removed the notice a day after the crawl began.",
        "Crawlers run by a search firm were blamed for knocking the port's booking software over.",
        "The seed list of the crawl was handed to the harbour museum on Friday.",
        "A pub crawl past the old dock sites ended with three arrests, police said.",
        "Investigators searched the crawl space and the building sites nearby.",
        "The crawl of a toddler across the software firm's lobby went viral.",
        # Sign-ups, scripts, tweets and related coverage as reporting.
        "Sign up for the ferry lottery was mandatory for every islander, the council said, and updates came by post.",
        "Enable JavaScript on the kiosk, the port's engineers advised, to reopen the ticket page.",
        "Please turn on JavaScript was the pop-up 40,000 passengers saw during the outage.",
        "Emails get breaking news alerts in front of fishermen faster than radio, the coastguard said.",
        "Tweet with a location tag was how the missing sailor was found, the lifeboat crew said.",
        "Related coverage: the harbour master resigned on Tuesday.",
        "Related videos: the coastguard released two clips of the rescue.",
        "Read or share this story: the council closed the quay.",
        "Crawl start date: the morning of the regatta.",
        "This video is not available on the island after a court ruling, the broadcaster said.",
        "Embed codes hid the scam, and copy this code to your website was the bait, police said.",
        "JavaScript is disabled on the council's ticket kiosks until the breach is fixed.",
        "The page you requested could not be found in the harbour archive, the clerk admitted.",
    ],
)
def test_news_sharing_a_notices_words_is_reporting(line: str) -> None:
    assert not is_caption(line), line
    assert not is_page_furniture(line), line


@pytest.mark.parametrize(
    "line",
    [
        "Share print and post campaigns cost the harbour board $40,000, the accounts show.",
        "Email print runs for the regatta programme doubled this year.",
        "Pin X marks where the wreck lies, the divers said.",
        "X Share Tweet was how the hacked council account opened each post.",
        "Close Skip in the rota was the skipper's own call.",
    ],
)
def test_words_that_read_as_buttons_but_run_on_as_a_sentence_are_kept_whole(line: str) -> None:
    assert page_furniture_end(line) == 0, line


@pytest.mark.parametrize(
    "line",
    [
        "Related Stories: Ten Ferries That Changed the Sound [GALLERY]",
        "Related Photos: The Pellmouth Regatta in Pictures",
        "Please enable JavaScript to hear this report.",
        "Sign Up You agree to receive the odd update and offer from the Pellmouth Post.",
        "Tweet with a location",
        "Share Tweet 1.2k shares",
        "JavaScript is disabled",
        "Sorry, the page you were looking for could not be found.",
        "If you are trying to reach a page from a bookmark, the page URL may have changed.",
        "Archives of stories are maintained on our site for two weeks.",
        "Please select a section from the menu above.",
    ],
)
def test_the_notices_themselves_are_still_furniture(line: str) -> None:
    assert is_caption(line) or page_furniture_end(line) > 0, line


@pytest.mark.parametrize(
    "line",
    [
        # A notice's opening words, then the news's own words to the end of the line.
        "You must enable JavaScript to book ferry tickets on the new harbour portal from May.",
        "Turn on JavaScript to see how the tide tables changed overnight.",
        "Enable JavaScript for the council site to unlock the new voting tool.",
        "Please select a candidate from the menu before voting closes at 8pm.",
        "Free archives of stories are maintained on our site for researchers.",
        "Newsletter sign-up Surges After the Regatta.",
        "Sign up numbers rose and our analysts said the emails worked.",
        # Crawls in the news: the archive's words, not where the archive writes them.
        "The wide crawl of the web by a search firm feeds many chatbots.",
        "Publishers say a distributed crawl by AI bots is overwhelming their servers.",
        "We crawled the sites of 40 councils and found 1,200 broken URLs.",
        "For this story we crawled 8,000 harbour websites and logged every tracker embedded in them.",
        "The researchers shared the crawl data with regulators in Pellmouth.",
        "The archive added the pages to the Wayback Machine after an embargo lifted, a clerk said.",
    ],
)
def test_news_opening_with_a_notices_words_is_reporting(line: str) -> None:
    assert not is_caption(line), line
    assert not is_page_furniture(line), line


@pytest.mark.parametrize(
    "line",
    [
        "Please enable JavaScript in your browser to view this page.",
        "You must turn on JavaScript to watch this video.",
        "Free archives of stories are maintained on our site for 30 days.",
        "Please choose a section from the navigation bar.",
        "Newsletter sign-up Stories like this in your inbox",
        "Sign up now for the Pellmouth Post newsletter and get updates in your inbox.",
    ],
)
def test_notices_in_their_own_words_are_still_furniture(line: str) -> None:
    assert is_caption(line) or page_furniture_end(line) > 0, line
