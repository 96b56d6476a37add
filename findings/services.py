"""What the working group does with findings: create, edit, order, merge, tag.

Every write is one transaction. A finding, tag or source of another process is
refused as not found (NotFound), so that a forged id changes nothing.
"""

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from mipr import audit
from mipr.conflicts import check_version
from mipr.errors import NotFound
from mipr.models import Process
from mipr.ordering import move_in_order
from timeline.models import Deliverable
from workshops.models import Answer

from .models import Finding, FindingsSummary, ItemTag, Source

# --- Findings ----------------------------------------------------------------


@transaction.atomic
def finding_create(
    *, process: Process, title: str, description: str = "", sources=()
) -> Finding:
    if any(source.process_id != process.pk for source in sources):
        raise NotFound
    last = process.findings.aggregate(last=Max("order"))["last"]
    finding = Finding.objects.create(
        process=process,
        title=title,
        description=description,
        order=(last or 0) + 1,
    )
    finding.sources.set(sources)
    return finding


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    version: int,
    title: str,
    description: str,
    sources: list[Source],
) -> Finding:
    """Save a finding's text, unless someone saved it since `version` (Stale)."""
    current = Finding.objects.select_for_update().get(pk=finding.pk)
    check_version(current, version)
    if any(source.process_id != current.process_id for source in sources):
        raise NotFound
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
        raise NotFound
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


def finding_delete(*, finding: Finding) -> None:
    finding.delete()


# --- Tagging answer items ----------------------------------------------------


def answer_for_process(*, process: Process, answer_id: int, slot: int) -> Answer:
    """The answer with this id in the process, if it has this slot; else NotFound."""
    answer = (
        Answer.objects.select_related("question", "group")
        .filter(pk=answer_id, question__workshop__process=process)
        .first()
    )
    if answer is None or not 0 <= slot < len(answer.question.slots):
        raise NotFound
    return answer


@transaction.atomic
def item_set_findings(*, answer: Answer, slot: int, findings: list[Finding]) -> None:
    """Tag one answer item with exactly these findings (of the answer's process)."""
    process_id = answer.question.workshop.process_id
    if any(finding.process_id != process_id for finding in findings):
        raise NotFound
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


# One answer item: (answer id, slot index). The tagging page names items so.
ItemKey = tuple[int, int]


def _answers_of_items(*, process: Process, keys: Collection[ItemKey]) -> dict:
    """The answers of these items by id (one query), if every one is in the
    process and has the slot; else NotFound."""
    answers = {
        answer.pk: answer
        for answer in Answer.objects.select_related("question").filter(
            pk__in={answer_id for answer_id, _slot in keys},
            question__workshop__process=process,
        )
    }
    for answer_id, slot in keys:
        answer = answers.get(answer_id)
        if answer is None or not 0 <= slot < len(answer.question.slots):
            raise NotFound
    return answers


def _findings_of(*, process: Process, ids: Collection[int]) -> dict[int, Finding]:
    """The process's findings with these ids (one query); NotFound if any is not."""
    if not ids:
        return {}
    found = {finding.pk: finding for finding in process.findings.filter(pk__in=ids)}
    if len(found) != len(set(ids)):
        raise NotFound
    return found


def _tag(*, finding: Finding, answer: Answer, slot: int) -> bool:
    """Tag the item with the finding; False when it already was (a colleague may
    have tagged it a moment ago). Saved one by one, so that the audit log has it."""
    _tag, created = ItemTag.objects.get_or_create(
        finding=finding, answer=answer, slot=slot
    )
    return created


@transaction.atomic
def items_set_findings(
    *,
    process: Process,
    items: Mapping[ItemKey, Collection[int]],
    shown: Mapping[ItemKey, Collection[int]] | None = None,
) -> set[ItemKey]:
    """Tag many items at once (the tagging page's «Lagre alle»); returns the
    items that changed.

    `items` names every item on the page with the ids of the findings ticked for
    it; an item with none loses its findings. With `shown`, the ids each item had
    when the page was made, only what was changed on the page is applied, so
    that a colleague's tag made meanwhile, or a finding created since, is kept.
    An item or finding of another process is NotFound, and nothing changes.
    """
    if not items:
        return set()
    answers = _answers_of_items(process=process, keys=items)
    before = {key: set(ids) for key, ids in (shown or {}).items()}
    adding = {
        key: set(ids) - before.get(key, set()) if shown is not None else set(ids)
        for key, ids in items.items()
    }
    findings = _findings_of(process=process, ids=set().union(*adding.values()))
    current = defaultdict(dict)  # item -> {finding id: its tag}
    existing = ItemTag.objects.filter(answer_id__in=list(answers))
    for tag in existing.select_related("finding"):  # named in the audit log
        current[(tag.answer_id, tag.slot)][tag.finding_id] = tag
    changed = set()
    for key, ids in items.items():
        tags = current[key]
        if shown is None:
            removing = tags.keys() - set(ids)
        else:
            removing = (before.get(key, set()) - set(ids)) & tags.keys()
        for finding_id in sorted(removing):
            tags[finding_id].delete()  # one by one: the audit log records each
            changed.add(key)
        answer_id, slot = key
        for finding_id in sorted(adding[key] - tags.keys()):
            if _tag(finding=findings[finding_id], answer=answers[answer_id], slot=slot):
                changed.add(key)
    return changed


@dataclass(frozen=True)
class Tick:
    """What one tick did: `changed` is False when the item already was so."""

    finding: Finding
    checked: bool
    changed: bool
    tagged: bool  # whether the item has any finding now


@transaction.atomic
def item_tick(
    *, process: Process, answer_id: int, slot: int, finding_id: int, checked: bool
) -> Tick:
    """Tick (or untick) one finding on one item: the tagging page's script."""
    answer = answer_for_process(process=process, answer_id=answer_id, slot=slot)
    finding = _findings_of(process=process, ids={finding_id})[finding_id]
    if checked:
        changed = _tag(finding=finding, answer=answer, slot=slot)
    else:
        tag = ItemTag.objects.filter(finding=finding, answer=answer, slot=slot).first()
        changed = tag is not None
        if tag is not None:
            tag.finding = finding  # for the audit log's entry, without a query
            tag.delete()
    tagged = ItemTag.objects.filter(answer=answer, slot=slot).exists()
    return Tick(finding=finding, checked=checked, changed=changed, tagged=tagged)


@transaction.atomic
def item_finding_create(
    *, process: Process, answer_id: int, slot: int, title: str
) -> Finding:
    """A new finding, made from the tagging page, with the item it came from."""
    answer = answer_for_process(process=process, answer_id=answer_id, slot=slot)
    finding = finding_create(process=process, title=title)
    _tag(finding=finding, answer=answer, slot=slot)
    return finding


@dataclass(frozen=True)
class TaggingSaved:
    changed: set[ItemKey]  # the items whose findings changed
    created: dict[ItemKey, Finding]  # new findings, each with its item


@transaction.atomic
def tagging_save(
    *,
    process: Process,
    items: Mapping[ItemKey, Collection[int]],
    shown: Mapping[ItemKey, Collection[int]] | None = None,
    new_findings: Mapping[ItemKey, str] | None = None,
) -> TaggingSaved:
    """The tagging page's form: every item's ticks, and the findings typed in
    beside items (each created and applied to its item), all or nothing."""
    changed = items_set_findings(process=process, items=items, shown=shown)
    created = {
        (answer_id, slot): item_finding_create(
            process=process, answer_id=answer_id, slot=slot, title=title
        )
        for (answer_id, slot), title in (new_findings or {}).items()
    }
    return TaggingSaved(changed=changed, created=created)


# --- The summary and the sources ----------------------------------------------


def summary_share(*, process: Process, shared: bool) -> FindingsSummary:
    summary, _created = FindingsSummary.objects.get_or_create(
        process=process,
        defaults={
            # The plan's «Oppsummerer funn» milestone is what the summary delivers.
            "milestone": process.milestones.filter(
                deliverable=Deliverable.FINDINGS
            ).first()
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
        check_version(current, version)
        source.version = current.version + 1
    source.save()
    return source
