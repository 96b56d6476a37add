"""The portal's settings plus the benchmark's bare page (benchmarks/urls.py).

Only benchmarks/run.py's gunicorn uses this module
(DJANGO_SETTINGS_MODULE=benchmarks.settings), so the bare page never reaches
the production URLs.
"""

from mipr.settings import *  # noqa: F403
from mipr.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "benchmarks.urls"
TEMPLATES = [
    {
        **TEMPLATES[0],
        "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "benchmarks" / "templates"],
    }
]
