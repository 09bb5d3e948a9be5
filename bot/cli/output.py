"""The console the CLI's tables print on.

Every console the CLI and the console adapter make has Rich's emoji codes off (`emoji=False`):
with them on, a feed's ":warning:" in a headline, a name or a URL printed as a picture that is
not in its text. Feed text goes through `clean` (control characters) and Rich's `escape`
(markup) besides; the bot's own text uses no emoji code.
"""

from __future__ import annotations

from typing import IO

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

# Wider than any row: piped output (a file, grep, a script) gets every cell whole.
_PIPED_WIDTH = 100_000


def table_console() -> Console:
    """A console for printing a table to stdout. On a terminal, Rich's own: the table fits the
    window, long cells cut with '…'. Piped, Rich would assume 80 columns and cut URLs to
    "http://127.0.…"; instead the table is printed at its natural width, nothing cut."""
    console = Console(emoji=False)
    # The stream itself, not Rich's is_terminal: FORCE_COLOR makes Rich treat a pipe as a
    # terminal, still 80 columns wide.
    if _isatty(console.file):
        return console
    return Console(width=_PIPED_WIDTH, emoji=False)


def is_piped(console: Console) -> bool:
    """Whether `console` came from `table_console` for a pipe: every cell printed whole."""
    return console.width >= _PIPED_WIDTH


def plain_console(*, stderr: bool = False) -> Console:
    """A console for lines of text (reports, matches, errors) on stdout or stderr. Piped, Rich
    would wrap them at 80 columns, mid-phrase (a story's "(3" at the end of one line,
    "sources)" on the next); piped, a line stays one line, as `table_console` keeps rows whole."""
    console = Console(stderr=stderr, emoji=False)
    if _isatty(console.file):
        return console
    return Console(stderr=stderr, soft_wrap=True, emoji=False)


def fit_table(table: Table, console: Console, flexible: dict[int, int]) -> None:
    """Fit `table` to `console`'s width by narrowing only the `flexible` columns (index: the
    fewest cells it keeps), in the order given: each gets its floor first, then the room left
    goes to the first, the next, and so on, up to what each needs. The other columns keep their
    natural width. Rich's own squeeze narrows every column evenly, which cut all URLs to the same
    "http://127.0.0.…" and wrapped the date; this keeps the cells that matter readable. A table
    that fits is left alone."""
    options = console.options
    natural = []
    for column in table.columns:
        cells = [column.header, *column.cells]
        natural.append(max(Measurement.get(console, options, cell).maximum for cell in cells))
    extra = len(table.columns) + 1 + 2 * len(table.columns)  # borders, one space each side
    if sum(natural) + extra <= console.width:
        return
    fixed = sum(width for i, width in enumerate(natural) if i not in flexible)
    room = console.width - extra - fixed
    widths = {i: min(natural[i], floor) for i, floor in flexible.items()}
    if sum(widths.values()) > room:  # not even the floors fit: share what there is by them
        total = sum(widths.values())
        widths = {i: max(1, width * max(room, 0) // total) for i, width in widths.items()}
    room -= sum(widths.values())
    for i in flexible:
        more = max(0, min(natural[i] - widths[i], room))
        widths[i] += more
        room -= more
    for i, width in widths.items():
        table.columns[i].width = width


class MiddleCut:
    """A table cell (a URL) that, cut to fit, loses its middle rather than its end:
    "http://127.0.0.1:8080/harbor…/feed" and "http://127.0.0.1:8080/ledge…/feed" still tell two
    feeds on one host apart, where cutting the end left "http://127.0.0.…" for both. Plain text:
    no Rich markup is read in it."""

    # The narrowest a cut cell gets before the table shrinks its other columns instead.
    MIN_WIDTH = 24

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = cell_len(self.text)
        return Measurement(min(width, self.MIN_WIDTH), width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.text
        if cell_len(text) > options.max_width:
            # Cut, a URL's scheme is the least telling part: "example.org/…/feed".
            text = text.split("://", 1)[-1]
        yield Text(cut_middle(text, options.max_width), no_wrap=True, overflow="crop")


def cut_middle(text: str, width: int) -> str:
    """`text` in at most `width` cells, its middle replaced by '…': about two fifths kept from
    the start (a URL's scheme and host), the rest from the end (its path's last segments)."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    room = width - 1
    head_room = room * 2 // 5
    head = ""
    for char in text:
        if cell_len(head + char) > head_room:
            break
        head += char
    tail = ""
    for char in reversed(text):
        if cell_len(head) + cell_len(char + tail) > room:
            break
        tail = char + tail
    return f"{head}…{tail}"


def duration(seconds: int) -> str:
    """An interval as it would be typed: 90 -> '1m30s', 900 -> '15m', 86400 -> '1d'. Exact, so
    what is shown is what is stored (a 90-second interval is not '1m')."""
    if seconds <= 0:
        return f"{seconds}s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
