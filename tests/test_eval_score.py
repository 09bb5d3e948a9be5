"""`newsdigest eval cluster|summarize --score`, the input checks behind them, and the summary
bench's argument handling. All inputs are tiny JSONL files written here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli
from bot.eval.rouge import Tally, rouge_scorer, subset_of

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _write(tmp_path: Path, rows: list[dict] | str) -> Path:
    path = tmp_path / "input.jsonl"
    text = rows if isinstance(rows, str) else "".join(json.dumps(r) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")
    return path


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["eval", *args])


# Two unrelated events, each told by two outlets, plus one article labelled with the first story
# whose text shares nothing with it: the clusterer cannot join it, so it stays a singleton.
_DAM = "The Hoover dam spillway opened after record rainfall flooded the Colorado river basin."
_FIRE = "A wildfire near Canberra forced thousands of residents to evacuate their suburban homes."
_ARTICLES = [
    {"id": "a1", "source": "x", "title": "Hoover dam spillway opens", "text": _DAM, "story": "D"},
    {"id": "a2", "source": "y", "title": "Hoover dam spillway opened", "text": _DAM, "story": "D"},
    {
        "id": "b1",
        "source": "x",
        "title": "Canberra wildfire evacuation",
        "text": _FIRE,
        "story": "F",
    },
    {"id": "b2", "source": "y", "title": "Wildfire near Canberra", "text": _FIRE, "story": "F"},
    {
        "id": "c1",
        "source": "z",
        "title": "Quarterly tea auction",
        "text": "Tea prices.",
        "story": "D",
    },
]


def test_eval_cluster_without_score_prints_assignments_only(tmp_path: Path) -> None:
    result = _invoke("cluster", str(_write(tmp_path, _ARTICLES)))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [set(r) for r in rows] == [{"id", "story"}] * 5
    assert result.stderr == ""  # no bar when stderr is not a terminal


def test_eval_cluster_score_matches_hand_computed_metrics(tmp_path: Path) -> None:
    path = _write(tmp_path, _ARTICLES)
    pred = {
        r["id"]: r["story"]
        for r in map(json.loads, _invoke("cluster", str(path)).stdout.splitlines())
    }
    # The precondition of the hand computation: predicted {a1,a2}, {b1,b2}, {c1}.
    assert pred["a1"] == pred["a2"] != pred["b1"] == pred["b2"] != pred["c1"] != pred["a1"]
    result = _invoke("cluster", str(path), "--score", "--json")
    assert result.exit_code == 0, result.output
    score = json.loads(result.stdout)
    # Gold D = {a1,a2,c1}, F = {b1,b2}. B-cubed precision: every predicted cluster is pure -> 1.
    # Recall: a1,a2 -> 2/3 each, c1 -> 1/3, b1,b2 -> 1 each; mean (2/3+2/3+1/3+1+1)/5 = 11/15.
    b3 = score["bcubed"]
    assert b3["precision"] == pytest.approx(1.0)
    assert b3["recall"] == pytest.approx(11 / 15)
    assert b3["f1"] == pytest.approx(2 * (11 / 15) / (1 + 11 / 15))
    # Pairs: predicted {a1a2, b1b2}, gold {a1a2, a1c1, a2c1, b1b2}: P = 2/2, R = 2/4.
    pw = score["pairwise"]
    assert (pw["precision"], pw["recall"], pw["f1"]) == pytest.approx((1.0, 0.5, 2 / 3))
    assert (score["articles"], score["predicted_stories"], score["gold_stories"]) == (5, 3, 2)

    text = _invoke("cluster", str(path), "--score").stdout.splitlines()
    assert text == [
        "articles: 5",
        "stories: 3 predicted, 2 gold",
        f"B-cubed   P 1.0000  R 0.7333  F1 {2 * (11 / 15) / (1 + 11 / 15):.4f}",
        "pairwise  P 1.0000  R 0.5000  F1 0.6667",
    ]


def test_eval_cluster_score_needs_gold_on_every_line(tmp_path: Path) -> None:
    rows = [dict(_ARTICLES[0]), {k: v for k, v in _ARTICLES[1].items() if k != "story"}]
    result = _invoke("cluster", str(_write(tmp_path, rows)), "--score")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: line 2: no gold 'story' label (needed for --score)"
    ]
    # Without --score the label is not needed.
    assert _invoke("cluster", str(_write(tmp_path, rows))).exit_code == 0


def test_eval_json_needs_score(tmp_path: Path) -> None:
    result = _invoke("cluster", str(_write(tmp_path, _ARTICLES)), "--json")
    assert result.exit_code == 2
    assert "--json only applies with --score" in result.stderr


def test_unparseable_published_is_an_error_naming_the_line(tmp_path: Path) -> None:
    rows = [_ARTICLES[0], {**_ARTICLES[1], "published": "yesterday"}]
    result = _invoke("cluster", str(_write(tmp_path, rows)))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: line 2: 'published' is not an ISO 8601 date-time: 'yesterday'"
    ]
    ok = [{**_ARTICLES[0], "published": "2024-05-01T10:00:00Z"}, {**_ARTICLES[1], "published": ""}]
    assert _invoke("cluster", str(_write(tmp_path, ok))).exit_code == 0


def _story(cluster_id: str | None, reference: str | None = None, **extra: object) -> dict:
    story: dict = {
        "articles": [
            {"id": f"{cluster_id}-1", "source": "x", "title": "Hoover dam opens", "text": _DAM},
            {"id": f"{cluster_id}-2", "source": "y", "title": "Dam spillway", "text": _DAM},
        ],
        **extra,
    }
    if cluster_id is not None:
        story["cluster_id"] = cluster_id
    if reference is not None:
        story["reference"] = {"summary": reference}
    return story


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (_story("as-2", articles=[]), "Error: line 2: story 'as-2' has no articles"),
        (_story(None), "Error: line 2: story has no 'cluster_id'"),
        (_story(""), "Error: line 2: story has no 'cluster_id'"),
    ],
    ids=["zero-articles", "missing-cluster-id", "empty-cluster-id"],
)
def test_eval_summarize_refuses_incomplete_stories(tmp_path: Path, bad: dict, error: str) -> None:
    for extra in ([], ["--score"]):
        result = _invoke("summarize", str(_write(tmp_path, [_story("as-1"), bad])), *extra)
        assert result.exit_code == 1, result.output
        assert result.stdout == ""  # the file is checked before any story is summarised
        assert result.stderr.splitlines() == [error]


def test_rouge_on_a_tiny_example_is_stemmed() -> None:
    pytest.importorskip("rouge_score")
    tally = Tally()
    # Stemmed tokens: ref {the, dam, open, today}, hyp {dam, open, late}: 2 shared unigrams,
    # P = 2/3, R = 2/4, F1 = 4/7; bigram "dam open" shared: P = 1/2, R = 1/3, F1 = 2/5;
    # LCS "dam open" = 2, as ROUGE-1.
    tally.add(rouge_scorer(), "The dam opened today", "dams opening late")
    r1, r2, rl, words, n = tally.row()
    assert (r1, r2, rl) == pytest.approx((100 * 4 / 7, 100 * 2 / 5, 100 * 4 / 7))
    assert (words, n) == (3, 1)
    assert [subset_of(c) for c in ("neus-val-1", "as-9", "mn-3", "xx")] == [
        "NeuS",
        "AllSides",
        "Multi-News",
        "other",
    ]


def test_eval_summarize_score_reports_subsets_other_and_skipped(tmp_path: Path) -> None:
    pytest.importorskip("rouge_score")
    stories = [
        _story("neus-val-1", _DAM),
        _story("as-1", "Wildfire evacuations in Canberra."),
        _story("zz-1", _DAM),
        _story("mn-1"),  # no reference: skipped, counted
    ]
    path = _write(tmp_path, stories)
    result = _invoke("summarize", str(path), "--score", "--json")
    assert result.exit_code == 0, result.output
    score = json.loads(result.stdout)
    assert list(score["subsets"]) == ["NeuS", "AllSides", "other"]
    assert score["skipped_no_reference"] == 1
    # The TL;DR is built from the dam text, so it scores against its own words far above the
    # unrelated AllSides reference, and identically in NeuS and "other".
    neus, allsides, other = (score["subsets"][k] for k in ("NeuS", "AllSides", "other"))
    assert neus == other and neus["stories"] == 1
    assert neus["rouge1"] > 50 > allsides["rouge1"]
    assert neus["words"] > 0
    text = _invoke("summarize", str(path), "--score").stdout.splitlines()
    assert text[0].split() == ["subset", "R-1", "R-2", "R-L", "words", "n"]
    assert [line.split()[0] for line in text[1:4]] == ["NeuS", "AllSides", "other"]
    assert text[-1] == "skipped, no reference summary: 1"


def test_eval_summarize_score_without_rouge_score_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "rouge_score", None)  # import now raises ImportError
    result = _invoke("summarize", str(_write(tmp_path, [_story("as-1", "x")])), "--score")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: scoring needs the rouge-score package: pip install rouge-score")


def _bench(*args: str, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BENCH / "summary_quality.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"NEWSDIGEST_DATA": str(data), "PATH": ""},
    )


def test_summary_bench_explicit_missing_file_and_negative_limit_fail(tmp_path: Path) -> None:
    missing = _bench(str(tmp_path / "nope.jsonl"), data=tmp_path)
    assert missing.returncode == 1 and "not found" in missing.stderr
    assert _bench("--limit", "-1", data=tmp_path).returncode == 2
    # Only the default file being absent is a skip.
    default = _bench(data=tmp_path)
    assert default.returncode == 0 and "skipped" in default.stdout


def test_summary_bench_reports_other_skipped_and_bad_lines(tmp_path: Path) -> None:
    pytest.importorskip("rouge_score")
    path = _write(tmp_path, [_story("zz-1", _DAM), _story("as-1")])
    proc = _bench(str(path), data=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert any(line.split()[:2] == ["other", "newsdigest"] for line in proc.stdout.splitlines())
    assert "no reference summary: 1" in proc.stdout
    bad = _write(tmp_path, json.dumps(_story("as-1")) + "\n{not json\n")
    proc = _bench(str(bad), data=tmp_path)
    assert proc.returncode == 1
    assert "line 2: not valid JSON" in proc.stderr and "Traceback" not in proc.stderr


# --sample: the undated benchmark through the command. Six stories of two articles each, dated and
# listed story by story, as a pooled file is.
_POOLED = [
    {
        "id": f"{story}{n}",
        "source": f"outlet{n}",
        "title": f"Story {story} report {n}",
        "text": f"Events of story {story}.",
        "published": f"2026-03-0{k + 1}T0{n}:00:00Z",
        "story": story,
    }
    for k, story in enumerate("ABCDEF")
    for n in (1, 2)
]


def _sampled(tmp_path: Path, *args: str) -> list[str]:
    result = _invoke("cluster", str(_write(tmp_path, _POOLED)), *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


def test_eval_cluster_sample_takes_whole_stories_shuffled_and_repeatably(tmp_path: Path) -> None:
    ids = _sampled(tmp_path, "--sample", "5")
    stories = {i[0] for i in ids}
    # Whole stories until at least 5 articles are in: three stories, both articles of each.
    assert len(stories) == 3
    assert sorted(ids) == sorted(f"{s}{n}" for s in stories for n in (1, 2))
    # Shuffled: not the file's story-by-story order (a clusterer would be handed the answer) ...
    assert any(ids[i][0] != ids[i + 1][0] for i in range(0, len(ids), 2))
    # ... and the same draw for the same seed, another for another seed.
    assert _sampled(tmp_path, "--sample", "5") == ids
    assert _sampled(tmp_path, "--sample", "5", "--seed", "1") != ids


def test_eval_cluster_sample_strips_dates_and_scores_only_the_sample(tmp_path: Path) -> None:
    from bot.eval.cluster_eval import Sampling, _read

    with _write(tmp_path, _POOLED).open(encoding="utf-8") as fh:
        sample = _read(fh, {}, Sampling(4))
    assert {a.published for a in sample} == {None}
    result = _invoke(
        "cluster", str(_write(tmp_path, _POOLED)), "--sample", "4", "--score", "--json"
    )
    assert result.exit_code == 0, result.output
    score = json.loads(result.stdout)
    assert (score["articles"], score["gold_stories"]) == (4, 2)


def test_eval_cluster_sample_needs_gold_labels_and_seed_needs_sample(tmp_path: Path) -> None:
    unlabelled = [{k: v for k, v in row.items() if k != "story"} for row in _POOLED]
    result = _invoke("cluster", str(_write(tmp_path, unlabelled)), "--sample", "4")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: line 1: no gold 'story' label (needed for --sample)"
    ]
    result = _invoke("cluster", str(_write(tmp_path, _POOLED)), "--seed", "3")
    assert result.exit_code == 2
    assert "--seed only applies with --sample" in result.stderr
