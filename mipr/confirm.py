"""Actions that cannot be undone, or that affect other people, ask once.

Each app words its questions in its `confirmations.py`: a `Confirmation` says
what will happen, in plain words. A view for such an action starts with

    answer = confirm.ask_once(request, confirmations.close_workshop(workshop))
    if answer:
        return answer

and carries on only with a confirmed POST. Unconfirmed, `ask_once` answers
with a page that asks the question and re-posts the same fields with
`confirmed=1`, so the step works without JavaScript. With JavaScript
(static/js/confirm.js) the same page is fetched and shown in a dialog
instead: the words exist once, on the server.

A confirmation also carries the state it was asked in (the workshop's status,
the group's code, the version's status). If the state has changed when the
confirmed POST arrives (someone else acted meanwhile, or the same button was
pressed twice), nothing is done: the user is sent back to the page with a
message that says what happened.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .errors import NotAllowed

CONFIRMED = "confirmed"
STATE = "confirmed_state"


@dataclass
class Confirmation:
    question: str  # «Lukke workshopen?»
    consequences: list[str]  # what will happen, one line each
    button: str  # «Ja, lukk workshopen»
    back_url: str  # where Cancel, and a stale confirmation, lead
    state: str = ""  # what the page showed; changed means stale
    stale: str = ""  # what to say when the state has changed meanwhile
    danger: bool = True
    # Shown before the question: (is it fine, what it says).
    checklist: list[tuple[bool, str]] = field(default_factory=list)
    # Said instead of the button when the action may not go ahead now.
    refused: str = ""


def is_confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRMED) == "1"


def is_stale(request, confirmation: Confirmation) -> bool:
    """A confirmed POST whose page showed another state than there is now. A
    POST without the state (a script) is taken as meant for the present one."""
    return request.POST.get(STATE, confirmation.state) != confirmation.state


def ask_once(request, confirmation: Confirmation):
    """None when the action may go ahead; else the response to give."""
    if not is_confirmed(request):
        return ask(request, confirmation)
    if is_stale(request, confirmation):
        return go_back(request, confirmation)
    if confirmation.refused:
        raise NotAllowed(confirmation.refused)
    return None


def go_back(request, confirmation: Confirmation):
    """Nothing done: back to the page, saying that it changed meanwhile."""
    messages.warning(
        request,
        confirmation.stale
        or _(
            "This was changed after you opened the page, so nothing was "
            "done. Look at it again before you try once more."
        ),
    )
    return redirect(confirmation.back_url)


def ask(request, confirmation: Confirmation, *, template="confirm.html", **context):
    """The question, as a page that re-posts this request's fields."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        for value in values
        if name not in ("csrfmiddlewaretoken", CONFIRMED, STATE)
    ]
    return render(
        request,
        template,
        {
            "confirmation": confirmation,
            "fields": fields,
            "action": request.path,
            **context,
        },
    )
