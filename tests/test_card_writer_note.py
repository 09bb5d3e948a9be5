"""A card whose TL;DR a model wrote says so, on every platform and in /story's full breakdown;
an extractive card, whose words are the sources' own, carries no such line."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from bot.adapters.discord.embeds import card_embeds
from bot.adapters.slack.blocks import card_units
from bot.cards import WRITER_NOTE, StoryCard
from bot.render import render_card_console, render_card_text
from bot.render.html import render_card_html
from tests.test_render import make_card


def _console(card: StoryCard, full: bool) -> str:
    out = io.StringIO()
    render_card_console(card, Console(file=out, width=200, color_system=None), full=full)
    return out.getvalue()


def _slack(card: StoryCard, full: bool) -> str:
    return json.dumps(card_units(card, full=full), ensure_ascii=False)


def _discord(card: StoryCard, full: bool) -> str:
    return json.dumps([e.to_dict() for e in card_embeds(card, full=full)], ensure_ascii=False)


RENDERERS = {
    "text": lambda card, full: render_card_text(card, full=full),
    "console": _console,
    "html": lambda card, full: render_card_html(card, full=full),
    "slack": _slack,
    "discord": _discord,
}


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("platform", sorted(RENDERERS))
def test_a_model_written_summary_is_marked(platform: str, full: bool) -> None:
    shown = RENDERERS[platform](make_card(writer="llm"), full)
    assert "Summary written by a model and checked against the sources" in shown
    assert shown.count(WRITER_NOTE) == 1


@pytest.mark.parametrize("platform", sorted(RENDERERS))
def test_an_extractive_summary_is_not_marked(platform: str) -> None:
    assert "written by a model" not in RENDERERS[platform](make_card(), True)


def test_the_mark_follows_the_tldr() -> None:
    text = render_card_text(make_card(writer="llm"))
    lines = text.splitlines()
    note = next(i for i, line in enumerate(lines) if WRITER_NOTE in line)
    assert lines[note - 1].lstrip().startswith("•")
    assert lines[note + 2] == "Sources"
