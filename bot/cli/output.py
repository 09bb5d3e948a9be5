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
