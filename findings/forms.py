import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from mipr.fields import ID_RANGE, ModelMultipleChoiceField
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


# --- The tagging page ----------------------------------------------------------

ID_MAX = ID_RANGE.stop - 1  # the largest id a database can hold
SLOT_MAX = 2**15 - 1  # ItemTag.slot is a small integer

# How the tagging page's form names things (digits only, so nothing else gets
# in): an item's hidden input "answer:slot:ids", the ids being the findings it
# had when the page was made; a tick "answer:slot:finding"; an item "answer:slot".
_ITEM_SHOWN = re.compile(r"(\d{1,19}):(\d{1,5}):((?:\d{1,19},)*\d{1,19}|)", re.ASCII)
_TICK = re.compile(r"(\d{1,19}):(\d{1,5}):(\d{1,19})", re.ASCII)
_ITEM = re.compile(r"(\d{1,19}):(\d{1,5})", re.ASCII)
_NUMBER = re.compile(r"\d{1,19}", re.ASCII)

UNREADABLE = _("The tagging could not be read. Nothing changed.")


def _id(text: str) -> int:
    if not isinstance(text, str) or not _NUMBER.fullmatch(text):
        raise ValueError(text)
    number = int(text)
    if not 1 <= number <= ID_MAX:
        raise ValueError(text)
    return number


def _key(answer: str, slot: str) -> tuple[int, int]:
    """An item (answer id, slot index) from the digits the form sent."""
    if not isinstance(slot, str) or not _NUMBER.fullmatch(slot):
        raise ValueError(slot)
    if int(slot) > SLOT_MAX:
        raise ValueError(slot)
    return _id(answer), int(slot)


class ItemFindingForm(forms.ModelForm):
    """The title of a new finding typed beside an answer item on the tagging
    page: checked as FindingForm checks it (required, length, no NUL)."""

    class Meta:
        model = Finding
        fields = ["title"]

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.process = process


class TaggingForm(forms.Form):
    """The tagging page's one form: every item shown, its ticks, and the titles
    of new findings typed beside items.

    Every item on the page is named by a hidden input, so that an item left with
    no tick loses its findings; the findings it had when the page was made come
    along, so that only what was changed on the page is saved. `new` names the
    item whose «create» button was pressed: its title is then required; other
    items' titles only when typed. A page opened before this form existed posts
    one item (answer, slot, findings): that item gets exactly those findings.
    """

    back = forms.CharField(required=False)
    sted = forms.CharField(required=False)

    def __init__(self, data, *, process, new_required: bool = False):
        super().__init__(data)
        self.process = process
        self.new_required = new_required
        self.new_forms = {}  # item -> ItemFindingForm, for each title to create
        # What was sent, once readable: kept for the page shown again after an
        # error, so that no tick and no typed text is lost.
        self.posted_items = {}
        self.posted_shown = None

    @property
    def unreadable(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, code="unreadable")

    def _page_items(self):
        items, shown = {}, {}
        for value in self.data.getlist("item"):
            match = _ITEM_SHOWN.fullmatch(value)
            if match is None:
                raise ValueError(value)
            key = _key(match[1], match[2])
            items[key] = set()
            shown[key] = {_id(i) for i in match[3].split(",") if i}
        for value in self.data.getlist("tag"):
            match = _TICK.fullmatch(value)
            if match is None:
                raise ValueError(value)
            key = _key(match[1], match[2])
            if key not in items:  # a tick for an item the page did not show
                raise ValueError(value)
            items[key].add(_id(match[3]))
        return items, shown

    def _one_item(self):
        key = _key(self.data["answer"], self.data["slot"])
        return {key: {_id(pk) for pk in self.data.getlist("findings")}}, None

    def clean(self):
        cleaned = super().clean()
        try:
            if self.data.getlist("item"):
                items, shown = self._page_items()
            else:
                items, shown = self._one_item()
            new = None
            if self.new_required:
                match = _ITEM.fullmatch(self.data.get("new", ""))
                if match is None or _key(match[1], match[2]) not in items:
                    raise ValueError("new")
                new = _key(match[1], match[2])
        except (KeyError, ValueError, TypeError):
            raise ValidationError(UNREADABLE, code="unreadable") from None
        self.posted_items, self.posted_shown = items, shown
        for answer_id, slot in items:
            prefix = f"new-{answer_id}-{slot}"
            typed = self.data.get(f"{prefix}-title", "")
            if (answer_id, slot) == new or typed.strip():
                self.new_forms[(answer_id, slot)] = ItemFindingForm(
                    self.data, prefix=prefix, process=self.process
                )
        if not all([form.is_valid() for form in self.new_forms.values()]):
            raise ValidationError(
                _("The new finding could not be created. Nothing changed."),
                code="title",
            )
        cleaned["items"] = items
        cleaned["shown"] = shown
        cleaned["new_findings"] = {
            key: form.cleaned_data["title"] for key, form in self.new_forms.items()
        }
        cleaned["new"] = new
        return cleaned


class ItemForm(forms.Form):
    """One answer item, named by the tagging page's script (JSON)."""

    answer = forms.IntegerField(min_value=1, max_value=ID_MAX)
    slot = forms.IntegerField(min_value=0, max_value=SLOT_MAX)


class TickForm(ItemForm):
    """One tick of the tagging page's script: a finding on or off one item."""

    finding = forms.IntegerField(min_value=1, max_value=ID_MAX)
    checked = forms.BooleanField(required=False)

    def clean_checked(self):
        # JSON's true or false only: "false" or 0 would read as a tick.
        if not isinstance(self.data.get("checked"), bool):
            raise ValidationError(UNREADABLE, code="unreadable")
        return self.data["checked"]


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
