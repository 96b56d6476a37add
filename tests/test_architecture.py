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


@pytest.mark.parametrize(
    "module, wrong_import, broken",
    [
        # An upward import: the timeline must not know the strategy.
        (
            "timeline/services.py",
            "from strategy.models import Version",
            "timeline.services -> strategy.models",
        ),
        # A cycle between two modules of one app.
        (
            "strategy/access.py",
            "from . import writing",
            "No import cycles between the modules of one app BROKEN",
        ),
        # A service that imports the task it sends.
        (
            "strategy/review.py",
            "from .tasks import send_review_mail",
            "never import them BROKEN",
        ),
    ],
)
def test_a_wrong_arrow_breaks_a_contract(
    copy_of_the_tree, module, wrong_import, broken
):
    path = copy_of_the_tree / module
    original = path.read_text()
    path.write_text(f"{original}\n{wrong_import}  # noqa\n")
    try:
        result = lint_imports(copy_of_the_tree)
    finally:
        path.write_text(original)
    assert result.returncode != 0
    assert broken in result.stdout
