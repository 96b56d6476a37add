import secrets
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mipr.models import Process
from timeline.models import Milestone

# Easy to read aloud and to type on a phone: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# 31 symbols: six characters would give 8.9 × 10^8 codes, seven give 2.75 × 10^10,
# comfortably over the 10^9 that makes guessing hopeless.
CODE_LENGTH = 7
MAX_TEXT = 5000


def _is_unicode(text: str) -> bool:
    """False for text with a lone surrogate (JSON's "\\ud800"), which no
    database column can store and no page can show."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def new_group_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a participant typed, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in raw.upper() if ch not in " -\t")


class WorkshopStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Workshop(models.Model):
    process = models.ForeignKey(
        Process,
        on_delete=models.CASCADE,
        related_name="workshops",
        verbose_name=_("process"),
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=WorkshopStatus.choices,
        default=WorkshopStatus.DRAFT,
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("milestone it fulfils"),
    )
    # When it was last closed: participants' first names are kept for a while
    # after that (PARTICIPANT_NAME_DAYS, workshops.retention).
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-date", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        """The facilitator's page (staff); participants have their group's."""
        return reverse("workshops:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == WorkshopStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == WorkshopStatus.CLOSED

    @property
    def is_draft(self) -> bool:
        return self.status == WorkshopStatus.DRAFT


class ShapeKind(models.TextChoices):
    ITEMS = "items", _("a number of items, each with a point and a reason")
    PARTS = "parts", _("named parts, each with a text and an optional why")


class FilledSlot(NamedTuple):
    """A slot of an answer that has any text, trimmed for showing."""

    index: int
    label: str
    text: str
    why: str


@dataclass(frozen=True)
class Slot:
    """One place to write in an answer: item 1, 2, 3 … or part A, B …"""

    label: str
    prompt: str


class Question(models.Model):
    """A question and the shape of the answer it asks for.

    Every answer is stored as a list of slots, each {"text": ..., "why": ...}:
    for items the text is the point and "why" the reason; for parts the slots
    follow the question's parts in order.
    """

    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("workshop"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    prompt = models.TextField(_("question"))
    kind = models.CharField(
        _("answer shape"),
        max_length=10,
        choices=ShapeKind.choices,
        default=ShapeKind.ITEMS,
    )
    item_count = models.PositiveSmallIntegerField(_("number of items"), default=3)
    parts = models.JSONField(
        _("parts"),
        default=list,
        blank=True,
        help_text=_('For named parts: a list of {"label": "A", "prompt": "…"}.'),
    )
    ask_why = models.BooleanField(_("ask why"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["workshop", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "number"], name="one_question_number_per_workshop"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def clean(self):
        if self.kind == ShapeKind.ITEMS and not 1 <= self.item_count <= 10:
            raise ValidationError(
                {"item_count": _("A question asks for between 1 and 10 items.")}
            )
        if self.kind == ShapeKind.PARTS:
            parts = self.parts if isinstance(self.parts, list) else None
            valid = (
                bool(parts)
                and len(parts) <= 10
                and all(
                    isinstance(p, dict)
                    and isinstance(p.get("label"), str)
                    and p["label"].strip()
                    and isinstance(p.get("prompt", ""), str)
                    for p in parts
                )
            )
            labels = [p["label"].strip() for p in parts] if valid else []
            if not valid or len(set(labels)) != len(labels):
                raise ValidationError(
                    {"parts": _("Give 1 to 10 parts, each with its own label.")}
                )

    @property
    def has_parts(self) -> bool:
        """Named parts (A, B …) rather than numbered items."""
        return self.kind == ShapeKind.PARTS

    @property
    def shape_label(self) -> str:
        if self.kind == ShapeKind.PARTS:
            labels = ", ".join(part["label"] for part in self.parts)
            return str(_("parts %(labels)s") % {"labels": labels})
        return str(
            ngettext(
                "%(count)s item with a reason",
                "%(count)s items, each with a reason",
                self.item_count,
            )
            % {"count": self.item_count}
        )

    @property
    def slots(self) -> list[Slot]:
        if self.kind == ShapeKind.PARTS:
            return [
                Slot(label=p["label"], prompt=p.get("prompt", "")) for p in self.parts
            ]
        return [Slot(label=str(n), prompt="") for n in range(1, self.item_count + 1)]

    def empty_content(self) -> list[dict]:
        return [{"text": "", "why": ""} for _slot in self.slots]

    def parse_content(self, content) -> tuple[list[dict], dict[int, str]]:
        """The answer's slots, normalised, and a message for each slot refused.

        A content that does not have the question's shape (extra slots, unknown
        keys, not text) raises ValidationError as a whole: only a tampered
        request sends that. A slot whose text is refused (too long, NUL) comes
        back empty with a message, so that the caller can keep the rest.

        Text is kept as typed, apart from line endings: a form sends CRLF where
        the browser's script sees LF, and stripping spaces while someone types
        would fight their cursor. Trimming happens where text is shown.
        """
        slots = self.slots
        if not isinstance(content, list) or len(content) > len(slots):
            raise ValidationError(_("The answer does not fit this question."))
        cleaned, errors = [], {}
        for index, slot in enumerate(slots):
            raw = content[index] if index < len(content) else {}
            if not isinstance(raw, dict) or set(raw) - {"text", "why"}:
                raise ValidationError(_("The answer does not fit this question."))
            entry = {}
            for key in ("text", "why"):
                value = raw.get(key, "")
                if not isinstance(value, str):
                    raise ValidationError(_("The answer does not fit this question."))
                value = value.replace("\r\n", "\n").replace("\r", "\n")
                if "\x00" in value or not _is_unicode(value):
                    errors[index] = str(
                        _(
                            "%(slot)s: the text contains characters "
                            "that are not allowed."
                        )
                        % {"slot": slot.label}
                    )
                elif len(value) > MAX_TEXT:
                    errors[index] = self._too_long(slot, key, len(value))
                entry[key] = value
            cleaned.append(entry)
        for index in errors:
            cleaned[index] = {"text": "", "why": ""}
        return cleaned, errors

    def _too_long(self, slot: Slot, key: str, length: int) -> str:
        """Which text of which slot, how long it is and the limit, in words."""
        if self.kind == ShapeKind.PARTS:
            message = (
                _(
                    "The text in part %(label)s is too long: it has %(length)s "
                    "characters, and the limit is %(max)s."
                )
                if key == "text"
                else _(
                    "The why in part %(label)s is too long: it has %(length)s "
                    "characters, and the limit is %(max)s."
                )
            )
        else:
            message = (
                _(
                    "The text in item %(label)s is too long: it has %(length)s "
                    "characters, and the limit is %(max)s."
                )
                if key == "text"
                else _(
                    "The reason in item %(label)s is too long: it has "
                    "%(length)s characters, and the limit is %(max)s."
                )
            )
        return str(message) % {
            "label": slot.label,
            "length": number_format(length, force_grouping=True),
            "max": number_format(MAX_TEXT, force_grouping=True),
        }

    def clean_content(self, content) -> list[dict]:
        """The answer's slots, normalised, or ValidationError for the first fault."""
        cleaned, errors = self.parse_content(content)
        if errors:
            raise ValidationError(next(iter(errors.values())))
        return cleaned

    def fit_content(self, stored) -> list[dict]:
        """Stored content, fitted to the question's shape as it is now.

        The secretariat may change a shape after answers exist; slots that no
        longer exist are dropped and new ones start empty.
        """
        stored = stored if isinstance(stored, list) else []
        fitted = []
        for index in range(len(self.slots)):
            raw = stored[index] if index < len(stored) else {}
            raw = raw if isinstance(raw, dict) else {}
            fitted.append(
                {
                    "text": raw.get("text", "")
                    if isinstance(raw.get("text"), str)
                    else "",
                    "why": raw.get("why", "")
                    if isinstance(raw.get("why"), str)
                    else "",
                }
            )
        return fitted

    def filled_slots(self, stored) -> list[FilledSlot]:
        """The slots of stored content that have any text, in order, trimmed.

        What the wall, the exports, the findings and the PDF show of an answer.
        """
        filled = []
        for index, (slot, entry) in enumerate(
            zip(self.slots, self.fit_content(stored), strict=True)
        ):
            text, why = entry["text"].strip(), entry["why"].strip()
            if text or why:
                filled.append(FilledSlot(index, slot.label, text, why))
        return filled

    def missing_for_submission(self, content: list[dict]) -> list[str]:
        """What still has to be filled in before the answer can be submitted."""
        missing = []
        for slot, entry in zip(self.slots, content, strict=True):
            if not entry["text"].strip():
                missing.append(
                    str(_("%(slot)s: the text is missing") % {"slot": slot.label})
                )
            elif self.ask_why and not entry["why"].strip():
                missing.append(
                    str(_("%(slot)s: the why is missing") % {"slot": slot.label})
                )
        return missing


class Group(models.Model):
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="groups",
        verbose_name=_("workshop"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    members = models.TextField(_("members"), blank=True)
    code = models.CharField(
        _("code"), max_length=16, unique=True, default=new_group_code
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["workshop", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "number"], name="one_group_number_per_workshop"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.workshop})"

    def get_absolute_url(self) -> str:
        """The group's page, for whoever joined with its code."""
        return reverse("workshops:group", args=[self.pk])


class Answer(models.Model):
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="answers", verbose_name=_("group")
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("question"),
    )
    content = models.JSONField(_("answer"), default=list)
    edited_by = models.CharField(_("last edited by"), max_length=60, blank=True)
    edited_at = models.DateTimeField(_("last edited"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.CharField(_("submitted by"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question__number", "group__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "question"], name="one_answer_per_group_and_question"
            ),
        ]

    def __str__(self):
        return f"{self.group.name}, {self.question}"

    def get_absolute_url(self) -> str:
        return reverse("workshops:answer", args=[self.group_id, self.question.number])

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
