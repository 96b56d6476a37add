from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mipr.models import Process
from strategy.models import Version
from strategy.pdf import render


class Command(BaseCommand):
    help = (
        "Writes a strategy version as PDF. Without --version: the newest version "
        "of --process, by default the newest public process (the one /tidslinje/ "
        "shows; in the demo, MIPR's)."
    )

    def add_base_argument(self, parser, *args, **kwargs):
        # Django's own --version (the program's version) would take the name
        # that scripts use for the strategy version.
        if "--version" in args:
            return
        super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--version", type=int, dest="version_id", help="The version's id"
        )
        parser.add_argument(
            "--appendix-comments",
            action="store_true",
            help="Add the review comments as appendix C.",
        )
        parser.add_argument(
            "--process", help="The process's short name (slug) in addresses"
        )
        parser.add_argument("--output", required=True, help="The PDF file to write")

    def handle(
        self,
        *args,
        version_id=None,
        appendix_comments=False,
        process=None,
        output,
        **kw,
    ):
        versions = Version.objects.select_related("strategy__process")
        if version_id is not None:
            version = versions.filter(pk=version_id).first()
        else:
            processes = (
                Process.objects.filter(slug=process)
                if process
                else (Process.objects.public())
            )
            version = (
                versions.filter(strategy__process=processes.first())
                .order_by("-number")
                .first()
            )
        if version is None:
            raise CommandError(
                "No such version. Give --version ID, or load the demo first "
                "(manage.py load_mipr_demo)."
            )
        try:
            data = render.version_pdf(version, with_comments=appendix_comments)
        except render.PdfError as error:
            raise CommandError(error.message) from error
        Path(output).write_bytes(data)
        size = f"{len(data):,}".replace(",", " ")
        self.stdout.write(
            f"{output}: {version.strategy.title}, versjon {version.number} "
            f"({size} bytes)"
        )
