"""gunicorn's settings for serving the site: ``gunicorn -c config/gunicorn.py config.wsgi``.

Sync workers, two per core by default (``WEB_CONCURRENCY``): a request waiting on PostgreSQL or
Redis leaves its core to another worker. Each worker warms up before it takes requests (the
encoder, the taxonomy, the search index), so the first visitors of a fresh worker do not wait
seconds for a model to load. Torch gets one thread per worker: the workers are the parallelism.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from typing import Any

# Before any worker imports torch.
os.environ.setdefault("OMP_NUM_THREADS", "1")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2)))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
accesslog = None


def post_worker_init(worker: Any) -> None:
    """Warm the matcher up once the application is loaded; a failure only logs."""
    try:
        from matching.warmup import matching_warm_up

        matching_warm_up()
    except Exception:  # a cold worker still serves; it warms up on first use
        logging.getLogger("gunicorn.error").exception("matcher warm-up failed")
