from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable

import pytest
from _render_cards import CARD_PARTS, EVIL, OUTLETS, console_output, make_card, make_digest
from rich.console import Console

from bot.cards import SourceLink, StoryCard
from bot.models import Angle, Bullet
from bot.render import (
    render_card_console,
    render_card_text,
    render_digest_console,
    render_digest_html,
    render_digest_text,
)
from bot.render.text import clean

# --- plain text --------------------------------------------------------------------------


def test_text_card_has_every_part() -> None:
    text = render_card_text(make_card())
    lines = text.splitlines()
    assert lines[0] == "Coastal towns win $40M lighthouse restoration grant"
    assert "4 sources tracking this story (5 outlets; shared wire copy counted once)" in lines[1]
    assert "/story lighthouse-grant" in lines[1]
    assert "TL;DR" in lines
    assert "  • Twelve lighthouses will be restored by 2027. (reported by 4 of 4)" in lines
    # Its only source is named: "1 of 4" alone left the reader to guess whose claim it is.
    assert (
        "  • Volunteers will staff the beacons on weekends. (reported by 1 of 4: Harbor Ledger)"
        in lines
    )
    assert "Sources" in lines
    assert "  • Harbor Ledger: Grant lights up the coast — https://ledger.example/a" in lines
    assert "  • Pinecrest Wire: Towns get restoration money" in lines
    assert "What others are reporting" in lines
    # The age is said once, in the line under the headline (see test_the_age_is_said_once).
    assert "as of 2h after first report" in lines[1]
    heading = lines.index("What others are reporting")
    assert lines[heading + 1] == "  1. Harbor Ledger — Names the twelve towns."
    assert "     “Every keeper cheered.”" in lines
    assert lines[-1] == "Also reporting: Bay Courier, Tide Journal"


def test_text_quote_is_not_double_quoted() -> None:
    assert "“About $3M each.”" in render_card_text(make_card())
    assert "““" not in render_card_text(make_card())


def test_text_short_caps_angles_and_points_to_story() -> None:
    text = render_card_text(make_card())
    assert "  3. Valley Times" in text
    assert "Northgate Post —" not in text
    assert "+2 more (use /story lighthouse-grant)" in text


def test_text_full_lists_every_angle() -> None:
    text = render_card_text(make_card(), full=True)
    assert "  5. Dune Radio — Interviews a keeper's family." in text
    assert "more (use" not in text


def test_text_three_angles_need_no_more_line() -> None:
    card = make_card()
    card.angles = card.angles[:3]
    assert "more (use" not in render_card_text(card)


def test_text_omits_empty_sections() -> None:
    card = make_card(tldr=[], sources=[], angles=[], also_reporting=[])
    text = render_card_text(card)
    for heading in ("TL;DR", "Sources", "What others are reporting", "Also reporting"):
        assert heading not in text


def test_text_links_only_http_and_flattens_feed_newlines() -> None:
    card = make_card(
        headline="Line one\nInjected: line two\x1b[2J",
        sources=[SourceLink("Bad", "Click me", "javascript:alert(1)")],
    )
    text = render_card_text(card)
    assert text.splitlines()[0] == "Line one Injected: line two [2J"
    assert "javascript:" not in text
    assert "  • Bad: Click me" in text.splitlines()


def test_text_digest() -> None:
    other = make_card(story_id="s2", slug="ferry-strike", headline="Ferry crews strike")
    text = render_digest_text(make_digest(make_card(), other))
    assert text.startswith("Morning digest · #coast · 2025-03-01 10:00 UTC · 2 stories\n")
    assert text.index("Coastal towns") < text.index("Ferry crews strike")
    assert "+2 more" in text


def test_text_empty_digest() -> None:
    assert "No new stories." in render_digest_text(make_digest())


# --- console -----------------------------------------------------------------------------


def test_console_card_has_every_part() -> None:
    out = console_output(render_card_console, make_card())
    for part in (*CARD_PARTS, "Sources", "1. Harbor Ledger"):
        assert part in out, part
    assert "Dune Radio" not in out.split("Also reporting")[0].split("TL;DR")[1]


def test_console_full() -> None:
    out = console_output(render_card_console, make_card(), full=True)
    assert "5. Dune Radio" in out
    assert "more (use" not in out


def test_console_prints_markup_literally() -> None:
    card = make_card(
        headline=EVIL,
        tldr=[Bullet(EVIL, ["Harbor Ledger"])],
        sources=[SourceLink(EVIL, EVIL, "https://ok.example")],
        angles=[Angle(EVIL, EVIL, EVIL, None)],
        also_reporting=[EVIL],
        topics=[EVIL],
    )
    # Wide enough that nothing wraps mid-string.
    console = Console(file=io.StringIO(), width=400, color_system=None)
    render_card_console(card, console)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert out.count("[bold red]pwned[/bold red]") >= 6
    assert "[link=https://evil.example]click[/link]" in out


def test_console_strips_terminal_escapes() -> None:
    card = make_card(headline="Calm\x1b]0;owned\x07 headline\x1b[2J")
    console = Console(file=io.StringIO(), width=100, force_terminal=True)
    render_card_console(card, console)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b]0;owned" not in out
    assert "\x1b[2J" not in out


def test_console_digest() -> None:
    out = console_output(render_digest_console, make_digest(make_card()))
    assert "Morning digest · #coast" in out
    assert "Coastal towns" in out
    assert "No new stories." in console_output(render_digest_console, make_digest())


# --- no mutation -------------------------------------------------------------------------


def test_renderers_do_not_mutate_card() -> None:
    card = make_card(headline=EVIL)
    before = copy.deepcopy(card)
    digest = make_digest(card)
    render_card_text(card)
    render_card_text(card, full=True)
    render_digest_text(digest)
    console_output(render_card_console, card)
    console_output(render_card_console, card, full=True)
    console_output(render_digest_console, digest)
    render_digest_html(digest)
    assert card == before
    assert digest.cards == [before]


def test_outputs_are_plain_in_plain_terminal() -> None:
    out = console_output(render_card_console, make_card())
    assert not re.search(r"\x1b\[", out)


def test_a_digest_that_left_stories_out_says_how_many_on_every_surface() -> None:
    from bot.adapters.discord.packing import digest_heading_text
    from bot.adapters.slack.blocks import digest_messages

    digest = make_digest(make_card())
    digest.more = 3
    said = "1 story (3 more not shown)"
    assert said in render_digest_text(digest)
    assert said in console_output(render_digest_console, digest)
    assert said in render_digest_html(digest)
    assert said in digest_heading_text(digest)
    assert said in str(digest_messages(digest)[0].blocks)
    # Nothing left out: the plain count, as before.
    digest.more = 0
    assert "· 1 story\n" in render_digest_text(digest) + "\n"
    assert "more not shown" not in render_digest_html(digest)


# --- freshness and disguised links ---------------------------------------------------------


def test_card_without_angles_still_says_how_fresh_it_is() -> None:
    # The age is in the line under the headline, so a card with no angles (and no "What others
    # are reporting") says it too, as Slack and Discord do on every card.
    card = make_card(angles=[])
    assert "as of 2h after first report" in render_card_text(card).splitlines()[1]
    assert "as of 2h after first report" in render_digest_html(make_digest(card))
    wide = io.StringIO()
    render_card_console(card, Console(file=wide, width=200, color_system=None))
    assert "as of 2h after first report" in wide.getvalue()


def _console_text(card: StoryCard) -> str:
    wide = io.StringIO()
    render_card_console(card, Console(file=wide, width=200, color_system=None))
    return wide.getvalue()


@pytest.mark.parametrize(
    "render",
    [
        render_card_text,
        lambda card: render_card_text(card, full=True),
        _console_text,
        lambda card: render_digest_html(make_digest(card)),
    ],
    ids=["text", "text-full", "console", "html"],
)
def test_the_age_is_said_once(render: Callable[[StoryCard], str]) -> None:
    # "4 sources tracking this story · as of 2h after first report" heads the card; a second
    # "Coverage as of 2h after first report" under "What others are reporting" said it again.
    card = make_card()
    assert card.angles
    out = render(card)
    assert "What others are reporting" in out
    assert out.count("after first report") == 1, out
    assert "Coverage" not in out
    header = out[: out.index("TL;DR")]
    assert "4 sources tracking this story" in header and "as of 2h after first report" in header


def test_html_shows_the_real_host_of_a_link_labelled_as_another_site() -> None:
    card = make_card(
        sources=[
            SourceLink("Harbor Ledger", "https://bank.example/login", "https://trap.example/x"),
            SourceLink("Pinecrest Wire", "Towns get money", "https://wire.example/y"),
        ]
    )
    page = render_digest_html(make_digest(card))
    assert "https://bank.example/login</a> (trap.example)" in page
    # An ordinary title gets no host note.
    assert "Towns get money</a> (" not in page


def test_corroboration_counts_a_shared_wire_text_once() -> None:
    # Valley Times and Dune Radio ran one wire text: the header says "4 sources (5 outlets)", so
    # a bullet only they carry is one source of four, not two of five.
    card = make_card(tldr=[Bullet("Keepers get a raise.", ["Valley Times", "Dune Radio"])])
    assert card.corroboration(card.tldr[0]) == "reported by 1 of 4"
    assert card.corroboration(Bullet("x", ["Harbor Ledger", "Dune Radio"])) == "reported by 2 of 4"
    # Without wire groups every outlet is its own source.
    plain = make_card(source_count=5, wire_groups=[])
    assert plain.corroboration(Bullet("x", OUTLETS[:3])) == "reported by 3 of 5"


def test_a_bullet_with_one_source_names_it_in_every_renderer() -> None:
    hostile = "Bay <b>Courier</b> @everyone"
    card = make_card(
        tldr=[
            Bullet("Twelve lighthouses will be restored by 2027.", OUTLETS[:4]),
            Bullet("A keeper's diary was found.", [hostile]),
        ]
    )
    text = render_card_text(card)
    assert f"  • A keeper's diary was found. (reported by 1 of 4: {hostile})" in text.splitlines()
    # Several sources are counted, not listed: the names would crowd out the bullet.
    assert "(reported by 4 of 4)" in text
    console = console_output(render_card_console, card)
    assert "(reported by 1 of 4: Bay <b>Courier</b> @everyone)" in " ".join(console.split())
    page = render_digest_html(make_digest(card))
    assert "(reported by 1 of 4: Bay &lt;b&gt;Courier&lt;/b&gt; @everyone)" in page
    assert "<b>Courier" not in page


def test_corroboration_names_only_what_a_reader_could_not_tell() -> None:
    card = make_card()
    one = Bullet("x", ["Harbor Ledger"])
    # Without the renderer's escaping no name is given: names are feed text.
    assert card.corroboration(one) == "reported by 1 of 4"
    assert card.corroboration(one, str.upper) == "reported by 1 of 4: HARBOR LEDGER"
    # One wire text carried by several outlets is one source: a couple of them are named.
    wire = Bullet("x", ["Valley Times", "Dune Radio"])
    assert card.corroboration(wire, str) == (
        "reported by 1 of 4, one wire copy: Valley Times, Dune Radio"
    )
    papers = [f"Paper {i}" for i in range(60)]
    many = make_card(wire_groups=[papers], outlets=[*OUTLETS, *papers])
    assert many.corroboration(Bullet("x", papers), str) == (
        "reported by 1 of 4, one wire copy: Paper 0, Paper 1 +58 more"
    )
    # A name that escapes to nothing leaves no dangling colon.
    assert card.corroboration(Bullet("x", ["\u200b"]), clean) == "reported by 1 of 4"
    # A one-source story's bullets are all "1 of 1": naming its only outlet says nothing.
    alone = make_card(source_count=1, outlets=["Harbor Ledger"], wire_groups=[])
    assert alone.corroboration(one, str) == "reported by 1 of 1"
