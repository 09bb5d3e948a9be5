"""The checks both the TL;DR's sentences (`sentences.article_sentences`) and each outlet's angle
(`angle_picks`) ask of every sentence of a story, answered once a story (`story_cached`): a
picture's caption, and a line planted to steer a model or shouting (`steering`)."""

from __future__ import annotations

from bot.boilerplate import is_caption
from bot.summarize.steering import is_steering
from bot.summarize.story_memo import story_cached

caption = story_cached(is_caption)
steering = story_cached(is_steering)

__all__ = ["caption", "steering"]
