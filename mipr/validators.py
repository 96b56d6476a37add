from django.contrib.auth.password_validation import MinimumLengthValidator
from django.utils.translation import ngettext


class PortalMinimumLengthValidator(MinimumLengthValidator):
    """Django's check, with a message our catalogue translates.

    Django's own bokmål catalogue lacks the current wording of this message, so
    it would appear in English on a Norwegian page.
    """

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d "
            "character.",
            "This password is too short. It must contain at least %(min_length)d "
            "characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
