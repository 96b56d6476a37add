from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MiprConfig(AppConfig):
    name = "mipr"
    verbose_name = _("Strategy processes")
