from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person may do in one process. Held per process by a Membership."""

    SECRETARIAT = "sekretariat", _("Secretariat")
    WORKING_GROUP = "arbeidsgruppe", _("Working group")
    COUNCIL_MEMBER = "radsmedlem", _("Council member")


class ProcessQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Process(models.Model):
    """One council's process towards one strategy (strategiprosess).

    Everything the other apps make belongs to a process, so that another
    regional council, or MIPR's next strategy, can run in the same installation.
    """

    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    council = models.CharField(_("council"), max_length=200)
    council_short = models.CharField(_("council abbreviation"), max_length=20)
    period_start = models.PositiveSmallIntegerField(_("strategy period from"))
    period_end = models.PositiveSmallIntegerField(_("strategy period to"))
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The year in which the process runs.")
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Published parts, such as the process plan, are open to everyone."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategy process")
        verbose_name_plural = _("strategy processes")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="process_period_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        """A process is known by its plan, the one page every process has."""
        return self.get_plan_url()

    def get_plan_url(self) -> str:
        return reverse("timeline:plan", kwargs={"slug": self.slug})

    @property
    def period_label(self) -> str:
        return f"{self.period_start}–{self.period_end}"

    def role_of(self, user) -> Role | None:
        """The user's role in this process, or None for outsiders."""
        if not user.is_authenticated:
            return None
        role = (
            Membership.objects.filter(process=self, user=user)
            .values_list("role", flat=True)
            .first()
        )
        return Role(role) if role else None


class Membership(models.Model):
    process = models.ForeignKey(
        Process,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("process"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["process", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "user"], name="one_role_per_user_and_process"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.process})"


class AuditEntry(models.Model):
    """One edit: who changed what, and when (see mipr.audit).

    No database constraint ties an entry to its process or user: the log
    outlives what it describes.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        DELETED = "deleted", _("deleted")

    process = models.ForeignKey(
        Process,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("process"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor = models.CharField(_("changed by"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("kind"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("what"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["process", "-at"], name="audit_process_at"),
            models.Index(fields=["model", "object_id", "-at"], name="audit_object"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"

    @property
    def model_class(self):
        from django.apps import apps

        try:
            return apps.get_model(self.model)
        except LookupError:
            return None

    @property
    def kind(self) -> str:
        model = self.model_class
        return str(model._meta.verbose_name) if model else self.model
