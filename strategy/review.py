"""Review: publish a version, present it, make it public, comment, finish reading.

Adoption is in adoption.py; what may happen to a version in access.py.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mipr.errors import NotAllowed
from mipr.models import Role
from mipr.tasks import send_on_commit

from .access import check_not_frozen, check_open
from .models import Comment, Review, Section, Version, VersionStatus
from .pdf import jobs

COMMENT_MAX = 10_000
SEND_REVIEW_MAIL = "strategy.send_review_mail"


@transaction.atomic
def version_publish(*, version: Version, notify: bool, base_url: str = "") -> Version:
    """Publish a working draft for review; optionally e-mail the council members."""
    check_open(version)
    if not version.is_draft:
        raise ValidationError(_("This version is already published."))
    version.status = VersionStatus.REVIEW
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    if notify:
        # If the broker is down the version is still published; the failure is
        # logged for the operators.
        send_on_commit(SEND_REVIEW_MAIL, version.pk, base_url)
    return version


@dataclass
class MailReach:
    """Who the review mail reaches: the council members with an address, and
    those it cannot reach (shown before publishing, said after)."""

    reached: list
    unreachable: list

    @property
    def total(self) -> int:
        return len(self.reached) + len(self.unreachable)


def review_mail_reach(*, process) -> MailReach:
    members = (
        process.memberships.filter(role=Role.COUNCIL_MEMBER, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    users = [m.user for m in members]
    return MailReach(
        reached=[u for u in users if u.email],
        unreachable=[u for u in users if not u.email],
    )


def review_mail_send(*, version: Version, base_url: str) -> int:
    """Tell the process's council members that a version is ready for review."""
    reach = review_mail_reach(process=version.strategy.process)
    link = base_url.rstrip("/") + version.get_absolute_url()
    subject = _("%(title)s: version %(number)s is ready for review") % {
        "title": version.strategy.title,
        "number": version.number,
    }
    body = _(
        "Version %(number)s of %(title)s is published for review.\n\n"
        "Read it and comment on each section here:\n%(link)s\n"
    ) % {"number": version.number, "title": version.strategy.title, "link": link}
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        for user in reach.reached
    ]
    return send_mass_mail(messages, fail_silently=False)


@transaction.atomic
def version_mark_presented(*, version: Version) -> Version:
    check_open(version)
    version.status = VersionStatus.PRESENTED
    version.published_at = version.published_at or timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


def version_set_public(*, version: Version, public: bool) -> Version:
    if version.is_frozen and not public:
        raise NotAllowed(_("An adopted version stays public."))
    if public and not version.is_published:
        raise ValidationError(
            _("Publish the version for review before making it public.")
        )
    version.is_public = public
    version.save(update_fields=["is_public"])
    if public:
        # What visitors without a role download: made once, now.
        jobs.published_pdf(version=version)
    return version


def comments_set_public(*, version: Version, public: bool) -> Version:
    """Publish this version's review comments from now on, without names, or
    stop. Only comments written after this moment are published: those
    written before were written for the members alone."""
    if public:
        check_open(version)
    else:
        check_not_frozen(version)
    if public and not version.is_public:
        raise ValidationError(
            _("Make the version public before publishing its comments.")
        )
    version.comments_public_from = (
        (version.comments_public_from or timezone.now()) if public else None
    )
    version.save(update_fields=["comments_public_from"])
    return version


@transaction.atomic
def comment_add(
    *, section: Section, author, text: str, parent: Comment | None = None
) -> Comment:
    check_open(section.version)
    # As typed in a browser (which sends CRLF), stored with plain line breaks.
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(_("Write a comment."))
    if len(text) > COMMENT_MAX:
        raise ValidationError(
            _("The comment is too long: at most %(max)s characters.")
            % {"max": COMMENT_MAX}
        )
    if parent is not None:
        if parent.section_id != section.pk:
            raise ValidationError(_("The comment does not belong to this section."))
        # One level of replies: a reply to a reply joins its thread.
        parent = parent.parent or parent
    return Comment.objects.create(
        section=section, author=author, text=text, parent=parent
    )


@transaction.atomic
def comment_resolve(*, comment: Comment, by, resolved: bool = True) -> Comment:
    check_not_frozen(comment.section.version)
    comment.resolved_by = by if resolved else None
    comment.resolved_at = timezone.now() if resolved else None
    comment.save(update_fields=["resolved_by", "resolved_at"])
    return comment


def review_finish(*, version: Version, user) -> Review:
    if not version.is_published:
        raise ValidationError(_("This version is not published for review."))
    review, _created = Review.objects.get_or_create(version=version, user=user)
    return review
