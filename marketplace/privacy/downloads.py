"""An organisation's data export as a download, the same for its page and the API."""

from __future__ import annotations

import io

from django.http import FileResponse

from accounts.models import Organization, User
from marketplace.privacy.services import organization_export


def organization_export_response(organization: Organization, actor: User) -> FileResponse:
    """The export as a private, uncached ZIP attachment."""
    export = organization_export(organization=organization, actor=actor)
    response = FileResponse(
        io.BytesIO(export.content),
        as_attachment=True,
        filename=export.filename,
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response
