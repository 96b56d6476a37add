"""MIPR's 2025 process from the seed document, for `manage.py load_mipr_demo`.

Every loader here is idempotent: it looks things up by a natural key and only
creates what is missing, so running the command twice changes nothing.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from mipr.models import Membership, Process, Role

DEMO_PASSWORD = "mipr-demo"

MIPR_PROCESS = {
    "slug": "mipr-2026-2029",
    "name": "Strategi for Mosseregionen 2026–2029",
    "council": "Mosseregionen interkommunalt politisk råd",
    "council_short": "MIPR",
    "period_start": 2026,
    "period_end": 2029,
    "year": 2025,
    "is_public": True,
}

# username, first name, last name, role
DEMO_USERS = [
    ("sekretariat", "Sara", "Sekretariat", Role.SECRETARIAT),
    ("arbeidsgruppe", "Arne", "Arbeidsgruppe", Role.WORKING_GROUP),
    ("radsmedlem", "Rita", "Rådsmedlem", Role.COUNCIL_MEMBER),
]


@transaction.atomic
def load_process() -> Process:
    process, _created = Process.objects.get_or_create(
        slug=MIPR_PROCESS["slug"], defaults=MIPR_PROCESS
    )
    User = get_user_model()
    for username, first_name, last_name, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            process=process, user=user, defaults={"role": role}
        )
    return process
