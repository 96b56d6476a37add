from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from mipr.fields import ModelMultipleChoiceField
from mipr.isoweeks import InvalidWeek, Week

from .models import Milestone, Status
from .services import EDITABLE_FIELDS


class MilestoneForm(forms.ModelForm):
    # The version the form was loaded at; a stale one is refused on save.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Milestone
        fields = [*EDITABLE_FIELDS, "responsible_users"]
        field_classes = {"responsible_users": ModelMultipleChoiceField}
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "responsible_users": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_users"].queryset = (
            get_user_model()
            .objects.filter(memberships__process=process)
            .order_by("first_name", "username")
        )
        self.fields["responsible_users"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )
        for name in ("start_year", "end_year"):
            self.fields[name].widget.attrs.update(
                min=2000, max=2100, inputmode="numeric"
            )
        for name in ("start_week", "end_week"):
            self.fields[name].widget.attrs.update(min=1, max=53, inputmode="numeric")
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version
        elif not self.is_bound:
            self.initial.setdefault("version", 1)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "who",
            "what",
            Row(
                Column("start_week", css_class="col-6 col-md-3"),
                Column("start_year", css_class="col-6 col-md-3"),
                Column("end_week", css_class="col-6 col-md-3"),
                Column("end_year", css_class="col-6 col-md-3"),
            ),
            "responsible",
            Field("responsible_users"),
            Row(
                Column("status", css_class="col-md-6"),
                Column("deliverable", css_class="col-md-6"),
            ),
            "notes",
            "version",
        )
        self.helper.add_input(Submit("save", _("Save")))

    def _week(self, prefix: str) -> Week | None:
        year = self.cleaned_data.get(f"{prefix}_year")
        number = self.cleaned_data.get(f"{prefix}_week")
        if year is None or number is None:
            return None
        try:
            return Week(year, number)
        except InvalidWeek as error:
            self.add_error(f"{prefix}_week", str(error))
            return None

    def clean(self):
        cleaned = super().clean()
        start, end = self._week("start"), self._week("end")
        if start and end and end < start:
            self.add_error("end_week", _("The end week is before the start week."))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
