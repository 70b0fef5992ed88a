"""The simulated people of bench/load.py: institutions that post needs and read their matches,
vendors that answer leads, both browsing and searching the public pages on the way.

bench/load.py fills ``WORLD`` (accounts, ids and taxonomy read from the fresh database) before
it starts the runner. Each user logs in, then waits for ``STEADY`` so that the measured window
starts with everyone logged in (logging in hashes a password: 50 at once keep the workers
many seconds, which would otherwise swamp every other figure); bench/load.py sets ``DEADLINE``
and ``STEADY`` together, and every user stops by itself once ``DEADLINE`` passes. Released
together, the 50 users would all send their first request in the same instant, a crowd that no
real audience makes and that 2 cores take half a second to clear (in one run, 41 of the 44
requests over 300 ms were in the window's first second); so each user first waits a random part
of one think time, which spreads the users over the cycle as they are spread once running.
Request names carry their group first (``page``, ``match``, ``api``, ``login``), which is how
bench/load.py sums pages and match reads.
"""

from __future__ import annotations

import itertools
import random
import re
import time
from typing import Any

import gevent
from gevent.event import Event
from locust import FastHttpUser, task
from locust.exception import StopUser

# Filled by bench/load.py before the run.
WORLD: dict[str, Any] = {}
DEADLINE = float("inf")
STEADY = Event()
LOGGED_IN: list[str] = []
# Ids of the needs the API answered 201 for, checked against the database after the run.
POSTED_NEED_IDS: list[int] = []

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCH_WORDS = ("送餐", "巡检", "康复", "陪伴", "清洁", "配送机器人", "导览", "养老")
_account_counter = itertools.count()


# Seconds between one user's requests.
THINK_MIN, THINK_MAX = 0.5, 2.0


def _think_time() -> float:
    if time.monotonic() >= DEADLINE:
        raise StopUser()
    return random.uniform(THINK_MIN, THINK_MAX)


class MarketplaceUser(FastHttpUser):
    """Shared by both sides: log in on the web and for the API, browse, search.

    FastHttpUser (geventhttpclient), not HttpUser (python-requests): the users run on the same
    two cores as the server, and the lighter client leaves more of them to what is measured."""

    abstract = True
    kind = ""

    def wait_time(self) -> float:
        return _think_time()

    def on_start(self) -> None:
        accounts = WORLD["accounts"][self.kind]
        self.account = accounts[next(_account_counter) % len(accounts)]
        self.token = ""
        # Token first: once the session cookie is set, DRF's session authentication would ask
        # the token request for a CSRF token.
        self._api_token()
        self._web_login()
        LOGGED_IN.append(self.account["email"])
        STEADY.wait()
        gevent.sleep(random.uniform(0.0, THINK_MAX))

    def _web_login(self) -> None:
        page = self.client.get("/accounts/login/", name="page login form")
        match = CSRF_FIELD.search(page.text or "")
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": match.group(1) if match else "",
                "username": self.account["email"],
                "password": WORLD["password"],
            },
            name="login web",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}, not a redirect")

    def _api_token(self) -> None:
        with self.client.post(
            "/api/v1/auth/token/",
            json={"email": self.account["email"], "password": WORLD["password"]},
            name="login api token",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                self.token = response.json()["token"]
            else:
                response.failure(f"token answered {response.status_code}")

    def _api_headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}", "Accept": "application/json"}

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="page home")

    @task(1)
    def stylesheet(self) -> None:
        # Served by WhiteNoise from inside the gunicorn workers, as in production.
        self.client.get("/static/css/app.css", name="static app.css")

    @task(2)
    def need_list_filtered(self) -> None:
        sample = random.choice(WORLD["need_shapes"])
        params = random.choice(
            (
                {"domain": sample["domain"]},
                {"region": sample["region"]},
                {"domain": sample["domain"], "category": random.choice(sample["categories"])},
                {},
            )
        )
        self.client.get("/needs/", params=params, name="page need list")

    @task(2)
    def need_detail(self) -> None:
        self.client.get(
            f"/needs/{random.choice(WORLD['public_need_ids'])}/", name="page need detail"
        )

    @task(1)
    def capability_list(self) -> None:
        self.client.get("/capabilities/", name="page capability list")

    @task(1)
    def capability_detail(self) -> None:
        pk = random.choice(WORLD["public_capability_ids"])
        self.client.get(f"/capabilities/{pk}/", name="page capability detail")

    @task(1)
    def search(self) -> None:
        self.client.get("/needs/", params={"q": random.choice(SEARCH_WORDS)}, name="page search")


class InstitutionUser(MarketplaceUser):
    """An elder-care institution: posts needs through the API and reads their matches."""

    kind = "institution"
    weight = 3

    def on_start(self) -> None:
        self.posted: list[int] = []
        super().on_start()

    def _own_need_ids(self) -> list[int]:
        return self.account["need_ids"] + self.posted

    @task(1)
    def post_need(self) -> None:
        shape = random.choice(WORLD["need_shapes"])
        number = random.randrange(1_000_000)
        body = {
            "title": f"压测需求 {number}：{shape['title'][:60]}",
            "description": f"{shape['description'][:1500]}（压测 {number}）",
            "domain": shape["domain"],
            "categories": shape["categories"],
            "region": shape["region"],
            "quantity": random.randint(1, 5),
            "submit": True,
        }
        with self.client.post(
            "/api/v1/needs/",
            json=body,
            headers=self._api_headers(),
            name="api post need",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                pk = int(response.json()["id"])
                POSTED_NEED_IDS.append(pk)
                self.posted.append(pk)
            else:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")

    @task(3)
    def matches_api(self) -> None:
        own = self._own_need_ids()
        if own:
            self.client.get(
                f"/api/v1/needs/{random.choice(own)}/matches/",
                headers=self._api_headers(),
                name="match api need matches",
            )

    @task(1)
    def matches_page(self) -> None:
        own = self._own_need_ids()
        if own:
            self.client.get(f"/needs/{random.choice(own)}/matches/", name="match page need matches")

    @task(1)
    def my_needs(self) -> None:
        self.client.get("/needs/mine/", name="page my needs")


class VendorUser(MarketplaceUser):
    """A robot vendor: reads its leads and says it is interested in some."""

    kind = "vendor"
    weight = 2

    @task(1)
    def lead_inbox(self) -> None:
        self.client.get("/leads/", name="page lead inbox")

    @task(3)
    def respond_to_lead(self) -> None:
        # Leads the institution has not acted on: answering them never conflicts with its side.
        listing = self.client.get(
            "/api/v1/leads/",
            params={"demand_decision": "none", "page_size": 50},
            headers=self._api_headers(),
            name="api lead list",
        )
        if listing.status_code != 200:
            return
        open_leads = [
            lead["id"]
            for lead in listing.json().get("results", [])
            if lead.get("status") in ("new", "viewed", "interested")
        ]
        if not open_leads:
            return
        self.client.post(
            f"/api/v1/leads/{random.choice(open_leads)}/respond/",
            data={"message": f"我们可提供试点设备（压测 {random.randrange(1_000_000)}）。"},
            headers=self._api_headers(),
            name="api lead respond",
        )
