"""`newsdigest eval ...`: the stable JSONL contract that the quality benchmarks run through."""

from __future__ import annotations

import sys

import click

from bot.eval.jsonl import EvalInputError

# surrogateescape: a non-UTF-8 byte reaches read_objects, which names its line, instead of a
# UnicodeDecodeError from the middle of a chunk.
_INPUT = click.File("r", encoding="utf-8", errors="surrogateescape")


@click.group("eval")
def eval_group() -> None:
    """Run the bot's own clustering or summaries over a JSONL file (for quality measurement)."""


@eval_group.command("cluster")
@click.argument("input_file", type=_INPUT)
def eval_cluster(input_file) -> None:  # type: ignore[no-untyped-def]
    """Cluster articles online in `published` order (undated last).

    Input, one per line: {"id","source","title","text","url","published"}.
    Output, one per article: {"id","story"}.
    """
    from bot.eval.cluster_eval import cluster_jsonl

    try:
        cluster_jsonl(input_file, sys.stdout)
    except EvalInputError as exc:
        raise click.ClickException(str(exc)) from None


@eval_group.command("summarize")
@click.argument("input_file", type=_INPUT)
def eval_summarize(input_file) -> None:  # type: ignore[no-untyped-def]
    """Summarise stories.

    Input, one per line: {"cluster_id","articles":[...]}.
    Output, one per story: {"cluster_id","headline","tldr":[...],"angles":[{"source","line","quote"}]}.
    """
    from bot.eval.summarize_eval import summarize_jsonl

    try:
        summarize_jsonl(input_file, sys.stdout)
    except EvalInputError as exc:
        raise click.ClickException(str(exc)) from None
