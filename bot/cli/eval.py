"""`newsdigest eval ...`: the stable JSONL contract that the quality benchmarks run through."""

from __future__ import annotations

import json
import sys
from typing import IO, Any, Protocol

import click

from bot.cli.progress import progress_bar as _progress
from bot.eval.jsonl import EvalInputError
from bot.eval.sample import SAMPLE_SEED

# surrogateescape: a non-UTF-8 byte reaches read_objects, which names its line, instead of a
# UnicodeDecodeError from the middle of a chunk.
_INPUT = click.File("r", encoding="utf-8", errors="surrogateescape")


class _Score(Protocol):
    def as_dict(self) -> dict[str, Any]: ...
    def text(self) -> str: ...


def _emit(score: _Score, as_json: bool) -> None:
    click.echo(json.dumps(score.as_dict()) if as_json else score.text())


@click.group("eval")
def eval_group() -> None:
    """Run the bot's own clustering or summaries over a JSONL file (for quality measurement)."""


@eval_group.command("cluster")
@click.argument("input_file", type=_INPUT)
@click.option(
    "--score",
    is_flag=True,
    help="Score against each line's gold 'story' label (B-cubed and pairwise P/R/F1, story "
    "counts) instead of printing the assignments.",
)
@click.option("--json", "as_json", is_flag=True, help="With --score: one JSON object.")
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    metavar="N",
    help="Cluster a sample instead of the whole file: whole gold stories, drawn with --seed "
    "until N articles are in, dates removed and order shuffled, so only content can separate "
    "stories (the undated benchmark is --sample 3000 on articles-dev.jsonl). Needs 'story'.",
)
@click.option(
    "--seed",
    type=int,
    help=f"With --sample: which stories are drawn, and their order (default {SAMPLE_SEED}, "
    "the benchmark's).",
)
def eval_cluster(
    input_file: IO[str], score: bool, as_json: bool, sample: int | None, seed: int | None
) -> None:
    """Cluster articles online in `published` order (undated last).

    Input, one per line: {"id","source","title","text","url","published"}, plus "story" (the
    gold label) for --score and --sample. `published` is ISO 8601 or absent; anything else is
    an error. Output, one per article: {"id","story"}; with --score, the scores instead.
    A progress bar goes to stderr when it is a terminal.
    """
    from bot.eval.cluster_eval import Sampling, cluster_jsonl, score_jsonl

    if as_json and not score:
        raise click.UsageError("--json only applies with --score")
    if sample is None and seed is not None:
        raise click.UsageError("--seed only applies with --sample")
    sampling = None if sample is None else Sampling(sample, SAMPLE_SEED if seed is None else seed)
    try:
        with _progress("cluster") as start:
            if score:
                result = score_jsonl(input_file, start, sampling)
            else:
                cluster_jsonl(input_file, sys.stdout, start, sampling)
    except EvalInputError as exc:
        raise click.ClickException(str(exc)) from None
    if score:
        _emit(result, as_json)


@eval_group.command("summarize")
@click.argument("input_file", type=_INPUT)
@click.option(
    "--score",
    is_flag=True,
    help="Score each TL;DR against the story's reference.summary (ROUGE-1/2/L F1, stemmed; mean "
    "length in words) per subset instead of printing the summaries. Needs rouge-score.",
)
@click.option("--json", "as_json", is_flag=True, help="With --score: one JSON object.")
def eval_summarize(input_file: IO[str], score: bool, as_json: bool) -> None:
    """Summarise stories as the bot writes a card's words: for each story of INPUT_FILE, print
    its headline, TL;DR bullets and angles (what each outlet adds) as one JSON line.

    Input, one story per line: {"cluster_id","articles":[...]} (both required, at least one
    article), each article as `eval cluster` reads one:
    {"id","source","title","text","url","published"} ("id" required); plus "reference":
    {"summary"} for --score. The whole file is checked before any output.
    Output, one per story: {"cluster_id","headline","tldr":[...],"angles":[{"source","line","quote"}]}.

    --score groups stories by cluster_id prefix (neus-val: NeuS, as-: AllSides, mn-: Multi-News,
    anything else: other) and counts the stories skipped for having no reference summary.
    A progress bar goes to stderr when it is a terminal.
    """
    from bot.eval.rouge import RougeUnavailable
    from bot.eval.summarize_eval import score_jsonl, summarize_jsonl

    if as_json and not score:
        raise click.UsageError("--json only applies with --score")
    try:
        with _progress("summarize") as start:
            if score:
                result = score_jsonl(input_file, start)
            else:
                summarize_jsonl(input_file, sys.stdout, start)
    except (EvalInputError, RougeUnavailable) as exc:
        raise click.ClickException(str(exc)) from None
    if score:
        _emit(result, as_json)
