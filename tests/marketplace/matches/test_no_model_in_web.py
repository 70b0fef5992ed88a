"""A web process never loads the model: it serves the match page and the match API from the
stored lists, and neither torch nor ONNX Runtime is ever imported.

The check runs in a fresh Python process (this test process has torch loaded by other tests): it
loads the WSGI application and runs gunicorn's worker start-up hook, as a gunicorn worker does,
seeds a database, stores one need's list as the worker would, then serves the pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from django.conf import settings

SERVE = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from config.wsgi import application  # noqa: F401  what gunicorn loads
    from config import gunicorn
    gunicorn.post_worker_init(worker=None)

    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("marketplace_seed", verbosity=0)
    from accounts.models import User
    from marketplace.matches.models import MatchList, StoredMatch
    from marketplace.models import Capability, Need
    from marketplace.taxonomy.version import taxonomy_version
    from matching.encoders import encoder_name
    from matching.ranking.serialize import match_to_data
    from matching.ranking.phrases import Phrase
    from matching.ranking.types import Aspect, AspectStatus, RankedMatch, ScoreBreakdown

    institution = User.objects.get(email="institution@demo.robomatch.cn")
    need = Need.objects.filter(organization=institution.organization).first()
    profiles = list(Capability.objects.published().order_by("pk")[:2])
    match_list = MatchList.objects.create(
        need=need, model_name=encoder_name(), need_updated_at=need.updated_at,
        taxonomy_version=taxonomy_version(), ranked_at=timezone.now(),
    )
    for position, profile in enumerate(profiles, start=1):
        match = RankedMatch(
            need_id=need.pk, capability_id=profile.pk, score=1.0 / position, eligible=True,
            failed_requirements=(), breakdown=ScoreBreakdown(()),
            aspects=(
                Aspect(
                    "region",
                    Phrase("服务地区"),
                    AspectStatus.MET,
                    Phrase.verbatim("青岛市"),
                    Phrase.verbatim("青岛市"),
                ),
            ),
        )
        StoredMatch.objects.create(
            match_list=match_list, capability=profile, position=position, score=match.score,
            eligible=True, detail=match_to_data(match),
        )

    client = Client(HTTP_HOST="localhost")
    client.force_login(institution)
    page = client.get(reverse("matches:need_matches", args=[need.pk]))
    api = client.get(reverse("api:need_matches", args=[need.pk]))
    inbox = client.get(reverse("leads:lead_responses"))
    print(json.dumps({
        "page": page.status_code,
        "page_shows": profiles[0].title in page.content.decode(),
        "api": api.status_code,
        "api_ids": [row["capability"]["id"] for row in api.json()],
        "expected_ids": [p.pk for p in profiles],
        "inbox": inbox.status_code,
        "torch": "torch" in sys.modules,
        "sentence_transformers": "sentence_transformers" in sys.modules,
        "transformers": "transformers" in sys.modules,
        "onnxruntime": "onnxruntime" in sys.modules,
    }))
    """
)


def test_the_match_page_and_api_are_served_without_importing_torch(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
        "MATCHING_MODEL": str(settings.MATCHING_MODEL),
    }
    done = subprocess.run(
        [sys.executable, "-c", SERVE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert (report["page"], report["api"], report["inbox"]) == (200, 200, 200)
    assert report["page_shows"]
    assert report["api_ids"] == report["expected_ids"]
    assert report["torch"] is False
    assert report["sentence_transformers"] is False
    assert report["transformers"] is False
    assert report["onnxruntime"] is False  # the default model's runtime, the worker's alone
