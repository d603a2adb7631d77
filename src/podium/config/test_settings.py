"""Settings for the test suite: the production settings with testing switched on."""

import os

os.environ.setdefault("PODIUM_TESTING", "1")
os.environ.setdefault("PODIUM_TASKS", "immediate")
os.environ.setdefault("EMAIL_URL", "locmem")

from podium.config.settings import *  # noqa: F403

# Tests close connections after each request, as pytest-django's live server expects.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# A file (not in-memory) SQLite test database, so tests with several threads or a live
# server share one database the way a real deployment does.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"podium-test-{os.getpid()}.sqlite3")
    }
