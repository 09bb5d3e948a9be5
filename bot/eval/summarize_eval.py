"""`newsdigest eval summarize`: stories in, card words out, one JSON object per line.

Input lines: {"cluster_id", "articles": [{"id", "source", "title", "text", "url", "published"}]};
other keys (such as a gold "reference") are ignored. Output lines:
{"cluster_id", "headline", "tldr": [str], "angles": [{"source", "line", "quote"}]}, where
"source" is the article's "source" value exactly as given (null included).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from bot.eval.jsonl import EvalInputError, article_from_json, read_objects, write_jsonl
from bot.models import Article
from bot.summarize import summarize


def _rows(inp: IO[str]) -> Iterator[dict[str, Any]]:
    for line_no, obj in read_objects(inp):
        raw = obj.get("articles")
        if not isinstance(raw, list) or not all(isinstance(a, dict) for a in raw):
            raise EvalInputError(f"line {line_no}: 'articles' must be a list of article objects")
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
        summary = summarize(articles)
        yield {
            "cluster_id": obj.get("cluster_id"),
            "headline": summary.headline,
            "tldr": [b.text for b in summary.tldr],
            "angles": [
                {"source": raw_source.get(a.source, a.source), "line": a.line, "quote": a.quote}
                for a in summary.angles
            ],
        }


def summarize_jsonl(inp: IO[str], out: IO[str]) -> None:
    write_jsonl(_rows(inp), out)
