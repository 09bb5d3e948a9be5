"""A standalone HTML5 page of a digest: the demo's preview file.

No scripts and no external assets, so the file opens anywhere offline; a Content-Security-Policy
meta tag backs that up should escaping ever miss something. Every piece of feed text goes through
`html.escape`, and only http(s) URLs become links.
"""

from __future__ import annotations

from html import escape

from bot.cards import Digest, StoryCard
from bot.models import Angle
from bot.render.text import (
    also_label,
    bare_quote,
    clean,
    disguised_link,
    local_time,
    note_host,
    safe_url,
    split_angles,
    story_command,
)

_REL = "noopener noreferrer nofollow"

_CSS = """
:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #6e6e73; --bg: #f5f5f7;
  --card: #fff; --line: #d2d2d7; --accent: #0a66c2; }
@media (prefers-color-scheme: dark) { :root { --fg: #f5f5f7; --muted: #a1a1a6;
  --bg: #111; --card: #1c1c1e; --line: #3a3a3c; --accent: #4ea1ff; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 2rem 1rem; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header, main { max-width: 46rem; margin: 0 auto; }
header h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
.meta, .corr, .more, .also, summary { color: var(--muted); font-size: .9rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px;
  padding: 1.25rem 1.5rem; margin: 1.5rem 0; overflow-wrap: anywhere; }
.card h2 { margin: 0 0 .25rem; font-size: 1.3rem; line-height: 1.3; }
.card h3 { margin: 1.25rem 0 .4rem; font-size: .8rem; text-transform: uppercase;
  letter-spacing: .06em; color: var(--muted); }
.card ul, .card ol { margin: 0; padding-left: 1.3rem; }
.card li { margin: .35rem 0; }
.angle p { margin: .15rem 0; }
.angle blockquote { margin: .3rem 0 .6rem; padding-left: .8rem;
  border-left: 3px solid var(--line); font-style: italic; }
a { color: var(--accent); }
code { font: .85rem ui-monospace, SFMono-Regular, Menlo, monospace; }
details { margin-top: .5rem; }
"""


def _e(text: str | None) -> str:
    return escape(clean(text), quote=True)


def _link(label: str, url: str | None) -> str:
    """`label` (raw feed text, escaped here) as a link if `url` is http(s), else as plain text.

    A label that reads as another site's address ("https://bank.example/login" on a link to
    evil.example) gets the real host beside it, as the Slack and Discord cards show it.
    """
    safe = safe_url(url)
    if safe is None:
        return _e(label)
    link = f'<a href="{escape(safe, quote=True)}" rel="{_REL}">{_e(label)}</a>'
    if disguised_link(label, safe):
        link += f" ({escape(note_host(safe), quote=True)})"
    return link


def _angle(angle: Angle) -> str:
    parts = [f"<strong>{_e(angle.source)}</strong>"]
    if safe_url(angle.url):
        parts.append(" " + _link("Read →", angle.url))
    body = f"<p>{_e(angle.line)}</p>"
    if quote := bare_quote(angle.quote):
        body += f"<blockquote>“{escape(quote, quote=True)}”</blockquote>"
    return f'<li class="angle"><p>{"".join(parts)}</p>{body}</li>'


def render_card_html(card: StoryCard, full: bool = False) -> str:
    """One card as an <article> fragment (for embedding; see render_digest_html)."""
    out = [
        f'<article class="card" id="story-{_e(card.slug)}">',
        f"<h2>{_e(card.headline)}</h2>",
        # The card's one freshness line (see `meta_label`).
        f'<p class="meta">{escape(card.sources_label)} · {escape(card.age_label)} · <code>{_e(story_command(card))}</code>'
        + (f" · {', '.join(_e(t) for t in card.topics)}" if card.topics else "")
        + "</p>",
    ]
    if card.tldr:
        out.append("<section><h3>TL;DR</h3><ul>")
        for bullet in card.tldr:
            corr = card.corroboration(bullet, _e)
            out.append(f'<li>{_e(bullet.text)} <span class="corr">({corr})</span></li>')
        out.append("</ul>")
        if card.writer_note:
            out.append(f'<p class="writer">{escape(card.writer_note)}</p>')
        out.append("</section>")

    if card.sources:
        out.append("<section><h3>Sources</h3><ul>")
        for link in card.sources:
            title = _link(link.title, link.url)
            out.append(f"<li><strong>{_e(link.source)}</strong>: {title}</li>")
        out.append("</ul></section>")

    shown, hidden = split_angles(card, full)
    if shown:
        out.append("<section><h3>What others are reporting</h3>")
        out.append("<ol>")
        out.extend(_angle(a) for a in shown)
        out.append("</ol>")
        if hidden:
            # The preview file has no /story command to run; <details> expands without script.
            rest = "".join(_angle(a) for a in card.angles[len(shown) :])
            out.append(
                f"<details><summary>{_e(card.more_label(hidden))}</summary>"
                f'<ol start="{len(shown) + 1}">{rest}</ol></details>'
            )
        out.append("</section>")

    if also := also_label(card):
        out.append(f'<p class="also">{escape(also)}</p>')
    out.append("</article>")
    return "\n".join(out)


def render_digest_html(digest: Digest) -> str:
    title = _e(digest.title)
    cards = "\n".join(render_card_html(c) for c in digest.cards) or (
        '<p class="meta">No new stories.</p>'
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>{title} · {_e(digest.channel)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class="meta">{_e(digest.channel)} · {escape(local_time(digest.generated_at, digest.timezone))} · {escape(digest.count_label)}</p>
</header>
<main>
{cards}
</main>
</body>
</html>
"""
