from __future__ import annotations

import itertools
import random
import signal
import subprocess
import time
from dataclasses import replace
from types import ModuleType

import pytest
from _cluster_fixtures import EVENTS, article, event_articles

from bot.cluster.features import dot
from bot.cluster.online import OnlineClusterer
from bot.cluster.pair import PairModel, best_others, figure_features
from bot.cluster.scoring import Bound
from bot.cluster.settings import ClusterSettings
from bot.models import Article


def _ids() -> OnlineClusterer:
    counter = itertools.count(1)
    return OnlineClusterer(id_factory=lambda: f"s{next(counter)}")


def _run(clusterer: OnlineClusterer, items) -> dict[str, str]:
    story = {a.id: clusterer.add(a).story_id for _, a in items}
    return {i: clusterer.resolve(s) for i, s in story.items()}


def test_same_event_from_different_outlets_lands_together_and_events_stay_apart():
    for dated in (True, False):
        items = event_articles(dated=dated)
        story = _run(_ids(), items)
        by_event: dict[str, set[str]] = {}
        for name, a in items:
            by_event.setdefault(name, set()).add(story[a.id])
        assert all(len(s) == 1 for s in by_event.values()), by_event
        assert len(set.union(*by_event.values())) == len(EVENTS)


def test_first_article_creates_story_and_later_ones_join():
    c = _ids()
    items = [a for name, a in event_articles() if name == "volcano"]
    first = c.add(items[0])
    assert first.created and first.merges == []
    second = c.add(items[1])
    assert not second.created and second.story_id == first.story_id


def test_merge_is_reported_and_old_id_resolves():
    # Two articles far apart in wording open two stories; a third that bridges them merges them.
    c = _ids()
    a = article(
        "a",
        "Harbor Daily",
        "Kelvar eruption grounds flights",
        "Airlines grounded flights as the Kelvar volcano erupted ash over Tessaly.",
    )
    b = article(
        "b",
        "Northern Post",
        "Tessaly villages evacuated",
        "Residents of Tessaly villages were evacuated by civil defence teams.",
        0.5,
    )
    bridge = article(
        "c",
        "Metro Wire",
        "Kelvar volcano erupts: Tessaly villages evacuated, flights grounded",
        "The Kelvar volcano erupted ash over Tessaly; airlines grounded flights and civil defence "
        "teams evacuated residents of Tessaly villages.",
        1.0,
    )
    sa = c.add(a).story_id
    sb = c.add(b).story_id
    assert sa != sb, "fixture: the two partial reports should start apart"
    result = c.add(bridge)
    assert result.merges, "a bridging article should merge the two stories"
    absorbed, survivor = result.merges[0]
    assert {absorbed, survivor} == {sa, sb}
    assert c.resolve(absorbed) == survivor == result.story_id
    assert c.resolve(sa) == c.resolve(sb)
    assert sorted(c.members(absorbed)) == ["a", "b", "c"]


def test_same_outlet_within_the_hour_is_evidence_against_joining():
    c = OnlineClusterer(ClusterSettings(join_logit=-8.0, merge_logit=8.0, same_source_logit=30.0))
    x = article("x", "Harbor Daily", "Kelvar volcano erupts", "The Kelvar volcano erupted.")
    y = replace(x, id="y", title="Kelvar volcano erupts again")
    first = c.add(x)
    assert c.add(y).story_id != first.story_id


def test_stories_leave_the_active_window_as_the_stream_moves_on():
    c = OnlineClusterer(ClusterSettings(window_hours=24.0))
    old = [a for name, a in event_articles() if name == "volcano"]
    sid = c.add(old[0]).story_id
    assert sid in c.active_story_ids()
    later = article("later", "Sports Today", "Osei wins marathon", "Amara Osei won.", 72.0)
    c.add(later)
    assert sid not in c.active_story_ids()
    # A report of the old event after expiry opens a new story rather than reviving it.
    again = replace(old[1], published=later.published)
    assert c.add(again).created


def test_undated_articles_and_max_active_cap():
    # Undated input has no clock to close stories by: past the cap, the story least recently
    # joined is closed, and a later report of its event opens a new one.
    counter = itertools.count(1)
    c = OnlineClusterer(ClusterSettings(max_active=2), id_factory=lambda: f"s{next(counter)}")
    items = {a.id: a for _, a in event_articles(dated=False)}
    added = {}
    for article_id in ("volcano-0", "volcano-1", "chipmaker-0", "volcano-2", "marathon-0"):
        added[article_id] = c.add(items[article_id])
    assert {added[i].story_id for i in ("volcano-0", "volcano-1", "volcano-2")} == {"s1"}
    # The chipmaker story was opened after the volcano one but joined less recently: it goes.
    assert c.active_story_ids() == ["s1", "s3"]
    again = c.add(items["chipmaker-1"])
    assert again.created and again.story_id == "s4"
    assert c.active_story_ids() == ["s3", "s4"]


def test_restore_reopens_a_story_under_its_stored_id():
    items = [a for name, a in event_articles() if name == "chipmaker"]
    c = _ids()
    c.restore("stored-7", items[:2])
    assert c.active_story_ids() == ["stored-7"]
    result = c.add(items[2])
    assert result.story_id == "stored-7" and not result.created


def test_resolve_unknown_id_is_itself():
    assert _ids().resolve("nope") == "nope"


def test_score_shortcuts_never_change_a_decision():
    # `join_score` skips full features when an upper bound on the log-odds is below every
    # decision threshold; with the shortcut disabled the assignments must be identical.
    for dated in (True, False):
        items = event_articles(dated=dated)
        fast = _run(_ids(), items)
        slow_clusterer = _ids()
        slow_clusterer._bound = replace(slow_clusterer._bound, floor=float("-inf"))
        assert _run(slow_clusterer, items) == fast


def test_score_bound_is_never_below_the_real_log_odds_whatever_the_weights():
    # The shortcut is only safe while the bound really is an upper bound. A retrain may flip the
    # sign of any weight, so check `join_score`'s bounds against models with random weights.
    rng = random.Random(5)
    items = [a for _, a in event_articles()]
    for trial in range(20):
        c = _ids()
        if trial:
            n = len(c.model.weights)
            weights = [rng.uniform(-8.0, 8.0) for _ in range(n)]
            c.model = PairModel(weights, rng.uniform(-6.0, 2.0))
        bound = Bound.of(c.model, c.settings)
        for a in items:
            doc = c._doc(a)
            cands = c._candidates(doc)
            sims = [dot(doc.vec, st.centroid) / st.norm for st in cands]
            for story, rival in zip(cands, best_others(sims), strict=True):
                members = story.members[-c.settings.max_members_compared :]
                exact = c.model.logit(c._features(doc, story, rival=rival))
                raw = dot(doc.vec, story.centroid)
                best = min(raw, 1.0)
                capped = bound.at(best, min(raw / len(members), best), raw / story.norm, rival)
                fulls = [dot(doc.vec, m.vec) for m in members]
                tight = bound.at(max(fulls), sum(fulls) / len(fulls), raw / story.norm, rival)
                assert capped >= tight - 1e-9 and tight >= exact - 1e-9
                gap = bound.figures_gap([figure_features(doc.p, m.p) for m in members])
                assert gap <= 0.0 and tight + gap >= exact - 1e-9
            c._decide(doc)


def _small_batches(monkeypatch: pytest.MonkeyPatch, analysis: ModuleType) -> list[Article]:
    """The events' articles twice over (fresh ids), with batches and chunks small enough that
    a dozen articles go through the worker in several messages."""
    monkeypatch.setattr(analysis, "MIN_BATCH", 3)
    monkeypatch.setattr(analysis, "CHUNK", 2)
    items = [a for _, a in event_articles()] * 2
    return [replace(a, id=f"{a.id}-{i}") for i, a in enumerate(items)]


def test_add_many_through_the_worker_decides_as_add_does(monkeypatch):
    # The worker analyses text ahead with its own replica of the IDF statistics: the profiles,
    # and so the decisions, must be those of one-by-one `add`, also across batches that mix
    # worker and inline analysis (restore and single adds in between).
    from bot.cluster import analysis

    items = _small_batches(monkeypatch, analysis)
    one = _ids()
    expected = [one.add(a) for a in items]
    many = _ids()
    got = list(many.add_many(items[:7]))
    got += list(many.add_many(items[7:9]))  # below MIN_BATCH: analysed inline
    got.append(many.add(items[9]))
    got += list(many.add_many(iter(items[10:])))  # a new worker starts from the inline keys
    many.close()
    assert got == expected
    assert many._stats._df == one._stats._df


def test_add_many_stopped_early_leaves_the_statistics_of_what_was_taken(monkeypatch):
    # The worker runs ahead of the consumer; stopping mid-batch must leave the IDF statistics as
    # if only the articles taken had been added, whether or not a checkpoint was passed.
    from bot.cluster import analysis

    items = _small_batches(monkeypatch, analysis)
    for checkpoint in (1, 100):
        monkeypatch.setattr(analysis, "CHECKPOINT", checkpoint)
        one = _ids()
        expected = [one.add(a) for a in items]
        many = _ids()
        got = []
        for decision in many.add_many(items[:13]):
            got.append(decision)
            if len(got) == 7:
                break
        got += [many.add(a) for a in items[7:]]
        many.close()
        assert got == expected
        assert many._stats._df == one._stats._df


def test_add_many_finishes_inline_when_the_worker_fails(monkeypatch):
    # A worker that can't start, or dies mid-batch, must cost speed only: the batch finishes
    # inline with the same decisions and statistics, and nothing is skipped or counted twice.
    from bot.cluster import analysis

    items = _small_batches(monkeypatch, analysis)
    one = _ids()
    expected = [one.add(a) for a in items]

    def no_process(self, settings, stats):
        raise OSError("fork: resource temporarily unavailable")

    from bot.cluster import analysis_worker

    real_recv = analysis_worker.Worker.recv
    for breakage in ("start", "checkpointed", "no checkpoint"):
        calls = {"n": 0}

        def dies_on_third_reply(self, calls=calls):
            calls["n"] += 1
            if calls["n"] == 3:
                raise EOFError("worker exited")
            return real_recv(self)

        with monkeypatch.context() as m:
            if breakage == "start":
                m.setattr(analysis_worker.Worker, "__init__", no_process)
            else:
                m.setattr(analysis_worker.Worker, "recv", dies_on_third_reply)
                m.setattr(analysis, "CHECKPOINT", 1 if breakage == "checkpointed" else 100)
            many = _ids()
            got = list(many.add_many(items))
        assert got == expected, breakage
        assert many._stats._df == one._stats._df, breakage


def test_a_batch_stopped_early_stops_its_worker_at_once(monkeypatch):
    # The worker runs chunks ahead; stopped early, its unread replies can fill the pipe, and a
    # polite wait for it to exit would stall the poll (by seconds, until a kill). So it is
    # killed outright: asked to be, and ended by the signal rather than by its own exit.
    from bot.cluster import analysis, analysis_worker

    monkeypatch.setattr(analysis, "MIN_BATCH", 3)
    items = [a for _, a in event_articles()] * 40
    items = [replace(a, id=f"{a.id}-{i}") for i, a in enumerate(items)]
    closed: list[tuple[bool, subprocess.Popen[bytes]]] = []
    real_close = analysis_worker.Worker.close

    def recorded_close(self, *, kill=False):
        closed.append((kill, self._proc))
        real_close(self, kill=kill)

    monkeypatch.setattr(analysis_worker.Worker, "close", recorded_close)
    many = _ids()
    batch = many.add_many(items)
    next(batch)
    batch.close()
    assert [kill for kill, _ in closed] == [True]
    assert closed[0][1].returncode == -signal.SIGKILL
    with pytest.raises(RuntimeError):  # one open batch at a time
        open_batch = many.add_many(items)
        next(open_batch)
        next(many.add_many(items))
    open_batch.close()


def test_a_hung_worker_is_stopped_and_the_batch_finishes_inline(monkeypatch, caplog):
    # A worker that stops answering (rather than dying) would hang the poll pass for good: past
    # its deadline it is killed, and the batch finishes inline with the same decisions.
    from bot.cluster import analysis, analysis_worker

    items = _small_batches(monkeypatch, analysis)
    monkeypatch.setattr(analysis_worker, "PIPE_TIMEOUT", 0.5)
    # Takes the first byte of its input, then never reads or answers again.
    monkeypatch.setattr(
        analysis_worker,
        "_WORKER_MAIN",
        "import sys, time; sys.stdin.buffer.read(1); time.sleep(60)",
    )
    one = _ids()
    expected = [one.add(a) for a in items]
    many = _ids()
    started = time.monotonic()
    got = list(many.add_many(items))
    # A hang guard, not a speed test: the watchdog kills the worker after 0.5 s (the whole
    # batch takes about as long); missed, the batch would wait out the worker's 60 s sleep.
    assert time.monotonic() - started < 30.0
    assert "worker hung" in caplog.text and "analysing the rest inline" in caplog.text
    assert got == expected
    assert many._stats._df == one._stats._df


def test_a_batch_collects_garbage_rarely_and_gives_the_thresholds_back(monkeypatch):
    # While a worker batch streams in, the collector's first threshold is raised (collections
    # walked the open stories' heap every ~700 new objects); after the batch, whether it ran to
    # the end or was stopped early, the host's thresholds are back.
    import gc

    from bot.cluster import analysis

    items = _small_batches(monkeypatch, analysis)
    before = gc.get_threshold()
    assert before[0] < analysis.BATCH_GC_THRESHOLD
    many = _ids()
    during = [gc.get_threshold()[0] for _ in many.add_many(items)]
    assert set(during) == {analysis.BATCH_GC_THRESHOLD}
    assert gc.get_threshold() == before
    for _ in many.add_many([replace(a, id=f"{a.id}-again") for a in items]):
        break
    many.close()
    assert gc.get_threshold() == before
    # A host that set its own thresholds during the batch keeps them.
    batch = many.add_many([replace(a, id=f"{a.id}-third") for a in items])
    next(batch)
    gc.set_threshold(5000, before[1], before[2])
    try:
        list(batch)
        assert gc.get_threshold()[0] == 5000
    finally:
        gc.set_threshold(*before)
        many.close()


def test_stray_bytes_on_the_worker_stdout_finish_the_batch_inline(monkeypatch, caplog):
    # Something wrote to the worker's stdout before it began replying (a library's notice from C
    # code, say): read as a frame, "note: lo" was a length of exabytes to allocate, and the
    # MemoryError escaped the batch. It is a garbled reply: the batch finishes inline, the same.
    _same_as_one_by_one(
        monkeypatch,
        "import os; os.write(1, b'note: loading the stemmer\\n'); "
        "from bot.cluster.analysis_worker import serve; serve()",
    )
    assert "garbled" in caplog.text and "analysing the rest inline" in caplog.text


def test_writes_to_fd_1_while_serving_go_to_stderr_not_into_replies(monkeypatch, caplog, capfd):
    _same_as_one_by_one(
        monkeypatch,
        "import os; from bot.cluster import analysis as a, analysis_worker as w; "
        "profile = a._profile; "
        "a._profile = lambda *args: (os.write(1, b'stray'), profile(*args))[1]; w.serve()",
    )
    # The worker served the whole batch: nothing fell back to inline analysis.
    assert "inline" not in caplog.text
    assert "stray" in capfd.readouterr().err


def _same_as_one_by_one(monkeypatch: pytest.MonkeyPatch, worker_main: str) -> None:
    """A batch through a worker running `worker_main` decides, and counts terms, as `add` does."""
    from bot.cluster import analysis, analysis_worker

    items = _small_batches(monkeypatch, analysis)
    monkeypatch.setattr(analysis_worker, "_WORKER_MAIN", worker_main)
    one = _ids()
    expected = [one.add(a) for a in items]
    many = _ids()
    assert list(many.add_many(items)) == expected
    assert many._stats._df == one._stats._df


def test_one_shared_name_is_not_enough_to_join_the_only_open_story():
    # Two events that share only a leader's name: with no other story open there is no rival to
    # hold the model back, and its log-odds alone would join them (a real pair: a leader's
    # outburst at a president, and another country backing strikes, told to that leader).
    outburst = article(
        "a",
        "Harbor Daily",
        "Marek Halvorsen's outburst at the Veldan president stirs anger at home",
        "Prime Minister Marek Halvorsen of Veldan drew criticism after he mocked the country's "
        "president for refusing a pardon request, and opposition leaders called the remarks an "
        "insult.",
    )
    strikes = article(
        "b",
        "Northern Post",
        "Ostrava told allies it would back missile strikes on Kerran, officials say",
        "Ostrava privately told Marek Halvorsen that it would support strikes on Kerran missile "
        "sites if talks collapse, two officials said on Tuesday.",
        hours=2.0,
    )
    loose = OnlineClusterer(ClusterSettings(min_join_similarity=0.0))
    assert loose.add(outburst).story_id == loose.add(strikes).story_id  # the model alone joins
    c = OnlineClusterer()
    assert c.add(outburst).story_id != c.add(strikes).story_id


def test_a_headline_word_beyond_names_lets_a_weakly_alike_report_join():
    # One event told in few common words (whole-article cosine ~0.16): the headlines share what
    # happened ("police reform"), not only a name, so the report joins the only open story.
    talks = article(
        "a",
        "Harbor Daily",
        "Police reform talks collapse after months of cross-party negotiations",
        "Negotiators from both parties ended months of talks on Wednesday without a deal on how "
        "officers are trained and disciplined, aides said, blaming each other for the impasse.",
    )
    vow = article(
        "b",
        "Northern Post",
        "Halvorsen vows to act alone after police reform bill dies in parliament",
        "Marek Halvorsen said he would use executive orders to change how officers are trained, "
        "after the opposition walked away from the bill.",
        hours=3.0,
    )
    c = OnlineClusterer()
    assert c.add(talks).story_id == c.add(vow).story_id
