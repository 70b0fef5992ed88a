"""gunicorn's settings for serving the site: ``gunicorn -c config/gunicorn.py config.wsgi``.

Sync workers, two per core by default (``WEB_CONCURRENCY``): a request waiting on PostgreSQL or
Redis leaves its core to another worker. A web worker never loads the model: pages read the
matches the Celery worker stored. Each worker loads the taxonomy context before it takes
requests, then freezes what it loaded out of the garbage collector's way (``gc.freeze``); the
first requests load more that lives as long (templates, URL and translation caches, lazily
imported modules), so a worker collects and freezes again after its 100th and 1,000th request.
"""

from __future__ import annotations

import gc
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
    """Load the taxonomy context once the application is loaded, then freeze what is loaded; a
    failed warm-up only logs (a cold worker still serves; it loads what it needs on first use).
    A web worker never loads the model: pages read the matches the Celery worker stored."""
    from marketplace.matches.warmup import warm_up_process, web_warm_up

    failure = warm_up_process(web_warm_up)
    if failure is not None:
        logging.getLogger("gunicorn.error").error("matcher warm-up failed", exc_info=failure)


# Request counts after which a worker freezes what its requests loaded (see above).
FREEZE_AFTER_REQUESTS = frozenset({100, 1000})


def post_request(worker: Any, req: Any, environ: dict[str, Any], resp: Any) -> None:
    """Once the worker has served FREEZE_AFTER_REQUESTS requests, collect, then freeze what
    survives: garbage left from the requests is freed first, not kept for good."""
    if worker.nr in FREEZE_AFTER_REQUESTS:
        gc.collect()
        gc.freeze()
