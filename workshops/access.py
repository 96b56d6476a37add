"""Who may see a workshop: participants by group code, staff by their role.

Participants have no account. Joining with a code stores the group, the code
and the first name in the session; the group's pages check that the code is
still the group's, so that a regenerated code shuts out whoever had the old one.
Anything else, including a tampered group id, is a 404.
"""

import secrets
from dataclasses import dataclass

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from mipr import audit
from mipr.access import STAFF_ROLES, get_process_for_member
from mipr.errors import NotAllowed
from mipr.models import Role

from .models import Group, Workshop

SESSION_KEY = "workshop_groups"

# The join form carries a token of its own: signed by the server, so that only a
# browser that loaded the form can send it, and made without a session, so
# that looking at /delta/ writes nothing. Typos are counted per token.
JOIN_TOKEN_FIELD = "skjema"
JOIN_TOKEN_SALT = "workshops.join-form"
JOIN_TOKEN_HOURS = 8


def join_token(nonce: str | None = None) -> str:
    """A new join-form token: a new browser's, or a renewed one for `nonce`."""
    return signing.dumps(nonce or secrets.token_urlsafe(12), salt=JOIN_TOKEN_SALT)


def join_token_nonce(token) -> str | None:
    """The nonce of a token this server made in the last hours, else None."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        nonce = signing.loads(
            token, salt=JOIN_TOKEN_SALT, max_age=JOIN_TOKEN_HOURS * 60 * 60
        )
    except signing.BadSignature:
        return None
    return nonce if isinstance(nonce, str) else None


@dataclass(frozen=True)
class Participant:
    group: Group
    name: str


def participant_join(request, *, group: Group, name: str) -> None:
    # A new session key on joining, so that a planted session cannot be used.
    request.session.cycle_key()
    groups = dict(request.session.get(SESSION_KEY, {}))
    groups.pop(str(group.pk), None)  # the group joined last comes last
    groups[str(group.pk)] = {"code": group.code, "name": name}
    request.session[SESSION_KEY] = groups


@dataclass(frozen=True)
class Remembered:
    """A group this browser joined before, and whether the way back is open."""

    group: Group
    name: str
    code_changed: bool

    @property
    def can_continue(self) -> bool:
        return not self.code_changed and self.group.workshop.is_open

    @property
    def can_read(self) -> bool:
        """A closed workshop's answers can still be read with the old code."""
        return not self.code_changed and self.group.workshop.is_closed


def remembered_groups(request) -> list[Remembered]:
    """The groups joined in this session, the last joined first.

    One query. Reading a session that does not exist makes none, so a first
    visit to /delta/ still writes nothing. Deleted groups are left out.
    """
    entries = request.session.get(SESSION_KEY, {})
    if not isinstance(entries, dict) or not entries:
        return []
    ids = [int(key) for key in entries if str(key).isdigit()]
    groups = Group.objects.select_related("workshop").in_bulk(ids)
    remembered = []
    for key, entry in reversed(list(entries.items())):
        group = groups.get(int(key)) if str(key).isdigit() else None
        if group is None or not isinstance(entry, dict):
            continue
        remembered.append(
            Remembered(
                group=group,
                name=str(entry.get("name", "")),
                code_changed=group.code != entry.get("code"),
            )
        )
    return remembered


def get_participant(request, group_id: int) -> Participant:
    """The participant of this group in this session, or 404."""
    try:
        return get_participant_or_code_changed(request, group_id)
    except CodeChanged:
        raise Http404 from None


class CodeChanged(NotAllowed):
    """This browser joined the group, but the secretariat has given it a new code."""

    default_message = _(
        "The group's code has been changed, so you are no longer in the group. "
        "Join again with the new code."
    )


def get_participant_or_code_changed(request, group_id: int) -> Participant:
    """As get_participant, but CodeChanged (not 404) for a browser that joined
    with the group's old code, so that its page can say why it was shut out.
    Anyone who never joined the group still learns nothing: 404."""
    entry = request.session.get(SESSION_KEY, {}).get(str(group_id))
    if not isinstance(entry, dict):
        raise Http404
    group = get_object_or_404(Group.objects.select_related("workshop"), pk=group_id)
    if group.code != entry.get("code"):
        raise CodeChanged
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
