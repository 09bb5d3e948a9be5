"""The limits Discord enforces on a message body (Invalid Form Body), so a renderer that overflows
fails a test as it would fail in production; among them, that no two components of a message
share a custom id, that a row holds at most 5 buttons, each labelled (or given an emoji), and
that no embed is empty. `refusal` adds Discord's "Cannot send an empty message" (50006); and
thread names, autocomplete choices and modals have their own (`thread_name_errors`,
`choices_errors`, `modal_errors`)."""

from __future__ import annotations

from typing import Any

# What makes an embed show something; one with none of them is refused.
EMBED_PARTS = ("title", "description", "fields", "footer", "author", "image", "thumbnail", "video")
BUTTON = 2
TEXT_INPUT = 4


def invalid_form(errors: dict[str, str]) -> dict[str, Any]:
    return {"code": 50035, "message": "Invalid Form Body", "errors": errors}


EMPTY_MESSAGE = {"code": 50006, "message": "Cannot send an empty message"}


def refusal(body: Any) -> dict[str, Any] | None:
    """Discord's 400 answer to a message `body` (a new one, or an edited one whole), or None:
    Invalid Form Body for a limit overrun, else 50006 for a message with nothing to show."""
    if errors := validate_message(body):
        return invalid_form(errors)
    if isinstance(body, dict) and not any(
        body.get(k) for k in ("content", "embeds", "components", "attachments", "sticker_ids")
    ):
        return EMPTY_MESSAGE
    return None


def _between(value: Any, low: int, high: int) -> bool:
    return isinstance(value, str) and low <= len(value) <= high


def thread_name_errors(body: Any) -> dict[str, str]:
    """A thread's name is 1 to 100 characters."""
    if not _between((body or {}).get("name"), 1, 100):
        return {"name": "Must be between 1 and 100 in length."}
    return {}


def choices_errors(data: Any) -> dict[str, str]:
    """An autocomplete answer (callback type 8): at most 25 choices, each name 1 to 100
    characters and a string value 1 to 100 (a number is taken as it is)."""
    choices = (data or {}).get("choices")
    if not isinstance(choices, list):
        return {"data.choices": "This field is required"}
    errors: dict[str, str] = {}
    if len(choices) > 25:
        errors["data.choices"] = "Must be 25 or fewer in length."
    for i, choice in enumerate(choices):
        if not _between(choice.get("name"), 1, 100):
            errors[f"data.choices.{i}.name"] = "Must be between 1 and 100 in length."
        value = choice.get("value")
        if not isinstance(value, int | float) and not _between(value, 1, 100):
            errors[f"data.choices.{i}.value"] = "Must be between 1 and 100 in length."
    return errors


def modal_errors(data: Any) -> dict[str, str]:
    """A modal (callback type 9): a custom id 1 to 100, a title 1 to 45, 1 to 5 rows, each text
    input labelled 1 to 45 with a custom id 1 to 100."""
    data = data or {}
    errors: dict[str, str] = {}
    if not _between(data.get("custom_id"), 1, 100):
        errors["data.custom_id"] = "Must be between 1 and 100 in length."
    if not _between(data.get("title"), 1, 45):
        errors["data.title"] = "Must be between 1 and 45 in length."
    rows = data.get("components") or []
    if not 1 <= len(rows) <= 5:
        errors["data.components"] = "Must be between 1 and 5 in length."
    for r, row in enumerate(rows):
        for c, comp in enumerate(row.get("components") or []):
            at = f"data.components.{r}.components.{c}"
            if comp.get("type") == TEXT_INPUT and not _between(comp.get("label"), 1, 45):
                errors[f"{at}.label"] = "Must be between 1 and 45 in length."
            if not _between(comp.get("custom_id"), 1, 100):
                errors[f"{at}.custom_id"] = "Must be between 1 and 100 in length."
    return errors


def validate_message(body: Any) -> dict[str, str]:
    """The limits Discord enforces on a message body; empty when the body is acceptable."""
    if not isinstance(body, dict):
        return {}
    errors: dict[str, str] = {}
    if len(body.get("content") or "") > 2000:
        errors["content"] = "Must be 2000 or fewer in length."
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        errors["embeds"] = "Must be 10 or fewer in length."
    total = 0
    for i, embed in enumerate(embeds):
        limits = {"title": 256, "description": 4096}
        for key, limit in limits.items():
            if len(embed.get(key) or "") > limit:
                errors[f"embeds.{i}.{key}"] = f"Must be {limit} or fewer in length."
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errors[f"embeds.{i}.fields"] = "Must be 25 or fewer in length."
        for j, f in enumerate(fields):
            if not f.get("name") or len(f["name"]) > 256:
                errors[f"embeds.{i}.fields.{j}.name"] = "Must be between 1 and 256 in length."
            if not f.get("value") or len(f["value"]) > 1024:
                errors[f"embeds.{i}.fields.{j}.value"] = "Must be between 1 and 1024 in length."
        footer = (embed.get("footer") or {}).get("text") or ""
        if len(footer) > 2048:
            errors[f"embeds.{i}.footer.text"] = "Must be 2048 or fewer in length."
        if not any(embed.get(part) for part in EMBED_PARTS):
            errors[f"embeds.{i}"] = "Embed cannot be empty."
        total += len(embed.get("title") or "") + len(embed.get("description") or "")
        total += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in fields)
        total += len(footer) + len((embed.get("author") or {}).get("name") or "")
    if total > 6000:
        errors["embeds"] = "Embed size exceeds maximum size of 6000"
    rows = body.get("components") or []
    if len(rows) > 5:
        errors["components"] = "Must be 5 or fewer in length."
    seen: set[str] = set()
    for r, row in enumerate(rows):
        buttons = [c for c in row.get("components", []) if c.get("type") == BUTTON]
        if len(buttons) > 5:
            errors[f"components.{r}.components"] = "Must be 5 or fewer in length."
        for c, comp in enumerate(row.get("components", [])):
            label = comp.get("label")
            if comp.get("type") == BUTTON and not label and not comp.get("emoji"):
                # A button shows its label or its emoji; one with neither is refused.
                errors[f"components.{r}.components.{c}.label"] = (
                    "Must be between 1 and 80 in length."
                )
            if len(comp.get("custom_id") or "") > 100:
                errors["components.custom_id"] = "Must be 100 or fewer in length."
            if len(comp.get("label") or "") > 80:
                errors["components.label"] = "Must be 80 or fewer in length."
            if (custom_id := comp.get("custom_id")) is not None:
                if custom_id in seen:
                    # COMPONENT_CUSTOM_ID_DUPLICATED: the whole message is refused.
                    errors["components"] = "Component custom id cannot be duplicated"
                seen.add(custom_id)
    return errors
