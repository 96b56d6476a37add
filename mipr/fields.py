"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

# The longest title of a finding, source, strategy or section.
TITLE_MAX = 200

# What a database id column (64-bit) can hold. Asked for a larger number,
# SQLite raises OverflowError instead of finding nothing.
ID_RANGE = range(-(2**63), 2**63)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no database can hold with its usual message."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # Django's own check refuses it
            if number not in ID_RANGE:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
