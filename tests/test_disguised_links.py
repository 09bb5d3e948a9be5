"""Disguised links: a label that reads as another site's address than the link opens shows the
real host beside it on every platform, however the address in the label is dressed up
(invisible characters, look-alike dots and letters, fullwidth forms, platform escaping)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.adapters.discord.embeds import TITLE_LIMIT, card_embeds
from bot.adapters.discord.escape import escape, masked_link, utf16_len
from bot.adapters.slack.blocks import card_units
from bot.adapters.slack.escape import slack_link
from bot.cards import SourceLink, StoryCard
from bot.render.html import render_card_html
from bot.render.text import _URLISH_RE, clean, disguised_link, note_host
from tests._cost import assert_grows_linearly

EVIL = "https://evil.example/login"
WHEN = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)

# Labels a reader takes for bank.example (or apple.com), each on a link to evil.example.
DISGUISES = [
    "bank\u200b.example",  # zero-width space
    "https://bank\u200b.example/login",
    "bank\u2024example",  # one dot leader
    "bank\ufe52example",  # small full stop
    "bank\uff0eexample",  # fullwidth full stop
    "bank\u3002example",  # ideographic full stop
    "bank\uff61example",  # halfwidth ideographic full stop
    "\u0430pple.com",  # Cyrillic а
    "\uff42\uff41\uff4e\uff4b.example",  # fullwidth letters
    "\uff48\uff54\uff54\uff50\uff53\uff1a\uff0f\uff0fbank.example",  # fullwidth scheme
    "bank.exam\u200dple",  # zero-width joiner
    "ba\u00adnk.example",  # soft hyphen
    # A non-ASCII TLD counts only from a short list, in lower case (see text._URLISH_RE).
    "\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444",  # пример.рф
    "xn--e1afmkfd.xn--p1ai",  # пример.рф, ASCII form
    # CJK only separates: the address after it still reads as one.
    "速報：bank.example",
    "速報bank.exampleで",
    "東京。bank.example",
]


@pytest.mark.parametrize("label", DISGUISES)
def test_a_dressed_up_address_is_still_a_disguised_link(label: str) -> None:
    assert disguised_link(label, EVIL)


@pytest.mark.parametrize(
    ("label", "url"),
    [
        ("Example News: rates held", "https://news.example/a"),
        ("Café owners rally", "https://news.example/a"),
        ("bank\u200b.example login", "https://www.bank.example/login"),
        ("\uff42\uff41\uff4e\uff4b.example", "https://bank.example/"),
        # An internationalised host named in the label, linked by its ASCII form and back.
        ("münchen.example", "https://xn--mnchen-3ya.example/"),
        ("xn--mnchen-3ya.example", "https://münchen.example/"),
        # Two sentences of Japanese, not an address.
        ("東京で地震。被害は拡大", "https://news.example/a"),
        ("東京で地震｡被害は拡大", "https://news.example/a"),
        ("👩\u200d💻 Coders rally", "https://news.example/a"),
        # Sentences of Japanese or Russian with a dot and no space between: no address.
        ("新型iPhone発表。Apple社が公表", "https://www3.nhk.or.jp/news/a"),
        ("東京。NHKが報道", "https://www3.nhk.or.jp/news/a"),
        ("東京。NHK 報道", "https://www3.nhk.or.jp/news/a"),
        ("日経平均は続伸．Sony株が上昇", "https://www3.nhk.or.jp/news/a"),
        ("日経平均は続伸.Sony株が上昇", "https://www3.nhk.or.jp/news/a"),
        ("Путин заявил.Сегодня", "https://ria.ru/a"),
        # "РФ" in capitals is the Russian Federation, not the TLD ".рф".
        ("Путин заявил.РФ готова", "https://ria.ru/a"),
    ],
)
def test_an_honest_label_is_not_a_disguise(label: str, url: str) -> None:
    assert not disguised_link(label, url)


def test_slack_link_shows_the_real_host_beside_a_dressed_up_address() -> None:
    assert slack_link(EVIL, "bank\u200b.example") == (
        "<https://evil.example/login|bank.example> (evil.example)"
    )
    assert slack_link(EVIL, "bank\uff0eexample") == (
        "<https://evil.example/login|bank\uff0eexample> (evil.example)"
    )
    assert slack_link(EVIL, "\u0430pple.com") == (
        "<https://evil.example/login|\u0430pple.com> (evil.example)"
    )


def test_discord_checks_the_raw_label_not_its_escaped_form() -> None:
    # escape() puts a zero-width space after "https", which hid the address from the check.
    raw = "https://bank.example/login"
    label = escape(raw)
    assert label == "https\u200b://bank.example/login"
    assert masked_link(label, EVIL, raw=raw) == (
        "[https\u200b://bank.example/login](https://evil.example/login) (evil.example)"
    )
    assert masked_link(escape("Bank news"), EVIL, raw="Bank news") == (
        "[Bank news](https://evil.example/login)"
    )


def test_the_note_names_a_look_alike_host_in_its_ascii_form() -> None:
    # The note is the real host, so it must not itself read as the site it imitates. The link
    # opens that same ASCII host: the one the check read, whatever the client's IDNA mapping.
    url = "https://\u0430pple.com/login"
    assert note_host(url) == "xn--pple-43d.com"
    assert slack_link(url, "apple.com sign-in") == (
        "<https://xn--pple-43d.com/login|apple.com sign-in> (xn--pple-43d.com)"
    )
    assert masked_link("apple.com sign-in", url) == (
        "[apple.com sign-in](https://xn--pple-43d.com/login) (xn--pple-43d.com)"
    )


def test_clean_drops_invisible_characters_but_keeps_joined_emoji() -> None:
    assert clean("bank\u200b.example\u2060 ba\u00adnk \ufeffx\u200ey\u200fz") == (
        "bank.example bank xyz"
    )
    # ZWJ sequences (👩‍💻), ZWNJ in Persian words and flag tag characters are kept whole.
    assert clean("👩\u200d💻 \u0645\u06cc\u200c\u0634\u0648\u062f") == (
        "👩\u200d💻 \u0645\u06cc\u200c\u0634\u0648\u062f"
    )
    england = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert clean(england) == england


# --- whole cards ---------------------------------------------------------------------------------


def _card(headline: str, title: str = "bank\u200b.example login") -> StoryCard:
    return StoryCard(
        story_id="s1",
        slug="phish",
        headline=headline,
        source_count=2,
        outlets=["A", "B"],
        tldr=[],
        sources=[
            SourceLink("A", title, "https://evil.example/phish"),
            SourceLink("B", "Towns get money", "https://b.example/"),
        ],
        angles=[],
        also_reporting=[],
        first_seen=WHEN,
        as_of=WHEN,
    )


PHISH = "Log in at https://bank.example/secure to keep your account"


def test_slack_card_sources_show_the_real_host() -> None:
    blocks = card_units(_card(PHISH), buttons=False)
    # The header is plain text, not a link: there is no address in it to disguise.
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": PHISH, "emoji": False},
    }
    assert blocks[2] == {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": "*Sources*\n"
            "• *A*: <https://evil.example/phish|bank.example login> (evil.example)\n"
            "• *B*: <https://b.example/|Towns get money>",
            "verbatim": True,
        },
    }


def test_discord_card_sources_show_the_real_host() -> None:
    (embed,) = card_embeds(_card("Rates held"))
    assert embed.to_dict()["fields"] == [
        {
            "inline": False,
            "name": "Sources",
            "value": "• [A: bank.example login](https://evil.example/phish) (evil.example)\n"
            "• [B: Towns get money](https://b.example/)",
        }
    ]


def test_discord_title_naming_another_site_shows_the_real_host() -> None:
    (embed,) = card_embeds(_card(PHISH))
    shown = embed.to_dict()
    assert shown["url"] == "https://evil.example/phish"
    assert shown["title"] == (
        "Log in at https\u200b://bank.example/secure to keep your account (evil.example)"
    )


def test_discord_title_disguised_with_invisible_characters_shows_the_real_host() -> None:
    (embed,) = card_embeds(_card("Log in at bank\u200b.example today", title="Story"))
    assert embed.to_dict()["title"] == "Log in at bank.example today (evil.example)"


def test_discord_title_without_another_site_gets_no_note() -> None:
    (embed,) = card_embeds(_card("Rates held at evil.example", title="Story"))
    assert embed.to_dict()["title"] == "Rates held at evil.example"
    (embed,) = card_embeds(_card("Rates held", title="Story"))
    assert embed.to_dict()["title"] == "Rates held"


def test_discord_long_title_keeps_its_note_within_the_limit() -> None:
    headline = "Log in at bank.example " + "x" * 400
    (embed,) = card_embeds(_card(headline, title="Story"))
    title = embed.to_dict()["title"]
    assert title.endswith("x… (evil.example)")
    assert utf16_len(title) == TITLE_LIMIT


def test_html_sources_show_the_real_host() -> None:
    page = render_card_html(_card(PHISH))
    assert (
        '<li><strong>A</strong>: <a href="https://evil.example/phish" '
        'rel="noopener noreferrer nofollow">bank.example login</a> (evil.example)</li>'
    ) in page
    # The HTML headline is not a link.
    assert f"<h2>{PHISH}</h2>" in page


def test_cjk_and_cyrillic_sentences_get_no_host_note_on_any_platform() -> None:
    nhk = "https://www3.nhk.or.jp/news/a"
    assert slack_link(nhk, "東京。NHKが報道") == "<https://www3.nhk.or.jp/news/a|東京。NHKが報道>"
    assert masked_link("日経平均は続伸．Sony株が上昇", nhk) == (
        "[日経平均は続伸．Sony株が上昇](https://www3.nhk.or.jp/news/a)"
    )
    assert masked_link("Путин заявил.Сегодня", "https://ria.ru/a") == (
        "[Путин заявил.Сегодня](https://ria.ru/a)"
    )
    assert slack_link(EVIL, "速報：bank.example") == (
        "<https://evil.example/login|速報：bank.example> (evil.example)"
    )


# --- a label cut to a limit reads as the reader sees it --------------------------------------------


def _card_linking(headline: str, title: str, url: str) -> StoryCard:
    card = _card(headline, title=title)
    card.sources[0] = SourceLink("A", title, url)
    return card


def test_discord_source_title_cut_into_another_address_shows_the_real_host() -> None:
    # Whole, the title names the site it opens; cut to 300 it reads "bank.example…".
    pad = ("Breaking news update " * 14)[:286]
    card = _card_linking("Rates held", pad + " bank.example.evil.com login", EVIL_SUB)
    (embed,) = card_embeds(card)
    assert embed.to_dict()["fields"][0]["value"] == (
        f"• [A: {pad} bank.example…](https://bank.example.evil.com/login)"
        " (bank.example.evil.com)\n"
        "• [B: Towns get money](https://b.example/)"
    )


def test_discord_title_cut_into_another_address_shows_the_real_host() -> None:
    pad = ("Council votes on budget " * 12)[:242]
    card = _card_linking(pad + " bank.example.evil.com", "Story", EVIL_SUB)
    (embed,) = card_embeds(card)
    shown = embed.to_dict()
    assert shown["url"] == EVIL_SUB
    assert shown["title"] == pad[:231] + "… (bank.example.evil.com)"
    assert utf16_len(shown["title"]) == TITLE_LIMIT


def test_discord_title_naming_its_own_internationalised_host_gets_no_note() -> None:
    # The embed url holds the ASCII form of the host; the label names it in Unicode.
    card = _card_linking("München.example opens its new tram line", "Story", MUNICH)
    (embed,) = card_embeds(card)
    shown = embed.to_dict()
    assert shown["url"] == "https://xn--mnchen-3ya.example/tram"
    assert shown["title"] == "München.example opens its new tram line"


def test_discord_title_with_a_host_too_long_to_name_is_no_link() -> None:
    url = "https://" + "a" * 240 + ".example/x"
    (embed,) = card_embeds(_card_linking("Log in at bank.example", "Story", url))
    shown = embed.to_dict()
    assert "url" not in shown
    assert shown["title"] == "Log in at bank.example"


EVIL_SUB = "https://bank.example.evil.com/login"
MUNICH = "https://münchen.example/tram"


# --- hostile labels are checked in linear time -------------------------------------------------


# Hostile labels of `n` repeats, and the repeats in the largest checked below (the original
# sizes, about 20,000 characters, times eight).
HOSTILE_LABELS: dict[str, tuple[Callable[[int], str], int]] = {
    "ab-": (lambda n: "ab-" * n, 56_000),  # 11 s for 21,000 characters before the bounds
    "a then a dot": (lambda n: "a" * n + ".", 168_000),
    "fullwidth a.": (lambda n: "\uff41\uff0e" * n, 80_000),
    "a. then a dash": (lambda n: "a." * n + "-", 80_000),
    "62-letter labels": (lambda n: ("a" * 62 + ".") * n, 2_640),
}


@pytest.mark.parametrize("kind", HOSTILE_LABELS)
def test_a_hostile_label_is_checked_in_linear_time(kind: str) -> None:
    # The unbounded regex backtracked for seconds on each. Past 2,000 characters a label counts
    # as disguised unsearched; what is left to time is reading it as shown, linear too.
    make, size = HOSTILE_LABELS[kind]
    labels = {n: make(n) for n in (size // 8, size)}
    assert disguised_link(labels[size], EVIL)
    assert_grows_linearly(lambda n: disguised_link(labels[n], EVIL), size)


def test_the_address_pattern_is_linear_on_a_hostile_run() -> None:
    # Checked labels are shorter, but the pattern itself must not backtrack either: unbounded,
    # it cost 3.6 s for 12,000 characters of this, 66 times what an eighth of them took.
    texts = {n: "ab-" * n + "a" * (3 * n) for n in (3_500, 28_000)}
    assert_grows_linearly(lambda n: list(_URLISH_RE.finditer(texts[n])), 28_000)


def test_a_label_too_long_to_check_counts_as_disguised() -> None:
    # Past _CHECK_CHARS the note shows rather than an address going unchecked.
    assert disguised_link("x" * 2001, "https://news.example/")
    assert not disguised_link("x" * 2000, "https://news.example/")
    assert slack_link(EVIL, "Bank news " * 201).endswith("> (evil.example)")
