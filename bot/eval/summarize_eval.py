"""`newsdigest eval summarize`: stories in, card words out, one JSON object per line.

Input lines: {"cluster_id", "articles": [{"id", "source", "title", "text", "url", "published"}]},
optionally "reference": {"summary"} (used only by `--score`); other keys are ignored. Output
lines: {"cluster_id", "headline", "tldr": [str], "angles": [{"source", "line", "quote"}]}, where
"source" is the article's "source" value exactly as given (null included).

The whole input is read and checked before the first story is summarised, so a bad line stops
the run before any output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from bot.eval.jsonl import (
    EvalInputError,
    Start,
    article_from_json,
    read_objects,
    ticker,
    write_jsonl,
)
from bot.eval.rouge import OTHER, Tally, rouge_scorer, subset_of, subset_order
from bot.models import Article
from bot.summarize import summarize


@dataclass(slots=True)
class EvalStory:
    line_no: int
    cluster_id: Any
    articles: list[Article]
    raw_source: dict[str, Any]
    reference: str


def _story(line_no: int, obj: dict[str, Any]) -> EvalStory:
    cluster_id = obj.get("cluster_id")
    if cluster_id is None or cluster_id == "":
        raise EvalInputError(f"line {line_no}: story has no 'cluster_id'")
    if isinstance(cluster_id, (dict, list)):
        raise EvalInputError(f"line {line_no}: 'cluster_id' must be a string")
    raw = obj.get("articles")
    if not isinstance(raw, list) or not all(isinstance(a, dict) for a in raw):
        raise EvalInputError(f"line {line_no}: 'articles' must be a list of article objects")
    if not raw:
        raise EvalInputError(f"line {line_no}: story {cluster_id!r} has no articles")
    articles: list[Article] = []
    raw_source: dict[str, Any] = {}
    for item in raw:
        article = article_from_json(item, line_no)
        # A missing source is kept missing: outlets are then told apart by article id.
        if not item.get("source"):
            article.source = ""
        # Both names an angle can carry: the outlet's, or "article <id>" when the summariser
        # has no usable outlet name (none given, or a placeholder such as "unknown").
        raw_source[f"article {article.id}"] = item.get("source")
        if article.source:
            raw_source[article.source] = item.get("source")
        articles.append(article)
    reference = obj.get("reference")
    summary = reference.get("summary") if isinstance(reference, dict) else None
    return EvalStory(
        line_no, cluster_id, articles, raw_source, summary if isinstance(summary, str) else ""
    )


def read_stories(inp: IO[str]) -> list[EvalStory]:
    return [_story(line_no, obj) for line_no, obj in read_objects(inp)]


def _row(story: EvalStory) -> dict[str, Any]:
    summary = summarize(story.articles)
    return {
        "cluster_id": story.cluster_id,
        "headline": summary.headline,
        "tldr": [b.text for b in summary.tldr],
        "angles": [
            {"source": story.raw_source.get(a.source, a.source), "line": a.line, "quote": a.quote}
            for a in summary.angles
        ],
    }


def summarize_jsonl(inp: IO[str], out: IO[str], start: Start | None = None) -> None:
    stories = read_stories(inp)
    advance = ticker(start, len(stories))
    for story in stories:
        write_jsonl([_row(story)], out)
        advance()


@dataclass(slots=True)
class SummaryScore:
    """ROUGE F1 of the TL;DR (bullets joined) per subset, and stories without a reference."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    skipped: int = 0

    def rows(self) -> list[tuple[str, tuple[float, float, float, float, int]]]:
        order = [s for s in subset_order() if s in self.tallies]
        return [(label, self.tallies[label].row()) for label in order]

    def as_dict(self) -> dict[str, Any]:
        return {
            "subsets": {
                label: {"rouge1": r1, "rouge2": r2, "rougeL": rl, "words": w, "stories": n}
                for label, (r1, r2, rl, w, n) in self.rows()
            },
            "skipped_no_reference": self.skipped,
        }

    def text(self) -> str:
        lines = [f"{'subset':<12}{'R-1':>7}{'R-2':>7}{'R-L':>7}{'words':>7}{'n':>6}"]
        for label, (r1, r2, rl, words, n) in self.rows():
            lines.append(f"{label:<12}{r1:7.2f}{r2:7.2f}{rl:7.2f}{words:7.1f}{n:6d}")
        if not self.tallies:
            lines.append("(no story had a reference summary)")
        lines.append(f"skipped, no reference summary: {self.skipped}")
        return "\n".join(lines)


def score_jsonl(inp: IO[str], start: Start | None = None) -> SummaryScore:
    """Summarise each story and score its TL;DR against `reference.summary` (ROUGE, stemmed)."""
    scorer = rouge_scorer()  # before reading: a missing package fails fast
    stories = read_stories(inp)
    advance = ticker(start, len(stories))
    result = SummaryScore()
    for story in stories:
        if story.reference:
            tldr = " ".join(_row(story)["tldr"])
            label = subset_of(str(story.cluster_id)) if story.cluster_id else OTHER
            result.tallies.setdefault(label, Tally()).add(scorer, story.reference, tldr)
        else:
            result.skipped += 1
        advance()
    return result
