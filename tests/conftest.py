"""The named test world that tests reuse.

- 颐和苑 (``yihe``): an approved elder-care institution in 崂山区, user ``alice``;
- 康途机器人 (``kangtu``): an approved vendor, user ``bob``;
- 对接办 (``office``): the organiser, user ``olga``;
- 新来机构 (``newcomer``): a demand organisation still waiting for review, user ``nina``;
- 另一家供应商 (``rival``): a second approved vendor, user ``victor``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from playwright.sync_api import Browser, sync_playwright
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Organization, User
from marketplace.capabilities.services import capability_create
from marketplace.matches.features_kept import features_forget
from marketplace.models import (
    Capability,
    Certification,
    Domain,
    Need,
    Region,
    RobotType,
    ServiceCategory,
)
from marketplace.needs.services import need_create
from matching import store as search
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.browser import CHROMIUM, CHROMIUM_ARGS, set_expect_timeout

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def file_roots(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> dict[str, Path]:
    """Uploads (MEDIA_ROOT) and proposals (PRIVATE_MEDIA_ROOT) go to fresh folders per test,
    never to the working tree's var/."""
    root = tmp_path_factory.mktemp("files")
    roots = {"media": root / "media", "private": root / "private"}
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = str(roots["media"]), str(roots["private"])
    return roots


@pytest.fixture
def media_root(file_roots: dict[str, Path]) -> Path:
    return file_roots["media"]


@pytest.fixture
def private_root(file_roots: dict[str, Path]) -> Path:
    return file_roots["private"]


@pytest.fixture
def eager_tasks(settings: Any) -> None:
    """Celery tasks run where they are sent, and their errors propagate."""
    # Celery reads its configuration from the Django settings (namespace CELERY) on each access.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    """The embedded index and the kept profile features live per process; tests that roll the
    database back start them anew."""
    search.embedded_reset()
    features_forget()
    yield
    search.embedded_reset()
    features_forget()


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium (see tests/browser.py)."""
    set_expect_timeout()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Run every test in the site's default language, and leave it that way afterwards.

    The active language is per thread, and ``LocaleMiddleware`` activates the language of each
    request without deactivating it after the response, so a test-client request with
    ``Accept-Language: en`` (or a language cookie) leaves English active for whatever runs next
    in the thread: forms rendered outside a request would then come out in English.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def regions(db: None) -> dict[str, Region]:
    country = Region.objects.create(name="全国", level=Region.Level.COUNTRY)
    shandong = Region.objects.create(name="山东省", level=Region.Level.PROVINCE, parent=country)
    guangdong = Region.objects.create(name="广东省", level=Region.Level.PROVINCE, parent=country)
    qingdao = Region.objects.create(name="青岛市", level=Region.Level.CITY, parent=shandong)
    shenzhen = Region.objects.create(name="深圳市", level=Region.Level.CITY, parent=guangdong)
    return {r.name: r for r in (country, shandong, guangdong, qingdao, shenzhen)}


@pytest.fixture
def taxonomy(db: None, regions: dict[str, Region]) -> dict[str, object]:
    civil = Domain.objects.create(
        code="civil_affairs", name_zh="民政", name_en="Civil affairs", order=1
    )
    health = Domain.objects.create(
        code="healthcare", name_zh="医疗康养", name_en="Healthcare", order=8
    )
    delivery = ServiceCategory.objects.create(
        code="material_delivery", domain=civil, name_zh="物资配送", name_en="Delivery"
    )
    rehab = ServiceCategory.objects.create(
        code="rehab_training", domain=civil, name_zh="康复训练", name_en="Rehab training"
    )
    care_robot = RobotType.objects.create(
        code="care_robot", name_zh="护理机器人", name_en="Care robot"
    )
    exo = RobotType.objects.create(code="exoskeleton", name_zh="外骨骼", name_en="Exoskeleton")
    return {
        "civil": civil,
        "health": health,
        "delivery": delivery,
        "rehab": rehab,
        "care_robot": care_robot,
        "exoskeleton": exo,
        "regions": regions,
    }


@pytest.fixture
def yihe(db: None) -> Organization:
    return OrganizationFactory.create(name="颐和苑养老中心", kind="demand", sub_type="elder_care")


@pytest.fixture
def kangtu(db: None) -> Organization:
    return OrganizationFactory.create(name="康途机器人", kind="vendor", sub_type="robot_maker")


@pytest.fixture
def rival(db: None) -> Organization:
    return OrganizationFactory.create(name="另一家供应商", kind="vendor", sub_type="integrator")


@pytest.fixture
def office(db: None) -> Organization:
    return OrganizationFactory.create(name="对接办", kind="organizer", sub_type="city_office")


@pytest.fixture
def newcomer(db: None) -> Organization:
    return OrganizationFactory.create(
        name="新来养老院",
        kind="demand",
        sub_type="elder_care",
        review_status=Organization.ReviewStatus.PENDING,
    )


@pytest.fixture
def alice(yihe: Organization) -> User:
    return UserFactory.create(email="alice@yihe.example.com", full_name="Alice", organization=yihe)


@pytest.fixture
def bob(kangtu: Organization) -> User:
    return UserFactory.create(email="bob@kangtu.example.com", full_name="Bob", organization=kangtu)


@pytest.fixture
def victor(rival: Organization) -> User:
    return UserFactory.create(
        email="victor@rival.example.com", full_name="Victor", organization=rival
    )


@pytest.fixture
def olga(office: Organization) -> User:
    return UserFactory.create(
        email="olga@office.example.com", full_name="Olga", organization=office, is_staff=True
    )


@pytest.fixture
def nina(newcomer: Organization) -> User:
    return UserFactory.create(
        email="nina@newcomer.example.com", full_name="Nina", organization=newcomer
    )


class ClientFor(Protocol):
    def __call__(self, user: User | None, *, language: str = ...) -> APIClient: ...


@pytest.fixture
def kangning(db: None) -> Organization:
    """A second approved elder-care institution: the "other" demand organisation."""
    return OrganizationFactory.create(name="康宁护理院", kind="demand", sub_type="elder_care")


@pytest.fixture
def dan(kangning: Organization) -> User:
    return UserFactory.create(
        email="dan@kangning.example.com", full_name="Dan", organization=kangning
    )


@pytest.fixture
def client_for(db: None) -> ClientFor:
    """An API client sending ``Authorization: Token …`` for the user; anonymous for None."""

    def make(user: User | None, *, language: str = "zh-hans") -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def lead_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lead notifications link to the web page ``leads:lead_detail``. Until that page's
    route exists, link to a stand-in path, so the API's writes can be tested on their own; once
    the route is there this fixture changes nothing."""
    try:
        reverse("leads:lead_detail", args=[1])
    except NoReverseMatch:
        monkeypatch.setattr(
            "marketplace.leads.services._lead_url", lambda lead: f"/leads/{lead.pk}/"
        )


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The model MATCHING_MODEL selects (EmbeddingGemma-300M unless it says otherwise); built
    here if `make test` did not do it already (idempotent)."""
    from matching.model_build import build, source_for

    target = Path(settings.MATCHING_MODEL)
    source = source_for(target)
    assert source is not None, f"MATCHING_MODEL={target} is not a model the build makes"
    build(source, target, verify=False)
    return target


@pytest.fixture
def catalog(taxonomy: dict[str, Any], alice: Any, bob: Any, victor: Any) -> dict[str, Any]:
    """A need for rehab exoskeletons, and profiles that fit it, nearly fit it, or do not."""
    certificate = Certification.objects.create(name="二类医疗器械注册证")
    regions = taxonomy["regions"]
    need = need_create(
        organization=alice.organization,
        created_by=alice,
        fields={
            "title": "中风老人下肢康复训练设备",
            "description": "康复室里偏瘫老人多，希望有外骨骼帮助他们重新练习走路。",
            "domain": taxonomy["civil"],
            "region": regions["青岛市"],
            "budget_max_cny": 300000,
        },
        categories=[taxonomy["rehab"]],
        required_certifications=[certificate],
        submit=True,
    )
    english = need_create(
        organization=alice.organization,
        created_by=alice,
        fields={
            "title": "Meal delivery robot",
            "description": "A robot that carries meal trays to residents' rooms on five floors.",
            "domain": taxonomy["civil"],
            "region": regions["青岛市"],
        },
        submit=True,
    )

    def profile(owner: Any, title: str, description: str, **extra: Any) -> Capability:
        fields = {
            "title": title,
            "description": description,
            "robot_type": extra.pop("robot_type", taxonomy["exoskeleton"]),
            "maturity": Capability.Maturity.MASS_PRODUCTION,
            "price_min_cny": extra.pop("price_min_cny", 150000),
            "price_max_cny": extra.pop("price_max_cny", 250000),
        }
        return capability_create(
            organization=owner.organization,
            created_by=owner,
            fields=fields,
            domains=[taxonomy["civil"], taxonomy["health"]],
            service_regions=[extra.pop("region", regions["全国"])],
            categories=extra.pop("categories", [taxonomy["rehab"]]),
            certifications=extra.pop("certifications", [certificate]),
            publish=True,
        )

    certified = profile(
        bob, "下肢康复外骨骼", "帮助偏瘫患者进行步行训练，可调节步态，适合康复科和养老机构。"
    )
    uncertified = profile(
        victor, "下肢外骨骼机器人", "偏瘫患者步行康复训练外骨骼，步态可调。", certifications=[]
    )
    delivery = profile(
        victor,
        "送餐机器人",
        "自主乘电梯，把饭菜和药品送到养老院各楼层房间。",
        robot_type=taxonomy["care_robot"],
        categories=[taxonomy["delivery"]],
        certifications=[],
        price_min_cny=30000,
        price_max_cny=50000,
    )
    return {
        "need": need,
        "english": english,
        "certified": certified,
        "uncertified": uncertified,
        "delivery": delivery,
    }


@pytest.fixture
def embedded(catalog: dict[str, Any], model_path: Path) -> dict[str, Any]:
    from marketplace.matches.embeddings import embeddings_refresh
    from marketplace.matches.lists import match_lists_refresh_due

    embeddings_refresh()
    match_lists_refresh_due()  # what the worker stores next: the pages read these lists
    assert not Need.objects.filter(embedding_dirty=True).exists()
    return catalog
