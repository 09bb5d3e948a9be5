from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from _cluster_fixtures import event_articles
from click.testing import CliRunner, Result

from bot.cli import cli
from bot.eval.cluster_eval import cluster_jsonl
from bot.eval.jsonl import EvalInputError
from bot.eval.metrics import bcubed, pairwise
from bot.eval.summarize_eval import summarize_jsonl
from tests.test_summarize_fixtures import harbor_bridge_story


def test_cluster_jsonl_writes_one_story_per_article_in_input_order():
    items = event_articles()
    lines = [
        json.dumps(
            {
                "id": a.id,
                "source": a.source,
                "title": a.title,
                "text": a.text,
                "published": a.published.isoformat() if a.published else None,
            }
        )
        for _, a in reversed(items)
    ]
    out = io.StringIO()
    cluster_jsonl(io.StringIO("\n".join(lines) + "\n"), out)
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == [a.id for _, a in reversed(items)]
    assert all(set(r) == {"id", "story"} and isinstance(r["story"], str) for r in rows)
    gold = {a.id: name for name, a in items}
    pred = {r["id"]: r["story"] for r in rows}
    assert bcubed(pred, gold).f1 == pytest.approx(1.0)


def test_bcubed_hand_computed():
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y"}
    m = bcubed(pred, gold)
    # precision: a,b -> 2/2; c,d -> 1/2 each => 3/4. recall: a,b -> 2/3; c -> 1/3; d -> 1 => 2/3.
    assert m.precision == pytest.approx(0.75)
    assert m.recall == pytest.approx(2 / 3)
    assert m.f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))


def test_perfect_and_singleton_clusterings():
    gold = {"a": 1, "b": 1, "c": 2}
    assert bcubed(gold, gold).f1 == 1.0
    assert pairwise(gold, gold).f1 == 1.0
    single = {"a": "1", "b": "2", "c": "3"}
    assert bcubed(single, gold).precision == 1.0
    assert bcubed(single, gold).recall == pytest.approx((0.5 + 0.5 + 1) / 3)
    assert pairwise(single, gold).recall == 0.0


def test_pairwise_hand_computed():
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y"}
    m = pairwise(pred, gold)  # predicted pairs ab, cd; gold pairs ab, ac, bc
    assert (m.precision, m.recall) == (pytest.approx(0.5), pytest.approx(1 / 3))


def test_metrics_reject_mismatched_ids():
    with pytest.raises(ValueError):
        bcubed({"a": 1}, {"b": 1})


def test_eval_input_errors_name_the_line():
    # An id used twice would silently merge two articles' assignments; a story whose "articles"
    # is not a list of objects would silently summarise nothing.
    line = json.dumps({"id": "a1", "title": "Dam opens", "text": "The dam opened today."})
    with pytest.raises(EvalInputError, match=r"line 3: duplicate article id 'a1'.*line 1"):
        cluster_jsonl(io.StringIO(f"{line}\n\n{line}\n"), io.StringIO())
    for articles in ("oops", [{"id": "a1"}, "oops"], None):
        story = json.dumps({"cluster_id": "c1", "articles": articles})
        with pytest.raises(EvalInputError, match="line 1: 'articles' must be a list"):
            summarize_jsonl(io.StringIO(story + "\n"), io.StringIO())


def test_eval_summarize_gives_back_a_placeholder_source_as_given():
    # "unknown" names no outlet, so the summariser tells those articles apart by id; the output
    # still reports the source exactly as the input gave it.
    story = {
        "cluster_id": "c1",
        "articles": [
            {"id": a.id, "source": "unknown", "title": a.title, "text": a.text}
            for a in harbor_bridge_story()
        ],
    }
    out = io.StringIO()
    summarize_jsonl(io.StringIO(json.dumps(story) + "\n"), out)
    row = json.loads(out.getvalue())
    assert row["angles"] and all(a["source"] == "unknown" for a in row["angles"])


def _eval_cli(tmp_path: Path, command: str, data: bytes) -> Result:
    path = tmp_path / "input.jsonl"
    path.write_bytes(data)
    return CliRunner().invoke(cli, ["eval", command, str(path)])


_GOOD_ARTICLE = b'{"id": "a1", "title": "Dam opens", "text": "The dam opened today."}\n'


@pytest.mark.parametrize(
    ("article_line", "error"),
    [
        # A Unix timestamp used to reach str.replace and end in an AttributeError traceback.
        (
            b'{"id": "a2", "published": 1700000000}',
            "Error: line 2: 'published' must be an ISO 8601 string, not int",
        ),
        (
            b'{"id": "a2", "published": ["2024-01-01"]}',
            "Error: line 2: 'published' must be an ISO 8601 string, not list",
        ),
        # Latin-1 "caf\xe9": a UnicodeDecodeError traceback before.
        (
            b'{"id": "a2", "title": "caf\xe9"}',
            "Error: line 2: not valid UTF-8 (byte 0xe9 at column 27)",
        ),
        # json recurses per nesting level: a RecursionError traceback before.
        (b"[" * 100_000 + b"]" * 100_000, "Error: line 2: JSON nested too deeply"),
    ],
    ids=["numeric-published", "list-published", "latin-1", "deeply-nested"],
)
def test_eval_cluster_reports_bad_input_by_line(
    tmp_path: Path, article_line: bytes, error: str
) -> None:
    result = _eval_cli(tmp_path, "cluster", _GOOD_ARTICLE + article_line + b"\n")
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines() == [error]


@pytest.mark.parametrize(
    ("story_line", "error"),
    [
        (
            b'{"cluster_id": "c2", "articles": [{"id": "a2", "published": 5}]}',
            "Error: line 3: 'published' must be an ISO 8601 string, not int",
        ),
        (
            b'{"cluster_id": "c2", "articles": [{"id": "a2", "text": "\xff"}]}',
            "Error: line 3: not valid UTF-8 (byte 0xff at column 57)",
        ),
        (
            b'{"cluster_id": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
            "Error: line 3: JSON nested too deeply",
        ),
    ],
    ids=["numeric-published", "invalid-utf8", "deeply-nested"],
)
def test_eval_summarize_reports_bad_input_by_line(
    tmp_path: Path, story_line: bytes, error: str
) -> None:
    good = json.dumps({"cluster_id": "c1", "articles": [json.loads(_GOOD_ARTICLE)]}).encode()
    result = _eval_cli(tmp_path, "summarize", good + b"\n\n" + story_line + b"\n")
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    # The first story's row is already out; the error names the line that stopped the run.
    assert result.stderr.splitlines() == [error]


def test_eval_cluster_reports_undecodable_text_stream_by_line() -> None:
    # A strict text stream (not opened by the CLI) fails decoding a whole chunk: the error names
    # where the trouble starts instead of escaping as a UnicodeDecodeError.
    stream = io.TextIOWrapper(io.BytesIO(_GOOD_ARTICLE + b'{"id": "caf\xe9"}\n'), encoding="utf-8")
    with pytest.raises(EvalInputError, match=r"^line 1: not valid UTF-8"):
        cluster_jsonl(stream, io.StringIO())
