"""A program's round trip through the API: real HTTP (``requests``) against a live server.

颐和苑养老中心 (alice) and 康途机器人 (bob) are known to the site by their import numbers; the
organiser 对接办 (olga) runs the import and the event.

1. each of the three gets an API token with their email and password;
2. olga uploads a catalogue: a rehab need for 颐和苑, an exoskeleton and a meal robot for 康途;
3. olga polls the import's status resource until the background job has finished;
4. the periodic sweep embeds the new rows with the real model and records leads; alice reads the
   matches for her imported need, the exoskeleton first;
5. bob finds the lead in his inbox and answers it 有意向;
6. olga creates an event, registers both organisations, generates the shortlist and the
   schedule and publishes it; alice and bob read their meeting.

Background work runs eagerly (``CELERY_TASK_ALWAYS_EAGER``): the import runs in the server's thread
once the upload commits, as a worker would run it after the upload; the embeddings sweep, which a
Celery beat schedule runs every minute in production, is started here by the test.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.utils import timezone

from accounts.models import Organization
from marketplace.matches.tasks import embeddings_refresh_task
from tests.conftest import PASSWORD

# The matching tests' model fixture: the real default model, built once per session.

pytestmark = pytest.mark.integration

POLLS = 50
POLL_PAUSE_SECONDS = 0.1
TIMEOUT_SECONDS = 60

NEED = "中风老人下肢康复训练设备"
EXOSKELETON = "下肢康复外骨骼"
MEAL_ROBOT = "送餐机器人"
EVENT = "康复机器人专场供需对接会"
RESPONSE = "可提供两台下肢康复外骨骼，下月起在康复室试点三个月。"

CATALOG: dict[str, Any] = {
    "needs": [
        {
            "ref": "yihe-rehab-01",
            "organization": "yihe",
            "title": NEED,
            "description": "康复室里偏瘫老人多，希望有外骨骼帮助他们重新练习走路。",
            "domain": "civil_affairs",
            "categories": ["rehab_training"],
            "region": "青岛市",
        }
    ],
    "capabilities": [
        {
            "ref": "kangtu-exo-01",
            "organization": "kangtu",
            "title": EXOSKELETON,
            "description": "帮助偏瘫患者进行步行训练，可调节步态，适合康复科和养老机构。",
            "domains": ["civil_affairs", "healthcare"],
            "categories": ["rehab_training"],
            "robot_type": "exoskeleton",
            "service_regions": ["全国"],
            "maturity": "mass_production",
        },
        {
            "ref": "kangtu-meal-01",
            "organization": "kangtu",
            "title": MEAL_ROBOT,
            "description": "自主乘电梯，把饭菜和药品送到养老院各楼层房间。",
            "domains": ["civil_affairs"],
            "categories": ["material_delivery"],
            "robot_type": "care_robot",
            "service_regions": ["全国"],
            "maturity": "mass_production",
        },
    ],
}


@pytest.fixture
def numbered(yihe: Organization, kangtu: Organization) -> dict[str, Organization]:
    """The two organisations as the import file names them."""
    yihe.ref, kangtu.ref = "yihe", "kangtu"
    yihe.save()
    kangtu.save()
    return {"yihe": yihe, "kangtu": kangtu}


class Api:
    """One program's connection: its base URL and, once it has one, its token."""

    def __init__(self, base: str) -> None:
        self.base = f"{base}/api/v1"
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = "zh-hans"

    def sign_in(self, email: str, password: str) -> str:
        response = self.post("/auth/token/", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        token: str = response.json()["token"]
        self.session.headers["Authorization"] = f"Token {token}"
        return token

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(f"{self.base}{path}", timeout=TIMEOUT_SECONDS, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.post(f"{self.base}{path}", timeout=TIMEOUT_SECONDS, **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = getattr(self, method)(path, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.text}"
        return response.json()


@pytest.fixture
def programs(live_server: Any) -> Iterator[tuple[Api, Api, Api]]:
    """Three programs (the institution's, the vendor's, the organiser's), hung up afterwards so
    no kept-alive connection outlives the server."""
    apis = (Api(live_server.url), Api(live_server.url), Api(live_server.url))
    yield apis
    for api in apis:
        api.session.close()


@pytest.mark.usefixtures("eager_tasks", "model_path", "taxonomy", "alice", "bob", "olga")
def test_a_program_imports_matches_answers_a_lead_and_reads_an_event_schedule(
    programs: tuple[Api, Api, Api], numbered: dict[str, Organization]
) -> None:
    yihe, kangtu = numbered["yihe"], numbered["kangtu"]
    institution, vendor, organiser = programs

    # when each signs in with email and password
    tokens = [
        institution.sign_in("alice@yihe.example.com", PASSWORD),
        vendor.sign_in("bob@kangtu.example.com", PASSWORD),
        organiser.sign_in("olga@office.example.com", PASSWORD),
    ]

    # then each has a token of its own, and it identifies the caller
    assert len(set(tokens)) == 3
    assert institution.ok("get", "/organizations/me/")["name"] == "颐和苑养老中心"
    assert vendor.ok("get", "/organizations/me/")["name"] == "康途机器人"

    # when the organiser uploads the catalogue
    upload = json.dumps(CATALOG, ensure_ascii=False).encode()
    job = organiser.ok(
        "post",
        "/imports/",
        status=202,
        files={"file": ("catalog.json", upload, "application/json")},
    )

    # and polls its status until the job has finished
    for _poll in range(POLLS):
        progress = organiser.ok("get", f"/imports/{job['id']}/")
        if progress["status"] in ("succeeded", "failed"):
            break
        time.sleep(POLL_PAUSE_SECONDS)
    else:
        pytest.fail(f"the import was still {progress['status']} after {POLLS} polls")

    # then every row was written
    assert progress == {
        "id": job["id"],
        "status": "succeeded",
        "status_display": "已完成",
        "processed_rows": 3,
        "total_rows": 3,
        "progress_percent": 100,
        "errors": [],
        "summary": {"created": {"needs": 1, "capabilities": 2}, "updated": {}},
    }

    # when the sweep has embedded the new rows, and the institution reads its need's matches
    embeddings_refresh_task.delay()
    needs = institution.ok("get", "/needs/", params={"organization": yihe.pk})["results"]
    assert [need["title"] for need in needs] == [NEED]
    need_id = needs[0]["id"]
    matches = institution.ok("get", f"/needs/{need_id}/matches/")

    # then the exoskeleton ranks first, with its reasons, above the meal robot
    assert [
        (match["rank"], match["capability"]["title"], match["capability"]["organization"])
        for match in matches
    ] == [(1, EXOSKELETON, "康途机器人"), (2, MEAL_ROBOT, "康途机器人")]
    best, other = matches
    assert best["eligible"] is True
    assert best["score"] > other["score"]
    assert best["aspects"]

    # when the vendor opens its inbox and answers the lead on the need
    inbox = vendor.ok("get", "/leads/")["results"]
    lead = next(lead for lead in inbox if lead["need"]["id"] == need_id)
    assert (lead["capability"]["title"], lead["status"], lead["source"]) == (
        EXOSKELETON,
        "new",
        "matcher",
    )
    answered = vendor.ok("post", f"/leads/{lead['id']}/respond/", data={"message": RESPONSE})

    # then the lead says so, and the institution reads the answer
    assert (answered["status"], answered["message"]) == ("interested", RESPONSE)
    seen = institution.ok("get", f"/leads/{lead['id']}/")
    assert (seen["status"], seen["message"], seen["vendor"]["name"]) == (
        "interested",
        RESPONSE,
        "康途机器人",
    )

    # when the organiser creates an event with one 30-minute slot and one table, registers both
    # organisations, and generates and publishes the schedule
    event = organiser.ok(
        "post",
        "/events/",
        status=201,
        json={
            "name": EVENT,
            "date": timezone.localdate().isoformat(),
            "venue": "青岛国际会议中心",
            "district": "崂山区",
            "domains": ["civil_affairs"],
            "starts_at": "14:00",
            "ends_at": "14:30",
            "meeting_minutes": 30,
            "tables": [{"name": "A区1号桌"}],
            "min_vendors_per_demand": 1,
        },
    )
    url = f"/events/{event['id']}/"
    demand = organiser.ok(
        "post",
        f"{url}participants/",
        status=201,
        json={"organization": yihe.pk, "needs": [need_id]},
    )
    supplier = organiser.ok(
        "post",
        f"{url}participants/",
        status=201,
        json={"organization": kangtu.pk, "capabilities": [lead["capability"]["id"]]},
    )
    shortlist = organiser.ok("post", f"{url}shortlist/generate/")
    assert [(pair["demand"]["id"], pair["vendor"]["id"]) for pair in shortlist["pairs"]] == [
        (demand["id"], supplier["id"])
    ]
    draft = organiser.ok("post", f"{url}schedule/generate/")
    assert (draft["unscheduled"], len(draft["meetings"])) == ([], 1)
    published = organiser.ok("post", f"{url}schedule/publish/")
    assert published["schedule_status"] == "published"

    # then each side reads the one meeting in its schedule: who, when, where and about what
    agendas = {
        name: api.ok("get", f"{url}meetings/")["results"]
        for name, api in (("institution", institution), ("vendor", vendor))
    }
    assert [m["id"] for m in agendas["institution"]] == [m["id"] for m in agendas["vendor"]]
    (meeting,) = agendas["institution"]
    assert (meeting["start"], meeting["end"], meeting["table"]["name"]) == (
        "14:00",
        "14:30",
        "A区1号桌",
    )
    assert meeting["demand"]["organization"]["name"] == "颐和苑养老中心"
    assert meeting["vendor"]["organization"]["name"] == "康途机器人"
    assert meeting["need"]["id"] == need_id
    detail = vendor.ok("get", f"{url}meetings/{meeting['id']}/")
    assert detail["id"] == meeting["id"]
    assert detail["table"]["name"] == "A区1号桌"
