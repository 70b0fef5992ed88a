"""The Celery app. Each pool process warms the matcher up as it starts, as the web workers do
(config/gunicorn.py): the first embedding after a start or a restart does not load the model
while the need waits, and a busy machine does not pay for the load in the middle of its work.
Its torch runs MATCHING_WORKER_TORCH_THREADS threads (one by default: the other core is the
web's), and so does ONNX Runtime, whose encoder takes torch's setting when it loads. What the
warm-up loaded is then frozen out of the garbage collector's way (``gc.freeze``, as in
config/gunicorn.py): full collections no longer walk the model's half a million objects."""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("robomatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each installed app's ``tasks`` module, and the feature packages that keep tasks of their own.
app.autodiscover_tasks()
app.autodiscover_tasks(["marketplace.matches"])


@worker_process_init.connect
def warm_up_matcher(**_signal: Any) -> None:
    """Load the encoder, the taxonomy and the search index; CELERY_WORKER_PROC_ALIVE_TIMEOUT
    leaves the time for it. A failure is a warning, not an error: a worker that runs no matcher
    task works without the model, and the first task that needs it loads it (and fails loudly)."""
    import torch
    from django.conf import settings

    from marketplace.matches.warmup import warm_up_process

    torch.set_num_threads(settings.MATCHING_WORKER_TORCH_THREADS)
    failure = warm_up_process()
    if failure is not None:
        logging.getLogger(__name__).warning("matcher warm-up failed: %r", failure)
