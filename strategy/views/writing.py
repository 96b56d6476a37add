"""Writing the strategy: start it from the outline, edit sections, new versions."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
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
from ..markdown import render_many as render_many_markdown
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


def _last_saved(request, section) -> tuple[list[tuple[str, str]], bool]:
    """Who saved the section last, and when, as rows for the conflict partial:
    «Lagret av: Arne Arbeidsgruppe kl. 10:42», or «deg selv, i en annen fane»
    when it was this user (another tab or window). And whether it was."""
    # The newest by revision, not by clock: each save adds one.
    last = (
        section.revisions.select_related("saved_by")
        .order_by("-revision", "-pk")
        .first()
    )
    if last is None:
        return [], False
    by_you = last.saved_by_id == request.user.pk
    at = timezone.localtime(last.saved_at)
    values = {
        "time": date_format(at, "TIME_FORMAT"),
        "date": date_format(at, "SHORT_DATE_FORMAT"),
    }
    today = at.date() == timezone.localdate()
    if by_you:
        text = (
            _("yourself, in another tab, at %(time)s")
            if today
            else _("yourself, in another tab, on %(date)s at %(time)s")
        )
    else:
        user = last.saved_by
        values["name"] = (
            (user.get_full_name() or user.username) if user else _("a former user")
        )
        text = (
            _("%(name)s at %(time)s")
            if today
            else _("%(name)s on %(date)s at %(time)s")
        )
    return [(_("Saved by"), text % values)], by_you


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
    preview = None  # the preview's HTML, of the text the form starts with
    preview_asked = False
    refused = None
    if request.method == "POST":
        form = SectionForm(request.POST, process=process)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = render_markdown(data["body"])
                preview_asked = True
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
        # Ready for the script's preview (hidden without it), so that opening
        # the page asks nothing more: the version's page caches the same HTML.
        preview = render_many_markdown([section.body])[0]
    status = 409 if current else 200
    if form.errors and not current:
        status = 403 if refused else 400
    conflict, by_you = None, False
    if current:
        conflict, by_you = _last_saved(request, current)
        conflict.append((_("Heading"), current.heading))
    saved = current or section
    return render(
        request,
        "strategy/section_form.html",
        {
            "version": version,
            "process": process,
            "section": section,
            "form": form,
            "conflict": conflict,
            "conflict_by_you": by_you,
            "conflict_html": render_markdown(current.body) if current else None,
            "conflict_markdown": current.body if current else None,
            "preview": preview,
            "preview_asked": preview_asked,
            # After a POST the form shows text that is not saved: the script
            # compares it with what is (static/js/editor.js).
            "saved_text": (
                {"heading": saved.heading, "body": saved.body}
                if form.is_bound
                else None
            ),
            # The revisions this user saved last: the script drops a draft it
            # sent from revision n once revision n + 1 is theirs.
            "your_saves": list(
                section.revisions.filter(saved_by=request.user)
                .order_by("-revision")
                .values_list("revision", flat=True)[:20]
            ),
        },
        status=status,
    )


@login_required
@require_POST
def section_preview(request, slug, number, pk):
    """The editor's live preview: the Markdown as the version's page shows it.

    JSON in ({"body": "…"}), JSON out ({"html": "…"}), rendered and sanitised
    by strategy.markdown as the reading page does. Nothing is saved, so an
    older version's editor (whose save is refused) still previews.
    """
    version = staff_version(request, slug, number)
    get_object_or_404(version.sections, pk=pk)
    limit = f"{writing.MAX_BODY:,}".replace(",", " ")
    try:
        payload = json.loads(request.body)
    except RequestDataTooBig:
        return JsonResponse(
            {
                "error": _("The text is too long: at most %(max)s characters.")
                % {"max": limit}
            },
            status=413,
        )
    except (ValueError, RecursionError):  # RecursionError: [[[[…
        return JsonResponse({"error": _("The text could not be read.")}, status=400)
    body = payload.get("body") if isinstance(payload, dict) else None
    if not isinstance(body, str):
        return JsonResponse({"error": _("The text could not be read.")}, status=400)
    if len(body) > writing.MAX_BODY:
        message = _(
            "The text is too long: at most %(max)s characters (it has %(length)s)."
        ) % {"max": limit, "length": len(body)}
        return JsonResponse({"error": message}, status=413)
    try:
        html = render_markdown(body)
    except RecursionError:  # lists or quotes nested thousands deep
        return JsonResponse(
            {"error": _("The text is nested too deeply to be shown.")}, status=400
        )
    return JsonResponse({"html": html})


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
