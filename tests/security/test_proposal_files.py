"""Issue 19, finding 8: proposal files were checked by extension only (an executable named .pdf
and HTML named .png were stored), and their downloads could be cached."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.models import User
from marketplace.models import Lead
from tests.conftest import ClientFor
from tests.marketplace.factories import CapabilityFactory, LeadFactory, NeedFactory

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<html><script>alert(document.cookie)</script></html>"


def _png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (2, 2)).save(output, "PNG")
    return output.getvalue()


@pytest.fixture
def lead(alice: User, bob: User) -> Lead:
    need = NeedFactory.create(organization=alice.organization)
    capability = CapabilityFactory.create(organization=bob.organization)
    return LeadFactory.create(need=need, capability=capability)


HOSTILE = [("方案.pdf", EXE), ("效果图.png", HTML), ("报价.docx", b"PK\x03\x04not a zip")]


@pytest.mark.parametrize(("name", "content"), HOSTILE, ids=["exe as pdf", "html as png", "docx"])
def test_a_proposal_whose_content_is_not_its_type_is_refused_through_the_api(
    lead: Lead, bob: User, client_for: ClientFor, private_root: Path, name: str, content: bytes
) -> None:
    upload = SimpleUploadedFile(name, content)

    response = client_for(bob).post(
        f"/api/v1/leads/{lead.pk}/respond/", {"message": "见附件", "proposal": upload}
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["proposal"][0].startswith("附件内容与扩展名不符")
    assert not list(private_root.rglob("*.*"))


@pytest.mark.parametrize(("name", "content"), HOSTILE, ids=["exe as pdf", "html as png", "docx"])
def test_a_proposal_whose_content_is_not_its_type_is_refused_on_the_web(
    lead: Lead, bob: User, private_root: Path, name: str, content: bytes
) -> None:
    client = Client()
    client.force_login(bob)

    response = client.post(
        reverse("leads:lead_respond", args=[lead.pk]),
        {"message": "见附件", "proposal": SimpleUploadedFile(name, content)},
    )

    assert "附件内容与扩展名不符" in response.content.decode()
    lead.refresh_from_db()
    assert not lead.proposal
    assert not list(private_root.rglob("*.*"))


def test_a_real_png_proposal_is_accepted_and_downloaded_uncached(
    lead: Lead, alice: User, bob: User, client_for: ClientFor
) -> None:
    # given
    upload = SimpleUploadedFile("效果图.png", _png())
    answered = client_for(bob).post(
        f"/api/v1/leads/{lead.pk}/respond/", {"message": "见附件", "proposal": upload}
    )
    page = Client()
    page.force_login(alice)

    # when
    downloads = [
        client_for(alice).get(f"/api/v1/leads/{lead.pk}/proposal/"),
        page.get(reverse("leads:lead_proposal", args=[lead.pk])),
    ]

    # then
    assert answered.status_code == 200
    for response in downloads:
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
