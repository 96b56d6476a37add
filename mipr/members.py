"""A member's own data: all of it as one file, and removal from a process.

Each app registers, with `personal_data`, what it keeps about a person in a
process, and with `forget`, how it lets go of them (its extensions.py). Here
the core's part: the account, the membership and the audit log.

Removing a member keeps what they wrote (their comments stay, under «Tidligere
medlem») but not who they were: the membership goes, the audit log and the
other apps forget them in this process, and if they belong to no other
process the account itself is emptied and can no longer log in.
"""

from django.db import transaction
from django.utils import timezone

from .hooks import Hook
from .models import AuditEntry, Membership, Process, Role

personal_data = Hook("a member's personal data")
forget = Hook("forget a member")

FORMER_MEMBER = "Tidligere medlem"


class RemovalRefused(Exception):
    pass


def member_data(*, user, process: Process) -> dict:
    """Everything the portal keeps about `user` in `process`, as plain data."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "process": {"slug": process.slug, "name": process.name},
    }
    for part in personal_data.results(user=user, process=process):
        data.update(part)
    return data


@transaction.atomic
def member_remove(*, membership: Membership) -> None:
    user, process = membership.user, membership.process
    forget.results(user=user, process=process)
    membership.delete()
    if not Membership.objects.filter(user=user).exists():
        user.username = f"tidligere-medlem-{user.pk}"
        user.first_name, user.last_name = "Tidligere", "medlem"
        user.email = ""
        user.is_active = False
        user.is_staff = user.is_superuser = False
        # A new password hash also ends every session the member still has.
        user.set_unusable_password()
        user.save()


def check_removable(*, membership: Membership, by) -> None:
    """The secretariat may not remove itself: someone must run the process."""
    if membership.user_id == by.pk:
        raise RemovalRefused("self")
    others = Membership.objects.filter(
        process_id=membership.process_id, role=Role.SECRETARIAT
    ).exclude(pk=membership.pk)
    if membership.role == Role.SECRETARIAT and not others.exists():
        raise RemovalRefused("last secretariat")


@personal_data.register
def account(*, user, process):
    membership = Membership.objects.filter(user=user, process=process).first()
    entries = AuditEntry.objects.filter(process=process, user=user)
    return {
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "role": membership.role if membership else None,
        "changes": [
            {
                "at": entry.at.isoformat(),
                "action": entry.action,
                "kind": entry.model,
                "what": entry.object_repr,
                "changes": entry.changes,
            }
            for entry in entries.order_by("at")
        ],
    }


@forget.register
def audit_log(*, user, process):
    AuditEntry.objects.filter(process=process, user=user).update(
        user=None, actor=FORMER_MEMBER
    )
