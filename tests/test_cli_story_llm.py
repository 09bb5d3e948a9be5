"""`newsdigest story` at a terminal does not wait on the LLM endpoint: it shows the summary the
writer stored for the story at its size, else the extractive one with a note on stderr, and
spends nothing. Every run called the endpoint for a story without one (a fresh process has no
breaker to remember it failing), waiting up to `llm.timeout` each time it was down. `--llm`
asks the writer on purpose. The endpoint is the fake on 127.0.0.1 (`fakes.llm_api`)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fakes.llm_api import FakeCompletions, chat_body, serve_completions
from fakes.stories import add_story, grow_story

from bot.cli import cli
from bot.models import Bullet
from bot.pipeline.cards import save_summary
from bot.store import articles as article_store
from bot.store import stories as story_store
from bot.store import summaries as summary_store
from bot.store.database import open_database, utcnow
from bot.summarize import summarize

UNUSABLE = chat_body(json.dumps({"tldr": ["Nothing the sources say."], "angles": []}))
MODEL_BULLET = "Bullet the model wrote for the pier story."


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(UNUSABLE) as url:
        yield url


@pytest.fixture()
def database(endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "nd.toml"
    config.write_text(
        f'[llm]\nbase_url = "{endpoint}"\nmodel = "m"\ntimeout = 3\n', encoding="utf-8"
    )
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    path = tmp_path / "nd.db"
    monkeypatch.setenv("NEWSDIGEST_DB", str(path))
    db = open_database(path)
    add_story(db, "s1", ["Pier Times", "Quay Post"], now=utcnow())
    db.close()
    return path


def _story(*args: str) -> Result:
    return CliRunner().invoke(cli, ["story", "story-s1", *args])


def test_a_story_without_a_stored_model_summary_makes_no_call(database: Path) -> None:
    FakeCompletions.delay = 2.0  # an endpoint this slow held every run for its answer
    started = time.monotonic()
    result = _story()
    assert result.exit_code == 0, result.output
    assert FakeCompletions.requests == []
    assert time.monotonic() - started < 2.0
    assert "/story story-s1" in result.stdout
    assert "`--llm` asks the writer now" in result.stderr
    # Run again: still no call, however often it is run.
    assert _story().exit_code == 0 and FakeCompletions.requests == []


def test_the_model_summary_stored_by_the_bot_is_shown_without_a_note(database: Path) -> None:
    db = open_database(database)
    members = article_store.story_articles(db, "s1")
    written = replace(
        summarize(members), tldr=[Bullet(text=MODEL_BULLET, sources=["Pier Times"])], writer="llm"
    )
    summary_store.store_summary(db, "s1", written, len(members))
    db.close()
    result = _story()
    assert result.exit_code == 0, result.output
    assert MODEL_BULLET in result.stdout and result.stderr == ""
    assert FakeCompletions.requests == []


def test_llm_asks_the_writer_and_says_when_its_answer_was_refused(database: Path) -> None:
    result = _story("--llm")
    assert result.exit_code == 0, result.output
    assert len(FakeCompletions.requests) == 1
    # The answer was refused by the checks: kept, so asking again pays for nothing.
    assert "refused by the checks" in result.stderr
    assert _story("--llm").exit_code == 0 and len(FakeCompletions.requests) == 1


def test_llm_with_the_endpoint_down_says_it_gave_no_answer(database: Path) -> None:
    FakeCompletions.status, FakeCompletions.body = 503, b'{"error": "down"}'
    result = _story("--llm")
    assert result.exit_code == 0, result.output
    assert len(FakeCompletions.requests) == 1
    assert "gave no answer" in result.stderr


def test_help_says_when_the_writer_is_called() -> None:
    result = CliRunner().invoke(cli, ["story", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "no call is made" in text and "--llm asks the writer" in text


def _row(database: Path) -> tuple[object, ...]:
    db = open_database(database)
    try:
        return tuple(
            db.execute(
                "select summary_json, summary_article_count, headline from stories where id='s1'"
            ).fetchone()
        )
    finally:
        db.close()


def test_a_look_at_a_story_that_grew_past_its_model_summary_writes_nothing(
    database: Path,
) -> None:
    # The extractive card shown for the new size was saved over the model's summary, and its
    # headline over the story's, by a command that only shows a story.
    db = open_database(database)
    members = article_store.story_articles(db, "s1")
    written = replace(
        summarize(members),
        tldr=[Bullet(text=MODEL_BULLET, sources=["Pier Times"])],
        writer="llm",
        headline="Headline the model wrote for the pier story",
    )
    story = story_store.get_story(db, "s1")
    assert story is not None
    save_summary(db, story, written, len(members))
    grow_story(db, "s1", ["Harbour Herald"], now=utcnow())
    db.close()
    before = _row(database)
    result = _story()
    assert result.exit_code == 0, result.output
    assert MODEL_BULLET not in result.stdout  # written for the story's smaller size
    assert "asks for one only when it builds the story's card for a channel" in result.stderr
    assert _row(database) == before
    assert FakeCompletions.requests == []


def test_a_look_at_a_story_with_no_summary_writes_nothing(database: Path) -> None:
    before = _row(database)
    assert _story().exit_code == 0
    assert _row(database) == before
