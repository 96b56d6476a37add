from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from mipr import backup


class Command(BaseCommand):
    help = (
        "Write the database and the stored files (PDFs, uploads) to one .tar.gz "
        "that `manage.py restore` reads."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="The file to write (default: var/backups/mipr-<date>-<time>.tar.gz).",
        )

    def handle(self, *args, output=None, **options):
        if output:
            path = Path(output)
        else:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            path = settings.BASE_DIR / "var" / "backups" / f"mipr-{stamp}.tar.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        manifest = backup.backup(path)
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Backup written to {path}: {rows} rows, {len(manifest['files'])} files."
        )
