"""What the strategy adds to the pages of the apps below: the versions on
their milestone's page, and the sections that cite a finding."""

from django.utils.translation import gettext as _

from findings.usage import Use, used_by
from mipr.access import STAFF_ROLES
from timeline.fulfilment import Fulfilment, Item, fulfilled_by


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
