"""The layers written down in pyproject.toml hold, and they have teeth.

`lint-imports` (import-linter) checks the contracts in .ci/run. Here the same
check runs on the tree as it is, and on a copy with one arrow drawn the wrong
way, to prove that such an arrow fails it.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

PACKAGES = ["mipr", "timeline", "workshops", "findings", "strategy", "demo"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def copy_of_the_tree(tmp_path_factory):
    tree = tmp_path_factory.mktemp("tree")
    shutil.copy(ROOT / "pyproject.toml", tree)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tree / package, ignore=shutil.ignore_patterns("*.pyc")
        )
    return tree


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(copy_of_the_tree):
    services = copy_of_the_tree / "timeline" / "services.py"
    original = services.read_text()
    services.write_text(original + "\nfrom strategy.models import Version  # noqa\n")
    try:
        result = lint_imports(copy_of_the_tree)
    finally:
        services.write_text(original)
    assert result.returncode != 0
    assert "timeline is not allowed to import strategy" in result.stdout
    assert "timeline.services -> strategy.models" in result.stdout


def test_a_cycle_between_the_modules_of_an_app_breaks_the_contract(copy_of_the_tree):
    access = copy_of_the_tree / "strategy" / "access.py"
    original = access.read_text()
    access.write_text(original + "\nfrom . import writing  # noqa\n")
    try:
        result = lint_imports(copy_of_the_tree)
    finally:
        access.write_text(original)
    assert result.returncode != 0
    assert "No import cycles between the modules of one app BROKEN" in result.stdout


def test_a_service_that_imports_its_task_breaks_the_contract(copy_of_the_tree):
    review = copy_of_the_tree / "strategy" / "review.py"
    original = review.read_text()
    review.write_text(original + "\nfrom .tasks import send_review_mail  # noqa\n")
    try:
        result = lint_imports(copy_of_the_tree)
    finally:
        review.write_text(original)
    assert result.returncode != 0
    assert "never import them BROKEN" in result.stdout
