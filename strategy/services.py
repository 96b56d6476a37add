"""Findings: tagging answer items, merging, ordering, and what the theme view shows."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Max, Sum
from django.http import Http404
from django.utils import timezone

from mipr import audit
from mipr.models import Process
from mipr.ordering import move_in_order
from workshops.models import Answer, Group, Question

from .models import Finding, FindingsSummary, ItemTag, Source


class Stale(Exception):
    """Someone else saved the object since the form was opened."""

    def __init__(self, current):
        super().__init__("stale")
        self.current = current


# --- Findings ----------------------------------------------------------------


@transaction.atomic
def finding_create(*, process: Process, title: str, description: str = "") -> Finding:
    last = process.findings.aggregate(last=Max("order"))["last"]
    return Finding.objects.create(
        process=process,
        title=title,
        description=description,
        order=(last or 0) + 1,
    )


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    version: int,
    title: str,
    description: str,
    sources: list[Source],
) -> Finding:
    """Save a finding's text, unless someone saved it since `version`."""
    current = Finding.objects.select_for_update().get(pk=finding.pk)
    if current.version != version:
        raise Stale(current)
    if any(source.process_id != current.process_id for source in sources):
        raise Http404
    current.title = title
    current.description = description
    current.version = current.version + 1
    current.save(update_fields=["title", "description", "version", "updated_at"])
    current.sources.set(sources)
    return current


@transaction.atomic
def finding_move(*, finding: Finding, direction: int) -> None:
    """Swap a finding with its neighbour above (-1) or below (+1)."""
    move_in_order(
        Finding.objects.filter(process_id=finding.process_id),
        pk=finding.pk,
        direction=direction,
    )


@transaction.atomic
def finding_merge(*, into: Finding, others: list[Finding]) -> Finding:
    """Merge findings into one: every tag and every source is kept."""
    others = [other for other in others if other.pk != into.pk]
    if any(other.process_id != into.process_id for other in others):
        raise Http404
    other_ids = [other.pk for other in others]
    existing = set(
        ItemTag.objects.filter(finding=into).values_list("answer_id", "slot")
    )
    moved = []
    for tag in ItemTag.objects.filter(finding_id__in=other_ids).order_by("pk"):
        key = (tag.answer_id, tag.slot)
        if key not in existing:
            existing.add(key)
            moved.append(ItemTag(finding=into, answer_id=tag.answer_id, slot=tag.slot))
    ItemTag.objects.bulk_create(moved)
    into.sources.add(
        *Source.objects.filter(findings__in=other_ids).values_list("pk", flat=True)
    )
    before = audit.snapshot(into)
    descriptions = [into.description] + [o.description for o in others]
    into.description = "\n\n".join(d for d in descriptions if d.strip())
    Finding.objects.filter(pk=into.pk).update(
        description=into.description, version=F("version") + 1
    )
    audit.record_update(into, before)
    Finding.objects.filter(pk__in=other_ids).delete()
    return into


# --- Tagging answer items ----------------------------------------------------


def answer_for_process(*, process: Process, answer_id: int, slot: int) -> Answer:
    """The answer with this id in the process, if it has this slot; else 404."""
    answer = (
        Answer.objects.select_related("question", "group")
        .filter(pk=answer_id, question__workshop__process=process)
        .first()
    )
    if answer is None or not 0 <= slot < len(answer.question.slots):
        raise Http404
    return answer


@transaction.atomic
def item_set_findings(*, answer: Answer, slot: int, findings: list[Finding]) -> None:
    """Tag one answer item with exactly these findings (of the answer's process)."""
    process_id = answer.question.workshop.process_id
    if any(finding.process_id != process_id for finding in findings):
        raise Http404
    wanted = {finding.pk for finding in findings}
    current = set(
        ItemTag.objects.filter(answer=answer, slot=slot).values_list(
            "finding_id", flat=True
        )
    )
    ItemTag.objects.filter(
        answer=answer, slot=slot, finding_id__in=current - wanted
    ).delete()
    ItemTag.objects.bulk_create(
        [
            ItemTag(finding_id=finding_id, answer=answer, slot=slot)
            for finding_id in wanted - current
        ],
        ignore_conflicts=True,  # a colleague tagged the same item a moment ago
    )


# --- What the pages show -----------------------------------------------------


@dataclass
class Quote:
    group: Group
    question: Question
    label: str
    text: str
    why: str


@dataclass
class Theme:
    finding: Finding
    groups: list[Group] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    @property
    def group_count(self) -> int:
        return len(self.groups)


def themes_state(process: Process) -> tuple:
    """What the theme view shows changes only when this does (five queries).

    Findings (their order, edits and merges), their sources (links, edits),
    the tags, and the tagged answers' text. Renaming a group or a question is
    not seen: the cached view keeps the old name until it expires.
    """
    findings = tuple(
        process.findings.order_by("pk").values_list(
            "pk", "order", "version", "updated_at"
        )
    )
    links = Finding.sources.through.objects.filter(finding__process=process)
    tags = ItemTag.objects.filter(finding__process=process)
    answers = Answer.objects.filter(tags__finding__process=process)
    return (
        process.pk,
        findings,
        tuple(links.aggregate(n=Count("pk"), last=Max("pk")).values()),
        tuple(
            process.sources.aggregate(
                n=Count("pk"), last=Max("updated_at"), versions=Sum("version")
            ).values()
        ),
        tuple(tags.aggregate(n=Count("pk"), last=Max("pk")).values()),
        tuple(answers.aggregate(versions=Sum("version")).values()),
    )


def themes(*, process: Process) -> list[Theme]:
    """Every finding with the groups that raised it, its quotes and its sources.

    A group counts once per finding, however many of its items are tagged.
    Six queries, whatever the number of findings, tags or groups. The tags come
    as plain values, and each answer, group and question once however many tags
    it has: a process has thousands of tags, and an object per tag and relation
    cost several times the rest of the page.
    """
    findings = list(process.findings.prefetch_related("sources"))
    by_id = {finding.pk: Theme(finding=finding) for finding in findings}
    tagged = ItemTag.objects.filter(finding__process=process)
    tags = tagged.order_by(
        "answer__group__number", "answer__question__number", "slot", "pk"
    ).values_list("finding_id", "answer_id", "slot")
    answers = (
        Answer.objects.filter(pk__in=tagged.values("answer_id"))
        .only("content", "group_id", "question_id")
        .order_by()  # the tags give the order; sorting answers would cost joins
    )
    groups = {g.pk: g for g in Group.objects.filter(workshop__process=process)}
    questions = {q.pk: q for q in Question.objects.filter(workshop__process=process)}
    filled = {}  # answer id -> its slots with text, by index
    for answer in answers:
        question = questions[answer.question_id]
        filled[answer.pk] = (
            answer,
            {slot.index: slot for slot in question.filled_slots(answer.content)},
        )
    seen_groups = defaultdict(set)
    for finding_id, answer_id, index in tags:
        theme = by_id.get(finding_id)
        # A tag made since the answers were read waits for the next page view.
        answer, slots = filled.get(answer_id, (None, {}))
        slot = slots.get(index)
        if theme is None or slot is None:  # the item is empty now
            continue
        group = groups[answer.group_id]
        if group.pk not in seen_groups[finding_id]:
            seen_groups[finding_id].add(group.pk)
            theme.groups.append(group)
        theme.quotes.append(
            Quote(
                group=group,
                question=questions[answer.question_id],
                label=slot.label,
                text=slot.text,
                why=slot.why,
            )
        )
    return [by_id[finding.pk] for finding in findings]


@dataclass
class Item:
    answer: Answer
    slot: int
    label: str
    text: str
    why: str
    finding_ids: set[int]


def answers_side_by_side(
    *, question: Question, group_number: int | None = None, finding_id=None
) -> list[tuple[Group, list[Item]]]:
    """Each group's answer to the question, item by item, with its findings.

    `finding_id` filters to items tagged with that finding, or with none when it
    is "none". Three queries, whatever the number of groups.
    """
    groups = list(question.workshop.groups.all())
    if group_number is not None:
        groups = [group for group in groups if group.number == group_number]
    answers = {a.group_id: a for a in Answer.objects.filter(question=question)}
    tags = defaultdict(set)
    for answer_id, slot, tagged in ItemTag.objects.filter(
        answer__question=question
    ).values_list("answer_id", "slot", "finding_id"):
        tags[(answer_id, slot)].add(tagged)
    rows = []
    for group in groups:
        answer = answers.get(group.pk)
        items = []
        for slot in question.filled_slots(answer.content) if answer else []:
            found = tags.get((answer.pk, slot.index), set())
            if finding_id == "none" and found:
                continue
            if isinstance(finding_id, int) and finding_id not in found:
                continue
            items.append(
                Item(answer, slot.index, slot.label, slot.text, slot.why, found)
            )
        rows.append((group, items))
    return rows


def summary_share(*, process: Process, shared: bool) -> FindingsSummary:
    summary, _created = FindingsSummary.objects.get_or_create(
        process=process,
        defaults={
            # The plan's «Oppsummerer funn» milestone is what the summary delivers.
            "milestone": process.milestones.filter(deliverable="findings").first()
        },
    )
    summary.shared_at = timezone.now() if shared else None
    summary.save(update_fields=["shared_at"])
    return summary


@transaction.atomic
def source_save(*, source: Source, version: int | None) -> Source:
    """Save a source with the form's changes, unless someone saved it meanwhile."""
    if source.pk:
        current = Source.objects.select_for_update().get(pk=source.pk)
        if current.version != version:
            raise Stale(current)
        source.version = current.version + 1
    source.save()
    return source
