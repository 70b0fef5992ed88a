import logging
import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("robomatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def warm_up_matcher(**_signal: Any) -> None:
    """Each worker process loads the encoder, the taxonomy and the index as it starts, so the
    first task after a (re)start does not spend seconds loading a model while the site is busy.
    A failure only logs: the task loads what it needs when it runs."""
    try:
        from matching.warmup import matching_warm_up

        matching_warm_up()
    except Exception:
        logging.getLogger(__name__).exception("matcher warm-up failed")
