import json

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from timeline.models import Milestone

from .models import (
    CODE_LENGTH,
    MAX_TEXT,
    Group,
    Question,
    ShapeKind,
    Workshop,
    WorkshopStatus,
)
from .models import normalise_code as _normalise_code

NAME_MAX = 40


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Group code"),
        max_length=32,
        help_text=_("The code on the screen or on the card at your table."),
        error_messages={"required": _("Write your group's code.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "text-uppercase",
            }
        ),
    )
    name = forms.CharField(
        label=_("Your first name"),
        max_length=NAME_MAX,
        help_text=_("Shown to your group beside what you write."),
        error_messages={"required": _("Write your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = None
        self.helper = FormHelper()
        # The page's own <form> carries the token (workshops/join.html).
        self.helper.form_tag = False
        self.helper.add_input(Submit("join", _("Join")))

    def clean_code(self):
        code = _normalise_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(
                _(
                    "A group code has %(length)s characters. "
                    "Check the code and try again."
                )
                % {"length": CODE_LENGTH}
            )
        group = Group.objects.select_related("workshop").filter(code=code).first()
        if group is None:
            raise forms.ValidationError(
                _("No group has this code. Check the code and try again.")
            )
        if group.workshop.status == WorkshopStatus.DRAFT:
            raise forms.ValidationError(
                _("The workshop has not opened yet. Try again when it starts.")
            )
        if group.workshop.status == WorkshopStatus.CLOSED:
            raise forms.ValidationError(
                _("The workshop is over, so the code no longer works.")
            )
        self.group = group
        return code

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name or any(not ch.isprintable() for ch in name):
            raise forms.ValidationError(_("Write your first name."))
        return name


class AnswerForm(forms.Form):
    """The slots of one answer, for saving without JavaScript.

    `version` and `base` are what the page was rendered from, so that a save
    after someone else's is merged instead of overwriting theirs.
    """

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    base = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.slots = question.slots
        is_items = question.kind == ShapeKind.ITEMS
        for index, slot in enumerate(self.slots):
            # The fieldset's legend shows «Punkt 1» or «Del A» once; each
            # field's name says all of it, for screen readers and the copy of
            # refused text: «Spørsmål 2, punkt 1, tekst».
            names = {"number": question.number, "label": slot.label}
            if is_items:
                where = _("Question %(number)s, item %(label)s") % names
                text_label = _("Question %(number)s, item %(label)s, text") % names
                why_label = _("Question %(number)s, item %(label)s, why") % names
            else:
                where = _("Question %(number)s, part %(label)s") % names
                text_label = _("Question %(number)s, part %(label)s, text") % names
                why_label = _("Question %(number)s, part %(label)s, why") % names
            text = self._slot_field(text_label, slot, index, "text", rows=3)
            self.fields[self.field_name(index, "text")] = text
            if question.ask_why:
                why = self._slot_field(why_label, slot, index, "why", rows=2)
                why.where, why.shown_label = where, _("Why?")
                self.fields[self.field_name(index, "why")] = why

    @staticmethod
    def _slot_field(label, slot, index: int, key: str, *, rows: int):
        # No max_length: an over-long slot is refused by the service with a
        # message, while the other slots are saved and the text stays in place.
        # data-max-length is for the counter (static/js/fields.js).
        attrs = {
            "rows": rows,
            "class": "form-control",
            "data-slot": index,
            "data-key": key,
            "data-label": slot.label,
            "data-max-length": MAX_TEXT,
        }
        field = forms.CharField(
            label=label,
            required=False,
            strip=False,
            widget=forms.Textarea(attrs=attrs),
        )
        field.where, field.shown_label = "", ""  # the label is not shown
        return field

    @classmethod
    def after_save(cls, posted, *, question: Question, result) -> "AnswerForm":
        """The form again after a save that could not take all of the text.

        It shows what is saved now, except where the participant's text could not
        go in (a conflict, a refused item): there their text stays in the field,
        with the reason beside it. Saving this form again is a knowing choice.
        """
        data = posted.copy()
        data["version"] = result.answer.version
        data["base"] = json.dumps(result.content, ensure_ascii=False)
        kept = set(result.errors) | {conflict.index for conflict in result.conflicts}
        for index, entry in enumerate(result.content):
            if index not in kept:
                data[cls.field_name(index, "text")] = entry["text"]
                data[cls.field_name(index, "why")] = entry["why"]
        form = cls(data, question=question)
        form.is_valid()
        for index, message in result.errors.items():
            form.add_error(cls.field_name(index, "text"), message)
        return form

    @staticmethod
    def field_name(index: int, key: str) -> str:
        return f"slot-{index}-{key}"

    def content(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "text": data.get(self.field_name(index, "text"), ""),
                "why": data.get(self.field_name(index, "why"), ""),
            }
            for index in range(len(self.slots))
        ]

    def base_content(self):
        try:
            return json.loads(self.cleaned_data.get("base") or "null")
        except (ValueError, RecursionError):  # tampered, or nested thousands deep
            return None

    def rows(self, conflicts=()) -> list[dict]:
        """One row per slot for the template: its fields and any conflict."""
        by_index = {conflict.index: conflict for conflict in conflicts}
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = "form-control is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}-error"
        rows = []
        for index, slot in enumerate(self.slots):
            why_name = self.field_name(index, "why")
            rows.append(
                {
                    "index": index,
                    "slot": slot,
                    "text": self[self.field_name(index, "text")],
                    "why": self[why_name] if why_name in self.fields else None,
                    "conflict": by_index.get(index),
                }
            )
        return rows


class WorkshopStatusForm(forms.Form):
    status = forms.ChoiceField(choices=WorkshopStatus.choices)


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["process", "title", "date", "place", "milestone"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, processes, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["process"]
            processes = processes.filter(pk=self.instance.process_id)
        else:
            self.fields["process"].queryset = processes
            self.fields["process"].empty_label = None
        self.fields["milestone"].queryset = Milestone.objects.filter(
            process__in=processes
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean(self):
        cleaned = super().clean()
        process = cleaned.get("process") or getattr(self.instance, "process", None)
        milestone = cleaned.get("milestone")
        if milestone and process and milestone.process_id != process.pk:
            self.add_error(
                "milestone", _("Choose a milestone of the workshop's own process.")
            )
        return cleaned


class QuestionForm(forms.ModelForm):
    """A question and its answer shape. Parts are typed one per line: «A: text»."""

    parts = forms.CharField(
        label=_("Parts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only for named parts: one part per line, the label first, e.g. "
            "«A: What makes the region attractive?»."
        ),
    )

    class Meta:
        model = Question
        fields = ["number", "title", "prompt", "kind", "item_count", "parts", "ask_why"]
        widgets = {"prompt": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workshop = workshop
        self.fields["prompt"].required = False
        self.initial["parts"] = "\n".join(
            f"{part['label']}: {part.get('prompt', '')}".rstrip()
            for part in (self.instance.parts or [])
        )
        if self.instance.pk and self.instance.answers.exists():
            for name in ("kind", "item_count", "parts", "ask_why"):
                self.fields[name].disabled = True
            self.fields["kind"].help_text = _(
                "The shape cannot change once a group has answered."
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = self.instance.workshop.questions.filter(number=number).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(_("Another question has this number."))
        return number

    def clean_parts(self):
        parts = []
        for line in (self.cleaned_data.get("parts") or "").splitlines():
            if line.strip():
                label, _sep, prompt = line.partition(":")
                parts.append({"label": label.strip()[:20], "prompt": prompt.strip()})
        return parts

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != ShapeKind.PARTS:
            cleaned["parts"] = []
        return cleaned


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["number", "name", "members"]
        widgets = {"members": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workshop = workshop
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = self.instance.workshop.groups.filter(number=number).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(_("Another group has this number."))
        return number
