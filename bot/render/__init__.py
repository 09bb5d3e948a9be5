"""Renderers: draw the platform-neutral StoryCard / Digest as plain text, rich console or HTML.

Every renderer treats feed text as untrusted and never mutates the card it is given.
"""

from bot.render.console import card_renderable, render_card_console, render_digest_console
from bot.render.html import render_card_html, render_digest_html
from bot.render.text import render_card_text, render_digest_text

__all__ = [
    "card_renderable",
    "render_card_console",
    "render_card_html",
    "render_card_text",
    "render_digest_console",
    "render_digest_html",
    "render_digest_text",
]
