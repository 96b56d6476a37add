"""Review and adoption: publish, present, make public, comment, finish, adopt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mipr.models import Role

from .. import adoption, review
from ..access import check_adoptable, get_version_for_reader
from ..forms import CommentForm, DecisionForm
from ..models import Comment, Review
from .writing import staff_version, to_version


@login_required
@require_POST
def version_publish(request, slug, number):
    version = staff_version(request, slug, number, roles={Role.SECRETARIAT})
    try:
        review.version_publish(
            version=version,
            notify=request.POST.get("notify") == "1",
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The version is published for review."))
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
    version = staff_version(request, slug, number, roles={Role.SECRETARIAT})
    check_adoptable(version)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        adoption.version_adopt(version=version, by=request.user, **form.cleaned_data)
        messages.success(request, _("The version is adopted, frozen and public."))
        return to_version(version)
    return render(request, "strategy/adopt.html", {"version": version, "form": form})


@login_required
@require_POST
def version_public(request, slug, number):
    version = staff_version(request, slug, number, roles={Role.SECRETARIAT})
    try:
        review.version_set_public(
            version=version, public=request.POST.get("public") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return to_version(version)


@login_required
@require_POST
def version_comments_public(request, slug, number):
    version = staff_version(request, slug, number, roles={Role.SECRETARIAT})
    public = request.POST.get("public") == "1"
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


@login_required
@require_POST
def comment_add(request, slug, number):
    version, role = get_version_for_reader(request.user, slug, number)
    if role is None:
        raise Http404
    form = CommentForm(request.POST)
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
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return to_version(version, f"section-{section.pk}")
    messages.success(request, _("Your comment is saved."))
    return to_version(version, f"comment-{comment.pk}")


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
