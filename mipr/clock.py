"""«Today», as the process plan counts it: the page, the CSV, the calendar feed,
the PDF's appendix and the front page all ask here.

A demo installation may fix the date (the DEMO_TODAY setting), so that the demo
plan is shown as it stood on the day of the workshop, whatever the real date.
"""

import datetime

from django.conf import settings
from django.utils import timezone


def today() -> datetime.date:
    return demo_today() or timezone.localdate()


def demo_today() -> datetime.date | None:
    """The fixed date of a demo installation, or None: the real date counts."""
    return settings.DEMO_TODAY
