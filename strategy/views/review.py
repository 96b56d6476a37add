"""Review and adoption: publish, present, make public, comment, finish, adopt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mipr import confirm
from mipr.errors import NotAllowed
from mipr.models import Role

from .. import adoption, comment_drafts, confirmations, review
from ..access import get_version_for_reader
from ..forms import CommentForm, DecisionForm
from ..models import Comment, Review, Version
from .writing import staff_version, to_version


@login_required
@require_POST
def version_publish(request, slug, number):
    version = staff_version(request, slug, number, roles={Role.SECRETARIAT})
    notify = request.POST.get("notify") == "1"
    answer = confirm.ask_once(request, confirmations.publish(version, notify=notify))
    if answer:
        return answer
    try:
        review.version_publish(
            version=version, notify=notify, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return to_version(version)
    messages.success(request, _("The version is published for review."))
    if notify:
        reach = review.review_mail_reach(process=version.strategy.process)
        if reach.reached:
            messages.info(
                request,
                ngettext(
                    "An e-mail goes to %(count)s council member.",
                    "An e-mail goes to %(count)s council members.",
                    len(reach.reached),
                )
                % {"count": len(reach.reached)},
            )
        if reach.unreachable:
            messages.warning(
                request,
                ngettext(
                    "%(count)s council member has no e-mail address and was "
                    "not told: %(names)s.",
                    "%(count)s council members have no e-mail address and "
                    "were not told: %(names)s.",
                    len(reach.unreachable),
                )
                % {
                    "count": len(reach.unreachable),
                    "names": ", ".join(
                        u.get_full_name() or u.username for u in reach.unreachable
                    ),
                },
            )
    return to_version(version)


@login_required
@require_POST
def version_presented(request, slug, number):
    version = staff_version(request, slug, number, roles={Role.SECRETARIAT})
    review.version_mark_presented(version=version)
    messages.success(request, _("The version is marked as presented."))
    return to_version(version)


@login_required
def version_adopt(request, slug, number):
    """The checklist, the decision and the confirmation, on one page."""
    version = staff_version(request, slug, number, roles={Role.SECRETARIAT})
    confirmation = confirmations.adopt(version)
    if request.method == "POST" and confirm.is_stale(request, confirmation):
        # Pressed twice, or someone else adopted or made a newer version.
        return confirm.go_back(request, confirmation)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and not confirmation.refused and form.is_valid():
        adoption.version_adopt(version=version, by=request.user, **form.cleaned_data)
        messages.success(request, _("The version is adopted, frozen and public."))
        return to_version(version)
    return render(
        request,
        "strategy/adopt.html",
        {
            "version": version,
            "form": form,
            "confirmation": confirmation,
            "STATE": confirm.STATE,
        },
        status=403 if confirmation.refused else 200,
    )


@login_required
@require_POST
def version_public(request, slug, number):
    version = staff_version(request, slug, number, roles={Role.SECRETARIAT})
    public = request.POST.get("public") == "1"
    if public:
        answer = confirm.ask_once(request, confirmations.make_public(version))
        if answer:
            return answer
    try:
        review.version_set_public(version=version, public=public)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return to_version(version)


@login_required
@require_POST
def version_comments_public(request, slug, number):
    version = staff_version(request, slug, number, roles={Role.SECRETARIAT})
    public = request.POST.get("public") == "1"
    if public:
        answer = confirm.ask_once(request, confirmations.publish_comments(version))
        if answer:
            return answer
    try:
        review.comments_set_public(version=version, public=public)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "From now on, comments on this version are published without "
                "names. Those written before stay with the members."
            )
            if public
            else _("The comments on this version are no longer published."),
        )
    return to_version(version)


@require_POST
def comment_add(request, slug, number):
    """A comment or a reply. A refused one is kept and offered back in its
    section (strategy.comment_drafts), even across logging in again."""
    form = CommentForm(request.POST)
    if not request.user.is_authenticated:
        # The session expired while the comment was written. (No 404 for a
        # version that is not there: that would tell outsiders what exists.)
        version = Version.objects.filter(
            strategy__process__slug=slug, number=number
        ).first()
        anchor = ""
        if version is not None and form.is_valid():
            _keep(
                request,
                version,
                form,
                _(
                    "You were logged out, so your comment is not saved yet. "
                    "It is here: send it again."
                ),
            )
            anchor = f"#section-{form.cleaned_data['section']}"
            messages.info(
                request,
                _(
                    "You were logged out. Log in again: your comment waits in "
                    "the section you wrote it in."
                ),
            )
        return redirect_to_login(
            reverse("strategy:version", args=[slug, number]) + anchor
        )
    version, role = get_version_for_reader(request.user, slug, number)
    if role is None:
        raise Http404
    if request.POST.get("discard") == "1":
        comment_drafts.drop(request.session)
        return to_version(version)
    if not form.is_valid():
        messages.error(request, _("Write a comment."))
        return to_version(version)
    section = get_object_or_404(version.sections, pk=form.cleaned_data["section"])
    parent = None
    if form.cleaned_data.get("parent"):
        parent = get_object_or_404(section.comments, pk=form.cleaned_data["parent"])
    try:
        comment = review.comment_add(
            section=section,
            author=request.user,
            text=form.cleaned_data["text"],
            parent=parent,
        )
    except (ValidationError, NotAllowed) as error:
        reason = (
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else str(error.message)
        )
        _keep(request, version, form, reason)
        return to_version(version, f"section-{section.pk}")
    comment_drafts.drop(request.session)
    messages.success(request, _("Your comment is saved."))
    return to_version(version, f"comment-{comment.pk}")


def _keep(request, version, form, reason) -> None:
    comment_drafts.keep(
        request.session,
        version=version,
        section=form.cleaned_data["section"],
        parent=form.cleaned_data.get("parent"),
        text=form.cleaned_data["text"],
        reason=reason,
    )


@login_required
@require_POST
def comment_resolve(request, slug, number, pk):
    version = staff_version(request, slug, number, roles={Role.SECRETARIAT})
    comment = get_object_or_404(Comment, pk=pk, section__version=version)
    review.comment_resolve(
        comment=comment, by=request.user, resolved=request.POST.get("resolved") != "0"
    )
    return to_version(version, f"comment-{comment.pk}")


@login_required
@require_POST
def review_finish(request, slug, number):
    version, role = get_version_for_reader(request.user, slug, number)
    if role != Role.COUNCIL_MEMBER:
        raise Http404
    review.review_finish(version=version, user=request.user)
    messages.success(request, _("Thank you: you are marked as finished reading."))
    return to_version(version)


@login_required
def version_readers(request, slug, number):
    version = staff_version(request, slug, number)
    process = version.strategy.process
    finished = {r.user_id: r for r in Review.objects.filter(version=version)}
    members = (
        process.memberships.filter(role=Role.COUNCIL_MEMBER)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    return render(
        request,
        "strategy/readers.html",
        {
            "version": version,
            "rows": [(m.user, finished.get(m.user_id)) for m in members],
        },
    )
