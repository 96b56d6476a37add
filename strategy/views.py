from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mipr.access import STAFF_ROLES, get_process_for_member
from mipr.fragments import cache_key, csrf_placeholder, with_csrf_token
from mipr.models import Role
from workshops.models import Group, Question

from . import exports, services
from .forms import FindingForm, MergeForm, SourceForm, TagForm
from .models import FindingsSummary


def _staff_process(request, slug):
    process, role = get_process_for_member(request.user, slug, roles=STAFF_ROLES)
    return process, role


THEMES_CACHE_SECONDS = 10 * 60


@login_required
def themes(request, slug):
    """The synthesis: rendered once per change of what it shows (see
    services.themes_state), since a process has thousands of tagged quotes."""
    process, role = _staff_process(request, slug)
    total_groups = Group.objects.filter(workshop__process=process).count()
    key = cache_key(
        "strategy:themes",
        (services.themes_state(process), total_groups, get_language()),
    )
    found = cache.get(key)
    if found is None:
        themes = services.themes(process=process)
        found = {
            "count": len(themes),
            "html": render_to_string(
                "strategy/partials/theme_list.html",
                {
                    "process": process,
                    "themes": themes,
                    "total_groups": total_groups,
                    "csrf_token": csrf_placeholder(),
                },
            ),
        }
        cache.set(key, found, THEMES_CACHE_SECONDS)
    return render(
        request,
        "strategy/themes.html",
        {
            "process": process,
            "theme_count": found["count"],
            "theme_list": with_csrf_token(found["html"], request),
            "summary": FindingsSummary.objects.filter(process=process).first(),
            "is_secretariat": role == Role.SECRETARIAT,
        },
    )


@login_required
def summary(request, slug):
    process, role = get_process_for_member(request.user, slug)
    shared = FindingsSummary.objects.filter(process=process).first()
    if role not in STAFF_ROLES and not (shared and shared.is_shared):
        raise Http404
    return render(
        request,
        "strategy/summary.html",
        {
            "process": process,
            "themes": services.themes(process=process),
            "total_groups": Group.objects.filter(workshop__process=process).count(),
            "summary": shared,
            "is_secretariat": role == Role.SECRETARIAT,
            "is_staff_role": role in STAFF_ROLES,
        },
    )


@login_required
@require_POST
def summary_share(request, slug):
    process, _role = get_process_for_member(
        request.user, slug, roles={Role.SECRETARIAT}
    )
    shared = request.POST.get("shared") == "1"
    services.summary_share(process=process, shared=shared)
    messages.success(
        request,
        _("The summary is shared with the council members.")
        if shared
        else _("The summary is no longer shared with the council members."),
    )
    return redirect("strategy:summary", slug=slug)


def _side_by_side_filters(request, process):
    questions = list(
        Question.objects.filter(workshop__process=process).select_related("workshop")
    )
    try:
        asked = int(request.GET.get("sporsmal", ""))
    except ValueError:
        asked = None
    question = next((q for q in questions if q.pk == asked), None) or (
        questions[0] if questions else None
    )
    try:
        group_number = int(request.GET.get("gruppe", ""))
    except ValueError:
        group_number = None
    raw_finding = request.GET.get("funn", "")
    finding_id = "none" if raw_finding == "ingen" else None
    if raw_finding.isdigit():
        finding_id = int(raw_finding)
    return questions, question, group_number, finding_id, raw_finding


@login_required
def answers(request, slug):
    process, _role = _staff_process(request, slug)
    questions, question, group_number, finding_id, raw_finding = _side_by_side_filters(
        request, process
    )
    rows = (
        services.answers_side_by_side(
            question=question, group_number=group_number, finding_id=finding_id
        )
        if question
        else []
    )
    return render(
        request,
        "strategy/answers.html",
        {
            "process": process,
            "questions": questions,
            "question": question,
            "groups": list(question.workshop.groups.all()) if question else [],
            "group_number": group_number,
            "finding_filter": raw_finding,
            "findings": list(process.findings.all()),
            "rows": rows,
            "untagged": sum(
                1 for _group, items in rows for item in items if not item.finding_ids
            ),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_POST
def tag_item(request, slug):
    process, _role = _staff_process(request, slug)
    form = TagForm(request.POST, process=process)
    if not form.is_valid():
        messages.error(request, _("The tagging could not be read. Nothing changed."))
    else:
        answer = services.answer_for_process(
            process=process,
            answer_id=form.cleaned_data["answer"],
            slot=form.cleaned_data["slot"],
        )
        services.item_set_findings(
            answer=answer,
            slot=form.cleaned_data["slot"],
            findings=list(form.cleaned_data["findings"]),
        )
        messages.success(request, _("The item's findings are saved."))
    # Back to the same filters; re-encoded, so that nothing else gets in.
    back = QueryDict(request.POST.get("back", "")).urlencode()
    return redirect(
        reverse("strategy:answers", args=[slug]) + (f"?{back}" if back else "")
    )


def _with_version(form_class, request, current, **kwargs):
    """The user's form again, now based on the saved version: saving it again
    replaces the colleague's text knowingly."""
    data = request.POST.copy()
    data["version"] = current.version
    # A copy: validating the form writes the user's text into its instance,
    # and `current` must keep showing what is saved.
    instance = type(current).objects.get(pk=current.pk)
    form = form_class(data, instance=instance, **kwargs)
    form.is_valid()
    return form


@login_required
def finding_edit(request, slug, pk=None):
    process, _role = _staff_process(request, slug)
    finding = get_object_or_404(process.findings, pk=pk) if pk else None
    form = FindingForm(request.POST or None, instance=finding, process=process)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if finding is None:
            created = services.finding_create(
                process=process, title=data["title"], description=data["description"]
            )
            created.sources.set(data["sources"])
            messages.success(request, _("The finding is created."))
            return redirect("strategy:themes", slug=slug)
        try:
            services.finding_update(
                finding=finding,
                version=data.get("version") or 0,
                title=data["title"],
                description=data["description"],
                sources=list(data["sources"]),
            )
        except services.Stale as stale:
            current = stale.current
            form = _with_version(FindingForm, request, current, process=process)
        else:
            messages.success(request, _("The finding is saved."))
            return redirect("strategy:themes", slug=slug)
    return render(
        request,
        "strategy/finding_form.html",
        {"process": process, "form": form, "finding": finding, "current": current},
        status=409 if current else 200,
    )


@login_required
def finding_delete(request, slug, pk):
    process, _role = _staff_process(request, slug)
    finding = get_object_or_404(process.findings, pk=pk)
    if request.method == "POST":
        finding.delete()
        messages.success(request, _("The finding is deleted."))
        return redirect("strategy:themes", slug=slug)
    return render(
        request,
        "strategy/finding_delete.html",
        {
            "process": process,
            "finding": finding,
            "tag_count": finding.tags.count(),
            "source_count": finding.sources.count(),
            # Where the strategy cites it: the sections, with their version.
            "sections": finding.sections.select_related("version").order_by(
                "-version__number", "order"
            ),
        },
    )


@login_required
@require_POST
def finding_move(request, slug, pk):
    process, _role = _staff_process(request, slug)
    finding = get_object_or_404(process.findings, pk=pk)
    services.finding_move(
        finding=finding, direction=-1 if request.POST.get("direction") == "up" else 1
    )
    return redirect("strategy:themes", slug=slug)


@login_required
def finding_merge(request, slug):
    process, _role = _staff_process(request, slug)
    form = MergeForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        services.finding_merge(
            into=form.cleaned_data["into"], others=list(form.cleaned_data["others"])
        )
        messages.success(request, _("The findings are merged. Every tag is kept."))
        return redirect("strategy:themes", slug=slug)
    return render(
        request, "strategy/finding_merge.html", {"process": process, "form": form}
    )


@login_required
def findings_xlsx(request, slug):
    process, _role = _staff_process(request, slug)
    response = HttpResponse(
        exports.findings_xlsx(process),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-funn.xlsx"'
    return response


# --- Sources (kunnskapsgrunnlag) ----------------------------------------------------


@login_required
def sources(request, slug):
    process, _role = _staff_process(request, slug)
    mine = request.GET.get("mine") == "1"
    listed = process.sources.select_related("assigned_to")
    if mine:
        listed = listed.filter(assigned_to=request.user)
    return render(
        request,
        "strategy/sources.html",
        {"process": process, "sources": listed, "mine": mine},
    )


@login_required
def source_edit(request, slug, pk=None):
    process, _role = _staff_process(request, slug)
    source = get_object_or_404(process.sources, pk=pk) if pk else None
    form = SourceForm(request.POST or None, instance=source, process=process)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.source_save(
                source=form.save(commit=False), version=form.cleaned_data.get("version")
            )
        except services.Stale as stale:
            current = stale.current
            form = _with_version(SourceForm, request, current, process=process)
        else:
            messages.success(request, _("The source is saved."))
            return redirect("strategy:sources", slug=slug)
    return render(
        request,
        "strategy/source_form.html",
        {"process": process, "form": form, "source": source, "current": current},
        status=409 if current else 200,
    )
