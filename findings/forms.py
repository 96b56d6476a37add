from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from mipr.fields import ModelMultipleChoiceField
from mipr.models import Role

from .models import Finding, Source


class FindingForm(forms.ModelForm):
    """A finding's text and sources; `version` catches a colleague's save."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Finding
        fields = ["title", "description", "sources"]
        field_classes = {"sources": ModelMultipleChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "sources": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.process = process
        self.fields["sources"].queryset = process.sources.all()
        self.fields["sources"].required = False
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Finding.objects.none(),
        label=_("Keep this finding"),
        empty_label=None,
    )
    others = ModelMultipleChoiceField(
        queryset=Finding.objects.none(),
        label=_("… and merge these into it"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = process.findings.all()
        self.fields["others"].queryset = process.findings.all()
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Merge")))

    def clean(self):
        cleaned = super().clean()
        into, others = cleaned.get("into"), cleaned.get("others")
        if into and others is not None and not [o for o in others if o != into]:
            raise forms.ValidationError(_("Choose at least one other finding."))
        return cleaned


class TagForm(forms.Form):
    """The findings one answer item supports (checkboxes)."""

    answer = forms.IntegerField(widget=forms.HiddenInput)
    slot = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # Any finding id is accepted here; the service refuses other processes'.
    findings = ModelMultipleChoiceField(queryset=Finding.objects.all(), required=False)


class SourceForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    url = forms.URLField(
        label=_("link"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Source
        fields = [
            "kind",
            "title",
            "url",
            "date",
            "assigned_to",
            "status",
            "notes",
            "says",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "says": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.process = process
        self.fields["assigned_to"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__process=process,
                memberships__role__in=[Role.SECRETARIAT, Role.WORKING_GROUP],
            )
            .order_by("first_name", "username")
        )
        self.fields["assigned_to"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
