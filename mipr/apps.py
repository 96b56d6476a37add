from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MiprConfig(AppConfig):
    name = "mipr"
    verbose_name = _("Strategy processes")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .security import on_login, on_login_failed

        user_logged_in.connect(on_login, dispatch_uid="mipr.security.on_login")
        user_login_failed.connect(
            on_login_failed, dispatch_uid="mipr.security.on_login_failed"
        )

        from . import audit, retention  # noqa: F401 - retention registers its part
        from .models import Membership, Process

        audit.register(Process, "id")
        audit.register(Membership, "process_id")
