"""Fixtures of the PDF tests.

WeasyPrint takes seconds per document, so only two tests render for real: the
demo's newest version (shared by the document tests, see `document`) and the
command with the comments appendix. The other tests replace WeasyPrint alone
(`fast_pdf`): the HTML, and with it every check of the sections, stays real.
"""

import io
import socket

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo import document as document_demo
from strategy import writing
from strategy.pdf import jobs
from strategy.pdf import render as pdf
from workshops.models import Answer, Workshop, WorkshopStatus

from .helpers import pages_of, tiny_pdf


@pytest.fixture(autouse=True)
def _media_in_tmp(media):
    """Every test here stores its PDFs in a directory of its own."""
    return media


@pytest.fixture
def strategy(mipr):
    """The demo strategy: version 1 and 2 for review, comments on version 1."""
    return document_demo.load_strategy(mipr)


@pytest.fixture
def v1(strategy):
    return strategy.versions.get(number=1)


@pytest.fixture
def v2(strategy):
    return strategy.versions.get(number=2)


@pytest.fixture
def draft(v2, people):
    """Version 3, a working draft that council members may not read yet."""
    return writing.version_new(previous=v2, by=people["sekretariat"])


@pytest.fixture
def fast_pdf(monkeypatch):
    """WeasyPrint replaced by a blank page; returns the HTML of every render."""
    renders = []

    def write_pdf(html):
        renders.append(html)
        return tiny_pdf()

    monkeypatch.setattr(pdf, "write_pdf", write_pdf)
    return renders


@pytest.fixture
def request_pdf(django_capture_on_commit_callbacks, people):
    """Ask for a PDF as the view does; the task runs in-process on commit."""

    def ask(version, *, with_comments=False, by="sekretariat"):
        with django_capture_on_commit_callbacks(execute=True):
            export = jobs.export_request(
                version=version, with_comments=with_comments, by=people[by]
            )
        export.refresh_from_db()
        return export

    return ask


@pytest.fixture
def no_network(monkeypatch):
    """Fails the test if anything opens a connection or looks up a name."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    # Asserted here too: a fetcher's caller may swallow the AssertionError.
    assert attempts == []


_DOCUMENT: dict = {}


@pytest.fixture
def document(request, tmp_path):
    """The demo's newest version as PDF, by `export_strategy_pdf` without options,
    once the workshop is closed and the groups have submitted their answers.

    Rendered once for the module (the bytes outlive the test database); the
    demo is loaded only for the test that renders.
    """
    if not _DOCUMENT:
        request.getfixturevalue("strategy")
        Workshop.objects.update(status=WorkshopStatus.CLOSED)
        Answer.objects.update(submitted_at=timezone.now(), submitted_by="Simen")
        output = tmp_path / "strategi.pdf"
        stdout = io.StringIO()
        call_command("export_strategy_pdf", "--output", str(output), stdout=stdout)
        data = output.read_bytes()
        _DOCUMENT.update(data=data, stdout=stdout.getvalue(), pages=pages_of(data))
    return _DOCUMENT
