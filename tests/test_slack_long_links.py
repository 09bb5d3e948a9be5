"""Very long source URLs on Slack cards: shown as their label without a link, and no section is
ever cut inside a `<url|label>` link."""

from __future__ import annotations

import re

from test_slack_blocks import all_text, check_limits, make_card

from bot.adapters.slack.blocks import (
    MAX_LINK_CHARS,
    MAX_SECTION_CHARS,
    SlackMessage,
    card_messages,
    context,
    section,
)
from bot.adapters.slack.escape import slack_link
from bot.adapters.slack.fitted import update_message
from bot.cards import SourceLink
from bot.models import Angle

LONG_URL = "https://news.example/a?" + "x=1&" * 1000
LINK_RE = re.compile(r"<[^<>]*>")


def mrkdwn_texts(messages: list[SlackMessage]) -> list[str]:
    out = []
    for message in messages:
        for block in message.blocks:
            if block["type"] == "section":
                out.append(block["text"]["text"])
            elif block["type"] == "context":
                out += [e["text"] for e in block["elements"]]
    return out


def assert_links_whole(messages: list[SlackMessage]) -> None:
    for text in mrkdwn_texts(messages):
        leftover = LINK_RE.sub("", text)
        assert "<" not in leftover and ">" not in leftover.replace("\n> ", "\n"), text[-80:]


def test_card_with_very_long_source_urls_stays_one_message_with_labels() -> None:
    sources = [SourceLink(f"O{i}", f"Title {i}", LONG_URL) for i in range(5)]
    sources.append(SourceLink("Short", "Short title", "https://short.example/a"))
    card = make_card(6, sources=sources)
    messages = card_messages(card)
    assert len(messages) == 1
    check_limits(messages[0])
    assert_links_whole(messages)
    [sources_text] = [t for t in mrkdwn_texts(messages) if t.startswith("*Sources*")]
    assert sources_text.splitlines() == [
        "*Sources*",
        "• *O0*: Title 0",
        "• *O1*: Title 1",
        "• *O2*: Title 2",
        "• *O3*: Title 3",
        "• *O4*: Title 4",
        "_+1 more outlet (use `/story chip-export-rules`)_",
    ]
    assert "news.example/a?" not in all_text(messages)


def test_full_breakdown_links_short_urls_and_labels_long_ones() -> None:
    sources = [
        SourceLink(f"O{i}", f"Title {i}", LONG_URL if i % 2 else f"https://n{i}.example/")
        for i in range(40)
    ]
    messages = card_messages(make_card(40, sources=sources), full=True)
    assert_links_whole(messages)
    text = "\n".join(mrkdwn_texts(messages))
    assert "• *O0*: <https://n0.example/|Title 0>" in text
    assert "• *O1*: Title 1\n" in text
    assert "news.example/a?" not in text


def test_link_markup_limit_is_exact() -> None:
    base = "https://a.example/?q="
    fits = base + "y" * (MAX_LINK_CHARS - len(slack_link(base, "T")))
    assert len(slack_link(fits, "T")) == MAX_LINK_CHARS
    over = fits + "y"

    def source_line(url: str) -> str:
        card = make_card(1, sources=[SourceLink("O", "T", url)])
        [text] = [t for t in mrkdwn_texts(card_messages(card)) if t.startswith("*Sources*")]
        return text.splitlines()[1]

    assert source_line(fits) == f"• *O*: <{fits}|T>"
    assert source_line(over) == "• *O*: T"
    # Without a title the host stands in for it.
    card = make_card(1, sources=[SourceLink("O", "", LONG_URL)])
    assert "• *O*: news.example" in all_text(card_messages(card))


def test_angle_with_very_long_url_drops_the_read_link() -> None:
    angles = [
        Angle("O0", "Long-link angle", "", LONG_URL),
        Angle("O1", "Short-link angle", "", "https://o1.example/"),
    ]
    card = make_card(2, angles=angles)
    for messages in (card_messages(card, full=True), [update_message(card, ["O0", "O1"])]):
        assert_links_whole(messages)
        text = "\n".join(mrkdwn_texts(messages))
        assert "1. *O0* — Long-link angle\n" in text
        assert "2. *O1* — Short-link angle <https://o1.example/|Read>" in text
        assert "news.example/a?" not in text


def test_section_truncation_never_cuts_inside_a_link() -> None:
    link = "<https://a.example/" + "p" * 200 + "|label>"
    head = "x" * (MAX_SECTION_CHARS - 100)
    text = section(f"{head} {link} tail")["text"]["text"]
    assert text == f"{head}…"
    # A link that ends before the cut is kept whole.
    kept = section(f"{link} " + "y" * MAX_SECTION_CHARS)["text"]["text"]
    assert kept.startswith(link + " y") and kept.endswith("…")
    assert len(kept) == MAX_SECTION_CHARS
    [element] = context(f"{head} {link}")["elements"]
    assert element["text"] == f"{head}…"
    # Text that fits is left alone, links and all.
    assert section(f"a {link}")["text"]["text"] == f"a {link}"
