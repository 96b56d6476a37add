import shutil
import subprocess
import sys

import pytest

from tests.helpers import ROOT

SOURCES = [
    "manage.py",
    "mipr",
    "timeline",
    "workshops",
    "findings",
    "strategy",
    "demo",
    "templates",
    "locale",
]


@pytest.fixture(scope="module")
def regenerated_catalogues(tmp_path_factory):
    """The catalogues as `makemessages` would leave them, made in a copy."""
    if not shutil.which("msgattrib"):
        pytest.fail("GNU gettext (msgattrib) is needed: apt-get install gettext")
    copy = tmp_path_factory.mktemp("project")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("*.mo"))
        else:
            shutil.copy(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nb", "-l", "en", "-v0"],
        cwd=copy,
        env={
            "DEBUG": "1",
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "mipr.settings",
        },
        check=True,
    )
    return copy / "locale"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_catalogue_has_no_untranslated_or_fuzzy_strings(
    regenerated_catalogues, language
):
    po = regenerated_catalogues / language / "LC_MESSAGES" / "django.po"
    problems = []
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", flag, "--no-wrap", "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        entries = [
            e for e in out.split("\n\n") if "msgid" in e and 'msgid ""\nmsgstr' not in e
        ]
        problems += [f"{flag}: {e.strip()}" for e in entries]
    assert problems == [], "\n\n".join(problems)


def test_bokmal_uses_one_spelling_of_each_word():
    """«fremdrift», not also «framdrift» (both are bokmål; the portal picks one)."""
    text = (ROOT / "locale" / "nb" / "LC_MESSAGES" / "django.po").read_text()
    msgstrs = "\n".join(
        line for line in text.splitlines() if line.startswith(("msgstr", '"'))
    )
    assert "framdrift" not in msgstrs.lower()
