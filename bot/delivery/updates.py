"""When a story a channel was shown deserves a thread update.

The rule, shared by the planner (`bot.runner.update_planner.enqueue_updates`) and the outbox
(which re-checks just before sending, since the story may have changed while the update waited):

- the story gained independent sources since the channel's last post or update about it, or
- an outlet the channel was not shown joined with reporting of its own: not a wire copy of
  anything in the story (it is in no wire group). This catches a new voice even when the
  independent count did not move (e.g. two earlier outlets were since found to share copy).

An outlet that only republished wire copy adds no independent source and triggers nothing on
its own; it is not forgotten either: the next update lists it among the new outlets, because the
outbox names every outlet the channel has not seen yet (`new_outlets`).

Outlets are compared as outlets (`bot.outlets.outlet_id`), not as the names posts stored: given
the story's `members`, a name maps to its outlet through `bot.outlets.outlet_keys`, so a name a
post stored under an older naming rule still stands for the outlet it named. An outlet's name is
stable once shown (`bot.outlets.outlet_names`), so without `members` names compare as outlets
for every post stored since. A name a post stored with an address in it whole, before names hid
them (`bot.redact`), is compared as it reads now, hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.models import Article
from bot.outlets import outlet_keys
from bot.redact import hidden_in_text


def worth_an_update(
    *,
    source_count: int,
    outlets: Sequence[str],
    wire_groups: Iterable[Sequence[str]],
    shown_count: int,
    shown_outlets: Iterable[str],
    members: Sequence[Article] = (),
) -> bool:
    if source_count > shown_count:
        return True
    wired = [o for group in wire_groups for o in group]
    return bool(unseen_outlets(outlets, [*shown_outlets, *wired], members))


def unseen_outlets(
    outlets: Sequence[str], shown_outlets: Iterable[str], members: Sequence[Article] = ()
) -> list[str]:
    """Those of `outlets` (the card's names) that `shown_outlets` (names a post stored) do not
    name, compared as outlets through the story's `members` (see the module's docstring): what
    an update announces as new."""
    keys = outlet_keys(members)
    # A post an older version stored may name an outlet with an address whole, which the card's
    # names (its articles' as the store reads them) hide now: compared as hidden, it is no new
    # outlet.
    shown = {keys.get(o) or keys.get(hidden_in_text(o), hidden_in_text(o)) for o in shown_outlets}
    return [o for o in outlets if keys.get(o, o) not in shown]
