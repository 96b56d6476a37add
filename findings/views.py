"""The findings pages: themes, answers side by side, tagging, sources, summary."""

import io
import json
import math
import re
import time
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse, Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mipr import clock
from mipr.access import STAFF_ROLES, get_process_for_member
from mipr.conflicts import Stale, rebind, saved_rows
from mipr.errors import NotFound
from mipr.fragments import cached, csrf_placeholder, with_csrf_token
from mipr.models import Role
from mipr.ordering import MoveForm
from mipr.ratelimit import Limit
from mipr.spreadsheets import XLSX_TYPE, attachment
from mipr.text import quoted
from workshops.models import Group, Question

from . import exports, pdf, services, themes
from .forms import (
    UNREADABLE,
    FindingForm,
    ItemFindingForm,
    ItemForm,
    MergeForm,
    SourceForm,
    TaggingForm,
    TickForm,
)
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


def _summary_context(user, slug) -> dict:
    """What the summary, its slides and their PDF show, or 404 for who may not
    see it: the staff, and the council members once it is shared."""
    process, role = get_process_for_member(user, slug)
    shared = FindingsSummary.objects.filter(process=process).first()
    if role not in STAFF_ROLES and not (shared and shared.is_shared):
        raise Http404
    return {
        "process": process,
        "themes": themes.themes(process=process),
        "total_groups": Group.objects.filter(workshop__process=process).count(),
        "summary": shared,
        "is_secretariat": role == Role.SECRETARIAT,
        "is_staff_role": role in STAFF_ROLES,
    }


@login_required
def summary(request, slug):
    return render(
        request, "findings/summary.html", _summary_context(request.user, slug)
    )


@login_required
def summary_slides(request, slug):
    context = _summary_context(request.user, slug)
    return render(request, "findings/slides.html", {**context, "today": clock.today()})


@login_required
def summary_slides_pdf(request, slug):
    context = _summary_context(request.user, slug)
    content = pdf.slides_pdf(
        process=context["process"],
        themes=context["themes"],
        total_groups=context["total_groups"],
        today=clock.today(),
    )
    # Streamed like the strategy's PDFs: one way to send a PDF file.
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=f"{slug}-lysbilder.pdf"
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


def _side_by_side_filters(query: QueryDict, process):
    questions = list(
        Question.objects.filter(workshop__process=process).select_related("workshop")
    )
    try:
        asked = int(query.get("sporsmal", ""))
    except ValueError:
        asked = None
    question = next((q for q in questions if q.pk == asked), None) or (
        questions[0] if questions else None
    )
    try:
        group_number = int(query.get("gruppe", ""))
    except ValueError:
        group_number = None
    raw_finding = query.get("funn", "")
    finding_id = "none" if raw_finding == "ingen" else None
    if raw_finding.isdigit():
        finding_id = int(raw_finding)
    return questions, question, group_number, finding_id, raw_finding


def _filters(query: str) -> QueryDict:
    """The side-by-side page's filters in a query string, and nothing else."""
    given = QueryDict(query)
    kept = QueryDict(mutable=True)
    for name in ("sporsmal", "gruppe", "funn"):
        if name in given:
            kept[name] = given[name]
    return kept


@dataclass
class PageItem:
    """An answer item on the tagging page, with what its part of the form shows:
    the saved ticks, or after a refused save what was sent, so nothing is lost."""

    item: themes.Item
    checked: set[int]
    shown: set[int]  # the findings it had when the page was first made
    title: str = ""  # a new finding's title, typed beside the item
    errors: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.item.answer.pk}:{self.item.slot}"

    @property
    def anchor(self) -> str:
        return f"punkt-{self.item.answer.pk}-{self.item.slot}"

    @property
    def shown_ids(self) -> str:
        return ",".join(str(pk) for pk in sorted(self.shown))


def _untagged_sentence(count: int) -> str:
    return ngettext(
        "%(count)s item shown is not tagged yet.",
        "%(count)s items shown are not tagged yet.",
        count,
    ) % {"count": "{count}"}


def _answers_page(request, process, query: QueryDict, form=None):
    questions, question, group_number, finding_id, raw_finding = _side_by_side_filters(
        query, process
    )
    rows = (
        themes.answers_side_by_side(
            question=question, group_number=group_number, finding_id=finding_id
        )
        if question
        else []
    )
    posted = form.posted_items if form else {}
    page_rows = []
    for group, items in rows:
        entries = []
        for item in items:
            key = (item.answer.pk, item.slot)
            entry = PageItem(item, item.finding_ids, item.finding_ids)
            if key in posted:
                entry.checked = posted[key]
                entry.shown = (form.posted_shown or {}).get(key, item.finding_ids)
                entry.title = form.data.get(f"new-{key[0]}-{key[1]}-title", "")
                if key in form.new_forms:
                    entry.errors = form.new_forms[key].errors.get("title", [])
            entries.append(entry)
        page_rows.append((group, entries))
    items = [entry for _group, entries in page_rows for entry in entries]
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
            "rows": page_rows,
            "item_count": len(items),
            "untagged": sum(1 for entry in items if not entry.item.finding_ids),
            # The same sentence for the script, which counts as items are tagged.
            "untagged_one": _untagged_sentence(1),
            "untagged_other": _untagged_sentence(2),
            "first_error": next((e.anchor for e in items if e.errors), ""),
            "query": _filters(query.urlencode()).urlencode(),
        },
    )


@login_required
def answers(request, slug):
    process, _role = _staff_process(request, slug)
    return _answers_page(request, process, request.GET)


# Where the page goes back to after a save: the top or an item.
PLACE = re.compile(r"merking-topp|punkt-\d{1,19}-\d{1,5}", re.ASCII)


def _back_to(slug, filters: QueryDict, place: str = "") -> str:
    query = filters.urlencode()
    return (
        reverse("findings:answers", args=[slug])
        + (f"?{query}" if query else "")
        + (f"#{place}" if place else "")
    )


def _save_page(request, slug, *, new_required: bool):
    """The tagging page's form: every item's ticks and the new findings typed in.

    Back to the same filters and to the place on the page: the item whose
    finding was created, the top when its button was pressed, else the last
    item changed (the bottom button floats along with the page).
    """
    process, _role = _staff_process(request, slug)
    form = TaggingForm(request.POST, process=process, new_required=new_required)
    filters = _filters(request.POST.get("back", ""))
    place = request.POST.get("sted", "")
    place = place if PLACE.fullmatch(place) else ""
    if form.unreadable or (not form.is_valid() and not form.posted_items):
        messages.error(request, UNREADABLE)
        return redirect(_back_to(slug, filters, place))
    if not form.is_valid():
        messages.error(
            request,
            _(
                "The new finding could not be created: see the item below. Nothing "
                "is saved yet; your ticks and text are kept."
            ),
        )
        return _answers_page(request, process, filters, form=form)
    data = form.cleaned_data
    saved = services.tagging_save(
        process=process,
        items=data["items"],
        shown=data["shown"],
        new_findings=data["new_findings"],
    )
    for finding in saved.created.values():
        messages.success(
            request,
            _("The finding %(title)s is created, and the item is tagged with it.")
            % {"title": quoted(finding.title)},
            extra_tags="tagging",
        )
    count = len(saved.changed)
    if count or not saved.created:
        messages.success(
            request,
            ngettext(
                "Saved: %(count)s item changed.",
                "Saved: %(count)s items changed.",
                count,
            )
            % {"count": count}
            if count
            else _("Saved. No item had changed."),
            extra_tags="tagging",
        )
    changed = [key for key in data["items"] if key in saved.changed]
    target = data["new"] or next(reversed(saved.created), None)
    if target is None and not place and changed:
        target = changed[-1]
    if target is not None:
        place = f"punkt-{target[0]}-{target[1]}"
    return redirect(_back_to(slug, filters, place))


@login_required
@require_POST
def tag_item(request, slug):
    """«Lagre alle»: every item on the page (see TaggingForm)."""
    return _save_page(request, slug, new_required=False)


# --- The tagging page's script: one tick at a time (static/js/tagging.js) -----

# Per user: far more than anyone ticks by hand, few enough to stop a runaway
# script. The script waits for Retry-After and sends the refused tick again.
TICKS = Limit("tag-tick", limit=120, window=60)


def _too_many_ticks(request) -> JsonResponse | None:
    who = f"user:{request.user.pk}"
    if not TICKS.is_exceeded(who):
        TICKS.record_failure(who)  # every tick counts
        return None
    # The limit counts in fixed windows: the next one starts this soon.
    wait = max(1, math.ceil(TICKS.window - time.time() % TICKS.window))
    response = JsonResponse(
        {
            "error": _("Many changes in a short time: they are sent again shortly."),
            "retry": wait,
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _json_payload(request) -> dict | None:
    try:
        payload = json.loads(request.body)
    except (ValueError, RecursionError, RequestDataTooBig):  # RecursionError: [[[…
        return None
    return payload if isinstance(payload, dict) else None


def _json_error(message, status: int, **more) -> JsonResponse:
    return JsonResponse({"error": str(message), **more}, status=status)


GONE = _("This item or finding is not here any more. Nothing changed.")


@login_required
@require_POST
def tag_tick(request, slug):
    """One tick: {answer, slot, finding, checked} in, the saved state out."""
    process, _role = _staff_process(request, slug)
    if (refused := _too_many_ticks(request)) is not None:
        return refused
    form = TickForm(_json_payload(request) or {})
    if not form.is_valid():
        return _json_error(UNREADABLE, 400)
    data = form.cleaned_data
    try:
        tick = services.item_tick(
            process=process,
            answer_id=data["answer"],
            slot=data["slot"],
            finding_id=data["finding"],
            checked=data["checked"],
        )
    except NotFound:
        return _json_error(GONE, 404)
    message = (
        _("Saved: %(finding)s added.")
        if tick.checked
        else _("Saved: %(finding)s removed.")
    )
    return JsonResponse(
        {
            "checked": tick.checked,
            "changed": tick.changed,
            "tagged": tick.tagged,
            "message": message % {"finding": quoted(tick.finding.title)},
        }
    )


@login_required
@require_POST
def tag_new_finding(request, slug):
    """A new finding for one item: the script's JSON {answer, slot, title}, or
    the page's form when an item's «create» button was pressed."""
    if request.content_type != "application/json":
        return _save_page(request, slug, new_required=True)
    process, _role = _staff_process(request, slug)
    if (refused := _too_many_ticks(request)) is not None:
        return refused
    payload = _json_payload(request) or {}
    item = ItemForm(payload)
    if not item.is_valid() or not isinstance(payload.get("title"), str):
        return _json_error(UNREADABLE, 400)
    titled = ItemFindingForm({"title": payload["title"]}, process=process)
    if not titled.is_valid():
        return _json_error(
            _("The new finding could not be created."),
            400,
            errors={"title": list(titled.errors["title"])},
        )
    try:
        finding = services.item_finding_create(
            process=process,
            answer_id=item.cleaned_data["answer"],
            slot=item.cleaned_data["slot"],
            title=titled.cleaned_data["title"],
        )
    except NotFound:
        return _json_error(GONE, 404)
    return JsonResponse(
        {
            "finding": {"id": finding.pk, "title": finding.title},
            "message": _(
                "The finding %(title)s is created, and the item is tagged with it."
            )
            % {"title": quoted(finding.title)},
        },
        status=201,
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
