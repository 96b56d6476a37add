"""manage.py export_strategy_pdf: the scripts' way to a PDF."""

import io

import pytest
from django.core.management import CommandError, call_command

from .helpers import (
    APPENDIX_A,
    APPENDIX_B,
    APPENDIX_C,
    CHAPTERS,
    appendix,
    assert_toc_points_at_the_headings,
    pages_of,
    spoil,
    squash,
)

pytestmark = pytest.mark.django_db


def test_the_command_adds_the_comments_appendix_for_a_given_version(v1, tmp_path):
    output = tmp_path / "v1.pdf"
    call_command(
        "export_strategy_pdf",
        "--version",
        str(v1.pk),
        "--appendix-comments",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    pages = pages_of(output.read_bytes())
    assert "Versjon 1 · " in pages[0]
    assert_toc_points_at_the_headings(
        pages, [*CHAPTERS, APPENDIX_A, APPENDIX_B, APPENDIX_C]
    )
    comments = squash(appendix(pages, APPENDIX_C, None))
    assert squash("Bør beredskap løftes tydeligere fram som egen utfordring?") in (
        comments
    )
    assert squash("Savner et konkret tiltak for felles næringsforum.") in comments
    assert "Løstav" in comments and "Ikkeløst" in comments


def test_the_command_refuses_an_unknown_version(strategy, tmp_path):
    output = tmp_path / "ingen.pdf"
    with pytest.raises(CommandError, match="No such version"):
        call_command(
            "export_strategy_pdf", "--version", "999999", "--output", str(output)
        )
    assert not output.exists()


def test_the_command_reports_a_section_it_cannot_show(v2, people, tmp_path):
    spoil(v2, "Bjelle \x07", people["sekretariat"])
    output = tmp_path / "feil.pdf"
    with pytest.raises(CommandError, match="inneholder tegn som ikke er tillatt"):
        call_command("export_strategy_pdf", "--output", str(output))
    assert not output.exists()


def test_the_command_takes_a_process_by_its_short_name(strategy, fast_pdf, tmp_path):
    from tests.factories import ProcessFactory

    # A newer public process without a strategy is the default now.
    ProcessFactory(year=2026, slug="nyere-2030-2033")
    output = tmp_path / "mipr.pdf"
    with pytest.raises(CommandError, match="No such version"):
        call_command("export_strategy_pdf", "--output", str(output))
    stdout = io.StringIO()
    call_command(
        "export_strategy_pdf",
        "--process",
        "mipr-2026-2029",
        "--output",
        str(output),
        stdout=stdout,
    )
    assert output.read_bytes().startswith(b"%PDF-")
    assert "versjon 2" in stdout.getvalue()  # the newest of MIPR's
    with pytest.raises(CommandError, match="No such version"):
        call_command(
            "export_strategy_pdf", "--process", "finnes-ikke", "--output", str(output)
        )
