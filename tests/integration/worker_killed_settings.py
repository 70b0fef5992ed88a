"""Settings of the Celery workers started by ``test_worker_killed.py``.

The test settings, except:

- vectors come from ``tests.integration.hash_encoder`` (see there why);
- the Redis transport keeps its record of unacknowledged messages under keys of the test's own
  (``WORKER_KILLED_KEY_PREFIX``), so that restoring them touches no other run's messages on a
  shared Redis;
- ``WORKER_KILLED_VISIBILITY_TIMEOUT`` seconds (production: kombu's default, one hour) pass before
  a worker takes an unacknowledged message for lost and puts it back on its queue, and it looks
  every second (kombu's default: every 100 s or so), so the redelivery happens within seconds.
"""

import os

from config.settings.test import *  # noqa: F403

MATCHING_ENCODER = "tests.integration.hash_encoder.HashEncoder"

_prefix = os.environ["WORKER_KILLED_KEY_PREFIX"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ["WORKER_KILLED_VISIBILITY_TIMEOUT"]),
    "unacked_key": f"{_prefix}unacked",
    "unacked_index_key": f"{_prefix}unacked_index",
    "unacked_mutex_key": f"{_prefix}unacked_mutex",
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
