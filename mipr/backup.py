"""Backup and restore of everything the portal keeps: the database and the files.

A backup is one .tar.gz:

- manifest.json: format, when it was made, the schema (last migration per app)
  and the number of rows per model, checked again after a restore;
- data.json: every row, as Django's dumpdata writes it, with natural keys for
  content types, so that it loads into a fresh database of the same schema
  (PostgreSQL or SQLite); times are kept to the millisecond;
- files/…: every file in the default storage (generated PDFs and uploads),
  read through the storage API, so a bucket works as well as a disk.

Not kept: sessions (everyone logs in again), log-in lockouts, and the content
types and permissions that migrate recreates.
"""

import io
import json
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "mipr-backup/1"
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]
FILES = "files/"


class BackupError(Exception):
    """Something a person must fix before a backup can be restored."""


def schema() -> dict[str, str]:
    """The last applied migration of each app."""
    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def row_counts() -> dict[str, int]:
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    excluded_models = {e for e in EXCLUDED if "." in e}
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in excluded_models:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[label] = model._base_manager.count()
    return dict(sorted(counts.items()))


def _storage_files(storage, path: str = "") -> list[str]:
    directories, files = storage.listdir(path)
    found = [f"{path}{name}" for name in files]
    for directory in directories:
        found += _storage_files(storage, f"{path}{directory}/")
    return sorted(found)


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(tz=UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup(output: Path, storage=None) -> dict:
    """Write a backup of the database and the stored files to output."""
    storage = storage or default_storage
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "data.json"
        # One transaction: rows and counts describe the same moment.
        with transaction.atomic():
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,
                output=str(dump),
                verbosity=0,
            )
            manifest = {
                "format": FORMAT,
                "created": datetime.now(tz=UTC).isoformat(),
                "database": connection.vendor,
                "schema": schema(),
                "rows": row_counts(),
                "files": [],
            }
        files = _storage_files(storage)
        manifest["files"] = files
        with tarfile.open(output, "w:gz") as archive:
            _add(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
            archive.add(dump, arcname="data.json")
            for name in files:
                with storage.open(name, "rb") as handle:
                    _add(archive, FILES + name, handle.read())
    return manifest


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember("manifest.json")
        manifest = json.load(archive.extractfile(member))
    except (KeyError, ValueError, AttributeError) as error:
        raise BackupError(f"not a portal backup: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"refusing the file name {name!r} in the backup")
    return str(path)


def _read(source: Path) -> tuple[dict, bytes, dict[str, bytes]]:
    """The manifest, the rows and the files of a backup, or BackupError."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            manifest = _read_manifest(archive)
            names = [_safe_name(n) for n in manifest["files"]]
            data = archive.extractfile("data.json").read()
            files = {name: archive.extractfile(FILES + name).read() for name in names}
    except (OSError, EOFError, KeyError, AttributeError, tarfile.TarError) as error:
        raise BackupError(f"cannot read the backup {source}: {error}") from error
    return manifest, data, files


def restore(source: Path, storage=None) -> dict:
    """Replace the database and the stored files with the backup's.

    The schema must be the one the backup was made with (run migrate to the
    same version first). The database is restored in one transaction: if the
    data does not load, nothing is changed. The files are replaced after it.
    """
    storage = storage or default_storage
    manifest, data, files = _read(source)
    if manifest["schema"] != schema():
        raise BackupError(
            "the backup was made with another database schema; migrate this "
            "installation to the backup's version first "
            f"(backup: {manifest['schema']}, here: {schema()})"
        )
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "data.json"
        dump.write_bytes(data)
        with transaction.atomic():
            _empty_database()
            call_command("loaddata", str(dump), verbosity=0)
            counts = row_counts()
            if counts != manifest["rows"]:
                raise BackupError(
                    f"restored rows differ from the backup's: {counts} "
                    f"!= {manifest['rows']}"
                )
    for name in _storage_files(storage):
        storage.delete(name)
    for name, content in files.items():
        saved = storage.save(name, ContentFile(content))
        if saved != name:
            raise BackupError(f"the storage renamed {name} to {saved}")
    return manifest


def _empty_database() -> None:
    """Delete every row that a backup brings back, children before parents."""
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    excluded_models = {e for e in EXCLUDED if "." in e}
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded_models
        and model._meta.managed
        and not model._meta.proxy
    ]
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        else:
            # SQLite checks foreign keys at commit; order does not matter here.
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    # Sessions point at users that may not come back.
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()
