"""What the findings pages show: the themes with their groups and quotes, and
each question's answers side by side with the findings of every item."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Sum

from mipr.models import Process
from workshops.models import Answer, Group, Question

from .models import Finding, ItemTag


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


def finding_count(state: tuple) -> int:
    """How many findings a themes_state() holds."""
    return len(state[1])


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
