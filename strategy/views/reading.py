"""Reading the strategy: the list of versions, one version, the diff, the
adopted one."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render

from mipr.access import STAFF_ROLES
from mipr.models import Membership, Process, Role

from .. import comment_drafts, diff, writing
from ..access import (
    comment_audience,
    get_version_for_reader,
    may_read,
    reader_or_login,
    rights_for,
)
from ..comment_fragments import render_comments
from ..markdown import render_many as render_many_markdown
from ..models import Review, Version, VersionStatus, know_lifecycle


def index(request):
    """The strategies the user may read, with their versions."""
    if request.user.is_authenticated:
        memberships = {
            m.process_id: m.role for m in Membership.objects.filter(user=request.user)
        }
    else:
        memberships = {}
    processes = Process.objects.filter(
        pk__in=list(memberships)
    ) | Process.objects.filter(is_public=True, strategies__versions__is_public=True)
    rows = []
    for process in processes.distinct().prefetch_related(
        Prefetch(
            "strategies__versions",
            queryset=Version.objects.order_by("-number"),
        )
    ):
        role = memberships.get(process.pk)
        for strategy in process.strategies.all():
            every = list(strategy.versions.all())
            know_lifecycle(every)
            versions = [v for v in every if may_read(v, role=role, process=process)]
            readable = {v.number for v in versions}
            for version in versions:
                version.shown_status = version.status_label_for(readable)
            rows.append(
                {"process": process, "strategy": strategy, "versions": versions}
            )
        if not process.strategies.all() and role is not None:
            rows.append({"process": process, "strategy": None, "versions": []})
    return render(
        request,
        "strategy/index.html",
        {
            "rows": rows,
            "staff_processes": {
                pk for pk, role in memberships.items() if role in STAFF_ROLES
            },
            "secretariat_processes": {
                pk for pk, role in memberships.items() if role == Role.SECRETARIAT
            },
        },
    )


@reader_or_login
def version_read(request, slug, number):
    version, role = get_version_for_reader(request.user, slug, number)
    sections = list(version.sections.prefetch_related("sources"))
    citations = writing.citations(sections)
    bodies = render_many_markdown([section.body for section in sections])
    for section, html in zip(sections, bodies, strict=True):
        section.html = html
        section.citation_labels = citations[section.pk]
    versions = list(version.strategy.versions.order_by("-number"))
    # The list is at hand: the rules need not ask the database again.
    know_lifecycle(versions)
    version.is_newest = version.pk == versions[0].pk
    version.superseded_by = next(
        v.superseded_by for v in versions if v.pk == version.pk
    )
    process = version.strategy.process
    rights = rights_for(version, role=role)
    # Link only to the versions this reader may open.
    readable = [v for v in versions if may_read(v, role=role, process=process)]
    numbers = {v.number for v in readable}
    version.shown_status = version.status_label_for(numbers)
    comments_html = render_comments(
        request,
        version=version,
        process=process,
        sections=sections,
        audience=comment_audience(version, role=role),
        can_comment=rights.comment_form,
        can_resolve=rights.resolve,
    )
    for section in sections:
        section.comments_html = comments_html[section.pk]
    return render(
        request,
        "strategy/version.html",
        {
            "version": version,
            "process": process,
            "sections": sections,
            "versions": readable,
            "previous": next((v for v in readable if v.number < version.number), None),
            # The version that replaced this one, if this reader may open it.
            "replacement": version.superseded_by
            if version.superseded_by in numbers
            else None,
            "rights": rights,
            "draft": comment_drafts.kept_for(
                request.session, version=version, sections=sections
            )
            if role is not None
            else None,
            "has_finished": role is not None
            and Review.objects.filter(version=version, user=request.user).exists(),
            "decision": getattr(version, "decision", None)
            if version.is_frozen
            else None,
        },
    )


@reader_or_login
def version_diff(request, slug):
    try:
        old_number = int(request.GET.get("fra", ""))
        new_number = int(request.GET.get("til", ""))
    except ValueError:
        raise Http404 from None
    old, _role = get_version_for_reader(request.user, slug, old_number)
    new, _role = get_version_for_reader(request.user, slug, new_number)
    return render(
        request,
        "strategy/diff.html",
        {
            "old": old,
            "new": new,
            "process": new.strategy.process,
            "sections": diff.versions_diff(
                list(old.sections.all()), list(new.sections.all()), rendered=True
            ),
        },
    )


@reader_or_login
def adopted(request, slug):
    """The stable address of the adopted strategy: its newest adopted version."""
    version = (
        Version.objects.select_related("strategy__process")
        .filter(strategy__process__slug=slug, status=VersionStatus.ADOPTED)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise Http404
    # As the version's own page does: else the redirect would tell outsiders
    # that an unpublished process exists and has adopted a strategy.
    get_version_for_reader(request.user, slug, version.number)
    return redirect(version)
