"""What the working group does with findings: create, edit, order, merge, tag.

Every write is one transaction. A finding, tag or source of another process is
refused as not found (NotFound), so that a forged id changes nothing.
"""

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
