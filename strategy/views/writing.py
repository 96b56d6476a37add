"""Writing the strategy: start it from the outline, edit sections, new versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mipr.access import STAFF_ROLES, get_process_for_member
from mipr.conflicts import Stale, rebind
from mipr.errors import DomainError, NotAllowed
from mipr.models import Role
from mipr.ordering import MoveForm

from .. import diff, outline, writing
from ..access import check_editable
from ..forms import (
    NewSectionForm,
    NewVersionForm,
    OutlineFormSet,
    SectionForm,
    StartForm,
)
from ..markdown import render as render_markdown
from ..models import Version


def staff_version(request, slug, number, roles=STAFF_ROLES) -> Version:
    """The version of a process in which the user has one of `roles`, or 404."""
    process, _role = get_process_for_member(request.user, slug, roles=roles)
    return get_object_or_404(
        Version.objects.select_related("strategy__process"),
        strategy__process=process,
        number=number,
    )


def to_version(version: Version, anchor: str = ""):
    return redirect(version.get_absolute_url() + (f"#{anchor}" if anchor else ""))


@login_required
def outline_edit(request, slug):
    """The outline the strategy starts from: headings and starting texts."""
    process, _role = get_process_for_member(
        request.user, slug, roles={Role.SECRETARIAT}
    )
    sections, version = outline.outline_of(process)
    conflict = None
    if request.method == "POST":
        formset = OutlineFormSet(request.POST)
        if formset.is_valid():
            try:
                outline.outline_save(
                    process=process,
                    sections=formset.sections(),
                    version=formset.version,
                )
            except Stale as stale:
                formset = rebind(OutlineFormSet, request.POST, stale)
                conflict = [
                    (str(index), section["heading"])
                    for index, section in enumerate(stale.current.sections, start=1)
                ]
            except DomainError as error:
                formset.refuse(error.message)
            else:
                messages.success(request, _("The outline is saved."))
                return redirect("strategy:outline", slug=slug)
    else:
        formset = OutlineFormSet.for_sections(sections, version=version)
    return render(
        request,
        "strategy/outline.html",
        {
            "process": process,
            "formset": formset,
            "is_default": version == 0,
            "has_strategy": process.strategies.exists(),
            "conflict": conflict,
        },
        status=409 if conflict else (400 if formset.is_bound else 200),
    )


@login_required
def strategy_start(request, slug):
    process, _role = get_process_for_member(
        request.user, slug, roles={Role.SECRETARIAT}
    )
    if process.strategies.exists():
        messages.info(request, _("This process has a strategy already."))
        return redirect("strategy:index")
    sections, _version = outline.outline_of(process)
    form = StartForm(
        request.POST or None,
        process=process,
        outline=sections,
        initial={"title": process.name},
    )
    if request.method == "POST" and form.is_valid():
        strategy = writing.strategy_start(
            process=process,
            title=form.cleaned_data["title"],
            by=request.user,
            assignments=form.assignments(),
        )
        messages.success(request, _("The strategy is started as version 1."))
        return to_version(strategy.versions.get())
    return render(request, "strategy/start.html", {"process": process, "form": form})


@login_required
def section_edit(request, slug, number, pk):
    version = staff_version(request, slug, number)
    section = get_object_or_404(version.sections, pk=pk)
    # No form for a version that can no longer be saved (older or adopted).
    if request.method != "POST":
        # On a POST the save says why instead, and the typed text stays.
        check_editable(version)
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
                    writing.section_save(
                        section=section,
                        heading=data["heading"],
                        body=data["body"],
                        revision=data["revision"],
                        by=request.user,
                    )
                    writing.section_cite(
                        section=section,
                        findings=list(data["findings"]),
                        sources=list(data["sources"]),
                    )
                except Stale as stale:
                    current = stale.current
                    form = rebind(SectionForm, request.POST, stale, process=process)
                except ValidationError as error:
                    form.add_error("body", error)
                except NotAllowed as error:
                    # A new version or an adoption came in meanwhile: refused
                    # (403) with the reason, and the typed text kept in the form.
                    refused = error
                    form.add_error(None, str(error.message))
                else:
                    messages.success(request, _("The section is saved."))
                    return to_version(version, f"section-{section.pk}")
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
            "conflict": [(_("Heading"), current.heading)] if current else None,
            "conflict_html": render_markdown(current.body) if current else None,
            "conflict_markdown": current.body if current else None,
            "preview": preview,
        },
        status=status,
    )


@login_required
def section_history(request, slug, number, pk):
    version = staff_version(request, slug, number)
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
    version = staff_version(request, slug, number)
    form = NewSectionForm(request.POST)
    if not form.is_valid():  # empty, or with a NUL that PostgreSQL refuses
        messages.error(request, " ".join(form.errors["heading"]))
        return to_version(version)
    section = writing.section_add(
        version=version, heading=form.cleaned_data["heading"], by=request.user
    )
    return redirect("strategy:section-edit", slug, version.number, section.pk)


@login_required
@require_POST
def section_move(request, slug, number, pk):
    version = staff_version(request, slug, number)
    section = get_object_or_404(version.sections, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        writing.section_move(section=section, direction=form.step)
    return to_version(version, f"section-{section.pk}")


@login_required
@require_POST
def version_new(request, slug, number):
    version = staff_version(request, slug, number, roles={Role.SECRETARIAT})
    form = NewVersionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        new = writing.version_new(previous=version, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return to_version(version)
    messages.success(
        request,
        _("Version %(number)s is made. Version %(old)s is kept as it was.")
        % {"number": new.number, "old": version.number},
    )
    return to_version(new)
