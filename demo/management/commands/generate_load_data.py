from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import generated


class Command(BaseCommand):
    help = (
        "Fills the database with generated processes, workshops, answers, findings, "
        "strategies and comments, for load tests. Replaces the previous run's data "
        f"(processes and users named {generated.SLUG_PREFIX}*)."
    )

    def add_arguments(self, parser):
        defaults = generated.DEFAULTS
        for name, help_text in [
            ("processes", "strategy processes, one a year up to this year"),
            ("groups", "workshop groups, shared out over the processes"),
            ("answers", "answers, shared out over the processes' groups"),
            ("comments", "review comments (one version gets at least 500)"),
            ("milestones", "milestones, shared out over the processes"),
        ]:
            parser.add_argument(
                f"--{name}",
                type=int,
                default=defaults[name],
                help=f"{help_text} (default {defaults[name]})",
            )
        parser.add_argument(
            "--seed", type=int, default=1, help="the same seed, the same data (1)"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the users have the demo's password).",
        )

    def handle(self, *args, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to generate data with DEBUG off: the generated users have "
                "a published password. Use --force if you really mean it."
            )
        sizes = generated.Sizes(**{name: options[name] for name in generated.DEFAULTS})
        problems = sizes.problems()
        if problems:
            raise CommandError("; ".join(problems))
        report = generated.generate(sizes=sizes, seed=seed)
        if report.replaced:
            self.stdout.write(
                f"Replaced {report.replaced} generated processes of an earlier run."
            )
        self.stdout.write(
            f"Generated with seed {seed} in {report.seconds:.1f} s "
            f"(password {generated.DEMO_PASSWORD}):"
        )
        width = max(len(name) for name in report.created)
        for name, count in report.created.items():
            self.stdout.write(f"  {name:<{width}}  {count:>7}")
        described = generated.describe()
        self.stdout.write(
            f"Newest process: {described['slug']}; version {described['version']} "
            f"has {described['version_comments']} comments; log in as "
            + ", ".join(described["users"].values())
        )
