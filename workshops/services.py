"""What a workshop does: open and close it, save, merge and submit answers."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mipr import audit, errors
from mipr.errors import NotAllowed

from .models import (
    Answer,
    FilledSlot,
    Group,
    Question,
    Workshop,
    WorkshopStatus,
    new_group_code,
)


class AnswerChanged(errors.Conflict):
    """The answer changed after the participant was asked to submit it."""


class AnswerLocked(NotAllowed):
    """The answer cannot be changed now: the workshop is closed or it is submitted."""

    def __init__(self, message=None, *, reason: str = "closed"):
        super().__init__(message)
        self.reason = reason  # "closed" or "submitted", for the page's script


@dataclass
class Conflict:
    """A slot that both this participant and someone else changed differently."""

    index: int
    label: str
    theirs: dict
    by: str


@dataclass
class SaveResult:
    answer: Answer
    # "saved": the client was up to date; "merged": someone else had saved, and
    # their changes and these were in different slots; "conflict": some slots
    # were changed by both, and the other's text was kept there.
    outcome: str
    conflicts: list[Conflict] = field(default_factory=list)
    # Slots whose text was refused (too long ...), by index: their message.
    errors: dict[int, str] = field(default_factory=dict)

    @property
    def content(self) -> list[dict]:
        return self.answer.question.fit_content(self.answer.content)


@transaction.atomic
def group_regenerate_code(*, group: Group) -> str:
    """Give the group a new code; the old one stops working at once."""
    before = audit.snapshot(group)
    for _attempt in range(5):
        code = new_group_code()
        try:
            with transaction.atomic():
                Group.objects.filter(pk=group.pk).update(code=code)
        except IntegrityError:  # the one-in-billions clash with another group
            continue
        group.code = code
        audit.record_update(group, before)
        return code
    raise RuntimeError("could not find a free group code")


def _has_text(answers) -> bool:
    return any(
        answer.question.filled_slots(answer.content)
        for answer in answers.select_related("question")
    )


def why_not_deletable_question(question: Question) -> str | None:
    """Answered questions are kept: None when it may be deleted."""
    if _has_text(question.answers.all()):
        return _("Groups have answered this question, so it cannot be deleted.")
    return None


def why_not_deletable_group(group: Group) -> str | None:
    """Groups that have written are kept: None when it may be deleted."""
    if _has_text(group.answers.all()):
        return _("This group has written answers, so it cannot be deleted.")
    return None


@transaction.atomic
def question_delete(*, question: Question) -> None:
    """Delete a question nobody has answered yet; answered ones are kept."""
    reason = why_not_deletable_question(question)
    if reason:
        raise ValidationError(reason)
    question.delete()


@transaction.atomic
def group_delete(*, group: Group) -> None:
    """Delete a group that has not written anything yet."""
    reason = why_not_deletable_group(group)
    if reason:
        raise ValidationError(reason)
    group.delete()


def workshop_set_status(*, workshop: Workshop, status: str) -> Workshop:
    """Open, close or reopen a workshop. Opening needs questions and groups."""
    if status not in WorkshopStatus.values:
        raise ValidationError(_("Unknown status."))
    if status == WorkshopStatus.OPEN and not (
        workshop.questions.exists() and workshop.groups.exists()
    ):
        raise ValidationError(
            _("A workshop needs at least one question and one group to open.")
        )
    before = audit.snapshot(workshop)
    closed_at = timezone.now() if status == WorkshopStatus.CLOSED else None
    Workshop.objects.filter(pk=workshop.pk).update(status=status, closed_at=closed_at)
    workshop.status, workshop.closed_at = status, closed_at
    audit.record_update(workshop, before)
    return workshop


def merge_slots(
    *, base: list[dict] | None, mine: list[dict], theirs: list[dict]
) -> tuple[list[dict], list[int]]:
    """A three-way merge, slot by slot, and the slots that conflict.

    `base` is what this participant's browser last had from the server. A slot
    only one side changed takes that side's text; a slot both changed to
    different texts keeps theirs (what is saved) and is reported, so that the
    participant can choose. Without a usable base every differing slot conflicts.
    """
    merged, conflicts = [], []
    for index, (my_slot, their_slot) in enumerate(zip(mine, theirs, strict=True)):
        base_slot = base[index] if base is not None else None
        if my_slot in (their_slot, base_slot):
            merged.append(their_slot)
        elif their_slot == base_slot:
            merged.append(my_slot)
        else:
            merged.append(their_slot)
            conflicts.append(index)
    return merged, conflicts


def _check_same_workshop(group: Group, question: Question) -> None:
    if group.workshop_id != question.workshop_id:
        raise ValueError("the group and the question belong to different workshops")


def _locked_answer(*, group: Group, question: Question) -> Answer:
    """The group's answer to the question, created empty if need be, row-locked."""
    locked = Answer.objects.select_for_update()
    answer = locked.filter(group=group, question=question).first()
    if answer is None:  # the first save: create it (safe against a race), then lock
        answer, _created = Answer.objects.get_or_create(
            group=group,
            question=question,
            defaults={"content": question.empty_content(), "version": 0},
        )
        answer = locked.get(pk=answer.pk)
    answer.group, answer.question = group, question
    return answer


def _check_workshop_open(question: Question) -> None:
    # Read inside the transaction, so that closing the workshop wins at once.
    status = Workshop.objects.values_list("status", flat=True).get(
        pk=question.workshop_id
    )
    if status != WorkshopStatus.OPEN:
        raise AnswerLocked(_("The workshop is closed. The answers can only be read."))


def _check_editable(answer: Answer) -> None:
    _check_workshop_open(answer.question)
    if answer.is_submitted:
        raise AnswerLocked(
            _("This answer has been submitted. Take the submission back to change it."),
            reason="submitted",
        )


@transaction.atomic
def answer_save(
    *,
    group: Group,
    question: Question,
    content,
    version: int,
    base=None,
    editor: str,
) -> SaveResult:
    """Save what a participant typed, without ever overwriting newer text.

    `version` is the version the participant's page had, `base` the content it
    had then. When someone saved in between, the two are merged slot by slot
    (see merge_slots). Raises ValidationError for content that does not fit the
    question, AnswerLocked when the answer cannot be changed now.
    """
    _check_same_workshop(group, question)
    mine, errors = question.parse_content(content)
    answer = _locked_answer(group=group, question=question)
    _check_editable(answer)
    theirs = question.fit_content(answer.content)
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationError(_("The answer does not fit this question."))
    if not 0 <= version <= answer.version:
        raise ValidationError(_("The page is out of date. Reload it."))
    # A refused slot counts as untouched: what is saved there stays.
    for index in errors:
        mine[index] = theirs[index]

    if version == answer.version:
        merged, conflict_indexes, outcome = mine, [], "saved"
    else:
        try:
            base_content, _base_errors = question.parse_content(base)
        except ValidationError:
            base_content = None
        merged, conflict_indexes = merge_slots(
            base=base_content, mine=mine, theirs=theirs
        )
        outcome = "conflict" if conflict_indexes else "merged"

    slots = question.slots
    conflicts = [
        Conflict(index=i, label=slots[i].label, theirs=theirs[i], by=answer.edited_by)
        for i in conflict_indexes
    ]
    if merged != theirs:
        answer.content = merged
        answer.version += 1
        answer.edited_by = editor
        answer.edited_at = timezone.now()
        answer.save(update_fields=["content", "version", "edited_by", "edited_at"])
    return SaveResult(
        answer=answer, outcome=outcome, conflicts=conflicts, errors=errors
    )


@transaction.atomic
def answer_submit(
    *, group: Group, question: Question, editor: str, version: int | None = None
) -> Answer:
    """Mark the group's answer as submitted (levert), if it is complete.

    `version` is the version the participant was asked about: if someone saved
    since, nothing is submitted (AnswerChanged), checked under the row lock.
    """
    _check_same_workshop(group, question)
    answer = _locked_answer(group=group, question=question)
    _check_editable(answer)
    if version is not None and answer.version != version:
        raise AnswerChanged(
            _(
                "Someone in your group changed the answer after you were asked, "
                "so it was not submitted. Read it again, then submit once more."
            )
        )
    missing = question.missing_for_submission(question.fit_content(answer.content))
    if missing:
        raise ValidationError(missing)
    answer.submitted_at = timezone.now()
    answer.submitted_by = editor
    answer.save(update_fields=["submitted_at", "submitted_by"])
    return answer


@transaction.atomic
def answer_withdraw(*, group: Group, question: Question) -> Answer:
    """Take a submission back, so that the group can change the answer again."""
    _check_same_workshop(group, question)
    answer = _locked_answer(group=group, question=question)
    _check_workshop_open(question)
    answer.submitted_at = None
    answer.submitted_by = ""
    answer.save(update_fields=["submitted_at", "submitted_by"])
    return answer


def wall_fingerprint(*, workshop: Workshop, question: Question) -> str:
    """A value that changes whenever what the wall shows for a question changes.

    One aggregate query, so that a projector polling every few seconds costs
    almost nothing while nobody types.
    """
    figures = Answer.objects.filter(question=question).aggregate(
        count=Count("pk"),
        versions=Sum("version"),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        edited=Max("edited_at"),
        last_submitted=Max("submitted_at"),
    )
    return "-".join(
        str(part)
        for part in (
            workshop.status,
            question.pk,
            figures["count"],
            figures["versions"] or 0,
            figures["submitted"],
            figures["edited"].timestamp() if figures["edited"] else 0,
            figures["last_submitted"].timestamp() if figures["last_submitted"] else 0,
        )
    )


@dataclass
class ProgressCell:
    question: Question
    state: str  # "empty", "started" or "submitted"
    answer: Answer | None

    @property
    def is_submitted(self) -> bool:
        return self.state == "submitted"

    @property
    def is_started(self) -> bool:
        return self.state == "started"

    @property
    def readable(self) -> list[tuple[str, str, str]]:
        """(label, text, why) of each slot with text, for reading the answer."""
        if self.answer is None:
            return []
        filled = self.question.filled_slots(self.answer.content)
        return [(slot.label, slot.text, slot.why) for slot in filled]

    @classmethod
    def of(cls, question: Question, answer: Answer | None) -> "ProgressCell":
        if answer is not None and answer.is_submitted:
            state = "submitted"
        elif answer is not None and question.filled_slots(answer.content):
            state = "started"
        else:
            state = "empty"
        return cls(question=question, state=state, answer=answer)


def workshop_progress(*, workshop: Workshop) -> tuple[list[Question], list[tuple]]:
    """Each group with one cell per question: empty, started or submitted.

    Three queries whatever the number of groups.
    """
    questions = list(workshop.questions.all())
    groups = list(workshop.groups.all())
    answers = {
        (answer.group_id, answer.question_id): answer
        for answer in Answer.objects.filter(question__workshop=workshop)
    }
    rows = [
        (
            group,
            [
                ProgressCell.of(question, answers.get((group.pk, question.pk)))
                for question in questions
            ],
        )
        for group in groups
    ]
    return questions, rows


def group_is_finished(cells: list[ProgressCell]) -> bool:
    """Every question of the workshop has the group's submitted answer."""
    return bool(cells) and all(cell.is_submitted for cell in cells)


def group_progress(*, group: Group) -> list[ProgressCell]:
    """The group's own overview: each question and how far the group has come."""
    answers = {answer.question_id: answer for answer in group.answers.all()}
    return [
        ProgressCell.of(question, answers.get(question.pk))
        for question in group.workshop.questions.all()
    ]


@dataclass
class WallEntry:
    group: Group
    answer: Answer | None
    filled: list[FilledSlot]


def wall_entries(*, workshop: Workshop, question: Question) -> list[WallEntry]:
    """What the projector shows for one question: every group, in order."""
    answers = {
        answer.group_id: answer for answer in Answer.objects.filter(question=question)
    }
    entries = []
    for group in workshop.groups.all():
        answer = answers.get(group.pk)
        filled = question.filled_slots(answer.content) if answer is not None else []
        entries.append(WallEntry(group=group, answer=answer, filled=filled))
    return entries
