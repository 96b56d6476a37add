import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mipr.isoweeks import Week, span_dates_label, span_label
from mipr.models import Process


class Status(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Deliverable(models.TextChoices):
    """What a milestone produces.

    The concrete object points back at its milestone (Workshop.milestone,
    strategy Version.milestone ...), so this model never needs to know the
    models of later apps; the kind says what to expect before it exists.
    """

    NONE = "", _("nothing in particular")
    WORKSHOP = "workshop", _("the workshop")
    FINDINGS = "findings", _("the findings")
    DRAFT = "draft", _("a draft version")
    STRATEGY = "strategy", _("the adopted strategy")


def _week_q(prefix: str, lookup: str, week: Week) -> Q:
    """(prefix_year, prefix_week) compared with week, e.g. start <= week."""
    strict = "lt" if lookup.startswith("lt") else "gt"
    return Q(**{f"{prefix}_year__{strict}": week.year}) | Q(
        **{f"{prefix}_year": week.year, f"{prefix}_week__{lookup}": week.number}
    )


class MilestoneQuerySet(models.QuerySet):
    def overlapping(self, first: Week, last: Week):
        """Milestones whose span shares at least one week with first..last."""
        return self.filter(_week_q("start", "lte", last), _week_q("end", "gte", first))

    def current(self, week: Week):
        return self.overlapping(week, week)


class Milestone(models.Model):
    """A row of the process plan (fremdriftsplan): a week or a span of weeks.

    The seed's table has three columns, Arbeidsform, Innhold and «Tidspunkt,
    ansvarlig»: `who` holds the first (a body such as Regionrådet, or an
    activity such as «Hente inn data»), `what` the second, the weeks and
    `responsible` the third.
    """

    process = models.ForeignKey(
        Process,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("process"),
    )
    uid = models.UUIDField(
        _("calendar id"), default=uuid.uuid4, unique=True, editable=False
    )
    who = models.CharField(
        _("working form"),
        max_length=120,
        help_text=_(
            "The plan's first column: who works, or how: Arbeidsgruppen, "
            "Regionrådet, Hente inn data …"
        ),
    )
    what = models.CharField(
        _("content"),
        max_length=300,
        help_text=_("The plan's second column: what is done, e.g. Workshop."),
    )
    start_year = models.PositiveSmallIntegerField(_("start year"))
    start_week = models.PositiveSmallIntegerField(_("start week"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    end_week = models.PositiveSmallIntegerField(_("end week"))
    responsible = models.CharField(
        _("responsible"),
        max_length=200,
        blank=True,
        help_text=_("e.g. leder, koordinator"),
    )
    responsible_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="responsible_for",
        verbose_name=_("responsible users"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    deliverable = models.CharField(
        _("produces"), max_length=20, choices=Deliverable.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Bumped on every save through the services; a stale form is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["order", "start_year", "start_week", "pk"]
        indexes = [models.Index(fields=["process", "order"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_week__gte=1, start_week__lte=53)
                & Q(end_week__gte=1, end_week__lte=53),
                name="milestone_weeks_in_range",
                violation_error_message=_("Weeks run from 1 to 53."),
            ),
            models.CheckConstraint(
                condition=Q(end_year__gt=models.F("start_year"))
                | Q(
                    end_year=models.F("start_year"),
                    end_week__gte=models.F("start_week"),
                ),
                name="milestone_ends_after_start",
                violation_error_message=_("The end week is before the start week."),
            ),
        ]

    def __str__(self):
        return f"{self.what} ({self.weeks_label})"

    def get_absolute_url(self) -> str:
        return reverse(
            "timeline:milestone", kwargs={"slug": self.process.slug, "pk": self.pk}
        )

    @property
    def start(self) -> Week:
        return Week(self.start_year, self.start_week)

    @property
    def end(self) -> Week:
        return Week(self.end_year, self.end_week)

    @property
    def first_day(self) -> datetime.date:
        return self.start.monday

    @property
    def last_day(self) -> datetime.date:
        return self.end.sunday

    @property
    def weeks_label(self) -> str:
        return span_label(self.start, self.end)

    @property
    def dates_label(self) -> str:
        return span_dates_label(self.start, self.end)

    # The rule of is_late in words, shown wherever «late» is (page, PDF).
    LATE_RULE = _(
        "«Late» means that the milestone's last week has passed and it is "
        "neither marked done nor cancelled."
    )

    def is_late(self, today: datetime.date) -> bool:
        """forsinket: the end week has passed and it is neither done nor cancelled.

        The one rule: the page, the CSV, the calendar feed and the PDF's
        appendix all show shown_status(today), with today from mipr.clock.
        """
        return today > self.last_day and self.status not in {
            Status.DONE,
            Status.CANCELLED,
        }

    def is_now(self, today: datetime.date) -> bool:
        return self.first_day <= today <= self.last_day

    def shown_status(self, today: datetime.date) -> str:
        """The status key to show: the stored one, or "late"."""
        return "late" if self.is_late(today) else self.status

    def shown_status_label(self, today: datetime.date) -> str:
        return str(_("late")) if self.is_late(today) else self.get_status_display()
