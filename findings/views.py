"""The findings pages: themes, answers side by side, tagging, sources, summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mipr.access import STAFF_ROLES, get_process_for_member
from mipr.conflicts import Stale, rebind, saved_rows
from mipr.fragments import cached, csrf_placeholder, with_csrf_token
from mipr.models import Role
from mipr.ordering import MoveForm
from mipr.spreadsheets import XLSX_TYPE, attachment
from workshops.models import Group, Question

from . import exports, services, themes
from .forms import FindingForm, MergeForm, SourceForm, TagForm
from .models import FindingsSummary
from .usage import uses_of


def _staff_process(request, slug):
    return get_process_for_member(request.user, slug, roles=STAFF_ROLES)


THEMES_CACHE_SECONDS = 10 * 60


@login_required
def theme_view(request, slug):
    """The synthesis: rendered once per change of what it shows (see
    themes.themes_state), since a process has thousands of tagged quotes."""
    process, role = _staff_process(request, slug)
    total_groups = Group.objects.filter(workshop__process=process).count()
    state = themes.themes_state(process)
    html = cached(
        "findings:themes",
        (state, total_groups, get_language()),
        lambda: render_to_string(
            "findings/partials/theme_list.html",
            {
                "process": process,
                "themes": themes.themes(process=process),
                "total_groups": total_groups,
                "csrf_token": csrf_placeholder(),
            },
        ),
        seconds=THEMES_CACHE_SECONDS,
    )
    return render(
        request,
        "findings/themes.html",
        {
            "process": process,
            "theme_count": themes.finding_count(state),
            "theme_list": with_csrf_token(html, request),
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
        "findings/summary.html",
        {
            "process": process,
            "themes": themes.themes(process=process),
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
    return redirect("findings:summary", slug=slug)


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
        themes.answers_side_by_side(
            question=question, group_number=group_number, finding_id=finding_id
        )
        if question
        else []
    )
    return render(
        request,
        "findings/answers.html",
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
    form = TagForm(request.POST)
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
        reverse("findings:answers", args=[slug]) + (f"?{back}" if back else "")
    )


@login_required
def finding_edit(request, slug, pk=None):
    process, _role = _staff_process(request, slug)
    finding = get_object_or_404(process.findings, pk=pk) if pk else None
    form = FindingForm(request.POST or None, instance=finding, process=process)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if finding is None:
                services.finding_create(
                    process=process,
                    title=data["title"],
                    description=data["description"],
                    sources=list(data["sources"]),
                )
                messages.success(request, _("The finding is created."))
            else:
                services.finding_update(
                    finding=finding,
                    version=data.get("version") or 0,
                    title=data["title"],
                    description=data["description"],
                    sources=list(data["sources"]),
                )
                messages.success(request, _("The finding is saved."))
        except Stale as stale:
            form = rebind(FindingForm, request.POST, stale, process=process)
            conflict = saved_rows(stale.current, ["title", "description"])
        else:
            return redirect("findings:themes", slug=slug)
    return render(
        request,
        "findings/finding_form.html",
        {"process": process, "form": form, "finding": finding, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
def finding_delete(request, slug, pk):
    process, _role = _staff_process(request, slug)
    finding = get_object_or_404(process.findings, pk=pk)
    if request.method == "POST":
        services.finding_delete(finding=finding)
        messages.success(request, _("The finding is deleted."))
        return redirect("findings:themes", slug=slug)
    return render(
        request,
        "findings/finding_delete.html",
        {
            "process": process,
            "finding": finding,
            "tag_count": finding.tags.count(),
            "source_count": finding.sources.count(),
            # Where the apps above cite it (the strategy's sections).
            "uses": uses_of(finding),
        },
    )


@login_required
@require_POST
def finding_move(request, slug, pk):
    process, _role = _staff_process(request, slug)
    finding = get_object_or_404(process.findings, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.finding_move(finding=finding, direction=form.step)
    return redirect("findings:themes", slug=slug)


@login_required
def finding_merge(request, slug):
    process, _role = _staff_process(request, slug)
    form = MergeForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        services.finding_merge(
            into=form.cleaned_data["into"], others=list(form.cleaned_data["others"])
        )
        messages.success(request, _("The findings are merged. Every tag is kept."))
        return redirect("findings:themes", slug=slug)
    return render(
        request, "findings/finding_merge.html", {"process": process, "form": form}
    )


@login_required
def findings_xlsx(request, slug):
    process, _role = _staff_process(request, slug)
    return attachment(
        exports.findings_xlsx(process),
        XLSX_TYPE,
        f"{process.slug}-funn.xlsx",
        personal=True,
    )


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
        "findings/sources.html",
        {"process": process, "sources": listed, "mine": mine},
    )


@login_required
def source_edit(request, slug, pk=None):
    process, _role = _staff_process(request, slug)
    source = get_object_or_404(process.sources, pk=pk) if pk else None
    form = SourceForm(request.POST or None, instance=source, process=process)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.source_save(
                source=form.save(commit=False), version=form.cleaned_data.get("version")
            )
        except Stale as stale:
            form = rebind(SourceForm, request.POST, stale, process=process)
            conflict = saved_rows(stale.current, ["title", "status", "says"])
        else:
            messages.success(request, _("The source is saved."))
            return redirect("findings:sources", slug=slug)
    return render(
        request,
        "findings/source_form.html",
        {"process": process, "form": form, "source": source, "conflict": conflict},
        status=409 if conflict else 200,
    )
