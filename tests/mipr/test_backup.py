"""Backup and restore: backup → wipe → restore gives identical data and files."""

import hashlib
import io
import json
import re
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from mipr.models import AuditEntry, Process
from strategy.models import Comment, PdfExport
from strategy.pdf import jobs
from workshops.models import Answer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def everything(media, demo_process):
    """The whole demo, a comment, and a real PDF in the storage."""
    from demo import document as document_demo
    from demo import evidence as evidence_demo
    from demo import plan as plan_demo
    from demo import workshop as workshop_demo

    plan_demo.load(demo_process)
    workshop_demo.load(demo_process)
    evidence_demo.load(demo_process)
    strategy = document_demo.load_strategy(demo_process)
    version = strategy.versions.order_by("number").last()
    sara = get_user_model().objects.get(username="sekretariat")
    Comment.objects.create(
        section=version.sections.first(), author=sara, text="Kommentar med æøå"
    )
    export = jobs.export_request(version=version, with_comments=False, by=sara)
    export.refresh_from_db()
    assert export.file and default_storage.exists(export.file.name)
    return demo_process


def dump() -> list:
    out = io.StringIO()
    call_command(
        "dumpdata",
        exclude=["contenttypes", "auth.permission", "sessions", "axes"],
        natural_foreign=True,
        stdout=out,
    )
    # dumpdata keeps times to the millisecond and writes 12:00:00.000400 as
    # «12:00:00.000»; restored, the same time reads «12:00:00».
    text = re.sub(r"(T\d\d:\d\d:\d\d)\.000(?=[Z+-])", r"\1", out.getvalue())
    return sorted(json.loads(text), key=lambda row: (row["model"], str(row["pk"])))


def files(root) -> dict:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def wipe(media):
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def test_backup_wipe_restore_gives_identical_data_and_files(
    everything, media, tmp_path
):
    before_rows, before_files = dump(), files(media)
    assert Answer.objects.exists() and PdfExport.objects.exists()
    assert AuditEntry.objects.exists()
    assert any(name.endswith(".pdf") for name in before_files)

    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", output=str(archive), stdout=out)
    assert "Backup written" in out.getvalue()

    wipe(media)
    assert not Process.objects.exists() and files(media) == {}

    call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    assert dump() == before_rows
    assert files(media) == before_files
    # Sequences continue after the restored rows: new rows get new ids.
    process = Process.objects.get()
    assert process.milestones.create(
        what="Ny", who="x", start_year=2025, start_week=40, end_year=2025, end_week=41
    ).pk


def test_a_damaged_backup_is_refused_and_nothing_changes(everything, media, tmp_path):
    before_rows, before_files = dump(), files(media)
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not a backup at all")
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore", str(broken), yes=True)
    assert dump() == before_rows and files(media) == before_files


def _rewrite(source, target, change):
    """A copy of the backup with change(name, bytes) -> (name, bytes) applied."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            name, data = change(member.name, old.extractfile(member).read())
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


def test_rows_that_do_not_load_leave_the_database_as_it_was(
    everything, media, tmp_path
):
    archive, bad = tmp_path / "ok.tar.gz", tmp_path / "bad.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    def corrupt(name, data):
        if name == "data.json":
            rows = json.loads(data)
            rows.append({"model": "timeline.milestone", "pk": 1, "fields": {}})
            data = json.dumps(rows).encode()
        return name, data

    _rewrite(archive, bad, corrupt)
    Comment.objects.create(
        section=Comment.objects.first().section,
        author=get_user_model().objects.first(),
        text="Skrevet etter backupen",
    )
    before = dump()
    with pytest.raises(Exception):  # noqa: B017 - loaddata's own error
        call_command("restore", str(bad), yes=True)
    assert dump() == before


def test_a_backup_of_another_schema_is_refused(everything, media, tmp_path):
    archive, other = tmp_path / "ok.tar.gz", tmp_path / "other.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    def newer(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["schema"]["mipr"] = "9999_from_the_future"
            data = json.dumps(manifest).encode()
        return name, data

    _rewrite(archive, other, newer)
    before = dump()
    with pytest.raises(CommandError, match="another database schema"):
        call_command("restore", str(other), yes=True)
    assert dump() == before


def test_a_file_name_leading_out_of_the_storage_is_refused(everything, media, tmp_path):
    archive, evil = tmp_path / "ok.tar.gz", tmp_path / "evil.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    def escape(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["files"].append("../../outside.txt")
            data = json.dumps(manifest).encode()
        return name, data

    _rewrite(archive, evil, escape)
    with pytest.raises(CommandError, match="refusing the file name"):
        call_command("restore", str(evil), yes=True)
    assert not (tmp_path / "outside.txt").exists()


def test_restore_asks_before_replacing_everything(everything, tmp_path, monkeypatch):
    archive = tmp_path / "ok.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "nei")
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore", str(archive))
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), yes=True)
