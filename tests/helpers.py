import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require(condition: bool, reason: str) -> None:
    """Skip a test whose service is missing, or fail it where CI demands the service."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def join_form(client, code, name="Simen", **request) -> dict:
    """What the join form sends: load /delta/ (its token), fill in code and name."""
    page = client.get("/delta/", **request).content.decode()
    token = re.search(r'name="skjema" value="([^"]+)"', page).group(1)
    return {"code": code, "name": name, "skjema": token}


def join(client, group, name="Simen"):
    """Join the group through /delta/, as a participant does."""
    from workshops.access import SESSION_KEY

    response = client.post("/delta/", join_form(client, group.code, name))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert str(group.pk) in client.session[SESSION_KEY]
    return response


def confirmation_form(html: str) -> dict:
    """The fields a confirmation page (templates/confirm.html) posts back."""
    import re

    section = html.split('id="confirmation"', 1)[1].split("</section>", 1)[0]
    fields = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', section)
    )
    fields.pop("csrfmiddlewaretoken", None)
    return fields


# Variables the test run sets that would leak into a "production" subprocess.
_TEST_ONLY = {
    "HTTPS_ONLY",
    "WHITENOISE_USE_FINDERS",
    "DEBUG",
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "PYTEST_XDIST_WORKER",
}


def run_python(
    code: str, *, env: dict[str, str], drop: set[str] = frozenset()
) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter with Django set up from `env`."""
    full_env = {k: v for k, v in os.environ.items() if k not in _TEST_ONLY | drop}
    full_env.update(env)
    full_env.setdefault("DJANGO_SETTINGS_MODULE", "mipr.settings")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_manage(
    *args: str, env: dict[str, str], drop: set[str] = frozenset()
) -> subprocess.CompletedProcess:
    return run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        f"execute_from_command_line(['manage.py', *{list(args)!r}])",
        env=env,
        drop=drop,
    )


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "x7Qp9LmZ2vR8sT4wN6yB1cD5fG0hJ3kM" * 2,
    "ALLOWED_HOSTS": "strategi.example.no",
    "CSRF_TRUSTED_ORIGINS": "https://strategi.example.no",
}


VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
_CANARY = (
    '<!doctype html><html lang="nb"><head><title>x</title></head>'
    "<body><p>x</div></body></html>"
)


def html_errors(pages: dict[str, bytes], folder: Path) -> list[str]:
    """The W3C Nu HTML Checker's errors for each page ({name: HTML}), as
    «name, line N: message». One Java run for all; a canary page with a known
    error proves the checker read the files (else the test fails)."""
    import json
    import shutil

    require(shutil.which("java") is not None, "Java is missing (for vnu-jar)")
    require(VNU.exists(), "vnu-jar is missing: run `npm ci`")
    files = {}
    for index, (name, html) in enumerate(pages.items()):
        path = folder / f"page-{index:03d}.html"
        path.write_bytes(html)
        files[f"file:{path}"] = name
    canary = folder / "canary.html"
    canary.write_text(_CANARY)
    files[f"file:{canary}"] = "canary"
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json"]
        + [name.removeprefix("file:") for name in files],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [
        f"{files.get(m['url'], m['url'])}, line {m.get('lastLine')}: {m['message']}"
        for m in report["messages"]
        if m["type"] == "error"
    ]
    canary_errors = [e for e in errors if e.startswith("canary,")]
    assert canary_errors == ["canary, line 1: Stray end tag “div”."], canary_errors
    return [e for e in errors if not e.startswith("canary,")]
