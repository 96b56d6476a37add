"""Writing the strategy: start from the outline, save sections, new versions.

Review is in review.py, adoption in adoption.py, the rules of what may change
in access.py.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from findings.models import Finding, ItemTag
from findings.themes import themes
from mipr.conflicts import check_version
from mipr.models import Process
from mipr.ordering import move_in_order

from .access import check_editable
from .models import (
    Section,
    SectionItem,
    SectionRevision,
    Strategy,
    Version,
)
from .outline import outline_of

MAX_BODY = 200_000
# Autosaves leave at most one history entry per person in this window.
AUTOSAVE_HISTORY_WINDOW = datetime.timedelta(minutes=5)


def _record_start(section: Section, by) -> None:
    """The text a section starts with, so that its first edit diffs against it."""
    SectionRevision.objects.create(
        section=section,
        revision=section.revision,
        heading=section.heading,
        body=section.body,
        saved_by=by,
        saved_at=timezone.now(),
    )


def prefill(findings: list[Finding], themes_by_id: dict) -> str:
    """A starting text from findings and their strongest quotes, to rewrite."""
    parts = []
    for finding in findings:
        parts.append(f"### {finding.title}\n")
        if finding.description:
            parts.append(finding.description + "\n")
        theme = themes_by_id.get(finding.pk)
        for quote in (theme.quotes if theme else [])[:3]:
            line = f"> «{quote.text}»"
            if quote.why:
                line += f" – {quote.why}"
            parts.append(line + f" ({quote.group.name})\n")
    return "\n".join(parts).strip()


@transaction.atomic
def strategy_start(
    *,
    process: Process,
    title: str,
    by,
    assignments: dict[int, list[Finding]] | None = None,
) -> Strategy:
    """Start a strategy from the process's outline, version 1, a working draft.

    `assignments` maps an outline index to the findings that section draws on:
    the section starts with those findings and their quotes, and cites them.
    """
    assignments = assignments or {}
    if any(
        finding.process_id != process.pk
        for findings in assignments.values()
        for finding in findings
    ):
        raise ValidationError(_("A finding of another process cannot be used."))
    strategy = Strategy.objects.create(process=process, title=title)
    version = Version.objects.create(strategy=strategy, number=1, created_by=by)
    themes_by_id = {t.finding.pk: t for t in themes(process=process)}
    sections, _version = outline_of(process)
    for order, (heading, text) in enumerate(
        ((s.heading, s.text) for s in sections), start=1
    ):
        findings = assignments.get(order - 1, [])
        body = "\n\n".join(
            part for part in (text, prefill(findings, themes_by_id)) if part
        )
        section = Section.objects.create(
            version=version, order=order, heading=heading, body=body, owner=by
        )
        _record_start(section, by)
        if findings:
            section.findings.set(findings)
            items = {
                (tag.answer_id, tag.slot)
                for finding in findings
                for tag in finding.tags.all()
            }
            SectionItem.objects.bulk_create(
                SectionItem(section=section, answer_id=answer_id, slot=slot)
                for answer_id, slot in sorted(items)
            )
    return strategy


@transaction.atomic
def section_save(
    *,
    section: Section,
    heading: str,
    body: str,
    revision: int,
    by,
    autosave: bool = False,
) -> Section:
    """Save a section if nobody saved it since `revision`; keep the history."""
    # Browsers send a textarea's line breaks as CRLF; the text is kept with LF,
    # so that saving unchanged text changes nothing.
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    current = (
        Section.objects.select_for_update()
        .select_related("version__strategy")
        .get(pk=section.pk)
    )
    check_editable(current.version)
    if len(body) > MAX_BODY:
        raise ValidationError(
            _("The text is too long: at most %(max)s characters (it has %(length)s).")
            % {"max": f"{MAX_BODY:,}".replace(",", " "), "length": len(body)}
        )
    check_version(current, revision, field="revision")
    if current.heading == heading and current.body == body:
        return current
    now = timezone.now()
    current.heading, current.body = heading, body
    current.revision += 1
    current.save(update_fields=["heading", "body", "revision", "updated_at"])
    recent = (
        current.revisions.filter(
            saved_by=by, is_autosave=True, saved_at__gte=now - AUTOSAVE_HISTORY_WINDOW
        ).first()
        if autosave
        else None
    )
    if recent is not None:
        # One history entry per person per few minutes of autosaving.
        recent.heading, recent.body = heading, body
        recent.revision, recent.saved_at = current.revision, now
        recent.save(update_fields=["heading", "body", "revision", "saved_at"])
    else:
        SectionRevision.objects.create(
            section=current,
            revision=current.revision,
            heading=heading,
            body=body,
            saved_by=by,
            saved_at=now,
            is_autosave=autosave,
        )
    return current


@transaction.atomic
def section_add(*, version: Version, heading: str, by) -> Section:
    check_editable(version)
    last = version.sections.aggregate(n=Max("order"))["n"] or 0
    section = Section.objects.create(
        version=version, order=last + 1, heading=heading, owner=by
    )
    _record_start(section, by)
    return section


@transaction.atomic
def section_move(*, section: Section, direction: int) -> None:
    check_editable(section.version)
    move_in_order(
        Section.objects.filter(version_id=section.version_id),
        pk=section.pk,
        direction=direction,
    )


@transaction.atomic
def section_cite(*, section: Section, findings, sources) -> None:
    """Set the findings and sources a section cites (of its own process)."""
    check_editable(section.version)
    process_id = section.version.strategy.process_id
    if any(f.process_id != process_id for f in findings) or any(
        s.process_id != process_id for s in sources
    ):
        raise ValidationError(_("A finding of another process cannot be used."))
    section.findings.set(findings)
    section.sources.set(sources)
    # A cited finding cites the answer items tagged with it.
    wanted = {
        (tag.answer_id, tag.slot)
        for tag in ItemTag.objects.filter(finding__in=findings)
    }
    current = set(section.items.values_list("answer_id", "slot"))
    for answer_id, slot in current - wanted:
        section.items.filter(answer_id=answer_id, slot=slot).delete()
    SectionItem.objects.bulk_create(
        SectionItem(section=section, answer_id=answer_id, slot=slot)
        for answer_id, slot in sorted(wanted - current)
    )


@transaction.atomic
def version_new(*, previous: Version, by, note: str = "") -> Version:
    """Copy the newest version with all its sections and citations."""
    strategy = previous.strategy
    latest = strategy.versions.select_for_update().order_by("-number").first()
    if latest.pk != previous.pk:
        raise ValidationError(_("A newer version exists already."))
    check_editable(previous)
    version = Version.objects.create(
        strategy=strategy, number=previous.number + 1, created_by=by, note=note
    )
    for old in previous.sections.prefetch_related("findings", "sources", "items"):
        section = Section.objects.create(
            version=version,
            key=old.key,
            order=old.order,
            heading=old.heading,
            body=old.body,
            owner=old.owner,
        )
        _record_start(section, by)
        section.findings.set(old.findings.all())
        section.sources.set(old.sources.all())
        SectionItem.objects.bulk_create(
            SectionItem(section=section, answer_id=item.answer_id, slot=item.slot)
            for item in old.items.all()
        )
    return version


def citations(sections: list[Section]) -> dict[int, list[str]]:
    """How each section's citations read: «Kilde: workshop 11.04.2025, gruppe 3».

    Section id -> labels. The cited items come in one query of the two fields
    a label needs: a section can cite hundreds of items, and loading each
    answer with its question costs more than the rest of the page. The sources
    are the sections' own (prefetch them).
    """
    cited = {section.pk: {} for section in sections}
    # One row per section, workshop date and group, in the order first cited.
    rows = (
        SectionItem.objects.filter(section__in=list(cited))
        .values_list(
            "section_id", "answer__question__workshop__date", "answer__group__name"
        )
        .annotate(first=Min("pk"))
        .order_by("first")
    )
    for section_id, date, group, _first in rows:
        cited[section_id][(date, group)] = None
    labels = {}
    for section in sections:
        found = [
            _("Source: workshop %(date)s, %(group)s")
            % {
                "date": formats.date_format(date, "SHORT_DATE_FORMAT"),
                "group": group.lower(),
            }
            for date, group in cited[section.pk]
        ]
        found += [
            _("Source: %(title)s") % {"title": source.title}
            for source in section.sources.all()
        ]
        labels[section.pk] = list(dict.fromkeys(found))
    return labels
