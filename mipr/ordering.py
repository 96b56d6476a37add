"""Moving an item up or down in a list kept in order by an `order` field.

One helper for every ordered list (milestones, findings, sections), one form
that reads the direction, and one partial with the buttons
(templates/partials/move_buttons.html).
"""

from django import forms

from . import audit

DIRECTIONS = {"up": -1, "down": 1}


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[(name, name) for name in DIRECTIONS])

    @property
    def step(self) -> int:
        return DIRECTIONS[self.cleaned_data["direction"]]


def move_in_order(
    queryset, *, pk: int, direction: int, ordering=("order", "pk"), touch=None
) -> None:
    """Swap the item with its neighbour above (-1) or below (+1), then renumber.

    Renumbering all of them means that equal or missing numbers cannot make
    the swap a no-op. `ordering` is how the list is shown. `touch` is set on
    every renumbered row as well (e.g. {"updated_at": now}), for a cache that
    watches it.

    Call it inside a transaction: the rows are locked while they are renumbered,
    so that two moves at once cannot leave equal numbers behind.
    """
    items = list(queryset.select_for_update().order_by(*ordering))
    index = next(i for i, item in enumerate(items) if item.pk == pk)
    other = index + direction
    if not 0 <= other < len(items):
        return
    moved = items[index]
    before = audit.snapshot(moved)
    items[index], items[other] = items[other], items[index]
    for order, item in enumerate(items, start=1):
        if item.order != order:
            type(item).objects.filter(pk=item.pk).update(order=order, **(touch or {}))
            item.order = order
    audit.record_update(moved, before)
