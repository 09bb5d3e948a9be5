"""Discord rendering: escaping of untrusted feed text, and embeds within every Discord limit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.adapters.discord.embeds import (
    card_embeds,
    embed_size,
    footer_text,
    story_ref,
    update_embed,
)
from bot.adapters.discord.escape import escape, fit, link_url, neutralize_mentions, utf16_len
from bot.adapters.discord.packing import (
    CONTENT_LIMIT,
    EMBEDS_PER_MESSAGE,
    pack_messages,
    split_content,
)
from bot.cards import SourceLink, StoryCard
from bot.models import Angle, Bullet

FIRST = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def make_card(**overrides: object) -> StoryCard:
    outlets = ["Harbor Ledger", "Pinecrest Wire", "Valley Times"]
    fields: dict[str, object] = {
        "story_id": "a1b2c3d4e5f6",
        "slug": "lighthouse-grant",
        "headline": "Coastal towns win $40M lighthouse restoration grant",
        "source_count": 3,
        "outlets": outlets,
        "tldr": [Bullet("Twelve lighthouses will be restored by 2027.", outlets[:2])],
        "sources": [
            SourceLink("Harbor Ledger", "Grant lights up the coast", "https://ledger.example/a"),
            SourceLink("Pinecrest Wire", "Towns get restoration money", None),
        ],
        "angles": [
            Angle("Harbor Ledger", "Names the twelve towns.", "Every keeper cheered.", None),
            Angle("Valley Times", "Notes the storm damage.", "The lamp went dark.", None),
        ],
        "also_reporting": ["Bay Courier"],
        "first_seen": FIRST,
        "as_of": FIRST + timedelta(hours=2),
    }
    fields.update(overrides)
    return StoryCard(**fields)  # type: ignore[arg-type]


def big_card(n_sources: int = 40) -> StoryCard:
    """A story with 40 sources, long titles, long quotes and many angles."""
    outlets = [f"Outlet {i:02d} *Daily* News" for i in range(n_sources)]
    return make_card(
        headline="Breaking: " + "very long headline " * 30,
        source_count=n_sources,
        outlets=outlets,
        tldr=[Bullet("A bullet that goes on and on. " * 20, outlets[: i + 1]) for i in range(8)],
        sources=[
            SourceLink(o, "A long source title about the story " * 6, f"https://n{i}.example/s")
            for i, o in enumerate(outlets)
        ],
        angles=[
            Angle(
                o,
                "An angle line that is rather long. " * 10,
                "Quote " * 80,
                f"https://n{i}.example/a",
            )
            for i, o in enumerate(outlets)
        ],
        also_reporting=[f"Extra outlet {i}" for i in range(200)],
    )


def assert_within_limits(embeds: list[discord.Embed]) -> None:
    assert embeds
    for embed in embeds:
        assert utf16_len(embed.title or "") <= 256
        assert utf16_len(embed.description or "") <= 4096
        assert len(embed.fields) <= 25
        for field in embed.fields:
            assert 1 <= utf16_len(field.name or "") <= 256
            assert 1 <= utf16_len(field.value or "") <= 1024
        assert utf16_len(embed.footer.text or "") <= 2048
        assert embed_size(embed) <= 6000
        assert len(embed) <= 6000  # discord.py's own count agrees


# --- escaping -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("@everyone look", "@\u200beveryone look"),
        ("hi @here", "hi @\u200bhere"),
        (
            "<@123456789012345678> and <@&42> and <#99>",
            r"\<@123456789012345678> and \<@&42> and \<#99>",
        ),
        (
            "**bold** _it_ ~~s~~ ||spoiler|| `code`",
            r"\*\*bold\*\* \_it\_ \~\~s\~\~ \|\|spoiler\|\| \`code\`",
        ),
        ("[click](https://evil.example)", "\\[click\\](https\u200b://evil.example)"),
        ("see http://evil.example/x now", "see http\u200b://evil.example/x now"),
        ("xhttps://evil.example/x", "xhttps\u200b://evil.example/x"),
        ("a_https://evil.example", "a\\_https\u200b://evil.example"),
        ("# Heading", r"\# Heading"),
        ("> quoted", r"\> quoted"),
        ("- item", r"\- item"),
        ("1. first", r"1\. first"),
        ("back\\slash", "back\\\\slash"),
        ("line\nbreak\u202eevil", "line break evil"),
    ],
)
def test_escape_neutralises_feed_text(raw: str, expected: str) -> None:
    assert escape(raw) == expected


def test_bot_text_keeps_markdown_but_never_mass_pings() -> None:
    assert neutralize_mentions("**Saved.** @everyone") == "**Saved.** @\u200beveryone"


def test_fit_never_leaves_a_dangling_escape() -> None:
    text = escape("a" * 9 + "*b")  # 'aaaaaaaaa\*b'
    cut = fit(text, 11)
    assert cut.endswith("…") and not cut.endswith("\\…")
    assert utf16_len(cut) <= 11
    assert utf16_len(fit("😀" * 10, 7)) <= 7  # emoji count double, as Discord counts them


def test_feed_text_carries_no_clickable_address_but_a_users_own_reply_lines_do() -> None:
    # Discord links any bare http(s) address; in feed text that would be a link the bot never
    # chose. Command replies list the feed URLs an admin added, to copy into /feeds remove.
    card = make_card(
        headline="Storm update https://evil.example/a",
        tldr=[Bullet("Ferries resume, see https://evil.example/b for times.", ["Harbor Ledger"])],
        angles=[Angle("Evil", "Line http://evil.example/c", "Quote HTTPS://evil.example/d", None)],
    )
    payload = json.dumps([e.to_dict() for e in card_embeds(card, full=True)], ensure_ascii=False)
    for part in ("https://evil", "http://evil", "HTTPS://evil"):
        assert part not in payload
    assert "https\u200b://evil.example/b" in payload
    assert escape("Coast <https://feeds.example/rss> (ok)", keep_links=True) == (
        "Coast \\<https://feeds.example/rss> (ok)"
    )


def test_link_urls_cannot_break_out_of_a_masked_link() -> None:
    assert link_url("javascript:alert(1)") is None
    assert link_url("https://x.example/a b") is None
    assert link_url("https://x.example/p(a)[b]") == "https://x.example/p%28a%29%5Bb%5D"


# --- cards ----------------------------------------------------------------------------------------


def test_card_title_links_to_the_same_encoded_url_as_the_masked_links() -> None:
    url = "https://ledger.example/café/p(a)"
    sources = [SourceLink("Harbor Ledger", "Grant lights up the coast", url)]
    (embed,) = card_embeds(make_card(sources=sources))
    assert embed.url == link_url(url) == "https://ledger.example/caf%C3%A9/p%28a%29"


def test_compact_card_layout() -> None:
    (embed,) = card_embeds(make_card(topics=["coast"]))
    assert embed.title == "Coastal towns win $40M lighthouse restoration grant"
    assert embed.url == "https://ledger.example/a"
    assert embed.description is not None
    assert embed.description.startswith("**3 sources tracking this story**\nTopics: coast")
    assert (
        "• Twelve lighthouses will be restored by 2027. *(reported by 2 of 3)*" in embed.description
    )
    names = [f.name for f in embed.fields]
    assert names == [
        "Sources",
        "What others are reporting",
        "1. Harbor Ledger",
        "2. Valley Times",
        "Also reporting",
    ]
    assert embed.fields[0].value == (
        "• [Harbor Ledger: Grant lights up the coast](https://ledger.example/a)\n"
        "• Pinecrest Wire: Towns get restoration money"
    )
    assert embed.fields[2].value == "Names the twelve towns.\n> “Every keeper cheered.”"
    assert (
        embed.footer.text
        == "as of 2h after first report · /story lighthouse-grant · ref a1b2c3d4e5f6"
    )
    assert story_ref(embed.footer.text) == "a1b2c3d4e5f6"
    assert embed.timestamp == FIRST + timedelta(hours=2)


@pytest.mark.parametrize("full", [False, True])
def test_the_age_is_said_once_in_the_footer(full: bool) -> None:
    # The "What others are reporting" field repeated the footer's "as of 2h after first report";
    # the footer keeps it: every card has one, beside Discord's own timestamp of `as_of`.
    embeds = card_embeds(make_card(), full=full)
    payload = json.dumps([e.to_dict() for e in embeds], ensure_ascii=False)
    assert payload.count("after first report") == 1
    assert embeds[0].footer.text is not None
    assert embeds[0].footer.text.startswith("as of 2h after first report · ")
    heading = next(f for e in embeds for f in e.fields if f.name == "What others are reporting")
    # A heading: a field's value may not be empty, so it is one zero-width space.
    assert heading.value == "\u200b"


def test_hostile_card_cannot_ping_or_format() -> None:
    card = make_card(
        headline="@everyone **FREE** [prize](https://evil.example) <@&1>",
        sources=[SourceLink("@here Wire", "<@1234> `x`", "javascript:alert(1)")],
        angles=[Angle("Evil", "# big", "@everyone", "https://ok.example/)[x](https://evil)")],
        also_reporting=["||spoiler||"],
    )
    (embed,) = card_embeds(card)
    payload = str(embed.to_dict())
    assert "@everyone" not in payload and "@here" not in payload
    assert (
        embed.title
        == "@\u200beveryone \\*\\*FREE\\*\\* \\[prize\\](https\u200b://evil.example) \\<@&1>"
    )
    assert embed.fields[0].value == r"• @​here Wire: \<@1234> \`x\`"  # no link: not http(s)
    assert embed.fields[2].value.endswith(
        "[Read →](https://ok.example/%29%5Bx%5D%28https://evil%29)"
    )
    assert embed.fields[-1].value == r"\|\|spoiler\|\|"


def test_forty_sources_compact_card_fits_one_embed_and_says_what_is_left() -> None:
    (embed,) = card_embeds(big_card())
    assert_within_limits([embed])
    sources = embed.fields[0]
    assert sources.name == "Sources"
    assert "more outlets (use /story lighthouse-grant)" in sources.value
    assert embed.fields[-1].name == "More"
    assert embed.fields[-1].value == "Full breakdown: /story lighthouse-grant"


def test_forty_sources_full_breakdown_splits_across_embeds_and_messages() -> None:
    card = big_card()
    embeds = card_embeds(card, full=True)
    assert len(embeds) > 1
    assert_within_limits(embeds)
    listed = "\n".join(f.value for e in embeds for f in e.fields if f.name.startswith("Sources"))
    assert all(f"Outlet {i:02d}" in listed for i in range(40))  # every source, none dropped
    angle_fields = [f for e in embeds for f in e.fields if f.name[0].isdigit()]
    assert len(angle_fields) == 40
    messages = pack_messages(embeds)
    for message in messages:
        assert len(message) <= EMBEDS_PER_MESSAGE
        assert sum(embed_size(e) for e in message) <= 6000
    assert [e for m in messages for e in m] == embeds


def test_pack_messages_respects_count_and_total() -> None:
    small = [discord.Embed(title=f"t{i}", description="x" * 100) for i in range(23)]
    assert [len(m) for m in pack_messages(small)] == [10, 10, 3]
    assert [len(m) for m in pack_messages(small, max_embeds=5)] == [5, 5, 5, 5, 3]
    large = [discord.Embed(description="y" * 2500) for _ in range(5)]
    assert [len(m) for m in pack_messages(large)] == [2, 2, 1]


def test_split_content_pieces_fit() -> None:
    text = "\n".join(f"line {i} " + "z" * 90 for i in range(60)) + "\n" + "w" * 4500
    pieces = split_content(text)
    assert all(utf16_len(p) <= CONTENT_LIMIT for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_split_content_cuts_a_long_line_before_a_code_span_not_through_it() -> None:
    url = "https://news.example/rss?q=" + "harbour+OR+ferry+" * 60  # about 1,000 characters
    # The 2,000th character is inside the span.
    text = "It was disabled. " * 70 + f"Re-enable it with newsdigest feeds enable `{url}` now."
    assert text.index("`") < CONTENT_LIMIT < text.rindex("`")
    pieces = split_content(text)
    assert all(utf16_len(p) <= CONTENT_LIMIT for p in pieces)
    assert "".join(pieces) == text
    # The span whole in one piece: copied, it is the URL.
    assert any(f"`{url}`" in p for p in pieces)
    assert all(p.count("`") % 2 == 0 for p in pieces)
    # A span longer than a piece is cut where it must be.
    assert "".join(split_content(f"`{'u' * 4500}`")) == f"`{'u' * 4500}`"


@pytest.mark.parametrize(
    ("text", "limit", "span"),
    [
        # An escaped backtick before the span is text, not the span's start.
        ("xxxxx\\`yyy `uuuuuu` zzz", 18, "`uuuuuu`"),
        # Two backticks open a span only two close; the one inside is code.
        ("abcdef ``x`y`` zz", 12, "``x`y``"),
        ("abcdef ```x `y` z``` zz", 16, "```x `y` z```"),
    ],
)
def test_split_content_reads_code_spans_as_markdown_does(text: str, limit: int, span: str) -> None:
    pieces = split_content(text, limit)
    assert all(utf16_len(p) <= limit for p in pieces)
    assert "".join(pieces) == text
    assert any(span in p for p in pieces)


def test_split_content_keeps_a_code_block_of_several_lines_whole_when_it_fits() -> None:
    block = "```\n" + "\n".join(f"error {i}: " + "q" * 40 for i in range(10)) + "\n```"
    text = "That query is not valid: " + "z" * 1500 + "\n" + block + "\nTry again."
    pieces = split_content(text)
    assert all(utf16_len(p) <= CONTENT_LIMIT for p in pieces)
    assert any(block in p for p in pieces)
    assert all(p.count("```") % 2 == 0 for p in pieces)


def test_update_embed_and_footer() -> None:
    card = make_card(source_count=5, outlets=["A", "B", "C", "D", "E"])
    embed = update_embed(card, ["D", "@everyone E"])
    assert embed.title == "Update: Coastal towns win $40M lighthouse restoration grant"
    assert embed.description is not None
    assert embed.description.startswith(
        "D, @\u200beveryone E joined. Now 5 sources tracking this story."
    )
    assert embed.footer.text == footer_text(card)


def test_update_embed_shows_what_the_new_outlet_adds_not_the_card_again() -> None:
    card = make_card(
        tldr=[
            Bullet("Twelve lighthouses will be restored by 2027.", ["Harbor Ledger"]),
            Bullet("The grant is the largest of its kind.", ["Valley Times"]),
        ]
    )
    embed = update_embed(card, ["Valley Times"])
    assert embed.description == (
        "Valley Times joined. Now 3 sources tracking this story.\n\n"
        "**In the TL;DR with them**\n"
        "• The grant is the largest of its kind. *(reported by 1 of 3: Valley Times)*"
    )
    (field,) = embed.fields
    assert field.name == "New angle: Valley Times"
    assert field.value == "Notes the storm damage.\n> “The lamp went dark.”"


def test_a_title_naming_another_site_shows_the_real_host() -> None:
    from bot.adapters.discord.escape import masked_link

    shown = masked_link("https://bank.example/login", "https://evil.example/phish")
    assert shown.endswith("(evil.example)")
    honest = masked_link("Example News: rates held", "https://news.example/a")
    assert honest == "[Example News: rates held](https://news.example/a)"


def test_one_source_past_the_field_is_one_more_source() -> None:
    from bot.adapters.discord.embeds import _first_chunk

    def more(hidden: int) -> str:
        return f"+{hidden} more source{'' if hidden == 1 else 's'} (use /story x)"

    lines = [(f"• [Outlet {i}](https://example.org/{i})", f"• Outlet {i}") for i in range(3)]
    # Room for two lines and the tail, not for the third line.
    limit = len("\n".join(line for line, _ in lines[:2])) + len("\n+1 more source (use /story x)")
    value = _first_chunk(lines, limit, more)
    assert value.endswith("\n+1 more source (use /story x)"), value
    room_for_one = len("• Outlet 0") + len("\n+2 more sources (use /story x)")
    value = _first_chunk(lines, room_for_one, more)
    assert value == "• Outlet 0\n+2 more sources (use /story x)"


def test_a_breakdown_button_under_several_cards_names_its_story_within_80() -> None:
    from bot.adapters.discord.views import card_buttons

    long = make_card(headline="Harbour towns " * 12)
    (breakdown, _, _) = card_buttons(long, named=True)
    label = breakdown.item.label  # type: ignore[attr-defined]
    assert label is not None and label.startswith("Full breakdown: Harbour towns")
    assert len(label) <= 80 and label.endswith("…")
    (alone, _, _) = card_buttons(long)
    assert alone.item.label == "Full breakdown"  # type: ignore[attr-defined]


def test_a_bullet_with_one_source_names_it_escaped() -> None:
    hostile = "@everyone **Tide** [Journal](https://evil.example)"
    card = make_card(
        tldr=[
            Bullet(
                "Twelve lighthouses will be restored by 2027.",
                ["Harbor Ledger", "Pinecrest Wire"],
            ),
            Bullet("The grant is the largest of its kind.", [hostile]),
        ]
    )
    description = card_embeds(card)[0].description or ""
    line = next(s for s in description.splitlines() if "largest" in s)
    assert line.startswith("• The grant is the largest of its kind. *(reported by 1 of 3: ")
    assert f"{escape(hostile)})*" in line
    assert "@everyone" not in line and "**Tide**" not in line
    assert "*(reported by 2 of 3)*" in description
