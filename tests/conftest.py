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
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import Browser, sync_playwright

from accounts.models import Organization, User
from marketplace.matches.features_kept import features_forget
from marketplace.models import Domain, Region, RobotType, ServiceCategory
from matching import store as search
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.browser import CHROMIUM, CHROMIUM_ARGS

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
