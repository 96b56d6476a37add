"""The portal's settings with the test database in a SQLite file.

Only for tests/test_concurrent_edits.py, which runs itself again with these
settings: pytest-django's SQLite test database is otherwise in memory, and
threads cannot write one in-memory database at the same time. The engine's
options (mipr/settings.py) are the same as in `make run`.
"""

import os

from mipr.settings import *  # noqa: F403
from mipr.settings import DATABASES

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    raise RuntimeError("tests.sqlite_file_settings needs DATABASE_URL unset")
DATABASES["default"]["TEST"] = {"NAME": os.environ["MIPR_TEST_SQLITE_FILE"]}
