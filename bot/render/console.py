"""Story cards for the terminal (the demo, the CLI, the console adapter), drawn with rich.

Feed text only ever enters rich as `Text` content, never as a markup string: a headline
containing "[bold red]" or "[link=...]" prints literally. Control characters are stripped
first (`clean`), because rich passes ESC sequences in Text straight to the terminal.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from bot.cards import Digest, StoryCard
from bot.models import Angle
from bot.render.text import (
    also_label,
    bare_quote,
    clean,
    digest_heading,
    more_label,
    no_new_stories,
    notice_sections,
    safe_url,
    split_angles,
    story_command,
    url_host,
)

_HEAD = Style(bold=True)
_DIM = Style(dim=True)
_OUTLET = Style(bold=True, color="cyan")


def _linked(label: str, url: str | None, style: Style | None = None) -> Text:
    safe = safe_url(url)
    link_style = Style(link=safe, underline=True) if safe else Style()
    return Text(label, style=(style or Style()) + link_style)


def _host(url: str | None, shown: str = "") -> Text:
    """' (example.com)', linked: terminals without hyperlinks still show where it points. The
    host is read from the URL the link opens, so the two cannot disagree. Nothing when `shown`
    (the outlet's name beside it) is that host already: "site.example: ... (site.example)"
    tells the reader nothing the name did not."""
    safe = safe_url(url)
    if safe is None or _is_host(shown, safe):
        return Text()
    return Text(" (") + _linked(url_host(safe), safe, _DIM) + Text(")")


def _is_host(name: str, url: str) -> bool:
    return bool(name) and name.casefold().removeprefix("www.") == url_host(url).casefold()


def _hanging(marker: str, *lines: Text) -> Table:
    """Marker in its own column so wrapped lines stay indented under the text."""
    grid = Table.grid()
    grid.add_column(width=len(marker), no_wrap=True)
    grid.add_column()
    grid.add_row(Text(marker), Group(*lines))
    return grid


def _section(title: str) -> Text:
    return Text(title, style=_HEAD)


def _angle(n: int, angle: Angle) -> Table:
    name = clean(angle.source)
    safe = safe_url(angle.url)
    # An outlet known by its host is that host: its name is the link, and shows where it points.
    head = (
        _linked(name, safe, _OUTLET)
        if safe and _is_host(name, safe)
        else Text(name, style=_OUTLET) + _host(angle.url)
    )
    rows = [head, Text(clean(angle.line))]
    if quote := bare_quote(angle.quote):
        rows.append(Text(f"“{quote}”", style=Style(italic=True)))
    return _hanging(f"  {n}. ", *rows)


def card_renderable(card: StoryCard, full: bool = False) -> Panel:
    # The headline goes inside the panel, not in its border, where rich would truncate it.
    rows: list[RenderableType] = [
        Text(clean(card.headline), style=_HEAD),
        # The card's one freshness line (see `meta_label`).
        Text(f"{card.sources_label} · {card.age_label}", style=_DIM),
    ]
    if card.topics:
        rows.append(Text("Topics: " + ", ".join(clean(t) for t in card.topics), style=_DIM))

    if card.tldr:
        rows += [Text(), _section("TL;DR")]
        for bullet in card.tldr:
            line = Text(clean(bullet.text))
            line.append(f" ({card.corroboration(bullet, clean)})", style=_DIM)
            rows.append(_hanging("  • ", line))
        if card.writer_note:
            rows.append(Text(f"  {card.writer_note}", style=_DIM))

    if card.sources:
        rows += [Text(), _section("Sources")]
        for link in card.sources:
            line = Text(clean(link.source), style=_OUTLET)
            line.append(": ")
            line.append_text(_linked(clean(link.title), link.url))
            rows.append(_hanging("  • ", line + _host(link.url, clean(link.source))))

    shown, hidden = split_angles(card, full)
    if shown:
        rows += [Text(), _section("What others are reporting")]
        for n, angle in enumerate(shown, 1):
            rows.append(_angle(n, angle))
        if hidden:
            rows.append(Text(f"  {more_label(card, hidden)}", style=_DIM))

    if also := also_label(card):
        rows += [Text(), Text(also, style=_DIM)]

    return Panel(
        Group(*rows),
        subtitle=Text(story_command(card), style=_DIM),
        subtitle_align="right",
        box=box.ROUNDED,
        padding=(0, 1),
    )


def render_card_console(card: StoryCard, console: Console, full: bool = False) -> None:
    console.print(card_renderable(card, full=full))


def render_digest_console(digest: Digest, console: Console) -> None:
    heading = Text(digest_heading(digest), style=_HEAD)
    if console.is_terminal:
        console.print(Rule(heading))
    else:
        # Piped or written to a file there is no screen width to fit: a rule would cut the
        # heading at 80 columns ("(119 more n…"), so it is printed whole, on a line of its own.
        console.print(heading, soft_wrap=True)
    if not digest.cards:
        console.print(Text(no_new_stories(digest), style=_DIM), soft_wrap=True)
    for card in digest.cards:
        console.print(card_renderable(card))
    for title, lines in notice_sections(digest):
        console.print(Text(title, style=_HEAD), soft_wrap=True)
        for line in lines:
            # Whole lines, never cut: each ends in the link and the /story slug to copy.
            console.print(Text(line), soft_wrap=True)
