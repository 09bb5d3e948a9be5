"""A story's cached summary: the card's words, stored with the member count they were written
for, so a card is summarised once per story size (and again when an article is corrected in
place, which `invalidate_summary` marks)."""

from __future__ import annotations

import json

import sqlite_utils

from bot.models import Angle, Bullet, Summary


def cached_summary(db: sqlite_utils.Database, story_id: str, article_count: int) -> Summary | None:
    row = db.execute(
        "SELECT summary_json, summary_article_count FROM stories WHERE id = ?", [story_id]
    ).fetchone()
    if not row or not row[0] or row[1] != article_count:
        return None
    return summary_from_json(row[0])


def store_summary(
    db: sqlite_utils.Database, story_id: str, summary: Summary, article_count: int
) -> None:
    db.table("stories").update(
        story_id,
        {"summary_json": summary_to_json(summary), "summary_article_count": article_count},
    )


def invalidate_summary(db: sqlite_utils.Database, story_id: str) -> None:
    """Drop a story's cached summary, so its card is rebuilt on next use: the cache is keyed by
    member count, which an article corrected in place does not change."""
    db.execute(
        "UPDATE stories SET summary_json = NULL, summary_article_count = NULL WHERE id = ?",
        [story_id],
    )


def summary_to_json(summary: Summary) -> str:
    return json.dumps(
        {
            "headline": summary.headline,
            "tldr": [{"text": b.text, "sources": b.sources} for b in summary.tldr],
            "angles": [
                {"source": a.source, "line": a.line, "quote": a.quote, "url": a.url}
                for a in summary.angles
            ],
            "also_reporting": summary.also_reporting,
            "writer": summary.writer,
            "llm_fallback": summary.llm_fallback,
            "headline_url": summary.headline_url,
        }
    )


def summary_from_json(raw: str) -> Summary:
    data = json.loads(raw)
    return Summary(
        headline=data["headline"],
        tldr=[Bullet(text=b["text"], sources=b["sources"]) for b in data["tldr"]],
        angles=[Angle(**a) for a in data["angles"]],
        also_reporting=data.get("also_reporting", []),
        writer=data.get("writer", "extractive"),
        llm_fallback=bool(data.get("llm_fallback", False)),
        # Cached before cards knew it: their title opens the first source's article, as then.
        headline_url=data.get("headline_url"),
    )
