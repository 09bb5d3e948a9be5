"""Reading the evaluation JSONL formats (see `newsdigest eval --help`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import IO, Any

from bot.models import Article


class EvalInputError(ValueError):
    """A line of evaluation input is not valid JSON or lacks a required key."""


def parse_timestamp(value: str | None) -> datetime | None:
    """ISO 8601 to an aware UTC datetime; naive times are taken as UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def article_from_json(obj: dict[str, Any], line_no: int) -> Article:
    try:
        article_id = str(obj["id"])
    except KeyError:
        raise EvalInputError(f"line {line_no}: article has no 'id'") from None
    return Article(
        id=article_id,
        source=str(obj.get("source") or "unknown"),
        title=str(obj.get("title") or ""),
        text=str(obj.get("text") or ""),
        url=obj.get("url") or None,
        published=parse_timestamp(obj.get("published")),
    )


def read_objects(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for line_no, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalInputError(f"line {line_no}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise EvalInputError(f"line {line_no}: expected a JSON object")
        yield line_no, obj


def read_articles(stream: IO[str]) -> list[Article]:
    """Articles, one per line; an id used twice is an error (its assignments would merge)."""
    articles: list[Article] = []
    first_line: dict[str, int] = {}
    for n, obj in read_objects(stream):
        article = article_from_json(obj, n)
        if article.id in first_line:
            raise EvalInputError(
                f"line {n}: duplicate article id {article.id!r} (first on line {first_line[article.id]})"
            )
        first_line[article.id] = n
        articles.append(article)
    return articles


def in_arrival_order(articles: Iterable[Article]) -> list[Article]:
    """`published` order, undated articles last in their original order (the eval contract)."""
    indexed = list(enumerate(articles))
    dated = sorted((a.published, i, a) for i, a in indexed if a.published is not None)
    undated = [a for _, a in indexed if a.published is None]
    return [a for _, _, a in dated] + undated


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> None:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
