from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from findings.models import Finding, Source
from mipr.fields import TITLE_MAX, ModelMultipleChoiceField

from .logo import MAX_BYTES, logo_check
from .outline import MAX_SECTIONS, MAX_TEXT, OutlineSection


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class StartForm(forms.Form):
    """The strategy's title, and which findings each outline section draws on."""

    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args, process, outline, **kwargs):
        super().__init__(*args, **kwargs)
        self.outline = outline
        for index, section in enumerate(outline):
            self.fields[f"section_{index}"] = ModelMultipleChoiceField(
                queryset=process.findings.all(),
                required=False,
                label=section.heading,
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
            "Markdown: ### heading, - list, **bold**, *italic*, [link](https://…), "
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
        # The page (strategy/adopt.html) writes the form tag and the buttons:
        # it is the confirmation step too.
        self.helper = FormHelper()
        self.helper.form_tag = False


class NewVersionForm(forms.Form):
    note = forms.CharField(
        label=_("What will change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OutlineSectionForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=_("Starting text (Markdown)"),
        required=False,
        strip=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BaseOutlineFormSet(forms.BaseFormSet):
    """The outline's sections; `version` (a field of its own in the page's
    form) is the outline's version when the page was opened."""

    default_error_messages = {
        "too_many_forms": _("An outline can have at most %(num)d sections."),
        "missing_management_form": _("The page is out of date. Reload it."),
    }

    @classmethod
    def for_sections(cls, sections: list[OutlineSection], *, version: int):
        formset = cls(
            initial=[{"heading": s.heading, "text": s.text} for s in sections]
        )
        formset.version = version
        return formset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = 0
        self.refused = ""
        if self.is_bound:
            try:
                self.version = int(self.data.get("version", ""))
            except ValueError:
                self.version = None

    def clean(self):
        super().clean()
        if self.version is None or self.version < 0:
            raise forms.ValidationError(_("The page is out of date. Reload it."))

    def sections(self) -> list[OutlineSection]:
        """The kept sections in the order given (blank extra rows left out)."""
        return [
            OutlineSection(
                form.cleaned_data["heading"].strip(),
                form.cleaned_data.get("text", "").replace("\r\n", "\n"),
            )
            for form in self.ordered_forms
        ]

    def refuse(self, message: str) -> None:
        self.refused = message

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields[forms.formsets.ORDERING_FIELD_NAME].label = _("Place")
        form.fields[forms.formsets.DELETION_FIELD_NAME].label = _("Remove this section")


OutlineFormSet = forms.formset_factory(
    OutlineSectionForm,
    formset=BaseOutlineFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=MAX_SECTIONS,
    validate_max=True,
)


class CoverLogoForm(forms.Form):
    """The council's logo for the PDF's cover: PNG or SVG, checked by content."""

    logo = forms.FileField(
        label=_("Logo (PNG or SVG)"),
        required=False,
        help_text=_("At most 512 kB. Shown on the cover of every PDF of the process."),
    )
    remove = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))
        self.helper.form_enctype = "multipart/form-data"

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > MAX_BYTES:
            # Refused before it is read.
            raise forms.ValidationError(
                _("The logo may be at most %(max)s kB.") % {"max": MAX_BYTES // 1024}
            )
        data = upload.read()
        logo_check(data)
        return data

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("logo") and not cleaned.get("remove") and not self.errors:
            raise forms.ValidationError(_("Choose a file, or tick «Remove the logo»."))
        return cleaned
