from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mipr import demo
from strategy import demo as strategy_demo
from timeline import demo as timeline_demo
from workshops import demo as workshops_demo


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
        process = demo.load_process()
        timeline_demo.load(process)
        workshop = workshops_demo.load(process)
        findings = strategy_demo.load(process)
        strategy = strategy_demo.load_strategy(process)
        self.stdout.write(f"Prosess: {process.name} ({process.slug})")
        self.stdout.write(f"Workshop: {workshop.title}")
        for group in workshop.groups.all():
            self.stdout.write(f"{group.name}: {group.code}")
        self.stdout.write(f"Funn: {', '.join(f.title for f in findings)}")
        self.stdout.write(
            f"Strategi: {strategy.title}, {strategy.versions.count()} versjoner"
        )
        self.stdout.write(
            "Demo-innlogginger (passord {password}): {users}".format(
                password=demo.DEMO_PASSWORD,
                users=", ".join(username for username, *_rest in demo.DEMO_USERS),
            )
        )
