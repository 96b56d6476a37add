from django.db import IntegrityError, transaction

from .models import Group, new_group_code


@transaction.atomic
def group_regenerate_code(*, group: Group) -> str:
    """Give the group a new code; the old one stops working at once."""
    for _attempt in range(5):
        code = new_group_code()
        try:
            with transaction.atomic():
                Group.objects.filter(pk=group.pk).update(code=code)
        except IntegrityError:  # the one-in-billions clash with another group
            continue
        group.code = code
        return code
    raise RuntimeError("could not find a free group code")
