"""The strategy document: its versions, sections, review, adoption and PDFs."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from findings.models import Finding, Source
from mipr.fields import TITLE_MAX
from mipr.models import Process
from timeline.models import Milestone
from workshops.models import Answer


class Strategy(models.Model):
    process = models.ForeignKey(
        Process,
        on_delete=models.CASCADE,
        related_name="strategies",
        verbose_name=_("process"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["process", "-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:index")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("working draft")
    REVIEW = "review", _("for review")
    PRESENTED = "presented", _("presented")
    ADOPTED = "adopted", _("adopted")


class Version(models.Model):
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("strategy"),
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VersionStatus.choices,
        default=VersionStatus.DRAFT,
    )
    note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    published_at = models.DateTimeField(
        _("published for review"), null=True, blank=True
    )
    is_public = models.BooleanField(_("public"), default=False)
    # Review comments are for the process's members. From this moment on, the
    # comments written on this version are published too, without names; the
    # comment form says so before anyone writes.
    comments_public_from = models.DateTimeField(
        _("comments published from"), null=True, blank=True
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name=_("milestone it fulfils"),
    )
    # The PDF's appendix B (the workshops' submitted answers) as it stood when
    # the version was made public or adopted (strategy.pdf.jobs.publish_pdf):
    # a later change to an answer does not change the published document.
    # None: the appendix is read from the answers as they are.
    appendix_b = models.JSONField(
        _("workshop appendix as published"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["strategy", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"], name="one_version_number_per_strategy"
            ),
        ]

    def __str__(self):
        return f"{self.strategy} – {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "strategy:version", args=[self.strategy.process.slug, self.number]
        )

    # The version's state. What a person may do with it follows from this and
    # their role: strategy.access, asked by services, views and templates.

    @property
    def is_frozen(self) -> bool:
        """Adopted: it never changes again, and takes no more comments."""
        return self.status == VersionStatus.ADOPTED

    @property
    def is_draft(self) -> bool:
        """A working draft, not yet published for review."""
        return self.status == VersionStatus.DRAFT

    @property
    def is_under_review(self) -> bool:
        return self.status == VersionStatus.REVIEW

    @property
    def is_published(self) -> bool:
        return self.status != VersionStatus.DRAFT

    @cached_property
    def is_newest(self) -> bool:
        """No later version of the strategy exists (one query, once)."""
        return not Version.objects.filter(
            strategy_id=self.strategy_id, number__gt=self.number
        ).exists()

    @cached_property
    def superseded_by(self) -> int | None:
        """The number of the version that has replaced this one, or None.

        A later version replaces this one once it is published (or adopted):
        then the newest such version is the one to read. An adopted version
        stands until a later one is adopted. One query, once; a page that has
        all the strategy's versions at hand sets it with `know_lifecycle`.
        """
        return _superseded_by(
            self,
            Version.objects.filter(
                strategy_id=self.strategy_id, number__gt=self.number
            ).only("number", "status"),
        )

    @property
    def is_superseded(self) -> bool:
        return self.superseded_by is not None

    @property
    def status_label(self) -> str:
        """«til gjennomgang», or «erstattet av versjon 3» once replaced."""
        if self.superseded_by is not None:
            return _("replaced by version %(number)s") % {"number": self.superseded_by}
        return self.get_status_display()

    def status_label_for(self, readable: set[int]) -> str:
        """The status as told to a reader who may open the versions numbered
        `readable`: a replacement they may not read is not mentioned (the
        public is not told of a version under review)."""
        if self.superseded_by is not None and self.superseded_by not in readable:
            return self.get_status_display()
        return self.status_label


def _superseded_by(version: Version, later) -> int | None:
    replacing = [
        v.number
        for v in later
        if v.number > version.number
        and (v.is_frozen if version.is_frozen else v.is_published)
    ]
    return max(replacing, default=None)


def know_lifecycle(versions: list[Version]) -> None:
    """Set is_newest and superseded_by on versions of one strategy from the
    list itself, so that a page listing them asks the database nothing more.
    The list must hold all the strategy's versions."""
    newest = max((v.number for v in versions), default=0)
    for version in versions:
        version.is_newest = version.number == newest
        version.superseded_by = _superseded_by(version, versions)


class Section(models.Model):
    version = models.ForeignKey(
        Version,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("version"),
    )
    # The same section across versions, for the diff.
    key = models.UUIDField(_("section key"), default=uuid.uuid4, editable=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=TITLE_MAX)
    body = models.TextField(_("text (Markdown)"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    findings = models.ManyToManyField(
        Finding, blank=True, related_name="sections", verbose_name=_("findings")
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="sections", verbose_name=_("sources")
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "order", "pk"]

    def __str__(self):
        return self.heading

    def get_absolute_url(self) -> str:
        return f"{self.version.get_absolute_url()}#section-{self.pk}"


class SectionItem(models.Model):
    """An answer item a section cites."""

    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("section"),
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="+", verbose_name=_("answer")
    )
    slot = models.PositiveSmallIntegerField(_("item"))

    class Meta:
        verbose_name = _("cited answer item")
        verbose_name_plural = _("cited answer items")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "answer", "slot"], name="one_citation_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.section}: {self.answer_id}/{self.slot}"


class SectionRevision(models.Model):
    """A saved edit of a section, for its history and diffs."""

    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("section"),
    )
    revision = models.PositiveIntegerField()
    heading = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField()
    is_autosave = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("section revision")
        verbose_name_plural = _("section revisions")
        ordering = ["section", "-saved_at", "-pk"]

    def __str__(self):
        return f"{self.section} ({self.revision})"


class Comment(models.Model):
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("section"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["section", "created_at", "pk"]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return f"{self.section.version.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class Review(models.Model):
    """A council member has finished reading a published version."""

    version = models.ForeignKey(
        Version,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("version"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reader"),
    )
    finished_at = models.DateTimeField(_("finished"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "user"], name="one_review_per_reader"
            ),
        ]

    def __str__(self):
        return f"{self.version}: {self.user}"

    def get_absolute_url(self) -> str:
        return self.version.get_absolute_url()


class Decision(models.Model):
    """The adoption of a version: who decided, when, and the decision's text."""

    version = models.OneToOneField(
        Version,
        on_delete=models.CASCADE,
        related_name="decision",
        verbose_name=_("version"),
    )
    body = models.CharField(_("decided by"), max_length=200)
    meeting_date = models.DateField(_("meeting date"))
    case_number = models.CharField(_("case number"), max_length=50)
    text = models.TextField(_("decision"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.body} {self.meeting_date}, {self.case_number}"

    def get_absolute_url(self) -> str:
        return self.version.get_absolute_url()


class CoverLogo(models.Model):
    """The council's logo on the PDF's cover, one per process: a PNG or an SVG
    checked by its content (strategy.logo), kept in the database since it is
    small and every PDF of the process embeds it."""

    process = models.OneToOneField(
        Process,
        on_delete=models.CASCADE,
        related_name="cover_logo",
        verbose_name=_("process"),
    )
    data = models.BinaryField(_("image"))
    content_type = models.CharField(_("type"), max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)

    class Meta:
        verbose_name = _("cover logo")
        verbose_name_plural = _("cover logos")

    def __str__(self):
        return f"{self.process} ({self.content_type})"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being made")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class PdfExport(models.Model):
    """A PDF of one version, made in the background.

    The same version with the same options and the same content (the
    fingerprint) is one export and one file, however often it is asked for.
    """

    version = models.ForeignKey(
        Version,
        on_delete=models.CASCADE,
        related_name="exports",
        verbose_name=_("version"),
    )
    with_comments = models.BooleanField(_("with the review comments"), default=False)
    fingerprint = models.CharField(_("fingerprint of the content"), max_length=64)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
    )
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="pdf/", blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The version's PDF for everyone: made once when the version is published
    # or adopted (strategy.pdf.jobs.publish_pdf). Visitors without a role in
    # the process get this one only, and never make another.
    is_published = models.BooleanField(_("the published PDF"), default=False)

    class Meta:
        verbose_name = _("PDF export")
        verbose_name_plural = _("PDF exports")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "with_comments", "fingerprint"],
                name="one_export_per_version_options_and_content",
            ),
        ]

    def __str__(self):
        return f"{self.version} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        """The export's page, which follows it until the file is ready."""
        return reverse(
            "strategy:pdf", args=[self.version.strategy.process.slug, self.pk]
        )

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.READY and bool(self.file)

    @property
    def is_pending(self) -> bool:
        """Queued or being made: the page keeps following it."""
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def is_failed(self) -> bool:
        return self.status == ExportStatus.FAILED

    @property
    def progress_step(self) -> int:
        """1 queued, 2 being made, 3 finished (ready or failed)."""
        return {ExportStatus.QUEUED: 1, ExportStatus.RUNNING: 2}.get(self.status, 3)

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class Outline(models.Model):
    """The outline a process's strategy starts from: sections with their
    starting texts, in order. The secretariat edits it; a process without one
    starts from strategy.outline.DEFAULT."""

    process = models.OneToOneField(
        Process,
        on_delete=models.CASCADE,
        related_name="outline",
        verbose_name=_("process"),
    )
    # [{"heading": "...", "text": "..."}, ...]
    sections = models.JSONField(_("sections"), default=list)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("outline")
        verbose_name_plural = _("outlines")

    def __str__(self):
        return str(self.process)

    def get_absolute_url(self) -> str:
        return reverse("strategy:outline", args=[self.process.slug])
