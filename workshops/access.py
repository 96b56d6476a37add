"""Who may see a workshop: participants by group code, staff by their role.

Participants have no account. Joining with a code stores the group, the code
and the first name in the session; the group's pages check that the code is
still the group's, so that a regenerated code shuts out whoever had the old one.
Anything else, including a tampered group id, is a 404.
"""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from mipr import audit
from mipr.access import STAFF_ROLES, get_process_for_member
from mipr.models import Role

from .models import Group, Workshop

SESSION_KEY = "workshop_groups"


@dataclass(frozen=True)
class Participant:
    group: Group
    name: str


def participant_join(request, *, group: Group, name: str) -> None:
    # A new session key on joining, so that a planted session cannot be used.
    request.session.cycle_key()
    groups = dict(request.session.get(SESSION_KEY, {}))
    groups[str(group.pk)] = {"code": group.code, "name": name}
    request.session[SESSION_KEY] = groups


def get_participant(request, group_id: int) -> Participant:
    """The participant of this group in this session, or 404."""
    entry = request.session.get(SESSION_KEY, {}).get(str(group_id))
    if not isinstance(entry, dict):
        raise Http404
    group = get_object_or_404(Group.objects.select_related("workshop"), pk=group_id)
    if group.code != entry.get("code"):
        raise Http404
    participant = Participant(group=group, name=str(entry.get("name", "")))
    audit.act_as_participant(participant.name, group)
    return participant


def get_workshop_for_staff(
    user, pk: int, *, roles=STAFF_ROLES
) -> tuple[Workshop, Role]:
    """The workshop and the user's role in its process, or 404."""
    if not user.is_authenticated:
        raise Http404
    workshop = get_object_or_404(Workshop.objects.select_related("process"), pk=pk)
    _process, role = get_process_for_member(user, workshop.process.slug, roles=roles)
    return workshop, role
