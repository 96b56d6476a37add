"""Moving an item up or down in a list kept in order by an `order` field."""

from . import audit


def move_in_order(queryset, *, pk: int, direction: int) -> None:
    """Swap the item with its neighbour above (-1) or below (+1), then renumber.

    Call it inside a transaction: the rows are locked while they are renumbered,
    so that two moves at once cannot leave equal numbers behind.
    """
    items = list(queryset.select_for_update().order_by("order", "pk"))
    index = next(i for i, item in enumerate(items) if item.pk == pk)
    other = index + direction
    if not 0 <= other < len(items):
        return
    moved = items[index]
    before = audit.snapshot(moved)
    items[index], items[other] = items[other], items[index]
    for order, item in enumerate(items, start=1):
        if item.order != order:
            type(item).objects.filter(pk=item.pk).update(order=order)
            item.order = order
    audit.record_update(moved, before)
