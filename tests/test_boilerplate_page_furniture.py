"""A scraped page's furniture is no reporting: a video player's messages, a web archive's note on
its crawl, a plea to turn on scripts, a tweet box's notice, sign-up pleas, a lone picture credit
and buttons run together. Text written for the project in the pages' manner."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_caption, is_page_furniture, page_furniture_end


@pytest.mark.parametrize(
    "line",
    [
        "Rating is available when the video has been rented.",
        "This feature is not available right now. Please try again later.",
        "Media playback is unsupported on your device Media caption The harbour master speaks.",
        "Image copyright Tide Agency Image caption Crowds gathered on the Pellmouth quay.",
        "Facebook Twitter Pinterest Photograph: Rosa Kettle/Getty Images",
        "Since 2004 the Harbour Web Trust has been giving its crawl data to the Internet Archive.",
        "These pages are added to the Wayback Machine after an embargo period.",
        "This crawl was run at depth 2 (URLs and their embeds).",
        "Crawl end date: 14 May, 2012.",
        "Sign up now for the Pellmouth Post newsletter to get the day's news in your inbox!",
        "Newsletter Sign Up Continue reading the main story",
        "You need to enable JavaScript to play this podcast.",
        "Rosa Kettle/Getty Images",
        "(Rosa Kettle/AFP).",
        "Embed Ferry rescue on the sound 1:48 autoplay autoplay Copy this code to your website",
        "Read or Share this story: https://pm.example/x1",
        "You always have the option to delete your Tweet location history.",
    ],
)
def test_page_furniture_is_a_caption(line: str) -> None:
    assert is_caption(line), line


@pytest.mark.parametrize(
    "line",
    [
        "Twitter, Facebook and Reddit said they would remove the videos.",
        "Share prices in Pellmouth fell on Monday.",
        "Close Brothers said profit rose.",
        "Traffic crawled along the coast road as the storm reached the town.",
        "The Internet Archive said on Monday it had won its appeal.",
        "The video is not available in Grellport, the broadcaster said.",
        "Print editions of the Pellmouth Post will end in May.",
        "Police said the man shared a video on Facebook before the attack.",
    ],
)
def test_reporting_about_pages_stays(line: str) -> None:
    assert not is_caption(line) and not is_page_furniture(line), line


def test_buttons_glued_before_reporting_are_furniture_the_reporting_is_not_lost() -> None:
    for line, rest in [
        ("CLOSE Skip in Skip x Embed x Share A ferry pilot was found", "A ferry pilot was found"),
        ("SHARE COPY LINK Judge Ada Brill held that the board erred.", "Judge Ada Brill held"),
        ("share tweet pin email Rosa Kettle, 18, says she will sail.", "Rosa Kettle, 18, says"),
    ]:
        # Not a caption: the TL;DR may still read the reporting after the buttons.
        assert not is_caption(line) and is_page_furniture(line), line
        assert line[page_furniture_end(line) :].startswith(rest), line
