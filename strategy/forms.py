from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from mipr.fields import ModelMultipleChoiceField
from mipr.models import Role

from .models import TITLE_MAX, Finding, Source


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


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
        self.helper = _helper(_("Save"))


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
        self.helper = _helper(_("Merge"))

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
    findings = ModelMultipleChoiceField(queryset=Finding.objects.none(), required=False)

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        # Any finding id is accepted here; the service refuses other processes'.
        self.fields["findings"].queryset = Finding.objects.all()
        self.process = process


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
        self.helper = _helper(_("Save"))


class StartForm(forms.Form):
    """The strategy's title, and which findings each outline section draws on."""

    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args, process, outline, **kwargs):
        super().__init__(*args, **kwargs)
        self.outline = outline
        for index, (heading, _text) in enumerate(outline):
            self.fields[f"section_{index}"] = ModelMultipleChoiceField(
                queryset=process.findings.all(),
                required=False,
                label=heading,
                widget=forms.CheckboxSelectMultiple,
            )
        self.helper = _helper(_("Start the strategy"))

    def assignments(self) -> dict:
        return {
            index: list(self.cleaned_data.get(f"section_{index}") or [])
            for index in range(len(self.outline))
        }


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=200)
    body = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Markdown: ## heading, - list, **bold**, *italic*, [link](https://…), "
            "tables with | columns |."
        ),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    findings = ModelMultipleChoiceField(
        queryset=Finding.objects.none(),
        required=False,
        label=_("Findings it cites"),
        widget=forms.CheckboxSelectMultiple,
    )
    sources = ModelMultipleChoiceField(
        queryset=Source.objects.none(),
        required=False,
        label=_("Sources it cites"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = process.findings.all()
        self.fields["sources"].queryset = process.sources.all()


class NewSectionForm(forms.Form):
    # No max_length: a long heading is cut, as the page has always done.
    heading = forms.CharField(
        error_messages={"required": _("Give the new section a heading.")}
    )

    def clean_heading(self):
        return self.cleaned_data["heading"][:TITLE_MAX].strip()


class CommentForm(forms.Form):
    section = forms.IntegerField(widget=forms.HiddenInput)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )


class DecisionForm(forms.Form):
    body = forms.CharField(
        label=_("Decided by"), max_length=200, initial="Representantskapet"
    )
    meeting_date = forms.DateField(
        label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    case_number = forms.CharField(label=_("Case number"), max_length=50)
    text = forms.CharField(
        label=_("The decision"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Adopt this version"))


class NewVersionForm(forms.Form):
    note = forms.CharField(
        label=_("What will change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
