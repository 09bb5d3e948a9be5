"""An untitled story whose lead is long only for its brackets gets a headline, not a crash: the
cut was looked for among the words the brackets had counted, past the end of those left."""

from __future__ import annotations

from bot.models import Article
from bot.summarize import summarize


def test_a_lead_long_only_for_its_brackets_is_headed_by_it_without_them() -> None:
    text = (
        "Chief executive Mara Quinn (left) and finance head Ola Berg (right) at the "
        "Norvik Telecom (NVT.OL) results briefing (Oslo, Tuesday). "
        "The company reported higher quarterly profit."
    )
    headline = summarize([Article(id="a", source="s", title="", text=text)]).headline
    assert headline.startswith("Chief executive Mara Quinn and finance head Ola Berg"), headline
    assert "(" not in headline
