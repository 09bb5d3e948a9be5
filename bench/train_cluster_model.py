"""Fit the clusterer's pair model and background IDF table on the NeuS training stories.

    .venv/bin/python bench/train_cluster_model.py [--write]

Reads ../shared/data/news/clusters-train.jsonl (2,452 stories, 3 outlets each; never copied into
the repo) and produces, with `--write`:
- `bot/cluster/_background.py`: document frequencies of matching keys, as (crc32, count) numbers;
- `bot/cluster/_model.py`: logistic-regression weights over `pair.STORY_NAMES`.

Training examples come from replaying the stories through the real clusterer's candidate search,
teacher-forced (each article is then attached to its gold story), so the negatives are exactly the
near-miss stories the online clusterer has to turn down. The rival feature is measured among the
candidates the online (narrower) search would return, as scoring sees it. Replays use several corpus sizes so the
fit holds on a young corpus as well as a busy one. The background table used while replaying is
built from the *other* half of the stories, so a story's own words never look common to it.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
from _data import REPO, skip_without_data

from bot.cluster import background as bg
from bot.cluster.features import FeatureWeights, dot, term_hash
from bot.cluster.index import Story as _Story
from bot.cluster.online import OnlineClusterer
from bot.cluster.pair import STORY_NAMES
from bot.cluster.profile import raw_profile
from bot.cluster.settings import ClusterSettings
from bot.models import Article

TRAIN = "news/clusters-train.jsonl"
SEED = 11
REPLAY_SIZES = (300, 1000, 3000, 0)  # articles per replay; 0 = all of the held-out half
L2 = 1.0


def load_stories(path: Path) -> list[list[Article]]:
    stories = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            stories.append(
                [
                    Article(
                        id=str(a["id"]), source="", title=a["title"] or "", text=a["text"] or ""
                    )
                    for a in obj["articles"]
                ]
            )
    return stories


def doc_freq(stories: list[list[Article]]) -> tuple[dict[int, int], int]:
    w = FeatureWeights()
    df: Counter[int] = Counter()
    n = 0
    for story in stories:
        for a in story:
            df.update({term_hash(k) for k in raw_profile(a.title, a.text, w).all_keys()})
            n += 1
    return {k: c for k, c in df.items() if c >= 2}, n


def replay(
    stories: list[list[Article]], background: tuple[dict[int, float], float], size: int, rng
) -> tuple[list[list[float]], list[int], float]:
    """Teacher-forced replay: (features, labels) for every (article, candidate story), and the
    share of articles whose gold story was open but not among the candidates."""
    order = list(range(len(stories)))
    rng.shuffle(order)
    picked: list[tuple[int, Article]] = []
    for i in order:
        if size and len(picked) >= size:
            break
        picked.extend((i, a) for a in stories[i])
    rng.shuffle(picked)
    # A wider candidate search than the online default: more near-miss negatives to learn from.
    wide = ClusterSettings(
        background=False, query_terms=25, max_candidates=12, max_posting=400, max_members_compared=8
    )
    online = ClusterSettings(background=False)
    c = OnlineClusterer(wide)
    c._stats._bg_df, c._stats._bg_n = background[0], background[1]
    open_: dict[int, _Story] = {}
    xs, ys = [], []
    missed = possible = 0
    for gold, a in picked:
        doc = c._doc(a)
        cands = c._candidates(doc)
        if gold in open_:
            possible += 1
            missed += open_[gold] not in cands
        # The rival feature as the online clusterer sees it: among its (narrower) candidates.
        c.settings = online
        narrow = c._candidates(doc)
        c.settings = wide
        sims = {id(st): dot(doc.vec, st.centroid) / st.norm for st in narrow}
        for story in cands:
            rival = max((v for k, v in sims.items() if k != id(story)), default=0.0)
            xs.append(c._features(doc, story, rival=rival))
            ys.append(int(story is open_.get(gold)))
        if gold in open_:
            c._attach(open_[gold], doc)
        else:
            open_[gold] = c._open(str(gold), [doc])
    return xs, ys, missed / max(possible, 1)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[np.ndarray, float]:
    """Newton's method on standardised features; weights returned on the raw feature scale."""
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([(x - mu) / sd, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + reg * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = w[:-1] / sd
    bias = float(w[-1] - (w[:-1] * mu / sd).sum())
    return weights, bias


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="write the fitted files into bot/cluster")
    args = ap.parse_args()
    root = skip_without_data("train_cluster_model")
    stories = load_stories(root / TRAIN)
    rng = random.Random(SEED)
    halves = [stories[0::2], stories[1::2]]
    xs: list[list[float]] = []
    ys: list[int] = []
    for k in (0, 1):
        table, n = doc_freq(halves[1 - k])
        background = ({h: float(c) for h, c in table.items()}, float(n))
        for size in REPLAY_SIZES:
            x, y, miss = replay(halves[k], background, size, rng)
            print(
                f"half {k} replay n={size or 'all'}: {len(y)} pairs, {sum(y)} positive, "
                f"gold story missed by candidate search {miss:.1%}"
            )
            xs += x
            ys += y
    x_arr, y_arr = np.array(xs), np.array(ys, dtype=float)
    weights, bias = fit_logistic(x_arr, y_arr)
    logit = x_arr @ weights + bias
    acc = ((logit > 0) == (y_arr > 0.5)).mean()
    print(f"fit on {len(y_arr)} pairs: training accuracy {acc:.3f}")
    for name, wt in zip(STORY_NAMES, weights, strict=True):
        print(f"  {name:<16} {wt:+.3f}")
    print(f"  {'bias':<16} {bias:+.3f}")
    if not args.write:
        return
    table, n = doc_freq(stories)
    blob = bg.encode(table, n)
    out = REPO / "bot" / "cluster"
    header = '"""Generated by bench/train_cluster_model.py; do not edit by hand."""\n\n'
    (out / "_background.py").write_text(
        header + f"# {len(table)} keys, counts over {n} training articles (crc32 -> df).\n"
        f"BLOB = (\n{_wrap(blob)}\n)\n",
        encoding="utf-8",
    )
    (out / "_model.py").write_text(
        header
        + f"# Features: {', '.join(STORY_NAMES)}.\n"
        + "WEIGHTS = (\n"
        + "".join(f"    {wt!r},\n" for wt in weights.round(6).tolist())
        + ")\n"
        + f"BIAS = {round(bias, 6)!r}\n",
        encoding="utf-8",
    )
    print(f"wrote {out / '_background.py'} ({len(blob)} chars) and {out / '_model.py'}")


def _wrap(blob: str, width: int = 240) -> str:
    return "\n".join(f'    "{blob[i : i + width]}"' for i in range(0, len(blob), width))


if __name__ == "__main__":
    main()
