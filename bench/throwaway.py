"""A throwaway Django for a benchmark: a fresh SQLite database and var directory in a temporary
folder, an in-memory Celery broker, and the models this checkout built (var/models).

The model is ``MATCHING_MODEL`` when set, else the product's default (EmbeddingGemma-300M, built
by ``make model``); ``var/models/multilingual-e5-small`` (``make model-e5``) is the light one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "var" / "models"
DEFAULT_MODEL = MODELS / "embeddinggemma-300m"


def bench_model() -> str:
    """The model a benchmark uses: ``MATCHING_MODEL``, else the product's default."""
    return os.environ.get("MATCHING_MODEL") or str(DEFAULT_MODEL)


def throwaway_django(name: str, *, model: str | None = None) -> Path:
    """Point Django at a new temporary folder (returned) and set it up."""
    workdir = Path(tempfile.mkdtemp(prefix=f"robomatch-{name}-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / f'{name}.sqlite3'}"
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["MATCHING_MODEL"] = model or bench_model()
    import django

    django.setup()
    return workdir
