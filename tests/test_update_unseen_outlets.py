"""What a thread update announces as new: outlets the channel's last post did not name, compared
as outlets, so a name a post stored under the old naming rule is no new outlet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.delivery.updates import unseen_outlets
from bot.models import Article
from bot.redact import hidden_in_text

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _article(id_: str, source: str, outlet: str, published: datetime, seen: datetime) -> Article:
    return Article(
        id=id_, source=source, title=id_, text="", outlet=outlet, published=published, seen=seen
    )


def test_an_outlet_shown_under_another_of_its_names_is_not_new() -> None:
    members = [
        _article("z1", "Alpha Business", "alpha.example", T0 - timedelta(hours=1), T0),
        _article("w1", "Alpha World", "alpha.example", T0, T0 - timedelta(minutes=5)),
        _article("g1", "Gamma", "gamma.example", T0, T0 + timedelta(hours=1)),
    ]
    card = ["Alpha World", "Gamma"]
    assert unseen_outlets(card, ["Alpha Business"], members) == ["Gamma"]
    # Without the story's articles, names are all there is to compare.
    assert unseen_outlets(card, ["Alpha Business"]) == ["Alpha World", "Gamma"]


def test_an_outlet_shown_under_its_name_before_addresses_were_hidden_is_not_new() -> None:
    # An older version stored the outlet's name with its address whole in the post; the store
    # now reads its articles' names with the address hidden (`bot.store.articles`).
    old_name = "Wire https://wire.example/rss?sig=NAMEKEY"
    members = [
        _article("a1", hidden_in_text(old_name), "wire.example", T0, T0),
        _article("g1", "Gamma", "gamma.example", T0, T0 + timedelta(hours=1)),
    ]
    card = [hidden_in_text(old_name), "Gamma"]
    assert unseen_outlets(card, [old_name], members) == ["Gamma"]
