"""The progress bar the long-running commands (`eval`, `prune`, `feeds import`) draw on stderr,
only on a terminal: stdout stays pure (JSONL, a score, a report) either way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Protocol


class Advance(Protocol):
    def __call__(self, steps: int = 1) -> None: ...


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int], Advance]]:
    """A `start(total) -> advance` hook; the bar appears once the total is known."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True, emoji=False)  # feed names: see bot.cli.output
    with ExitStack() as stack:

        def start(total: int) -> Advance:
            progress = stack.enter_context(
                Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=console,
                    transient=True,
                    disable=not console.is_terminal,
                )
            )
            task = progress.add_task(label, total=total)

            def advance(steps: int = 1) -> None:
                progress.advance(task, steps)

            return advance

        yield start
