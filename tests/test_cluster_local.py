"""The local similarities: an article's terms discounted by how many open stories have them."""

from __future__ import annotations

import itertools

from _cluster_fixtures import article

from bot.cluster.features import dot
from bot.cluster.online import OnlineClusterer
from bot.cluster.pair import STORY_NAMES
from bot.cluster.settings import ClusterSettings

# One name in the news all week, each time beside a different event of its own.
_HOT_WEEK = [
    (
        "Dunmore signs the Pellaway river dredging order",
        "Barges will deepen the Pellaway channel near Ardley wharf before the grain harvest, "
        "after silt stranded three cargo boats, Governor Dunmore's office said.",
    ),
    (
        "Dunmore vetoes the Carrow tunnel toll increase",
        "Commuters through the Carrow tunnel keep paying four crowns, since the bridge authority "
        "lost its fare appeal when Governor Dunmore rejected the bill.",
    ),
    (
        "Dunmore names Ilse Varga to the transit board",
        "Ilse Varga, a former tram engineer from Wendell, joins the seven-member transit board "
        "that oversees bus depots, after Governor Dunmore picked her.",
    ),
    (
        "Dunmore opens the Hollin glassworks museum",
        "Visitors toured restored furnaces and blown lanterns at the Hollin glassworks, a "
        "nineteenth-century factory turned museum, which Governor Dunmore opened.",
    ),
    (
        "Dunmore pardons two Ostby dockworkers",
        "Two Ostby dockworkers convicted over a warehouse strike walked free after appeals by "
        "their union, when Governor Dunmore granted both pardons.",
    ),
]


def _clusterer(**knobs: float) -> OnlineClusterer:
    counter = itertools.count(1)
    settings = ClusterSettings(background=False, **knobs)
    return OnlineClusterer(settings, id_factory=lambda: f"s{next(counter)}")


def _feature(feats: list[float], name: str) -> float:
    return feats[STORY_NAMES.index(name)]


def test_a_term_counts_less_the_more_open_stories_have_it():
    c = _clusterer(burst_stories=2.0)
    for i, (title, text) in enumerate(_HOT_WEEK):
        c.add(article(f"w{i}", f"Outlet {i}", title, text))
    doc = c._doc(article("x", "Outlet X", "Dunmore and the Quillmoor ferry", "No ferry yet."))
    local = c._index.local_weights(doc.vec, 2.0)
    stories = len(c._index.postings["dunmor"])
    assert stories == len(_HOT_WEEK)
    # 1 / (1 + (stories - 1) / burst_stories) of its weight: a third, with five stories and 2.
    assert abs(local["dunmor"] - doc.vec["dunmor"] / (1 + (stories - 1) / 2.0)) < 1e-12
    # A word no open story has, or only one, keeps its weight.
    assert local["quillmoor"] == doc.vec["quillmoor"]
    assert set(local) == set(doc.vec)


def test_a_match_through_the_weeks_common_name_is_local_less_than_a_match_on_its_own_words():
    c = _clusterer()
    for i, (title, text) in enumerate(_HOT_WEEK):
        c.add(article(f"w{i}", f"Outlet {i}", title, text))
    stories = {c.resolve(s) for s in c.active_story_ids()}
    assert len(stories) == len(_HOT_WEEK)
    by_word = {st.members[0].article_id: st for st in c._active.values()}

    def local_and_plain(title: str, text: str, story_of: str) -> tuple[float, float]:
        doc = c._doc(article("x", "Outlet X", title, text))
        story = by_word[story_of]
        feats = c._features(doc, story, rival=0.0, local_rival=0.0)
        assert abs(_feature(feats, "centroid") - dot(doc.vec, story.centroid) / story.norm) < 1e-12
        return _feature(feats, "local_centroid"), _feature(feats, "centroid")

    # Shares only the name every open story has: the local similarity is well below the plain.
    local, plain = local_and_plain("Dunmore visits a school", "Governor Dunmore spoke.", "w0")
    assert 0.0 < local < 0.9 * plain
    # Shares words only that one story has: local and plain agree.
    local, plain = local_and_plain("Pellaway river dredging begins", "Dredging started.", "w0")
    assert plain > 0.0 and abs(local - plain) < 1e-12


def test_the_local_rival_is_the_best_local_similarity_among_the_other_candidates():
    c = _clusterer()
    for i, (title, text) in enumerate(_HOT_WEEK):
        c.add(article(f"w{i}", f"Outlet {i}", title, text))
    doc = c._doc(article("x", "Outlet X", "Dunmore and the Carrow toll", "The toll stays."))
    cands = c._candidates(doc)
    assert len(cands) >= 2
    local = c._index.local_weights(doc.vec, c.settings.burst_stories)
    sims = [dot(local, st.centroid) / st.norm for st in cands]
    seen: list[tuple[float, float]] = []
    real_score = c._score
    c._score = lambda d, st, *, rival, local, raw=None: (  # type: ignore[method-assign]
        seen.append(local) or real_score(d, st, rival=rival, local=local, raw=raw)
    )
    c._decide(doc)
    assert [s for s, _ in seen] == sims
    for i, (_, rival) in enumerate(seen):
        assert rival == max(sims[:i] + sims[i + 1 :])
