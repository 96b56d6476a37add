from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """MIPR's process from the seed document, and generated load-test data.

    It sits above every other app: it fills them all, and none of them knows it.
    """

    name = "demo"
    verbose_name = _("Demo data")
