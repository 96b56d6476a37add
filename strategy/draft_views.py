"""Pages for the strategy document: reading, editing, versions, review, adoption."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mipr.access import STAFF_ROLES, get_process_for_member
from mipr.models import Membership, Process, Role

from . import diff, drafts, pdf_exports, review
from .access import get_version_for_reader, may_read, reader_or_login
from .comment_fragments import render_comments
from .forms import (
    CommentForm,
    DecisionForm,
    NewSectionForm,
    NewVersionForm,
    SectionForm,
    StartForm,
)
from .markdown import render as render_markdown
from .markdown import render_many as render_many_markdown
from .models import (
    Comment,
    ExportStatus,
    PdfExport,
    Review,
    Version,
    VersionStatus,
)


def _version_url(version: Version) -> str:
    return f"/strategi/{version.strategy.process.slug}/versjon/{version.number}/"


def _redirect_to(version: Version, anchor: str = ""):
    return redirect(_version_url(version) + (f"#{anchor}" if anchor else ""))


def _staff_version(request, slug, number, roles=STAFF_ROLES) -> Version:
    process, _role = get_process_for_member(request.user, slug, roles=roles)
    return get_object_or_404(
        Version.objects.select_related("strategy__process"),
        strategy__process=process,
        number=number,
    )


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
            versions = [
                v
                for v in strategy.versions.all()
                if may_read(v, role=role, process=process)
            ]
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


@login_required
def strategy_start(request, slug):
    process, _role = get_process_for_member(
        request.user, slug, roles={Role.SECRETARIAT}
    )
    if process.strategies.exists():
        messages.info(request, _("This process has a strategy already."))
        return redirect("strategy:index")
    form = StartForm(
        request.POST or None,
        process=process,
        outline=drafts.OUTLINE,
        initial={"title": process.name},
    )
    if request.method == "POST" and form.is_valid():
        strategy = drafts.strategy_start(
            process=process,
            title=form.cleaned_data["title"],
            by=request.user,
            assignments=form.assignments(),
        )
        messages.success(request, _("The strategy is started as version 1."))
        return _redirect_to(strategy.versions.get())
    return render(request, "strategy/start.html", {"process": process, "form": form})


@reader_or_login
def version_read(request, slug, number):
    version, role = get_version_for_reader(request.user, slug, number)
    sections = list(version.sections.prefetch_related("sources"))
    citations = drafts.citations(sections)
    bodies = render_many_markdown([section.body for section in sections])
    for section, html in zip(sections, bodies, strict=True):
        section.html = html
        section.citation_labels = citations[section.pk]
    versions = list(version.strategy.versions.order_by("-number"))
    latest = versions[0]
    is_staff = role in STAFF_ROLES
    process = version.strategy.process
    # Link only to the versions this reader may open.
    readable = [v for v in versions if may_read(v, role=role, process=process)]
    can_comment = role is not None and version.is_published and not version.is_frozen
    comments_html = render_comments(
        request,
        version=version,
        process=process,
        sections=sections,
        can_comment=can_comment,
        is_secretariat=role == Role.SECRETARIAT,
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
            "is_staff": is_staff,
            "is_secretariat": role == Role.SECRETARIAT,
            "can_edit": is_staff and version.pk == latest.pk and not version.is_frozen,
            "can_comment": can_comment,
            "can_finish": role == Role.COUNCIL_MEMBER and version.is_published,
            "has_finished": role is not None
            and Review.objects.filter(version=version, user=request.user).exists(),
            "decision": getattr(version, "decision", None)
            if version.is_frozen
            else None,
        },
    )


@login_required
def section_edit(request, slug, number, pk):
    version = _staff_version(request, slug, number)
    section = get_object_or_404(version.sections, pk=pk)
    # No form for a version that can no longer be saved (older or adopted).
    if request.method != "POST":
        # On a POST the save says why instead, and the typed text stays.
        drafts.check_editable(version)
    process = version.strategy.process
    current = None
    preview = None
    refused = None
    if request.method == "POST":
        form = SectionForm(request.POST, process=process)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = render_markdown(data["body"])
            else:
                try:
                    drafts.section_save(
                        section=section,
                        heading=data["heading"],
                        body=data["body"],
                        revision=data["revision"],
                        by=request.user,
                    )
                    drafts.section_cite(
                        section=section,
                        findings=list(data["findings"]),
                        sources=list(data["sources"]),
                    )
                except drafts.StaleSection as stale:
                    current = stale.current
                    data = request.POST.copy()
                    data["revision"] = current.revision
                    form = SectionForm(data, process=process)
                    form.is_valid()
                except ValidationError as error:
                    form.add_error("body", error)
                except PermissionDenied as error:
                    # A new version or an adoption came in meanwhile: refused
                    # (403) with the reason, and the typed text kept in the form.
                    refused = error
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("The section is saved."))
                    return _redirect_to(version, f"section-{section.pk}")
    else:
        form = SectionForm(
            process=process,
            initial={
                "heading": section.heading,
                "body": section.body,
                "revision": section.revision,
                "findings": section.findings.all(),
                "sources": section.sources.all(),
            },
        )
    status = 409 if current else 200
    if form.errors and not current:
        status = 403 if refused else 400
    return render(
        request,
        "strategy/section_form.html",
        {
            "version": version,
            "process": process,
            "section": section,
            "form": form,
            "current": current,
            "current_html": render_markdown(current.body) if current else None,
            "preview": preview,
        },
        status=status,
    )


@login_required
def section_history(request, slug, number, pk):
    version = _staff_version(request, slug, number)
    section = get_object_or_404(version.sections, pk=pk)
    revisions = list(section.revisions.select_related("saved_by"))
    entries = []
    for index, revision in enumerate(revisions):
        older = revisions[index + 1] if index + 1 < len(revisions) else None
        entries.append(
            {
                "revision": revision,
                "diff": diff.words_diff(older.body if older else "", revision.body),
            }
        )
    return render(
        request,
        "strategy/section_history.html",
        {"version": version, "section": section, "entries": entries},
    )


@login_required
@require_POST
def section_add(request, slug, number):
    version = _staff_version(request, slug, number)
    form = NewSectionForm(request.POST)
    if not form.is_valid():  # empty, or with a NUL that PostgreSQL refuses
        messages.error(request, " ".join(form.errors["heading"]))
        return _redirect_to(version)
    section = drafts.section_add(
        version=version, heading=form.cleaned_data["heading"], by=request.user
    )
    return redirect(f"{_version_url(version)}seksjon/{section.pk}/")


@login_required
@require_POST
def section_move(request, slug, number, pk):
    version = _staff_version(request, slug, number)
    section = get_object_or_404(version.sections, pk=pk)
    drafts.section_move(
        section=section, direction=-1 if request.POST.get("direction") == "up" else 1
    )
    return _redirect_to(version, f"section-{section.pk}")


@login_required
@require_POST
def version_new(request, slug, number):
    version = _staff_version(request, slug, number, roles={Role.SECRETARIAT})
    form = NewVersionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        new = drafts.version_new(previous=version, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _redirect_to(version)
    messages.success(
        request,
        _("Version %(number)s is made. Version %(old)s is kept as it was.")
        % {"number": new.number, "old": version.number},
    )
    return _redirect_to(new)


@login_required
@require_POST
def version_publish(request, slug, number):
    version = _staff_version(request, slug, number, roles={Role.SECRETARIAT})
    try:
        review.version_publish(
            version=version,
            notify=request.POST.get("notify") == "1",
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The version is published for review."))
    return _redirect_to(version)


@login_required
@require_POST
def version_presented(request, slug, number):
    version = _staff_version(request, slug, number, roles={Role.SECRETARIAT})
    review.version_mark_presented(version=version)
    messages.success(request, _("The version is marked as presented."))
    return _redirect_to(version)


@login_required
def version_adopt(request, slug, number):
    version = _staff_version(request, slug, number, roles={Role.SECRETARIAT})
    if version.is_frozen:
        raise PermissionDenied(_("The version is adopted and frozen."))
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        review.version_adopt(version=version, by=request.user, **form.cleaned_data)
        messages.success(request, _("The version is adopted, frozen and public."))
        return _redirect_to(version)
    return render(request, "strategy/adopt.html", {"version": version, "form": form})


@login_required
@require_POST
def version_public(request, slug, number):
    version = _staff_version(request, slug, number, roles={Role.SECRETARIAT})
    try:
        review.version_set_public(
            version=version, public=request.POST.get("public") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _redirect_to(version)


@login_required
@require_POST
def comment_add(request, slug, number):
    version, role = get_version_for_reader(request.user, slug, number)
    if role is None:
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment."))
        return _redirect_to(version)
    section = get_object_or_404(version.sections, pk=form.cleaned_data["section"])
    parent = None
    if form.cleaned_data.get("parent"):
        parent = get_object_or_404(section.comments, pk=form.cleaned_data["parent"])
    try:
        comment = review.comment_add(
            section=section,
            author=request.user,
            text=form.cleaned_data["text"],
            parent=parent,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _redirect_to(version, f"section-{section.pk}")
    messages.success(request, _("Your comment is saved."))
    return _redirect_to(version, f"comment-{comment.pk}")


@login_required
@require_POST
def comment_resolve(request, slug, number, pk):
    version = _staff_version(request, slug, number, roles={Role.SECRETARIAT})
    comment = get_object_or_404(Comment, pk=pk, section__version=version)
    review.comment_resolve(
        comment=comment, by=request.user, resolved=request.POST.get("resolved") != "0"
    )
    return _redirect_to(version, f"comment-{comment.pk}")


@login_required
@require_POST
def review_finish(request, slug, number):
    version, role = get_version_for_reader(request.user, slug, number)
    if role != Role.COUNCIL_MEMBER:
        raise Http404
    review.review_finish(version=version, user=request.user)
    messages.success(request, _("Thank you: you are marked as finished reading."))
    return _redirect_to(version)


@login_required
def version_readers(request, slug, number):
    version = _staff_version(request, slug, number)
    process = version.strategy.process
    finished = {r.user_id: r for r in Review.objects.filter(version=version)}
    members = (
        process.memberships.filter(role=Role.COUNCIL_MEMBER)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    return render(
        request,
        "strategy/readers.html",
        {
            "version": version,
            "rows": [(m.user, finished.get(m.user_id)) for m in members],
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
                list(old.sections.all()), list(new.sections.all())
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
    return _redirect_to(version)


# --- PDF --------------------------------------------------------------------------


def _export_for_reader(request, slug, pk) -> PdfExport:
    export = get_object_or_404(
        PdfExport.objects.select_related("version__strategy__process"),
        pk=pk,
        version__strategy__process__slug=slug,
    )
    get_version_for_reader(request.user, slug, export.version.number)
    return export


@reader_or_login
@require_POST
def pdf_request(request, slug, number):
    version, role = get_version_for_reader(request.user, slug, number)
    export = pdf_exports.export_request(
        version=version,
        with_comments=role in STAFF_ROLES and request.POST.get("comments") == "1",
        by=request.user if request.user.is_authenticated else None,
    )
    return redirect("strategy:pdf", slug=slug, pk=export.pk)


@reader_or_login
def pdf_status(request, slug, pk):
    export = _export_for_reader(request, slug, pk)
    return render(
        request,
        "strategy/pdf_status.html",
        {
            "export": export,
            "version": export.version,
            "process": export.version.strategy.process,
        },
    )


@reader_or_login
def pdf_status_json(request, slug, pk):
    export = _export_for_reader(request, slug, pk)
    return JsonResponse(
        {
            "status": export.status,
            "label": export.get_status_display(),
            "error": export.error,
            "download": reverse("strategy:pdf-download", args=[slug, export.pk])
            if export.status == ExportStatus.READY
            else "",
        }
    )


@reader_or_login
def pdf_download(request, slug, pk):
    export = _export_for_reader(request, slug, pk)
    if export.status != ExportStatus.READY or not export.file:
        raise Http404
    version = export.version
    title = version.strategy.title.replace("–", "-")  # slugify drops en dashes
    name = f"{slugify(title)}-versjon-{version.number}.pdf"
    return FileResponse(
        export.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=name,
    )
