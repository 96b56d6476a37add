from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Log in")))


class PortalPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Change password")))


class ProfileForm(forms.ModelForm):
    """A person's own name and e-mail address (the review mail goes there)."""

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "email"]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "email": _("E-mail address"),
        }
        help_texts = {
            "email": _(
                "The portal tells you here when a version is ready for you to "
                "read. Leave it empty and you get no e-mail."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
        self.fields["last_name"].widget.attrs.update(autocomplete="family-name")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AuditFilterForm(forms.Form):
    """The audit log's filters (GET): kind, person and a range of dates.

    What cannot be read is left out of the filter and said, never an error
    page: a bookmarked address with an old kind or person still opens."""

    def __init__(self, data, *, kinds: dict[str, str], people: list[str]):
        super().__init__(data)
        self.fields["type"] = forms.ChoiceField(
            label=_("Kind"),
            required=False,
            widget=forms.Select(attrs={"class": "form-select"}),
            choices=[("", _("All kinds"))]
            + [
                (value, label[:1].upper() + label[1:]) for value, label in kinds.items()
            ],
        )
        self.fields["person"] = forms.ChoiceField(
            label=_("Who"),
            required=False,
            widget=forms.Select(attrs={"class": "form-select"}),
            choices=[("", _("Everyone"))]
            + [(name or "-", name or _("the system")) for name in people],
        )
        self.fields["fra"] = forms.DateField(
            label=_("From"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
        )
        self.fields["til"] = forms.DateField(
            label=_("To"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("fra"), data.get("til")
        if start and end and start > end:
            self.add_error("til", _("The last day comes before the first."))
        return data

    def filters(self) -> dict:
        """The filters that could be read (the others are said on the page)."""
        self.is_valid()
        self._clear_unreadable_dates()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in ("", None)
        }

    def _clear_unreadable_dates(self):
        """A date input must hold a date (or nothing): what could not be read
        is named in the message instead, and the field shown empty."""
        data = self.data.copy()
        for name in ("fra", "til"):
            refused = data.get(name, "")
            if name in self.errors and self.errors[name].as_data()[0].code == "invalid":
                shown = refused if len(refused) <= 40 else refused[:39] + "…"
                self.errors[name] = self.error_class(
                    [
                        _(
                            "«%(value)s» is not a date: pick one in the calendar "
                            "or write it as 11.04.2026."
                        )
                        % {"value": shown}
                    ]
                )
                data[name] = ""
        self.data = data
