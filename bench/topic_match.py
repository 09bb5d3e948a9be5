"""Topic matching: which stories a channel's topic picks, beside the old rule (a term anywhere in
any article) as the baseline.

    .venv/bin/python bench/topic_match.py [--list]

Data: the gold stories of articles-dev-stream.jsonl (read from ../shared/data, never copied into
the repo), each matched whole (its three articles) against a handful of topic queries like the
ones channels follow. There is no gold label for "on topic", so two proxies stand in for it:
- leads: the query holds for the title and first 60 words of at least 2 of the story's 3 articles;
- titles: the query holds for at least 2 of its 3 titles (stricter).
Recall against either is 1.0 for the old rule by construction (it matches any mention), so the
figure to watch is what the new rule keeps of it; precision is how much of what a channel gets is
on topic. `--list` prints the stories the two rules disagree on, with the new rule's reasons, to
judge by eye what the proxies cannot.

A channel keeps a story matched once it was given it (`bot.store.topic_matches`), so what it gets
is the story as it read when given, not only as it ends. Two more lines model that, each
article arriving at its published time: a channel given what matched at each daily digest
(09:00 UTC, cards and listed stories alike), and, for comparison, one that kept every match as
each report arrived (the first report's lead alone deciding, the rule reverted in a5c7c48). The
daily channel got the same stories before matches were kept, as cards, wherever its digest had
room: keeping changes only the stories listed after the cards, which no longer drop out as they
grow. The precision to hold is the new rule's; a daily digest's is a little lower because a
story may be given while one outlet's lead is all it has.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from _data import STREAM, load, skip_without_data

from bot.models import Article
from bot.topics import StoryDoc, TopicQuery
from bot.topics.storydoc import lead_of

QUERIES = (
    "covid OR vaccine OR pandemic OR booster OR fauci OR vaccinated",
    "afghanistan OR taliban OR kabul OR afghan",
    '"supreme court"',
    "infrastructure",
    "immigration OR immigrants OR migrants OR asylum",
    "china OR chinese OR beijing",
    "abortion",
    'climate OR "global warming" OR emissions',
    "russia OR putin OR kremlin",
    "gun OR guns OR shooting OR firearms",
    "tax OR taxes",
    "impeachment OR impeach",
    "israel OR gaza OR palestinian",
    "biden infrastructure",
    "trump election",
)
Rule = Callable[[TopicQuery, list[Article]], bool]


def old_rule(query: TopicQuery, story: list[Article]) -> bool:
    """The rule before: every title and text of the story as one text, a term anywhere in it."""
    text = "\n\n".join(f"{a.title}\n\n{a.text}" for a in story)
    return query.matches(StoryDoc(text=text, headline=story[0].title))


def new_rule(query: TopicQuery, story: list[Article]) -> bool:
    return query.matches(StoryDoc.from_articles(story))


def kept_rule(times: Sequence[datetime] | None) -> Rule:
    """Matched as the story ends, or as it stood at one of `times` (None: after every report)."""

    def rule(query: TopicQuery, story: list[Article]) -> bool:
        ordered = sorted(story, key=lambda a: (a.when is None, a.when or datetime.min))
        if times is None:
            sizes = set(range(1, len(ordered)))
        else:
            sizes = {sum(1 for a in ordered if a.when and a.when <= t) for t in times}
        return new_rule(query, story) or any(
            query.matches(StoryDoc.from_articles(ordered[:n])) for n in sizes if 0 < n < len(story)
        )

    return rule


def daily(articles: Sequence[Article], hour: int = 9) -> list[datetime]:
    """A daily digest's times over the stream."""
    seen = [a.when for a in articles if a.when is not None]
    t = min(seen).replace(hour=hour, minute=0, second=0, microsecond=0)
    times = []
    while t <= max(seen) + timedelta(days=1):
        times.append(t)
        t += timedelta(days=1)
    return times


def on_topic(query: TopicQuery, story: list[Article], leads: bool) -> bool:
    parts = [f"{a.title}\n\n{lead_of(a.text)}" if leads else a.title for a in story]
    return sum(query.matches(StoryDoc(text=p)) for p in parts) >= 2


def figures(counts: dict[str, int], rule: str, proxy: str) -> str:
    tp, fp, fn = (counts[f"{rule} {proxy} {k}"] for k in ("tp", "fp", "fn"))
    return f"P={tp / max(1, tp + fp):.3f} R={tp / max(1, tp + fn):.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="print the stories the rules disagree on")
    args = ap.parse_args()
    root = skip_without_data("topic_match")
    articles, gold = load(root / STREAM)
    by_story: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_story[gold[a.id]].append(a)
    stories = list(by_story.values())
    print(f"{len(stories)} gold stories, {len(articles)} articles, {len(QUERIES)} queries")
    rules: dict[str, Rule] = {
        "old": old_rule,
        "new": new_rule,
        "daily": kept_rule(daily(articles)),
        "every": kept_rule(None),
    }
    total: dict[str, int] = defaultdict(int)
    seconds = dict.fromkeys(rules, 0.0)
    header = f"  {'query':<44} {'old':>4} {'new':>4}  {'leads':>5} {'titles':>6}"
    print(header + "  old/new vs leads             old/new vs titles")
    for text in QUERIES:
        query = TopicQuery.parse(text)
        counts: dict[str, int] = defaultdict(int)
        for story in stories:
            got = {}
            for name, rule in rules.items():
                t = time.perf_counter()
                got[name] = rule(query, story)
                seconds[name] += time.perf_counter() - t
                counts[name] += got[name]
            for proxy in ("leads", "titles"):
                rel = on_topic(query, story, leads=proxy == "leads")
                counts[proxy] += rel
                for name in rules:
                    counts[f"{name} {proxy} tp"] += got[name] and rel
                    counts[f"{name} {proxy} fp"] += got[name] and not rel
                    counts[f"{name} {proxy} fn"] += rel and not got[name]
            if args.list and got["daily"] != got["new"]:
                print(f"    kept at a digest [{text[:24]}] | {story[0].title[:70]}")
            if args.list and got["old"] != got["new"]:
                why = query.reasons(StoryDoc.from_articles(story))
                print(
                    f"    {'new' if got['new'] else 'old'} only [{text[:24]}] {why} | {story[0].title[:70]}"
                )
        for key, value in counts.items():
            total[key] += value
        print(_row(text, counts))
    print(_row("all queries", total))
    for name, label in (
        ("daily", "kept as given at a daily digest"),
        ("every", "kept as each report arrived (reverted)"),
    ):
        print(
            f"  {label:<44} {total[name]:>4}        {figures(total, name, 'leads')}"
            f"{'':<17}{figures(total, name, 'titles')}"
        )
    calls = len(stories) * len(QUERIES)
    print(
        f"  matching time per story and query: old {seconds['old'] / calls * 1e6:.0f} us, "
        f"new {seconds['new'] / calls * 1e6:.0f} us (each builds its story's index afresh)"
    )


def _row(label: str, c: dict[str, int]) -> str:
    return (
        f"  {label[:44]:<44} {c['old']:>4} {c['new']:>4}  {c['leads']:>5} {c['titles']:>6}  "
        f"{figures(c, 'old', 'leads')} / {figures(c, 'new', 'leads')}  "
        f"{figures(c, 'old', 'titles')} / {figures(c, 'new', 'titles')}"
    )


if __name__ == "__main__":
    main()
