from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = _("Process plan")

    def ready(self):
        from mipr import audit

        from . import extensions  # noqa: F401 - registers the front-page panel
        from .models import Milestone

        audit.register(Milestone, "process_id")
