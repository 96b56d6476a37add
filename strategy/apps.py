from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Strategy")

    def ready(self):
        from mipr import audit

        from . import (
            extensions,  # noqa: F401 - the milestone's and finding's parts
            tasks,  # noqa: F401 - registers the Celery tasks
        )
        from . import models as m

        audit.register(m.Strategy, "process_id")
        audit.register(m.Version, "strategy.process_id")
        audit.register(m.Section, "version.strategy.process_id")
        audit.register(m.Comment, "section.version.strategy.process_id")
        audit.register(m.Review, "version.strategy.process_id")
        audit.register(m.Decision, "version.strategy.process_id")
        audit.register(m.PdfExport, "version.strategy.process_id")
        audit.register(m.Outline, "process_id")
