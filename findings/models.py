"""Findings (funn) and the evidence base (kunnskapsgrunnlag).

A finding is a theme that answer items and sources support; the working group
tags workshop answers into findings and keeps the reports and interviews it
draws on. The strategy document cites both.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mipr.fields import TITLE_MAX
from mipr.models import Process
from timeline.models import Milestone
from workshops.models import Answer


class SourceKind(models.TextChoices):
    REPORT = "report", _("report")
    INTERVIEW = "interview", _("interview")
    DIALOGUE = "dialogue", _("dialogue")


class SourceStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class Source(models.Model):
    """A report, an interview or a dialogue in the evidence base (kunnskapsgrunnlag)."""

    process = models.ForeignKey(
        Process,
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name=_("process"),
    )
    kind = models.CharField(
        _("type"), max_length=12, choices=SourceKind.choices, default=SourceKind.REPORT
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    url = models.URLField(_("link"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_sources",
        verbose_name=_("assigned to"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SourceStatus.choices,
        default=SourceStatus.NOT_STARTED,
    )
    says = models.TextField(
        _("what the source says"),
        blank=True,
        help_text=_("The main points, in your own words or as short quotes."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["process", "kind", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("findings:source-edit", args=[self.process.slug, self.pk])


class Finding(models.Model):
    """A finding (funn): a theme that answers and sources support."""

    process = models.ForeignKey(
        Process,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("process"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    sources = models.ManyToManyField(
        Source, blank=True, related_name="findings", verbose_name=_("sources")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["process", "order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        """The finding in the theme view."""
        url = reverse("findings:themes", args=[self.process.slug])
        return f"{url}#finding-{self.pk}"


class ItemTag(models.Model):
    """One answer item (or part) tagged as supporting a finding.

    Items live inside Answer.content as a list of slots, so a tag names the
    answer and the slot's index. One item can support several findings.
    """

    finding = models.ForeignKey(
        Finding,
        on_delete=models.CASCADE,
        related_name="tags",
        verbose_name=_("finding"),
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="tags", verbose_name=_("answer")
    )
    slot = models.PositiveSmallIntegerField(_("item"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tagged item")
        verbose_name_plural = _("tagged items")
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "answer", "slot"],
                name="one_tag_per_item_and_finding",
            ),
        ]

    def __str__(self):
        return f"{self.finding}: {self.answer_id}/{self.slot}"

    def get_absolute_url(self) -> str:
        return self.finding.get_absolute_url()


class FindingsSummary(models.Model):
    """Whether the uke-20 summary is shared with the council members."""

    process = models.OneToOneField(
        Process,
        on_delete=models.CASCADE,
        related_name="findings_summary",
        verbose_name=_("process"),
    )
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings_summaries",
        verbose_name=_("milestone it fulfils"),
    )

    class Meta:
        verbose_name = _("findings summary")
        verbose_name_plural = _("findings summaries")

    def __str__(self):
        return str(self.process)

    def get_absolute_url(self) -> str:
        return reverse("findings:summary", args=[self.process.slug])

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None
