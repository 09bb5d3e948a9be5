"""Feed boilerplate (CMS footers, "read more" links, truncation markers, credits) is stripped at
ingest and dropped by the summariser's sentence split: one definition, `bot.boilerplate`.
The fixtures are written for the project; the patterns are the ones real feeds use."""

from __future__ import annotations

import hashlib

import pytest

from bot.boilerplate import MAX_TRAILING, is_boilerplate, strip_boilerplate
from bot.ingest.parser import parse_feed
from bot.summarize.sentences import split_sentences
from tests._cost import assert_costs_at_most

STORY = "Harbour crews towed the stranded ferry back to Port Ellis on Tuesday."


@pytest.mark.parametrize(
    "footer",
    [
        "The post Ferry towed back to Port Ellis appeared first on Island News.",
        "The post Storm log, Vol. 3: the ferry appeared first on Island News.",
        "The post Ferry towed back first appeared on Island News.",
        "Continue reading",
        "Continue reading →",
        "Continue reading “Ferry towed back to Port Ellis”",
        "Read more",
        "Read more…",
        "Read the full story here.",
        "Sign up for our newsletter to get the latest news.",
        "Subscribe to our free weekly newsletter.",
        "© 2026 Island News.",
        "© 2026 Island News. All rights reserved.",
        "Copyright 2026 Island News. All rights reserved.",
        "(c) 2026 Island News",
        "All rights reserved.",
        "Click here to read the harbour master's statement.",
        "Click here",
        "This article originally appeared on Coastal Wire.",
        "[This report was first published in the Harbour Gazette on May 2.]",
        "The article Ferry towed back was originally published on Coastal Wire.",
        "(Reporting by Ana Lima; Editing by Tom Reyes)",
        "Reporting by Ana Lima; editing by Tom Reyes",
        "—With reporting by Ana Lima/Port Ellis",
        "[…]",
        "[...]",
        "Seguir leyendo",
        "Weiterlesen",
        "Lire la suite",
        # Site and holder names as footers give them.
        "The post Harbour Log (Zine) appeared first on Mutual Aid in Shipping.",
        "The post Tide tables appeared first on Harbour • Tide • Weather.",
        "The post Tide tables appeared first on Ana Lima - Sailor, Writer, Mapmaker.",
        "The post Tide tables appeared first on islandnews.org.",
        "This article was originally published on the Coastal Wire blog.",
        "This story first ran in The Island Times on 2 May 2026.",
        "© J. R. Tollan",
        "© 1989-92 Island Works",
        "© 2010–2026 Island News, Inc. All Rights Reserved.",
        "Copyright © 2026 The Island News Company. All rights reserved.",
        "Click here to read more.",
        "Click here for the full story.",
        "Click here for the other episodes.",
        "Click here to buy your copy of the print edition.",
        "Click here to subscribe.",
    ],
)
def test_footer_is_stripped_on_its_own_line_and_after_the_story(footer: str) -> None:
    assert strip_boilerplate(f"{STORY}\n{footer}") == STORY
    assert strip_boilerplate(f"{STORY} {footer}") == STORY


def test_several_footers_stack_and_all_go() -> None:
    text = (
        f"{STORY} Tugs from two towns helped. […]\n"
        "Continue reading\n"
        "The post Ferry towed back appeared first on Island News.\n"
        "© 2026 Island News. All rights reserved."
    )
    assert strip_boilerplate(text) == f"{STORY} Tugs from two towns helped."


def test_truncation_marker_after_a_full_stop_leaves_the_sentence() -> None:
    assert strip_boilerplate("The crew reached the dinghy. […].") == "The crew reached the dinghy."
    assert strip_boilerplate("The crew reached the dinghy [...]") == "The crew reached the dinghy"


def test_related_link_lines_between_paragraphs_go() -> None:
    text = (
        f"{STORY}\nRead more: Why ferries keep breaking down\nThe ferry returns to service in May."
    )
    assert strip_boilerplate(text) == f"{STORY}\nThe ferry returns to service in May."


@pytest.mark.parametrize(
    "text",
    [
        # Sentences that merely mention reading, rights, a post, a copyright or a newsletter.
        "Residents read more news on their phones than in print, the survey found.",
        "I read more.",
        "Continue reading the meter daily, the utility told customers.",
        "The union said it reserved all rights to appeal the ruling.",
        "Voting rights groups said all rights reserved to states were at stake.",
        '"© 2026 Island News" was printed on every stolen page, police said.',
        "The designer said © symbols on the logo were added in 2019.",
        "Copyright law changed in 2019.",
        "The post of harbour master was first advertised in March.",
        "The story of the wreck was first published in 1902 by a local printer.",
        "The report was first published in March and found 30 faults.",
        "(c) the harbour board shall publish its accounts.",
        "Reporting by the Gazette showed the harbour master ignored two warnings.",
        "She urged readers to click here and there on the new map.",
        "He said the ferry [...] would sail again in May.",
        "Sign up for the ferry pass opens on Monday.",
        # Reporting shaped like a footer's opening: what follows is a clause, not a name.
        "The post that first appeared on Facebook on Sunday was shared 10,000 times.",
        "The article that first appeared on Monday in the Times was retracted.",
        "This article first appeared in The Times and was retracted a week later.",
        "Click here to see the court filing.",
        "Click here for a list of every ferry the yard has built since 1950.",
        "Copyright 2024 was a record year for music lawsuits.",
        "(c) 2023 revenue rose 5%, the report said.",
        "© symbols were added to the logo in 2019.",
    ],
)
def test_real_reporting_is_kept(text: str) -> None:
    assert strip_boilerplate(text) == text
    assert strip_boilerplate(f"{STORY}\n{text}") == f"{STORY}\n{text}"
    assert split_sentences(text) == [text]


def test_is_boilerplate_reads_the_whole_sentence() -> None:
    assert is_boilerplate("Read more.")
    assert not is_boilerplate("Read more about the ferry in our explainer.")
    assert not is_boilerplate("")


def test_sentence_split_drops_boilerplate_left_in_stored_text() -> None:
    text = (
        "The crew reached the dinghy. […]. Sign up for our newsletter to get the latest news. "
        "© 2026 Island News. All rights reserved.\n"
        "The post Crew reaches dinghy appeared first on Island News.\n"
        "Read more"
    )
    assert split_sentences(text) == ["The crew reached the dinghy."]


def test_sentence_split_drops_a_footer_between_two_sentences() -> None:
    text = f"{STORY} Click here to subscribe. The ferry returns to service in May."
    assert split_sentences(text) == [STORY, "The ferry returns to service in May."]


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Island News</title><link>https://news.example.org/</link>
<item><title>Ferry towed back</title><link>https://news.example.org/ferry</link>
<guid>https://news.example.org/?p=12</guid>
<description><![CDATA[<p>Harbour crews towed the stranded ferry back to Port Ellis. Tugs helped \
[&hellip;]</p><p>The post <a href="https://news.example.org/ferry">Ferry towed back</a> \
appeared first on <a href="https://news.example.org">Island News</a>.</p>]]></description>
</item>
<item><title>Harbour notice</title><link>https://news.example.org/</link>
<description><![CDATA[<p>The north quay closes at noon.</p><p>Read more</p>]]></description>
</item>
</channel></rss>
"""


def test_parsed_entries_carry_no_footer_and_keep_their_guid() -> None:
    ferry, notice = parse_feed(RSS.encode(), url="https://news.example.org/feed").entries
    assert ferry.text == "Harbour crews towed the stranded ferry back to Port Ellis. Tugs helped"
    assert notice.text == "The north quay closes at noon."
    # An entry without id or own link is known by a digest of its text as the feed gave it,
    # so stripping cannot give an entry already stored a new GUID.
    seed = "\x1f".join(["Harbour notice", "The north quay closes at noon.\nRead more", ""])
    assert notice.guid == "sha1:" + hashlib.sha1(seed.encode()).hexdigest()


HOSTILE = {
    "click": "Click here. " * 20000,
    "read more": "Read more. " * 20000,
    "copyright": "© x. " * 20000,
    "sentence starts": "The tug sailed. (It was late.) “Again?” [Yes.] " * 5000 + "Read more.",
    "footers after a long line": "The tug sailed. " * 15000 + "Continue reading. " * 500,
    "spaces before a marker": "The tug sailed." + " " * 100000 + "]",
}


def _feed_of_four(description: str) -> bytes:
    items = "".join(
        f"<item><title>Notice {i}</title><link>https://news.example.org/{i}</link>"
        f"<description>{description}</description></item>"
        for i in range(4)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Isle</title>{items}'
    return f"{feed}</channel></rss>".encode()


def test_hostile_text_is_stripped_in_linear_time() -> None:
    # Each took seconds when every trailing footer re-scanned and re-copied the line (1.1 s for
    # the clicks, 82 s for the spaces): hundreds of times what splitting the texts into words
    # costs. Only their ends are read now, in less time than the split.
    texts = list(HOSTILE.values())
    assert_costs_at_most(
        lambda: [strip_boilerplate(text) for text in texts],
        lambda: [text.split() for text in texts],
        4,
    )


def test_a_feed_of_hostile_footers_parses_about_as_fast_as_one_without() -> None:
    # Four items of 20,000 "Click here." took 3.5 s to parse, 80 times four items as long with
    # no footer in them: about the same now.
    hostile = _feed_of_four("Click here. " * 20000)
    plain = _feed_of_four("Climb here. " * 20000)
    url = "https://news.example.org/feed"
    entries = parse_feed(hostile, url=url).entries
    assert [e.text for e in entries] == [("Click here. " * (20000 - MAX_TRAILING)).rstrip()] * 4
    assert_costs_at_most(
        lambda: parse_feed(hostile, url=url), lambda: parse_feed(plain, url=url), 4
    )


def test_only_a_handful_of_trailing_footers_go() -> None:
    text = "Click here. " * 20000
    assert strip_boilerplate(text) == ("Click here. " * (20000 - MAX_TRAILING)).rstrip()
    several = f"{STORY} Read more. Continue reading. Click here.\nRead more.\n© 2026 Island News."
    assert strip_boilerplate(several) == STORY
