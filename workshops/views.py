import json
import time

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db.models import Max
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mipr import confirm
from mipr.access import STAFF_ROLES
from mipr.models import Membership, Process, Role
from mipr.ratelimit import Backoff, Limit
from mipr.security import client_ip
from mipr.spreadsheets import CSV_TYPE, XLSX_TYPE, attachment

from . import confirmations, exports, presence, services
from .access import (
    JOIN_TOKEN_FIELD,
    CodeChanged,
    get_participant,
    get_participant_or_code_changed,
    get_workshop_for_staff,
    join_token,
    join_token_nonce,
    participant_join,
    remembered_groups,
)
from .forms import (
    AnswerForm,
    GroupForm,
    JoinForm,
    QuestionForm,
    WorkshopForm,
    WorkshopStatusForm,
)
from .models import Workshop, WorkshopStatus

# Guessing codes. A person who mistypes gets ten tries a minute from one loaded
# form (its signed token: a script must load the form again every ten guesses,
# and nobody gets a session before joining). Wrong codes from one address past
# JOIN_PER_ADDRESS.threshold a minute make that address wait, longer each time;
# but a right code always gets in, whatever its address has been up to, so that
# a script can never lock the room behind the venue's shared address out.
JOIN_PER_FORM = Limit("join-form", limit=10)
JOIN_PER_ADDRESS = Backoff("join-address", threshold=60)


def join(request):
    status = 200
    nonce = None
    if request.method == "POST":
        form = JoinForm(request.POST)
        nonce = join_token_nonce(request.POST.get(JOIN_TOKEN_FIELD))
        address = client_ip(request)
        if nonce is None:
            # Not from a form we gave out (or from one open for many hours):
            # nothing is checked; the form comes back as typed, to send again.
            form.is_valid()
            form.errors.clear()
            form.add_error(None, _("The page was open too long. Press «Join» again."))
            status = 400
        elif JOIN_PER_FORM.is_exceeded(nonce):
            form.is_valid()
            form.errors.clear()
            form.add_error(
                None,
                _("Too many attempts. Wait a minute, then try again."),
            )
            status = 429
        elif form.is_valid():
            participant_join(request, group=form.group, name=form.cleaned_data["name"])
            return redirect("workshops:group", group_id=form.group.pk)
        else:
            status = 400
            if "code" in form.errors:
                JOIN_PER_FORM.record_failure(nonce)
                wait = JOIN_PER_ADDRESS.record_failure(address)
                if wait:
                    form.add_error(
                        None,
                        _(
                            "Many wrong codes have come from this network. Check "
                            "the code on the screen and try again in %(minutes)s "
                            "minutes. A right code always gets in."
                        )
                        % {"minutes": max(1, round(wait / 60))},
                    )
                    status = 429
    else:
        form = JoinForm(initial={"code": request.GET.get("kode", "")[:32]})
    return render(
        request,
        "workshops/join.html",
        {
            "form": form,
            "join_token": join_token(nonce),
            "remembered": remembered_groups(request),
        },
        status=status,
    )


def group_page(request, group_id):
    participant = get_participant(request, group_id)
    group = participant.group
    cells = services.group_progress(group=group)
    return render(
        request,
        "workshops/group.html",
        {
            "group": group,
            "workshop": group.workshop,
            "participant": participant,
            "cells": cells,
            "finished": services.group_is_finished(cells),
        },
    )


def _answer_context(participant, question, form, answer, conflicts=()):
    workshop = participant.group.workshop
    content = question.fit_content(answer.content if answer else [])
    return {
        "group": participant.group,
        "workshop": workshop,
        "participant": participant,
        "question": question,
        "answer": answer,
        "form": form,
        "rows": form.rows(conflicts),
        "content": content,
        "filled": [
            (slot.label, entry["text"].strip(), entry["why"].strip())
            for slot, entry in zip(question.slots, content, strict=True)
        ],
        "editable": workshop.is_open and not (answer and answer.is_submitted),
        "initial": {"version": answer.version if answer else 0, "content": content},
        "questions": list(workshop.questions.all()),
    }


def _fresh_form(question, answer):
    content = question.fit_content(answer.content if answer else [])
    initial = {
        "version": answer.version if answer else 0,
        "base": json.dumps(content, ensure_ascii=False),
    }
    for index, entry in enumerate(content):
        initial[AnswerForm.field_name(index, "text")] = entry["text"]
        initial[AnswerForm.field_name(index, "why")] = entry["why"]
    return AnswerForm(question=question, initial=initial)


def answer_page(request, group_id, number):
    if request.method != "POST":
        participant = get_participant(request, group_id)
    else:
        try:
            participant = get_participant_or_code_changed(request, group_id)
        except CodeChanged as shut_out:
            # Without the script, the next save is where a participant learns
            # it: say why, and give back what they typed.
            return _refused_save(request, shut_out.message, join_again=True)
    group = participant.group
    question = get_object_or_404(group.workshop.questions, number=number)
    answer = group.answers.filter(question=question).first()
    if request.method != "POST":
        form = _fresh_form(question, answer)
        context = _answer_context(participant, question, form, answer)
        context["present"] = _beat(request, participant, question)
        return render(request, "workshops/answer.html", context)

    action = request.POST.get("action", "save")
    if action == "submit" and confirm.is_confirmed(request):
        return _submit_confirmed(request, participant, question, answer)
    try:
        if action == "withdraw":
            services.answer_withdraw(group=group, question=question)
            messages.info(request, _("The submission was taken back."))
            return redirect("workshops:answer", group_id=group.pk, number=number)
        form = AnswerForm(request.POST, question=question)
        if not form.is_valid():
            raise ValidationError(_("The page is out of date. Reload it."))
        result = services.answer_save(
            group=group,
            question=question,
            content=form.content(),
            version=form.cleaned_data["version"],
            base=form.base_content(),
            editor=participant.name,
        )
    except services.AnswerLocked as locked:
        if action == "withdraw":
            messages.error(request, locked.message)
            return redirect("workshops:answer", group_id=group.pk, number=number)
        back = reverse("workshops:answer", args=[group.pk, number])
        return _refused_save(request, locked.message, question=question, back=back)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("workshops:answer", group_id=group.pk, number=number)

    if result.errors or result.conflicts:
        form = AnswerForm.after_save(request.POST, question=question, result=result)
        if result.conflicts:
            messages.warning(
                request,
                _(
                    "Someone in your group changed the same text while you wrote. "
                    "Their text is shown beside yours: keep yours by saving again, "
                    "or copy what you want from theirs."
                ),
            )
        elif result.errors:
            messages.error(request, _("Some text was not saved. The rest is saved."))
        context = _answer_context(
            participant, question, form, result.answer, result.conflicts
        )
        return render(request, "workshops/answer.html", context, status=409)

    if action == "submit":
        missing = question.missing_for_submission(result.content)
        if not missing:
            # The text is saved; now ask, once, since the whole group loses it.
            return confirm.ask(
                request, confirmations.submit_answer(group, question, result.answer)
            )
        messages.error(request, _not_submitted(missing))
    else:
        messages.success(request, _("Saved."))
    return redirect("workshops:answer", group_id=group.pk, number=number)


def _not_submitted(missing) -> str:
    return _("Saved, but not submitted: %(missing)s.") % {"missing": "; ".join(missing)}


def _submit_confirmed(request, participant, question, answer):
    """The confirmed «Save and submit». The text was saved when it asked; the
    confirmation's state stops a second press, a later edit or a closed
    workshop (mipr.confirm)."""
    group = participant.group
    stop = confirm.ask_once(
        request, confirmations.submit_answer(group, question, answer)
    )
    if stop:
        return stop
    try:
        services.answer_submit(
            group=group,
            question=question,
            editor=participant.name,
            version=answer.version if answer else 0,
        )
    except (services.AnswerLocked, services.AnswerChanged) as refused:
        # A press or an edit a moment before this one, past the state check.
        messages.error(request, refused.message)
    except ValidationError as error:
        messages.error(request, _not_submitted(error.messages))
    else:
        messages.success(request, _("The answer is saved and submitted."))
        return redirect("workshops:group", group_id=group.pk)
    return redirect("workshops:answer", group_id=group.pk, number=question.number)


def _typed_text(posted, question=None) -> str:
    """What a refused form held, as one text to copy: each slot's text and why,
    under its label when the question is known."""
    labels = {}
    if question is not None:
        labels = {
            name: str(field.label)
            for name, field in AnswerForm(question=question).fields.items()
        }
    parts = []
    for index in range(len(question.slots) if question else 10):
        for key in ("text", "why"):
            name = AnswerForm.field_name(index, key)
            value = posted.get(name, "").strip()
            if value:
                label = labels.get(name)
                parts.append(f"{label}\n{value}" if label else value)
    return "\n\n".join(parts)


def _refused_save(request, message, *, question=None, back=None, join_again=False):
    """The page for a save the server cannot take any more (the workshop is
    closed, the answer submitted, the group's code changed): why, and the
    typed text to copy. Never a bare error page, and nothing typed is lost."""
    return render(
        request,
        "workshops/answer_refused.html",
        {
            "message": message,
            "typed": _typed_text(request.POST, question),
            "back": back,
            "join_again": join_again,
        },
        status=403 if join_again else 409,
    )


# A page beats every 5–10 s, and more often while hidden pages wake up: thirty
# a minute is plenty for one browser. Counted per session, so that a runaway
# script slows only itself and never the rest of its group.
HEARTBEAT_PER_SESSION = Limit("heartbeat", limit=30)


def _beat(request, participant, question, slot=None) -> list[str]:
    """Record this page as open (at `slot`), and say who else is there."""
    visitor = presence.visitor_id(request.session.session_key or "")
    group_id = participant.group.pk
    presence.record(
        group_id=group_id,
        visitor=visitor,
        name=participant.name,
        question=question.number,
        slot=slot,
    )
    people = presence.others(group_id=group_id, visitor=visitor)
    return presence.describe(people, question=question)


def _live_state(participant, question, answer) -> dict:
    """What the page's script needs to know besides the text: may it still
    save, and if not, why."""
    if not participant.group.workshop.is_open:
        return {
            "state": "closed",
            "error": _("The workshop is closed. The answers can only be read."),
        }
    if answer is not None and answer.is_submitted:
        return {
            "state": "submitted",
            "error": _(
                "This answer has been submitted. Take the submission back to change it."
            ),
        }
    return {"state": "open"}


def _slot_of(payload, question) -> int | None:
    slot = payload.get("slot")
    is_int = isinstance(slot, int) and not isinstance(slot, bool)
    return slot if is_int and 0 <= slot < len(question.slots) else None


def _denied() -> JsonResponse:
    # The same for a group that does not exist, another group's and no session.
    return JsonResponse({"state": "denied"}, status=403)


def _read_json(request):
    try:
        payload = json.loads(request.body)
    except (ValueError, RecursionError, RequestDataTooBig):  # RecursionError: [[[…
        return None
    return payload if isinstance(payload, dict) else None


@require_POST
def heartbeat(request, group_id, number):
    """An open answer page's beat: who is here, is there newer text, may it
    still save. JSON in ({"version", "slot"}), JSON out."""
    session_key = request.session.session_key
    if not session_key:
        return _denied()
    visitor = presence.visitor_id(session_key)
    if HEARTBEAT_PER_SESSION.is_exceeded(visitor):
        response = JsonResponse(
            {"error": _("Too many requests in a short time. Wait a little.")},
            status=429,
        )
        window = HEARTBEAT_PER_SESSION.window
        response["Retry-After"] = str(window - int(time.time()) % window)
        return response
    HEARTBEAT_PER_SESSION.record_failure(visitor)  # every beat counts here
    try:
        participant = get_participant_or_code_changed(request, group_id)
    except Http404:
        return _denied()
    except CodeChanged as shut_out:
        return JsonResponse(
            {"state": "code-changed", "error": str(shut_out.message)}, status=403
        )
    question = participant.group.workshop.questions.filter(number=number).first()
    if question is None:
        return _denied()
    payload = _read_json(request)
    if payload is None:
        return JsonResponse({"error": _("The text could not be read.")}, status=400)
    answer = participant.group.answers.filter(question=question).first()
    reply = _live_state(participant, question, answer)
    reply["present"] = _beat(
        request, participant, question, slot=_slot_of(payload, question)
    )
    version = answer.version if answer else 0
    reply["version"] = version
    known = payload.get("version")
    if answer is not None and (not isinstance(known, int) or known < version):
        reply["content"] = question.fit_content(answer.content)
        reply["by"] = answer.edited_by
        reply["saved"] = _saved_label(answer)
    return JsonResponse(reply)


def _saved_label(answer) -> str:
    if answer.edited_at is None:
        return ""
    time = formats.time_format(timezone.localtime(answer.edited_at), "H:i")
    return _("Saved %(time)s") % {"time": time}


@require_POST
def autosave(request, group_id, number):
    """The script's save: JSON in, JSON out, the same rules as the form.

    It counts as the page's heartbeat too, so its answer says who is here."""
    try:
        participant = get_participant_or_code_changed(request, group_id)
    except CodeChanged as shut_out:
        return JsonResponse(
            {"error": str(shut_out.message), "locked": True, "state": "code-changed"},
            status=403,
        )
    group = participant.group
    question = get_object_or_404(group.workshop.questions, number=number)
    payload = _read_json(request)
    if payload is None:
        return JsonResponse({"error": _("The text could not be read.")}, status=400)
    try:
        result = services.answer_save(
            group=group,
            question=question,
            content=payload.get("content"),
            version=payload.get("version"),
            base=payload.get("base"),
            editor=participant.name,
        )
    except services.AnswerLocked as locked:
        return JsonResponse(
            {"error": locked.message, "locked": True, "state": locked.reason},
            status=409,
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse(
        {
            "state": "open",
            "present": _beat(
                request, participant, question, slot=_slot_of(payload, question)
            ),
            "outcome": result.outcome,
            "version": result.answer.version,
            "content": result.content,
            "saved": _saved_label(result.answer),
            "conflicts": [
                {
                    "index": conflict.index,
                    "label": conflict.label,
                    "theirs": conflict.theirs,
                    "by": conflict.by,
                }
                for conflict in result.conflicts
            ],
            "errors": {str(index): message for index, message in result.errors.items()},
        }
    )


# --- The facilitator (secretariat) and the working group ---------------------------


@login_required
def workshop_list(request):
    process_ids = Membership.objects.filter(
        user=request.user, role__in=list(STAFF_ROLES)
    ).values("process_id")
    workshops = Workshop.objects.filter(process__in=process_ids).select_related(
        "process"
    )
    return render(
        request,
        "workshops/list.html",
        {
            "workshops": workshops,
            "can_create": _secretariat_processes(request.user).exists(),
        },
    )


@login_required
def workshop_detail(request, pk):
    workshop, role = get_workshop_for_staff(request.user, pk)
    questions, rows = services.workshop_progress(workshop=workshop)
    return render(
        request,
        "workshops/detail.html",
        {
            "workshop": workshop,
            "questions": questions,
            "rows": rows,
            "can_run": role == Role.SECRETARIAT,
        },
    )


@login_required
@require_POST
def workshop_status(request, pk):
    workshop, _role = get_workshop_for_staff(request.user, pk, roles={Role.SECRETARIAT})
    form = WorkshopStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
        return redirect("workshops:detail", pk=pk)
    if form.cleaned_data["status"] == WorkshopStatus.CLOSED:
        answer = confirm.ask_once(request, confirmations.close_workshop(workshop))
        if answer:
            return answer
    try:
        services.workshop_set_status(
            workshop=workshop, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The workshop is now %(status)s.")
            % {"status": workshop.get_status_display()},
        )
    return redirect("workshops:detail", pk=pk)


@login_required
@require_POST
def group_new_code(request, pk, group_pk):
    workshop, _role = get_workshop_for_staff(request.user, pk, roles={Role.SECRETARIAT})
    group = get_object_or_404(workshop.groups, pk=group_pk)
    answer = confirm.ask_once(request, confirmations.new_code(group))
    if answer:
        return answer
    code = services.group_regenerate_code(group=group)
    messages.success(
        request,
        _("%(group)s has a new code: %(code)s. The old one no longer works.")
        % {"group": group.name, "code": code},
    )
    return redirect("workshops:detail", pk=pk)


def _join_address(request, code=None) -> str:
    url = request.build_absolute_uri(reverse("workshops:join"))
    return f"{url}?kode={code}" if code else url


def _projector(request) -> dict:
    """?projektor=1: the page for the room's screen, without the site's chrome."""
    on = request.GET.get("projektor") == "1"
    return {
        "projector": on,
        "base_template": "projector_base.html" if on else "base.html",
    }


@login_required
def join_screen(request, pk):
    workshop, _role = get_workshop_for_staff(request.user, pk)
    return render(
        request,
        "workshops/join_screen.html",
        {
            "workshop": workshop,
            "groups": workshop.groups.all(),
            "join_address": _join_address(request),
            **_projector(request),
        },
    )


def _group_qr(request, group):
    """The QR code of the group's join address (/delta/?kode=...)."""
    return segno.make(_join_address(request, group.code), error="m")


@login_required
def group_qr(request, pk, group_pk):
    workshop, _role = get_workshop_for_staff(request.user, pk)
    group = get_object_or_404(workshop.groups, pk=group_pk)
    response = HttpResponse(content_type="image/svg+xml")
    _group_qr(request, group).save(
        response, kind="svg", scale=8, border=2, xmldecl=False
    )
    return response


@login_required
def join_cards(request, pk):
    """A card to print for each group's table: name, members, code, QR code.

    The QR codes are in the page (data: URIs with a viewBox, so they scale to
    the card), so that printing waits for no further request."""
    workshop, _role = get_workshop_for_staff(request.user, pk, roles={Role.SECRETARIAT})
    cards = [
        (group, _group_qr(request, group).svg_data_uri(border=2, omitsize=True))
        for group in workshop.groups.all()
    ]
    return render(
        request,
        "workshops/join_cards.html",
        {
            "workshop": workshop,
            "cards": cards,
            "join_address": _join_address(request),
        },
    )


def _wall_question(request, workshop):
    """The workshop's questions and the one the wall shows (?sporsmal=N)."""
    questions = list(workshop.questions.all())
    if not questions:
        return questions, None
    try:
        number = int(request.GET.get("sporsmal", questions[0].number))
    except ValueError:
        number = questions[0].number
    question = next((q for q in questions if q.number == number), questions[0])
    return questions, question


def _wall_context(request, workshop, questions, question):
    hide_names = request.GET.get("navn") == "skjul"
    index = questions.index(question) if question else 0
    return {
        "workshop": workshop,
        "questions": questions,
        "question": question,
        "previous": questions[index - 1] if question and index > 0 else None,
        "next": questions[index + 1]
        if question and index + 1 < len(questions)
        else None,
        "hide_names": hide_names,
        "names_param": "skjul" if hide_names else "vis",
        "entries": services.wall_entries(workshop=workshop, question=question)
        if question
        else [],
    }


def _wall_etag(request, workshop, question) -> str:
    fingerprint = services.wall_fingerprint(workshop=workshop, question=question)
    hidden = "h" if request.GET.get("navn") == "skjul" else "v"
    return f'"{fingerprint}-{hidden}-{request.LANGUAGE_CODE}"'


@login_required
def wall(request, pk):
    workshop, _role = get_workshop_for_staff(request.user, pk)
    questions, question = _wall_question(request, workshop)
    context = _wall_context(request, workshop, questions, question)
    context["etag"] = _wall_etag(request, workshop, question) if question else ""
    context.update(_projector(request))
    return render(request, "workshops/wall.html", context)


@login_required
def wall_fragment(request, pk):
    """The wall's answers alone, for the script's refresh: 304 when unchanged."""
    workshop, _role = get_workshop_for_staff(request.user, pk)
    questions, question = _wall_question(request, workshop)
    etag = _wall_etag(request, workshop, question) if question else None
    if etag:
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            patch_cache_control(not_modified, private=True, no_cache=True)
            return not_modified
    response = render(
        request,
        "workshops/partials/wall_answers.html",
        _wall_context(request, workshop, questions, question),
    )
    if etag:
        response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
def export_csv(request, pk):
    workshop, _role = get_workshop_for_staff(request.user, pk)
    return attachment(
        exports.as_csv(workshop), CSV_TYPE, f"workshop-{pk}-svar.csv", personal=True
    )


@login_required
def export_xlsx(request, pk):
    workshop, _role = get_workshop_for_staff(request.user, pk)
    return attachment(
        exports.as_xlsx(workshop), XLSX_TYPE, f"workshop-{pk}-svar.xlsx", personal=True
    )


# --- Setting up a workshop (secretariat) -----------------------------------------


def _secretariat_processes(user):
    return Process.objects.filter(
        memberships__user=user, memberships__role=Role.SECRETARIAT
    )


def _form_page(request, form, *, title, workshop=None, delete_url=None, status=200):
    return render(
        request,
        "workshops/form.html",
        {"form": form, "title": title, "workshop": workshop, "delete_url": delete_url},
        status=status,
    )


@login_required
def workshop_create(request):
    processes = _secretariat_processes(request.user)
    if not processes.exists():
        raise Http404
    form = WorkshopForm(request.POST or None, processes=processes)
    if request.method == "POST" and form.is_valid():
        workshop = form.save()
        messages.success(request, _("The workshop is created as a draft."))
        return redirect("workshops:detail", pk=workshop.pk)
    return _form_page(request, form, title=_("New workshop"))


@login_required
def workshop_edit(request, pk):
    workshop, _role = get_workshop_for_staff(request.user, pk, roles={Role.SECRETARIAT})
    form = WorkshopForm(
        request.POST or None,
        instance=workshop,
        processes=_secretariat_processes(request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("workshops:detail", pk=pk)
    return _form_page(request, form, title=_("Edit the workshop"), workshop=workshop)


@login_required
def question_edit(request, pk, question_pk=None):
    workshop, _role = get_workshop_for_staff(request.user, pk, roles={Role.SECRETARIAT})
    question = (
        get_object_or_404(workshop.questions, pk=question_pk) if question_pk else None
    )
    if question is None:
        next_number = (workshop.questions.aggregate(n=Max("number"))["n"] or 0) + 1
        initial = {"number": next_number}
    else:
        initial = None
    form = QuestionForm(
        request.POST or None, instance=question, workshop=workshop, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The question is saved."))
        return redirect("workshops:detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("Edit the question") if question else _("New question"),
        workshop=workshop,
        delete_url=reverse("workshops:question-delete", args=[pk, question.pk])
        if question
        else None,
    )


@login_required
@require_POST
def question_delete(request, pk, question_pk):
    workshop, _role = get_workshop_for_staff(request.user, pk, roles={Role.SECRETARIAT})
    question = workshop.questions.filter(pk=question_pk).first()
    if question is None:
        return _already_deleted(request, workshop, _("The question is deleted."))
    answer = confirm.ask_once(request, confirmations.delete_question(question))
    if answer:
        return answer
    try:
        services.question_delete(question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question is deleted."))
    return redirect("workshops:detail", pk=pk)


def _already_deleted(request, workshop, message):
    """A second press of a confirmed delete, or one from a stale page: what it
    wanted is already so."""
    if not confirm.is_confirmed(request):
        raise Http404
    messages.info(request, message)
    return redirect(workshop)


@login_required
def group_edit(request, pk, group_pk=None):
    workshop, _role = get_workshop_for_staff(request.user, pk, roles={Role.SECRETARIAT})
    group = get_object_or_404(workshop.groups, pk=group_pk) if group_pk else None
    if group is None:
        number = (workshop.groups.aggregate(n=Max("number"))["n"] or 0) + 1
        initial = {"number": number, "name": _("Group %(number)s") % {"number": number}}
    else:
        initial = None
    form = GroupForm(
        request.POST or None, instance=group, workshop=workshop, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The group is saved."))
        return redirect("workshops:detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("Edit the group") if group else _("New group"),
        workshop=workshop,
        delete_url=reverse("workshops:group-delete", args=[pk, group.pk])
        if group
        else None,
    )


@login_required
@require_POST
def group_delete(request, pk, group_pk):
    workshop, _role = get_workshop_for_staff(request.user, pk, roles={Role.SECRETARIAT})
    group = workshop.groups.filter(pk=group_pk).first()
    if group is None:
        return _already_deleted(request, workshop, _("The group is deleted."))
    answer = confirm.ask_once(request, confirmations.delete_group(group))
    if answer:
        return answer
    try:
        services.group_delete(group=group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The group is deleted."))
    return redirect("workshops:detail", pk=pk)
