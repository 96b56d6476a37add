from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.loading import load_all
from demo.process import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Loads MIPR's 2025 strategy process and the demo users. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (demo users have a known password).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: the demo users have a "
                "published password. Use --force if you really mean it."
            )
        demo = load_all()
        self.stdout.write(f"Prosess: {demo.process.name} ({demo.process.slug})")
        self.stdout.write(f"Workshop: {demo.workshop.title}")
        for group in demo.workshop.groups.all():
            self.stdout.write(f"{group.name}: {group.code}")
        self.stdout.write(f"Funn: {', '.join(f.title for f in demo.findings)}")
        self.stdout.write(
            f"Strategi: {demo.strategy.title}, "
            f"{demo.strategy.versions.count()} versjoner"
        )
        self.stdout.write(
            "Demo-innlogginger (passord {password}): {users}".format(
                password=DEMO_PASSWORD,
                users=", ".join(username for username, *_rest in DEMO_USERS),
            )
        )
