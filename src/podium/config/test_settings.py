"""Settings for the test suite: the production settings with testing switched on."""

import os

os.environ.setdefault("PODIUM_TESTING", "1")
os.environ.setdefault("PODIUM_TASKS", "immediate")
os.environ.setdefault("EMAIL_URL", "locmem")

from podium.config.settings import *  # noqa: F403

# A file (not in-memory) SQLite test database, so tests with several threads or a live
# server share one database the way a real deployment does.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"podium-test-{os.getpid()}.sqlite3")
    }
