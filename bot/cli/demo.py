"""`newsdigest demo`: the whole pipeline offline, on sample feeds served from 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console


@click.command("demo")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-output"),
    show_default=True,
    help="Where to write the demo database and the HTML preview.",
)
def demo_command(output: Path) -> None:
    """Run the pipeline end to end on sample feeds: no tokens, no internet.

    Serves sample feeds (written for this project) on 127.0.0.1, polls them through the real
    fetch path, clusters and summarises, prints the digest's story cards and writes an HTML
    preview.
    """
    from bot.cli.upgrade import require_dependencies
    from bot.demo.run import DemoOutputError, run_demo

    require_dependencies()
    try:
        run_demo(output, Console(emoji=False))
    except DemoOutputError as exc:
        raise click.ClickException(str(exc)) from None
