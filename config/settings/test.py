"""Test settings: the same as base, with faster hashing and captured email."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Each test process gets its own cache, so nothing (rate-limit counters, progress) leaks between
# runs; tests that need the shared cache across processes override this.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "f"},
}

# Rates no test reaches by accident: the locmem counters outlive each test, and SQLite hands the
# same user ids to the next test. tests/api/test_rate_limits.py and
# tests/security/test_address_limits.py set the rates they test.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        "token": "1000/min",
        "writes": "10000/min",
        "login": "1000/min",
        "password_reset": "1000/min",
        "signup": "1000/min",
        "password_reset_email": "1000/min",
    },
}

# Messages sent outside eager mode (send_task by name) go to an in-memory broker, not var/.
CELERY_BROKER_URL = "memory://"

# WhiteNoise warns on every request when STATIC_ROOT does not exist (tests do not collectstatic).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
