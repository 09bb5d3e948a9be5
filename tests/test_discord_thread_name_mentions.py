"""A story thread's name takes the headline as plain text, where a backslash would show: a
mention's syntax in it (`<@&123...>`, `<#55>`, @everyone) is broken with a zero-width space, as
the card's own text breaks it, instead of kept as typed by the feed."""

from __future__ import annotations

import pytest

from bot.adapters.discord.embeds import THREAD_NAME_LIMIT, thread_name
from bot.adapters.discord.escape import utf16_len
from tests.test_discord_embeds import make_card


@pytest.mark.parametrize(
    "headline",
    [
        "Ferry strike <@&123456789012345678> called off",
        "Ferry strike <@987654321098765432> called off",
        "Ferry strike <#55555555555555555> called off",
        "Ferry strike </story:1234567890> called off",
        "Ferry strike @everyone called off",
    ],
)
def test_a_mention_in_a_headline_is_broken_in_the_thread_name(headline: str) -> None:
    name = thread_name(make_card(headline=headline))
    for syntax in ("<@", "<#", "</", "@everyone"):
        assert syntax not in name
    assert name.startswith("Ferry strike") and name.endswith("called off")
    assert "\\" not in name


def test_a_plain_headline_is_unchanged_and_a_long_one_fits() -> None:
    assert thread_name(make_card(headline="Ferry strike called off")) == "Ferry strike called off"
    long = thread_name(make_card(headline="<@&1> " * 40))
    assert utf16_len(long) <= THREAD_NAME_LIMIT
