"""Who is on a group's pages now, and where they write: kept in the cache.

An open answer page beats every few seconds (its autosave counts as a beat);
each beat stores the participant's first name, question and slot under a key
of its own that expires after PRESENCE_SECONDS, so a closed page drops out by
itself. The group's index of participants is written only when somebody new
arrives. With Redis as the cache all gunicorn workers share it; with the local
memory cache (`make run`, one process) that process sees everyone.

Nothing here touches the database: a beat costs a few cache round trips.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from .models import Question

# A page beats every 5–10 s; after this long without a beat it is gone.
PRESENCE_SECONDS = 25
# The index outlives its members; entries without a live key are skipped.
INDEX_SECONDS = 4 * 60 * 60
INDEX_SIZE = 60


@dataclass(frozen=True)
class Presence:
    name: str
    question: int  # the question's number
    slot: int | None  # the slot being written in, if any


def visitor_id(session_key: str) -> str:
    """A stable id for one browser, which says nothing about its session."""
    return hashlib.sha256(f"presence:{session_key}".encode()).hexdigest()[:20]


def _index_key(group_id: int) -> str:
    return f"presence:{group_id}"


def _member_key(group_id: int, visitor: str) -> str:
    return f"presence:{group_id}:{visitor}"


def record(
    *, group_id: int, visitor: str, name: str, question: int, slot: int | None
) -> None:
    """This participant is on `question` of the group, writing in `slot`."""
    cache.set(
        _member_key(group_id, visitor),
        {"name": name, "question": question, "slot": slot, "at": time.time()},
        PRESENCE_SECONDS,
    )
    index = cache.get(_index_key(group_id)) or []
    if visitor not in index:
        # Two newcomers at once may each write the index without the other:
        # the one left out adds itself again at its next beat.
        cache.set(
            _index_key(group_id), (index + [visitor])[-INDEX_SIZE:], INDEX_SECONDS
        )


def others(*, group_id: int, visitor: str) -> list[Presence]:
    """Everyone else on the group's pages now, by name."""
    index = cache.get(_index_key(group_id)) or []
    index = [other for other in index if other != visitor]
    if not index:
        return []
    found = cache.get_many([_member_key(group_id, other) for other in index])
    people = [
        Presence(name=entry["name"], question=entry["question"], slot=entry["slot"])
        for entry in found.values()
    ]
    return sorted(people, key=lambda person: (person.name.casefold(), person.question))


def describe(people: list[Presence], *, question: Question) -> list[str]:
    """One line per person, seen from `question`'s page: «Inger is writing in
    item 2», «Per is on question 3»."""
    slots = question.slots
    lines = []
    for person in people:
        if person.question != question.number:
            line = _("%(name)s is on question %(number)s") % {
                "name": person.name,
                "number": person.question,
            }
        elif person.slot is not None and 0 <= person.slot < len(slots):
            label = slots[person.slot].label
            if question.has_parts:
                line = _("%(name)s is writing in part %(label)s")
            else:
                line = _("%(name)s is writing in item %(label)s")
            line = line % {"name": person.name, "label": label}
        else:
            line = _("%(name)s is reading this question") % {"name": person.name}
        lines.append(line)
    return lines
