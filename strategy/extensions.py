"""What the strategy adds to the pages of the apps below: the versions on
their milestone's page, and the sections that cite a finding."""

from django.utils.translation import gettext as _

from findings.usage import Use, used_by
from mipr.access import STAFF_ROLES
from mipr.members import forget, personal_data
from mipr.refused import kept_for_later
from timeline.fulfilment import Fulfilment, Item, fulfilled_by

from . import comment_drafts
from .models import (
    Comment,
    Decision,
    PdfExport,
    Review,
    Section,
    SectionRevision,
    Version,
)


@fulfilled_by.register
def milestone_versions(*, milestone, role):
    """The versions a milestone produced, for staff."""
    if role not in STAFF_ROLES:
        return None
    versions = milestone.versions.select_related("strategy__process")
    return Fulfilment(
        _("Versions"),
        [
            Item(
                _("%(title)s, version %(number)s")
                % {"title": version.strategy.title, "number": version.number},
                version.get_absolute_url(),
            )
            for version in versions
        ],
    )


@used_by.register
def citing_sections(*, finding):
    """The sections of every version that cite the finding, newest first."""
    sections = finding.sections.select_related("version__strategy__process").order_by(
        "-version__number", "order"
    )
    return [
        Use(
            _("The strategy, version %(number)s: «%(heading)s»")
            % {"number": section.version.number, "heading": section.heading},
            section.get_absolute_url(),
        )
        for section in sections
    ]


@personal_data.register
def review_work(*, user, process):
    comments = Comment.objects.filter(
        section__version__strategy__process=process, author=user
    ).select_related("section__version")
    reviews = Review.objects.filter(version__strategy__process=process, user=user)
    return {
        "comments": [
            {
                "version": c.section.version.number,
                "section": c.section.heading,
                "text": c.text,
                "written": c.created_at.isoformat(),
                "resolved": c.resolved_at.isoformat() if c.resolved_at else None,
            }
            for c in comments
        ],
        "finished_reading": [
            {"version": r.version.number, "at": r.finished_at.isoformat()}
            for r in reviews.select_related("version")
        ],
    }


@forget.register
def anonymous_in_the_document(*, user, process):
    """Their comments stay, without their name; the rest lets go of them."""
    in_process = {"section__version__strategy__process": process}
    Comment.objects.filter(author=user, **in_process).update(author=None)
    Comment.objects.filter(resolved_by=user, **in_process).update(resolved_by=None)
    Review.objects.filter(version__strategy__process=process, user=user).delete()
    versions = Version.objects.filter(strategy__process=process)
    versions.filter(created_by=user).update(created_by=None)
    Section.objects.filter(version__in=versions, owner=user).update(owner=None)
    SectionRevision.objects.filter(section__version__in=versions, saved_by=user).update(
        saved_by=None
    )
    Decision.objects.filter(version__in=versions, recorded_by=user).update(
        recorded_by=None
    )
    PdfExport.objects.filter(version__in=versions, requested_by=user).update(
        requested_by=None
    )


# A comment form refused for its token: the text waits in its section.
kept_for_later.register(comment_drafts.keep_refused)
