"""The limits Discord enforces on a message body (Invalid Form Body), so a renderer that overflows
fails a test as it would fail in production; among them, that no two components of a message
share a custom id."""

from __future__ import annotations

from typing import Any


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
        total += len(embed.get("title") or "") + len(embed.get("description") or "")
        total += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in fields)
        total += len(footer) + len((embed.get("author") or {}).get("name") or "")
    if total > 6000:
        errors["embeds"] = "Embed size exceeds maximum size of 6000"
    rows = body.get("components") or []
    if len(rows) > 5:
        errors["components"] = "Must be 5 or fewer in length."
    seen: set[str] = set()
    for row in rows:
        for comp in row.get("components", []):
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
