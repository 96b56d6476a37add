from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mipr import clock
from mipr.access import get_process_for_member, get_process_for_viewer
from mipr.conflicts import Stale, rebind, saved_rows
from mipr.fragments import cached
from mipr.models import Role
from mipr.ordering import MoveForm
from mipr.spreadsheets import CSV_TYPE, attachment, csv_text

from . import services
from .forms import MilestoneForm, StatusForm
from .fulfilment import fulfilment_of
from .grid import build_grid
from .models import Milestone


def _milestone_for_secretariat(request, slug: str, pk: int) -> Milestone:
    process, _role = get_process_for_member(
        request.user, slug, roles={Role.SECRETARIAT}
    )
    return get_object_or_404(process.milestones.select_related("process"), pk=pk)


PLAN_CACHE_SECONDS = 24 * 60 * 60


def plan(request, slug=None):
    process, role = get_process_for_viewer(request.user, slug)
    today = clock.today()
    can_edit = role == Role.SECRETARIAT
    context = {
        "process": process,
        "today": today,
        "demo_today": clock.demo_today(),
        "late_rule": Milestone.LATE_RULE,
        "can_edit": can_edit,
    }
    if can_edit:  # its forms carry the user's CSRF token: never shared
        context["plan_body"] = _plan_body(request, process, today, can_edit)
    else:
        # The public page is the one everyone opens: the grid and the list of a
        # hundred milestones cost tens of milliseconds to render, and change
        # only when a milestone does, or the day, or the language.
        context["plan_body"] = cached(
            "timeline:plan",
            (services.plan_stamp(process), today.isoformat(), get_language()),
            lambda: _plan_body(request, process, today, can_edit),
            seconds=PLAN_CACHE_SECONDS,
        )
    return render(request, "timeline/plan.html", context)


def _plan_body(request, process, today, can_edit) -> str:
    milestones = list(process.milestones.all())
    return render_to_string(
        "timeline/partials/plan_body.html",
        {
            "process": process,
            "grid": build_grid(milestones, today=today),
            "rows": list(services.plan_rows(milestones, today=today)),
            "today": today,
            "can_edit": can_edit,
        },
        request=request,
    )


def _detail(request, process, role, milestone, *, conflict=False, status=200):
    today = clock.today()
    return render(
        request,
        "timeline/milestone_detail.html",
        {
            "process": process,
            "milestone": milestone,
            "milestone_status": milestone.shown_status(today),
            "milestone_status_label": milestone.shown_status_label(today),
            "late_rule": Milestone.LATE_RULE if milestone.is_late(today) else "",
            "demo_today": clock.demo_today(),
            "can_edit": role == Role.SECRETARIAT,
            "status_form": StatusForm(
                initial={"status": milestone.status, "version": milestone.version}
            )
            if role == Role.SECRETARIAT
            else None,
            # What the milestone produced, from the apps that produce it.
            "fulfilment": fulfilment_of(milestone, role=role),
            "conflict": conflict,
        },
        status=status,
    )


def milestone_detail(request, slug, pk):
    process, role = get_process_for_viewer(request.user, slug)
    milestone = get_object_or_404(
        process.milestones.prefetch_related("responsible_users"), pk=pk
    )
    return _detail(request, process, role, milestone)


def calendar_feed(request, slug=None):
    process, _role = get_process_for_viewer(request.user, slug)
    response = HttpResponse(
        services.plan_calendar(process, process.milestones.all(), today=clock.today()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{process.slug}.ics"'
    return response


def plan_csv(request, slug=None):
    process, _role = get_process_for_viewer(request.user, slug)
    rows = services.plan_rows(process.milestones.all(), today=clock.today())
    return attachment(
        csv_text(services.plan_csv_header(), services.plan_csv_rows(rows)),
        CSV_TYPE,
        f"{process.slug}-plan.csv",
    )


@login_required
def milestone_create(request, slug):
    process, _role = get_process_for_member(
        request.user, slug, roles={Role.SECRETARIAT}
    )
    form = MilestoneForm(
        request.POST or None,
        process=process,
        initial={"start_year": process.year, "end_year": process.year},
    )
    if request.method == "POST" and form.is_valid():
        milestone = services.milestone_create(
            process=process,
            data=form.cleaned_data,
            responsible_users=form.cleaned_data["responsible_users"],
        )
        messages.success(request, _("The milestone was added to the plan."))
        return redirect(milestone)
    return render(
        request, "timeline/milestone_form.html", {"process": process, "form": form}
    )


@login_required
def milestone_edit(request, slug, pk):
    milestone = _milestone_for_secretariat(request, slug, pk)
    process = milestone.process
    form = MilestoneForm(request.POST or None, instance=milestone, process=process)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_update(
                milestone=milestone,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
                responsible_users=form.cleaned_data["responsible_users"],
            )
        except Stale as stale:
            form = rebind(MilestoneForm, request.POST, stale, process=process)
            conflict = saved_rows(
                stale.current,
                [
                    "who",
                    "what",
                    (_("When"), "weeks_label"),
                    "responsible",
                    "status",
                    "notes",
                ],
            )
        else:
            messages.success(request, _("The milestone was saved."))
            return redirect(milestone)
    return render(
        request,
        "timeline/milestone_form.html",
        {
            "process": process,
            "form": form,
            "milestone": milestone,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def milestone_status(request, slug, pk):
    milestone = _milestone_for_secretariat(request, slug, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses in the list."))
        return redirect(milestone)
    try:
        services.milestone_set_status(
            milestone=milestone,
            status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["version"],
        )
    except Stale as stale:
        # The page as it is now, saying that nothing was changed.
        return _detail(
            request,
            milestone.process,
            Role.SECRETARIAT,
            stale.current,
            conflict=True,
            status=409,
        )
    messages.success(request, _("The status was saved."))
    return redirect(milestone)


@login_required
@require_POST
def milestone_move(request, slug, pk):
    milestone = _milestone_for_secretariat(request, slug, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.milestone_move(milestone=milestone, direction=form.step)
    return redirect(f"{milestone.process.get_plan_url()}#plan-list")


@login_required
def milestone_delete(request, slug, pk):
    milestone = _milestone_for_secretariat(request, slug, pk)
    if request.method == "POST":
        services.milestone_delete(milestone=milestone)
        messages.success(request, _("The milestone was deleted."))
        return redirect(milestone.process.get_plan_url())
    return render(
        request,
        "timeline/milestone_confirm_delete.html",
        {"process": milestone.process, "milestone": milestone},
    )
