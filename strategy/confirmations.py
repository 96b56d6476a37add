"""What the secretariat is asked before a version reaches other people or is
frozen for good (mipr.confirm): publishing for review, making it public,
publishing its comments, adopting it."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mipr.confirm import Confirmation
from mipr.models import Role

from .access import why_not_adoptable, why_not_open
from .models import Comment, Review, Version, know_lifecycle
from .review import review_mail_reach


def _names(users) -> str:
    return ", ".join(u.get_full_name() or u.username for u in users)


def _state(version: Version) -> str:
    """What a page about the version showed: its status and how many versions
    there were (a newer one changes what adoption means)."""
    newest = version.strategy.versions.order_by("-number").values_list(
        "number", flat=True
    )[:1]
    return f"{version.status}:{newest[0]}"


def _stale(version: Version) -> str:
    return _(
        "Version %(number)s was changed after you opened the page (it is now "
        "«%(status)s»), so nothing was done. Look at it again before you try "
        "once more."
    ) % {"number": version.number, "status": version.status_label}


def _replaced_by(version: Version, *, adopting: bool = False) -> list[int]:
    """The earlier versions that publishing (or adopting) this one replaces:
    those not replaced already. An adopted one is replaced only by adoption."""
    versions = list(version.strategy.versions.all())
    know_lifecycle(versions)
    return sorted(
        v.number
        for v in versions
        if v.number < version.number
        and v.superseded_by is None
        and (adopting or not v.is_frozen)
    )


def publish(version: Version, *, notify: bool) -> Confirmation:
    process = version.strategy.process
    reach = review_mail_reach(process=process)
    consequences = [
        _(
            "The council members of the process can read version %(number)s "
            "and comment on each section."
        )
        % {"number": version.number}
    ]
    replaced = _replaced_by(version)
    if replaced:
        consequences.append(
            ngettext(
                "Version %(numbers)s is replaced by version %(number)s and "
                "takes no more comments.",
                "Versions %(numbers)s are replaced by version %(number)s and "
                "take no more comments.",
                len(replaced),
            )
            % {
                "numbers": ", ".join(str(n) for n in replaced),
                "number": version.number,
            }
        )
    if not notify:
        consequences.append(_("Nobody gets an e-mail: you chose not to send one."))
    elif not reach.total:
        consequences.append(
            _("The process has no council members yet, so nobody gets an e-mail.")
        )
    else:
        consequences.append(
            ngettext(
                "%(count)s of %(total)s council member gets an e-mail with the link.",
                "%(count)s of %(total)s council members get an e-mail with the link.",
                reach.total,
            )
            % {"count": len(reach.reached), "total": reach.total}
        )
        if reach.unreachable:
            consequences.append(
                ngettext(
                    "%(count)s has no e-mail address and gets nothing: "
                    "%(names)s. They can add it on their profile page, or "
                    "you in the administration.",
                    "%(count)s have no e-mail address and get nothing: "
                    "%(names)s. They can add it on their profile page, or "
                    "you in the administration.",
                    len(reach.unreachable),
                )
                % {
                    "count": len(reach.unreachable),
                    "names": _names(reach.unreachable),
                }
            )
    return Confirmation(
        question=_("Publish version %(number)s for review?")
        % {"number": version.number},
        consequences=consequences,
        button=_("Yes, publish for review"),
        back_url=version.get_absolute_url(),
        state=_state(version),
        stale=_stale(version),
        danger=False,
        refused=why_not_open(version) or "",
    )


def make_public(version: Version) -> Confirmation:
    process = version.strategy.process
    consequences = [
        _(
            "Anyone can read version %(number)s without logging in, and "
            "download it as a PDF."
        )
        % {"number": version.number}
        if process.is_public
        else _(
            "The process is not public yet: version %(number)s can be read by "
            "anyone once the process is."
        )
        % {"number": version.number},
        _(
            "You can make it non-public again, but what has been read or "
            "downloaded meanwhile is out."
        ),
    ]
    return Confirmation(
        question=_("Make version %(number)s public?") % {"number": version.number},
        consequences=consequences,
        button=_("Yes, make it public"),
        back_url=version.get_absolute_url(),
        state=str(int(version.is_public)),
        stale=_("Version %(number)s is already public. Nothing was changed.")
        % {"number": version.number},
    )


def publish_comments(version: Version) -> Confirmation:
    return Confirmation(
        question=_("Publish the comments on version %(number)s?")
        % {"number": version.number},
        consequences=[
            _(
                "Comments written from now on are shown to everyone, under "
                "the writer's role instead of the name."
            ),
            _("Those written before now stay with the members."),
            _("The comment form tells the members before they write."),
        ],
        button=_("Yes, publish the comments"),
        back_url=version.get_absolute_url(),
        state=str(int(version.comments_public_from is not None)),
        stale=_(
            "The comments on version %(number)s are already published. "
            "Nothing was changed."
        )
        % {"number": version.number},
    )


def adopt(version: Version) -> Confirmation:
    """The checklist before adoption, and what adoption does."""
    sections = list(version.sections.order_by("order"))
    empty = [
        (index, s.heading)
        for index, s in enumerate(sections, start=1)
        if not s.body.strip()
    ]
    open_comments = Comment.objects.filter(
        section__version=version, resolved_at__isnull=True
    ).count()
    members = list(
        version.strategy.process.memberships.filter(
            role=Role.COUNCIL_MEMBER, user__is_active=True
        )
        .exclude(Q(user__in=Review.objects.filter(version=version).values("user")))
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    member_count = version.strategy.process.memberships.filter(
        role=Role.COUNCIL_MEMBER, user__is_active=True
    ).count()
    newer = list(
        version.strategy.versions.filter(number__gt=version.number).values_list(
            "number", flat=True
        )
    )
    checklist = [
        (
            not empty,
            _("Every section has text.")
            if not empty
            else ngettext(
                "Section %(list)s is empty.",
                "Sections %(list)s are empty.",
                len(empty),
            )
            % {"list": ", ".join(f"{i} «{h}»" for i, h in empty)},
        ),
        (
            not open_comments,
            _("Every comment is marked as dealt with.")
            if not open_comments
            else ngettext(
                "%(count)s comment is not marked as dealt with.",
                "%(count)s comments are not marked as dealt with.",
                open_comments,
            )
            % {"count": open_comments},
        ),
        (
            not members,
            _("Every council member has marked the version as read.")
            if not members
            else ngettext(
                "%(count)s of %(total)s council member has not marked the "
                "version as read: %(names)s.",
                "%(count)s of %(total)s council members have not marked the "
                "version as read: %(names)s.",
                member_count,
            )
            % {
                "count": len(members),
                "total": member_count,
                "names": _names(m.user for m in members),
            },
        ),
        (
            not newer,
            _("This is the newest version.")
            if not newer
            else _(
                "A newer working draft exists (version %(numbers)s). It is not "
                "what is adopted now."
            )
            % {"numbers": ", ".join(str(n) for n in newer)},
        ),
    ]
    consequences = [
        _("Version %(number)s is locked for good: no more edits or comments.")
        % {"number": version.number},
        _("It becomes public, with the decision on the cover of its PDF."),
        _("The process plan's milestone for the adopted strategy is marked done."),
    ]
    earlier = _replaced_by(version, adopting=True)
    if earlier:
        consequences.append(
            ngettext(
                "Version %(numbers)s is marked as replaced by version %(number)s.",
                "Versions %(numbers)s are marked as replaced by version %(number)s.",
                len(earlier),
            )
            % {
                "numbers": ", ".join(str(n) for n in earlier),
                "number": version.number,
            }
        )
    return Confirmation(
        question=_("Adopt version %(number)s?") % {"number": version.number},
        consequences=consequences,
        button=_("Yes, adopt version %(number)s") % {"number": version.number},
        back_url=version.get_absolute_url(),
        state=_state(version),
        stale=_stale(version),
        checklist=checklist,
        refused=why_not_adoptable(version) or "",
    )
