"""The console the CLI's tables print on."""

from __future__ import annotations

from typing import IO

from rich.console import Console

# Wider than any row: piped output (a file, grep, a script) gets every cell whole.
_PIPED_WIDTH = 100_000


def table_console() -> Console:
    """A console for printing a table to stdout. On a terminal, Rich's own: the table fits the
    window, long cells cut with '…'. Piped, Rich would assume 80 columns and cut URLs to
    "http://127.0.…"; instead the table is printed at its natural width, nothing cut."""
    console = Console()
    # The stream itself, not Rich's is_terminal: FORCE_COLOR makes Rich treat a pipe as a
    # terminal, still 80 columns wide.
    if _isatty(console.file):
        return console
    return Console(width=_PIPED_WIDTH)


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
