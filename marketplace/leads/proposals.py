"""The vendor's proposal file as a download, the same for the lead page and the API."""

from __future__ import annotations

from pathlib import PurePath

from django.http import FileResponse, Http404

from marketplace.models import Lead


def proposal_response(lead: Lead) -> FileResponse:
    """The proposal as an attachment named after the lead; 404 if there is none or it is gone."""
    if not lead.proposal:
        raise Http404
    try:
        handle = lead.proposal.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    suffix = PurePath(lead.proposal.name).suffix
    response = FileResponse(handle, as_attachment=True, filename=f"proposal-{lead.pk}{suffix}")
    # A private file: no shared cache or browser keeps a copy after the session ends.
    response["Cache-Control"] = "private, no-store"
    return response
