from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")

    def ready(self):
        from mipr import audit

        from . import (
            extensions,  # noqa: F401 - the front page's and milestone's parts
            retention,  # noqa: F401 - participants' names fade
        )
        from .models import Answer, Group, Question, Workshop

        audit.register(Workshop, "process_id")
        audit.register(Question, "workshop.process_id")
        audit.register(Group, "workshop.process_id")
        audit.register(Answer, "group.workshop.process_id")
