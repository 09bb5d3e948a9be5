"""Chat syntax in a feed's text is no figure and no content: `<@&123>` made an angle line read
"Puts a figure on it:", and `**Click here** <@&123> ||spoiler||` showed escaped on the card
(operator review, session 24, #6). The figure rule skips digits after `&`, `@`, `#` and `<`;
ingest takes the syntax out of an entry's text and title, keeping the markers' words."""

from __future__ import annotations

from html import escape

import pytest

from bot.ingest.chat_markup import without_chat_markup
from bot.ingest.parser import parse_feed
from bot.models import Article
from bot.summarize.angle_facts import NUMBER_RE
from bot.summarize.angles import build_angles

OUTLETS = ["Tarn Observer", "Wick Gazette", "Holm Herald"]
DEBRIS = "The seismic institute said aftershocks were likely. **Click here** <@&123> ||spoiler||"


def _lines(third_text: str) -> dict[str, str]:
    articles = [
        Article(
            id="1",
            source=OUTLETS[0],
            title="Quake shakes coastal valley",
            text="A strong earthquake shook the coastal valley on Monday. Schools were closed.",
        ),
        Article(
            id="2",
            source=OUTLETS[1],
            title="Earthquake hits valley towns",
            text="An earthquake hit the valley towns on Monday. Roads cracked near the river.",
        ),
        Article(id="3", source=OUTLETS[2], title="Valley quake", text=third_text),
    ]
    angles, _ = build_angles(articles, OUTLETS, OUTLETS[0])
    return {a.source: a.line for a in angles}


@pytest.mark.parametrize("token", ["<@&123>", "<@123>", "<#123>", "&#123;", "@123", "#123"])
def test_an_id_in_chat_syntax_is_no_figure(token: str) -> None:
    assert [m.group() for m in NUMBER_RE.finditer(f"Aftershocks were likely {token}.")] == []
    lines = _lines(f"The seismic institute said aftershocks were likely {token}.")
    assert not lines.get(OUTLETS[2], "").startswith("Puts a figure on it"), lines


def test_a_real_figure_still_counts() -> None:
    assert [m.group() for m in NUMBER_RE.finditer("It cost $40 million, up 12%.")] == [
        "$40 million",
        "12%",
    ]


def test_a_feeds_chat_debris_is_taken_out_on_ingest() -> None:
    body = f"""<rss version="2.0"><channel><title>Holm</title><link>https://holm.example/</link>
<description>d</description><item><title>Valley quake &lt;@&amp;123&gt; **live**</title>
<link>https://holm.example/quake</link><description>{escape(DEBRIS)}</description></item>
</channel></rss>""".encode()
    (entry,) = parse_feed(body, url="https://holm.example/rss").entries
    assert entry.title == "Valley quake live"
    assert entry.text == ("The seismic institute said aftershocks were likely. Click here spoiler")
    line = _lines(entry.text)[OUTLETS[2]]
    assert line == "The seismic institute said aftershocks were likely."


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Hi <@U12AB|bob>, <!channel> <!subteam^S1|@desk> <#C1|news>.", "Hi , ."),
        ("Doors open <t:1700000000:R> <:wave:123> <a:spin:456>", "Doors open"),
        ("Line one **bold**\nline ||two||", "Line one bold\nline two"),
        # What only looks like it stays: a comparison, arithmetic, a lone bar, an address.
        (
            "A <5% rise, 2 ** 10, x || y, <@example.org>",
            "A <5% rise, 2 ** 10, x || y, <@example.org>",
        ),
    ],
)
def test_what_is_chat_markup(text: str, cleaned: str) -> None:
    assert without_chat_markup(text) == cleaned
