"""Edits that cross: one stale-edit error, one way to keep the user's text.

Every edit form carries the version (or revision) of the object it was opened
at. A service that finds a newer one saved raises `Stale` with what is saved
now; the view answers 409 with `rebind()`'s form, which holds the user's own
text and the saved version, and the partial templates/partials/conflict.html,
which shows what is saved. Saving that form again replaces the saved text
knowingly.
"""

from django import forms
from django.db import models
from django.utils.text import capfirst

from .errors import Conflict


class Stale(Conflict):
    """Someone saved the object after this form was opened."""

    def __init__(self, current: models.Model, *, field: str = "version"):
        super().__init__()
        self.current = current
        # The form field (and the model's attribute) that names the version.
        self.field = field


def check_version(current: models.Model, expected, *, field: str = "version"):
    """Raise Stale unless `current` is still at the version the form had."""
    if getattr(current, field) != expected:
        raise Stale(current, field=field)


def rebind(form_class, data, stale: Stale, **kwargs) -> forms.BaseForm:
    """The user's form again, based on what is saved now, validated."""
    data = data.copy()
    data[stale.field] = getattr(stale.current, stale.field)
    if issubclass(form_class, forms.BaseModelForm):
        # A copy: validating writes the user's text into the instance, and
        # stale.current must keep showing what is saved.
        model = type(stale.current)
        kwargs["instance"] = model._default_manager.get(pk=stale.current.pk)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def saved_rows(current: models.Model, fields) -> list[tuple[str, str]]:
    """(label, value) of what is saved now, for the conflict partial.

    A field is named by its name (its verbose name and displayed value), or
    given as (label, attribute) for anything else the object has.
    """
    rows = []
    for spec in fields:
        if isinstance(spec, tuple):
            label, attribute = spec
            value = getattr(current, attribute)
        else:
            field = current._meta.get_field(spec)
            label = capfirst(field.verbose_name)
            if field.choices:
                value = getattr(current, f"get_{spec}_display")()
            else:
                value = getattr(current, spec)
        rows.append((str(label), "" if value is None else str(value)))
    return rows
