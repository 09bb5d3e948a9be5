"""A Discord cut (an embed's title, a story thread's name, a button's label: `escape.fit`, in
UTF-16 units) never splits what shows as one character, as Slack's never does: it is the one
cut both adapters share (`bot.render.cuts`). Discord takes the halves, but they show as garbage
(a man where a family was, a lone regional indicator, a bare letter without its accent).

The real bot adapter against the fake Discord REST API; assertions read the JSON it received."""

from __future__ import annotations

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import BOT_POST
from fakes.stories import channel_row
from test_discord_delivery import CHANNEL, card

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.escape import fit
from bot.adapters.discord.views import card_view
from bot.render.cuts import units

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
FLAG_UA = "\U0001f1fa\U0001f1e6"
E_ACUTE_HAT = "e\u0301\u0302"
THREADS = r"/channels/\d+/messages/\d+/threads"


def whole(cut: str, cluster: str, lead: str = "") -> bool:
    """Whether `cut` (ellipsis aside) is `lead` and whole repeats of `cluster`."""
    body = cut.removesuffix("…").removeprefix(lead)
    return body.replace(cluster, "") == ""


@pytest.mark.parametrize(("cluster", "lead"), [(FAMILY, ""), (FLAG_UA, "x"), (E_ACUTE_HAT, "")])
async def test_a_posted_cards_title_and_thread_name_end_on_whole_characters(
    discord_api: FakeDiscord, discord_client: discord.Client, cluster: str, lead: str
) -> None:
    story = card()
    story.headline = lead + cluster * 200
    adapter = DiscordBotAdapter(discord_client)
    posted = await adapter.post_card(channel_row(CHANNEL), story, nonce="p1")
    assert posted.message_ref
    [post] = discord_api.calls("POST", BOT_POST)
    title = post.body["embeds"][0]["title"]
    assert title.endswith("…") and units(title) <= 256 and whole(title, cluster, lead)
    for thread in discord_api.calls("POST", THREADS):
        name = thread.body["name"]
        assert name.endswith("…") and units(name) <= 100 and whole(name, cluster, lead)


@pytest.mark.parametrize(("cluster", "lead"), [(FAMILY, ""), (FLAG_UA, "x"), (E_ACUTE_HAT, "")])
def test_a_button_label_ends_on_whole_characters(cluster: str, lead: str) -> None:
    story = card(follow_topics=[])
    story.headline = lead + cluster * 200
    other = card(story_id="other")
    rows = card_view([story, other]).to_components()
    [label, *_] = [c["label"] for row in rows for c in row["components"]]
    label = label.removeprefix("Full breakdown: ")
    assert label.endswith("…") and units(label) <= 80 and whole(label, cluster, lead)


def test_ordinary_text_is_cut_where_it_was() -> None:
    assert fit("plain text here", 8) == "plain t…"
    assert fit("short", 8) == "short"
