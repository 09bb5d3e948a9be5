"""Block Kit rendering: escaping of untrusted feed text, links, and Slack's size limits."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.slack.blocks import (
    MAX_BLOCKS,
    MAX_CONTEXT_ELEMENTS,
    MAX_HEADER_CHARS,
    MAX_SECTION_CHARS,
    SlackMessage,
    card_messages,
    digest_messages,
)
from bot.adapters.slack.escape import plain, slack_escape, slack_link, truncate, units
from bot.adapters.slack.fitted import update_message
from bot.cards import Digest, SourceLink, StoryCard
from bot.models import Angle, Bullet

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
# Everything Slack would turn into a ping or a hidden link.
DANGEROUS = re.compile(r"<!channel>|<!here>|<!everyone>|<@U|<!subteam\^|<#C|<javascript:", re.I)


def make_card(n_sources: int = 6, **overrides: Any) -> StoryCard:
    outlets = [f"Outlet {i}" for i in range(n_sources)]
    card = StoryCard(
        story_id="s1",
        slug="chip-export-rules",
        headline="US tightens chip export rules",
        source_count=n_sources,
        outlets=outlets,
        tldr=[Bullet("New licence requirements for advanced chips.", outlets[:4])],
        sources=[
            SourceLink(o, f"{o} reports on the chip rules", f"https://news{i}.example/a")
            for i, o in enumerate(outlets)
        ],
        angles=[
            Angle(o, f"{o} focuses on suppliers", f"A quote from {o}", f"https://news{i}.example/a")
            for i, o in enumerate(outlets)
        ],
        also_reporting=[],
        first_seen=T0,
        as_of=T0 + timedelta(hours=2),
        topics=["chips"],
        follow_topics=["semis"],
    )
    for key, value in overrides.items():
        setattr(card, key, value)
    return card


def all_text(messages: list[SlackMessage]) -> str:
    return json.dumps([{"text": m.text, "blocks": m.blocks} for m in messages], ensure_ascii=False)


def check_limits(message: SlackMessage) -> None:
    assert 0 < len(message.blocks) <= MAX_BLOCKS
    assert message.text
    for block in message.blocks:
        if block["type"] == "header":
            assert units(block["text"]["text"]) <= MAX_HEADER_CHARS
            assert block["text"]["type"] == "plain_text"
        if block["type"] == "section":
            assert 0 < units(block["text"]["text"]) <= MAX_SECTION_CHARS
        if block["type"] == "context":
            assert 0 < len(block["elements"]) <= MAX_CONTEXT_ELEMENTS
        if block["type"] == "actions":
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids))
    action_ids = [
        e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert len(action_ids) == len(set(action_ids)), "action_ids must be unique per message"


# --- escaping --------------------------------------------------------------------------------------


def test_escape_makes_markup_literal() -> None:
    assert slack_escape("a & b <c>") == "a &amp; b &lt;c&gt;"
    assert slack_escape("<!channel> <@U123> <!subteam^S1|admins>") == (
        "&lt;!channel&gt; &lt;@U123&gt; &lt;!subteam^S1|admins&gt;"
    )
    # Control characters and newlines cannot break out of a line (a fake "> quote" or list).
    assert slack_escape("line\n> quoted\x1b[31m") == "line &gt; quoted [31m"


def test_escape_neutralises_emphasis_at_word_edges_only() -> None:
    assert slack_escape("*bold* _it_ ~s~ `code`") == "∗bold∗ ˍitˍ ∼s∼ ˋcodeˋ"
    # Inside words Slack does not format, so identifiers stay intact.
    assert slack_escape("snake_case 3*4") == "snake_case 3*4"


def test_broadcast_words_are_broken() -> None:
    assert slack_escape("@here and @channel") == "@\u200bhere and @\u200bchannel"


def test_links_only_for_http_and_never_injectable() -> None:
    assert slack_link("https://a.example/x", "Title") == "<https://a.example/x|Title>"
    assert slack_link("javascript:alert(1)", "Click") == "Click"
    assert slack_link("ftp://a.example/x", "F") == "F"
    # A `|` or `>` in the URL cannot start a label of the attacker's choosing or end the link.
    assert slack_link("https://a.example/x|Bank>", "T") == "<https://a.example/x%7CBank%3E|T>"
    # A label cannot close the link or add markup.
    assert (
        slack_link("https://a.example/", "x> <!here>") == "<https://a.example/|x&gt; &lt;!here&gt;>"
    )
    assert slack_link("https://a.example/?a=1&b=2", "q") == "<https://a.example/?a=1&amp;b=2|q>"


def test_disguised_link_shows_real_host() -> None:
    link = slack_link("https://evil.example/login", "https://bank.example/login")
    assert link.endswith("(evil.example)")
    # A label naming the link's own site is not a disguise.
    assert slack_link("https://www.shop.example/x", "shop.example sales") == (
        "<https://www.shop.example/x|shop.example sales>"
    )


def test_plain_text_cannot_form_mentions() -> None:
    assert "<!" not in plain("<!channel> <@U1>")
    assert plain("x" * 200, 150).endswith("…") and len(plain("x" * 200, 150)) == 150


def test_truncate_never_cuts_an_entity() -> None:
    assert truncate("aaaa&amp;bbb", 7) == "aaaa…"


# --- cards -----------------------------------------------------------------------------------------


def test_card_layout() -> None:
    [message] = card_messages(make_card())
    check_limits(message)
    types = [b["type"] for b in message.blocks]
    assert types[:2] == ["header", "context"]
    assert types[-1] == "actions"
    assert message.blocks[0]["text"]["text"] == "US tightens chip export rules"
    context = message.blocks[1]["elements"][0]["text"]
    assert context == "*6 sources tracking this story* · as of 2h after first report · chips"
    text = all_text([message])
    assert "*TL;DR*" in text and "reported by 4 of 6" in text
    assert "<https://news0.example/a|Outlet 0 reports on the chip rules>" in text
    assert "*What others are reporting*" in text and "“A quote from Outlet 0”" in text
    # The age is said once, in the context line under the headline, as on every platform.
    assert json.dumps(message.blocks).count("after first report") == 1
    assert "/story chip-export-rules" in text  # compact: the rest is one command away
    labels = [e["text"]["text"] for e in message.blocks[-1]["elements"]]
    # The button offers a matching topic the channel does not follow, not one it follows.
    assert labels == ["Full breakdown", "Follow semis", "Mute story"]
    assert message.text == "US tightens chip export rules (6 sources)"


def test_full_breakdown_with_40_sources_respects_limits() -> None:
    card = make_card(40, headline="H" * 400)
    messages = card_messages(card, full=True)
    for message in messages:
        check_limits(message)
    text = all_text(messages)
    for i in range(40):
        assert f"https://news{i}.example/a|Outlet {i} reports" in text
        assert f"*Outlet {i}* — Outlet {i} focuses on suppliers" in text
    # No "Full breakdown" button on the breakdown itself.
    assert "newsdigest_full" not in text


def test_hostile_card_cannot_ping_or_hide_links() -> None:
    evil = "<!channel> <!here|here> <!everyone> <@U0001> <!subteam^S1> <https://evil.example|bank>"
    card = make_card(
        3,
        headline=evil,
        topics=["<!here>"],
        follow_topics=["<!here>"],
        tldr=[Bullet(evil + " *bold* _x_", ["Outlet 0"])],
        sources=[SourceLink(evil, evil, "https://evil.example/|<!channel>")],
        angles=[Angle(evil, evil, evil, "javascript:alert(1)")],
        also_reporting=[evil],
    )
    messages = [*card_messages(card, full=True), update_message(card, [evil])]
    messages += digest_messages(Digest(channel=evil, cards=[card], generated_at=T0, title=evil))
    blob = all_text(messages)
    assert not DANGEROUS.search(blob), DANGEROUS.search(blob)
    assert "javascript:" not in blob.replace(
        "javascript:alert(1)", ""
    )  # only as inert text, if at all
    for message in messages:
        check_limits(message)
        assert "<" not in message.text  # the notification fallback is mrkdwn too


def test_long_digest_splits_into_messages() -> None:
    cards = [make_card(12, story_id=f"s{i}", headline=f"Story {i}") for i in range(15)]
    messages = digest_messages(Digest(channel="#news", cards=cards, generated_at=T0))
    assert len(messages) > 1
    for message in messages:
        check_limits(message)
    text = all_text(messages)
    for i in range(15):
        assert f'"text": "Story {i}"' in text
    # Cards are kept whole: each card's header and its buttons land in the same message.
    for message in messages:
        headers = sum(b["type"] == "header" for b in message.blocks)
        actions = sum(b["type"] == "actions" for b in message.blocks)
        assert actions == headers - (1 if message is messages[0] else 0)


def test_update_message_names_new_outlets_and_angles() -> None:
    card = make_card(8)
    message = update_message(card, ["Outlet 7"])
    text = all_text([message])
    assert "*Update:* Outlet 7 joined. Now 8 sources tracking this story." in text
    assert "Outlet 7 focuses on suppliers" in text
    assert "Outlet 6 focuses" not in text


@pytest.mark.parametrize("n", [1, 2])
def test_singular_source(n: int) -> None:
    [message] = card_messages(make_card(n))
    assert message.blocks[1]["elements"][0]["text"].startswith(
        "*1 source tracking this story*" if n == 1 else "*2 sources tracking this story*"
    )


def test_no_follow_button_for_a_followed_topic_but_one_to_name_a_new_topic() -> None:
    # Every matching topic is already followed: a "Follow chips" button would do nothing, so
    # the card offers to name a new topic, as on Discord.
    card = make_card(3, topics=["chips"], follow_topics=[])
    (message,) = card_messages(card)
    labels = [e["text"]["text"] for e in message.blocks[-1]["elements"]]
    assert labels == ["Full breakdown", "Follow topic", "Mute story"]


def test_update_message_says_what_a_new_outlet_backs_in_the_tldr() -> None:
    # The new outlet's detail became a bullet (it has no angle of its own): the update quotes
    # that bullet with its corroboration, not a bare "X joined".
    card = make_card(
        3,
        tldr=[
            Bullet("New licence requirements for advanced chips.", ["Outlet 0", "Outlet 1"]),
            Bullet("The rules cover 14 countries.", ["Outlet 2"]),
        ],
        angles=[],
    )
    text = all_text([update_message(card, ["Outlet 2"])])
    assert "*In the TL;DR with them*" in text
    assert "• The rules cover 14 countries. _(reported by 1 of 3: Outlet 2)_" in text
    assert "New licence requirements" not in text
    assert "*New angles*" not in text


def test_a_bullet_with_one_source_names_it_escaped() -> None:
    hostile = "<!channel> *Tide* <https://evil.example|Journal>"
    card = make_card(
        3,
        tldr=[
            Bullet("New licence requirements for advanced chips.", ["Outlet 0", "Outlet 1"]),
            Bullet("The rules cover 14 countries.", [hostile]),
        ],
    )
    text = all_text(card_messages(card))
    assert "_(reported by 2 of 3)_" in text
    line = next(s for s in text.split("\\n") if "14 countries" in s)
    assert "(reported by 1 of 3: &lt;!channel&gt;" in line
    # The name can neither ping, nor link, nor end the italics around it.
    assert "<!channel>" not in text and "<https://evil.example" not in text
    assert "*Tide*" not in line and "∗Tide∗" in line
