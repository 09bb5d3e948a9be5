"""Reading the evaluation JSONL formats (see `newsdigest eval --help`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import IO, Any

from bot.models import Article

# Progress for the eval commands: `start(total)` returns the tick to call once per item.
Advance = Callable[[], None]
Start = Callable[[int], Advance]


def _no_progress() -> None:
    return None


def ticker(start: Start | None, total: int) -> Advance:
    """The per-item tick `start` gives for `total` items, or one that does nothing."""
    return start(total) if start else _no_progress


class EvalInputError(ValueError):
    """A line of evaluation input is not valid JSON or lacks a required key."""


def parse_timestamp(value: object, line_no: int, field: str = "published") -> datetime | None:
    """ISO 8601 to an aware UTC datetime; naive times are taken as UTC.

    Missing or empty gives None (undated). A string that is not ISO 8601, or any other JSON type,
    is an input error: a typo or a Unix number would otherwise silently reorder arrivals.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise EvalInputError(
            f"line {line_no}: {field!r} must be an ISO 8601 string, not {type(value).__name__}"
        )
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise EvalInputError(
            f"line {line_no}: {field!r} is not an ISO 8601 date-time: {value[:40]!r}"
        ) from None
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
        published=parse_timestamp(obj.get("published"), line_no),
    )


# What undecodable bytes become under errors="surrogateescape" (0x80-0xFF -> U+DC80-U+DCFF).
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _check_decoded(line: str, line_no: int) -> None:
    """Refuse a line holding bytes that were not UTF-8, naming the line, column and byte."""
    bad = _ESCAPED_BYTE.search(line)
    if bad:
        byte = ord(bad.group()) - 0xDC00
        raise EvalInputError(
            f"line {line_no}: not valid UTF-8 (byte 0x{byte:02x} at column {bad.start() + 1})"
        )


def read_objects(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """JSON objects, one a line, with their line numbers; blank lines skipped.

    Open files with errors="surrogateescape" (as the CLI does) so a non-UTF-8 line is reported
    by its number; a strict stream fails while decoding a whole chunk, where only the last good
    line is known.
    """
    line_no = 0
    lines = iter(stream)
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise EvalInputError(
                f"line {line_no + 1}: not valid UTF-8 (at or after this line: {exc.reason})"
            ) from None
        line_no += 1
        if not line.strip():
            continue
        _check_decoded(line, line_no)
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalInputError(f"line {line_no}: not valid JSON ({exc.msg})") from None
        except RecursionError:
            # Python's json parser recurses once per nesting level, so depth past the stack
            # limit raises RecursionError rather than JSONDecodeError.
            raise EvalInputError(f"line {line_no}: JSON nested too deeply") from None
        if not isinstance(obj, dict):
            raise EvalInputError(f"line {line_no}: expected a JSON object")
        yield line_no, obj


def read_articles(
    stream: IO[str], gold: dict[str, str] | None = None, need: str = "--score"
) -> list[Article]:
    """Articles, one per line; an id used twice is an error (its assignments would merge).

    With `gold`, each line's gold "story" label is required and stored there by article id;
    `need` names the option that requires it, for the error.
    """
    articles: list[Article] = []
    first_line: dict[str, int] = {}
    for n, obj in read_objects(stream):
        article = article_from_json(obj, n)
        if gold is not None:
            story = obj.get("story")
            if story is None or story == "" or isinstance(story, (dict, list)):
                raise EvalInputError(f"line {n}: no gold 'story' label (needed for {need})")
            gold[article.id] = str(story)
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
