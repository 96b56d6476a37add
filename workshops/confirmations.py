"""What is asked before an action that shuts people out or cannot be undone
(mipr.confirm): closing a workshop, a group's new code, deleting a question or
a group (the secretariat), and submitting an answer (a group's participant)."""

import hashlib

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mipr.confirm import Confirmation

from . import services
from .models import Answer, Group, Question, Workshop


def close_workshop(workshop: Workshop) -> Confirmation:
    unsubmitted = Answer.objects.filter(
        question__workshop=workshop,
        submitted_at__isnull=True,
        edited_at__isnull=False,
    ).count()
    consequences = [_("The groups can no longer write or submit answers.")]
    if unsubmitted:
        consequences.append(
            ngettext(
                "%(count)s answer is started but not submitted. It will not be "
                "part of the strategy's appendix with the workshop answers.",
                "%(count)s answers are started but not submitted. They will not "
                "be part of the strategy's appendix with the workshop answers.",
                unsubmitted,
            )
            % {"count": unsubmitted}
        )
    consequences.append(_("You can open the workshop again later."))
    return Confirmation(
        question=_("Close «%(title)s»?") % {"title": workshop.title},
        consequences=consequences,
        button=_("Yes, close the workshop"),
        back_url=workshop.get_absolute_url(),
        state=workshop.status,
        stale=_("The workshop is already closed. Nothing was changed.")
        if workshop.is_closed
        else "",
    )


def _fingerprint(code: str) -> str:
    """The state of a group's code, without putting the code in the form."""
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def new_code(group: Group) -> Confirmation:
    consequences = [
        _(
            "%(group)s loses its access and must use the new code. The code "
            "%(code)s stops working at once."
        )
        % {"group": group.name, "code": group.code},
    ]
    if group.workshop.is_open:
        consequences.append(
            _(
                "The workshop is open: whoever is writing in the group now is "
                "shut out until they join again with the new code."
            )
        )
    return Confirmation(
        question=_("Give %(group)s a new code?") % {"group": group.name},
        consequences=consequences,
        button=_("Yes, make a new code"),
        back_url=group.workshop.get_absolute_url(),
        state=_fingerprint(group.code),
        stale=_(
            "%(group)s has already got a new code: %(code)s. Nothing more was changed."
        )
        % {"group": group.name, "code": group.code},
    )


def delete_question(question: Question) -> Confirmation:
    workshop = question.workshop
    return Confirmation(
        question=_("Delete question %(number)s, «%(title)s»?")
        % {"number": question.number, "title": question.title},
        consequences=[
            _("The question disappears for every group. This cannot be undone.")
        ],
        button=_("Yes, delete the question"),
        back_url=reverse("workshops:question-edit", args=[workshop.pk, question.pk]),
        state=str(question.pk),
        refused=services.why_not_deletable_question(question) or "",
    )


def delete_group(group: Group) -> Confirmation:
    workshop = group.workshop
    return Confirmation(
        question=_("Delete %(group)s?") % {"group": group.name},
        consequences=[
            _(
                "The code %(code)s stops working, and whoever joined with it "
                "loses access. This cannot be undone."
            )
            % {"code": group.code}
        ],
        button=_("Yes, delete the group"),
        back_url=reverse("workshops:group-edit", args=[workshop.pk, group.pk]),
        state=str(group.pk),
        refused=services.why_not_deletable_group(group) or "",
    )


def submit_answer(group: Group, question: Question, answer: Answer | None):
    """«Lagre og lever»: the whole group loses the answer's pen, so it asks.

    The text is saved before the question is asked; the state is what the
    participant was asked about (the version, submitted or not, the workshop's
    status), so that a second press, someone's later edit or a closed workshop
    stops the confirmed POST."""
    workshop = group.workshop
    version = answer.version if answer else 0
    submitted = bool(answer and answer.is_submitted)
    if submitted:
        stale = _(
            "The answer was already submitted by %(name)s at %(time)s. Nothing "
            "was changed."
        ) % {
            "name": answer.submitted_by or _("someone in your group"),
            "time": formats.time_format(timezone.localtime(answer.submitted_at), "H:i"),
        }
    elif not workshop.is_open:
        stale = _(
            "The workshop was closed before you confirmed, so the answer was not "
            "submitted. What was saved can be read."
        )
    else:
        stale = _(
            "Someone in your group changed the answer after you were asked, so it "
            "was not submitted. Read it again, then submit once more."
        )
    return Confirmation(
        question=_("Submit the answer to question %(number)s?")
        % {"number": question.number},
        consequences=[
            _(
                "The answer becomes read-only for the whole group: nobody in "
                "%(group)s can change it after this."
            )
            % {"group": group.name},
            _("What you wrote is saved."),
            _("The group can take the submission back while the workshop is open."),
        ],
        button=_("Yes, submit the answer"),
        back_url=reverse("workshops:answer", args=[group.pk, question.number]),
        state=f"{version}-{'submitted' if submitted else 'open'}-{workshop.status}",
        stale=stale,
        danger=False,
    )
