from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mipr import backup


class Command(BaseCommand):
    help = (
        "Replace the database and the stored files with a backup made by "
        "`manage.py backup`. Everything in this installation is replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup (.tar.gz).")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask: replace this installation's data.",
        )

    def handle(self, *args, file, yes=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        if not yes:
            answer = input(
                "This replaces every row and stored file of this installation with "
                f"the backup {path}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            manifest = backup.restore(path)
        except backup.BackupError as error:
            raise CommandError(f"Nothing restored: {error}") from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Restored {rows} rows and {len(manifest['files'])} files from the "
            f"backup of {manifest['created']}. Everyone must log in again."
        )
