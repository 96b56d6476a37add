from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    name = "findings"
    verbose_name = _("Findings")

    def ready(self):
        from mipr import audit

        from . import extensions  # noqa: F401 - the export column, the milestone part
        from . import models as m

        audit.register(m.Source, "process_id")
        audit.register(m.Finding, "process_id")
        audit.register(m.ItemTag, "finding.process_id")
        audit.register(m.FindingsSummary, "process_id")
