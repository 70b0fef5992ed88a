"""Settings of the Celery worker started by ``test_notifications_worker.py``.

The test settings (which capture mail in memory, where a test in another process cannot read it),
except that mail goes through ``tests.integration.flaky_email`` into ``EMAIL_FILE_PATH``, a
directory the test gives the worker and reads back.
"""

import os

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "tests.integration.flaky_email.EmailBackend"
EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
