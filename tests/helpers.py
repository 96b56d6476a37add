import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Variables the test run sets that would leak into a "production" subprocess.
_TEST_ONLY = {
    "HTTPS_ONLY",
    "WHITENOISE_USE_FINDERS",
    "DEBUG",
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
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
