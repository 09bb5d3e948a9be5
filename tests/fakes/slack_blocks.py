"""What the fake Slack Web API refuses in a message's blocks, as Slack answers it: invalid_blocks,
each fault named by a json-pointer (`invalid_blocks`). Lengths are counted in UTF-16 units, an
emoji two: the strict reading of Slack's "characters", so a test sees a payload the real API may
refuse. Only the limits the bot's blocks come near are checked (Block Kit's reference): 50 blocks;
a header's text 150; a section's text 3,000; a context's 10 elements, each text 3,000; an
actions block's 25 elements; a button's text 75, its value 2,000; an action_id and a block_id
255. Nor may a message have two blocks of one block_id or two elements of one action_id, a section
or header with empty text, or a context without elements; and a message needs text or blocks
(`invalid_message`: Slack's no_text).
"""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = 50
LIMITS = {"header": 150, "section": 3000, "context": 3000}
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS = 25
MAX_BUTTON_TEXT = 75
MAX_VALUE = 2000
MAX_ID = 255


def units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def invalid_message(body: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's answer refusing a message `body` (chat.postMessage's, a response_url's, an ack's):
    no_text without text or blocks, else `invalid_blocks`'s; None when Slack takes it."""
    if not body.get("text") and not body.get("blocks") and not body.get("attachments"):
        return {"ok": False, "error": "no_text"}
    return invalid_blocks(body.get("blocks"))


def invalid_blocks(blocks: Any) -> dict[str, Any] | None:
    """Slack's answer refusing `blocks` (a message's), or None when they are within the limits."""
    if not blocks:
        return None
    if not isinstance(blocks, list):
        return _refused(["[ERROR] must be an array [json-pointer:/blocks]"])
    faults: list[str] = []
    if len(blocks) > MAX_BLOCKS:
        faults.append(f"[ERROR] no more than {MAX_BLOCKS} items allowed [json-pointer:/blocks]")
    for index, block in enumerate(blocks):
        faults += _block_faults(block, f"/blocks/{index}")
    faults += _repeated_ids(blocks)
    return _refused(faults) if faults else None


def _repeated_ids(blocks: list[Any]) -> list[str]:
    """A block_id, or an action_id, used twice in one message: Slack refuses the whole message,
    as a button's click could not tell which one was meant."""
    faults: list[str] = []
    block_ids: set[str] = set()
    action_ids: set[str] = set()
    for index, block in enumerate(blocks):
        if (block_id := block.get("block_id")) is not None:
            if block_id in block_ids:
                faults.append(f"[ERROR] duplicate block_id [json-pointer:/blocks/{index}/block_id]")
            block_ids.add(block_id)
        if block.get("type") != "actions":
            continue
        for number, element in enumerate(block.get("elements") or []):
            if (action_id := element.get("action_id")) is None:
                continue
            if action_id in action_ids:
                where = f"/blocks/{index}/elements/{number}/action_id"
                faults.append(f"[ERROR] duplicate action_id [json-pointer:{where}]")
            action_ids.add(action_id)
    return faults


def _block_faults(block: dict[str, Any], at: str) -> list[str]:
    faults = _longer(block.get("block_id"), MAX_ID, f"{at}/block_id")
    kind = block.get("type")
    if kind in ("header", "section") and isinstance(block.get("text"), dict):
        faults += _longer(block["text"].get("text"), LIMITS[kind], f"{at}/text/text")
        faults += _empty(block["text"].get("text"), f"{at}/text/text")
    elif kind == "header" or (kind == "section" and not block.get("fields")):
        # A header needs its text; a section its text unless it has fields.
        faults.append(f"[ERROR] missing required field: text [json-pointer:{at}/text]")
    elif kind == "context":
        elements = block.get("elements") or []
        if not elements:
            faults.append(f"[ERROR] must provide at least 1 items [json-pointer:{at}/elements]")
        if len(elements) > MAX_CONTEXT_ELEMENTS:
            faults.append(_many(MAX_CONTEXT_ELEMENTS, f"{at}/elements"))
        for number, element in enumerate(elements):
            faults += _longer(
                element.get("text"), LIMITS["context"], f"{at}/elements/{number}/text"
            )
    elif kind == "actions":
        elements = block.get("elements") or []
        if len(elements) > MAX_ACTIONS:
            faults.append(_many(MAX_ACTIONS, f"{at}/elements"))
        for number, element in enumerate(elements):
            where = f"{at}/elements/{number}"
            text = element.get("text") if isinstance(element.get("text"), dict) else {}
            faults += _longer(text.get("text"), MAX_BUTTON_TEXT, f"{where}/text/text")
            faults += _longer(element.get("action_id"), MAX_ID, f"{where}/action_id")
            faults += _longer(element.get("value"), MAX_VALUE, f"{where}/value")
    return faults


def _longer(text: Any, limit: int, at: str) -> list[str]:
    if isinstance(text, str) and units(text) > limit:
        return [f"[ERROR] must be less than {limit + 1} characters [json-pointer:{at}]"]
    return []


def _empty(text: Any, at: str) -> list[str]:
    if not isinstance(text, str) or not text:
        return [f"[ERROR] must be more than 0 characters [json-pointer:{at}]"]
    return []


def _many(limit: int, at: str) -> str:
    return f"[ERROR] no more than {limit} items allowed [json-pointer:{at}]"


def _refused(messages: list[str]) -> dict[str, Any]:
    return {
        "ok": False,
        "error": "invalid_blocks",
        "errors": [m.removeprefix("[ERROR] ") for m in messages],
        "response_metadata": {"messages": messages},
    }
