"""The vendor's proposal file: what an upload must be, and the file as a download, the same for
the lead page and the API."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from marketplace.models import Lead

PROPOSAL_SUFFIXES = (".pdf", ".doc", ".docx", ".ppt", ".pptx", ".xls", ".xlsx", ".png", ".jpg")
PROPOSAL_MAX_BYTES = 10 * 1024 * 1024


def proposal_check(upload: UploadedFile | None) -> None:
    if upload is None:
        return
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in PROPOSAL_SUFFIXES:
        raise ValidationError(
            {
                "proposal": _("附件格式不支持，请上传 %(types)s 文件。")
                % {"types": _("、").join(s.lstrip(".").upper() for s in PROPOSAL_SUFFIXES)}
            }
        )
    if (upload.size or 0) > PROPOSAL_MAX_BYTES:
        raise ValidationError({"proposal": _("附件不能超过 10 MB。")})
    if not _content_matches(upload, suffix):
        raise ValidationError(
            {
                "proposal": _("附件内容与扩展名不符：请上传真正的 %(type)s 文件。")
                % {"type": suffix.lstrip(".").upper()}
            }
        )


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .ppt, .xls
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG"}


def _content_matches(upload: UploadedFile, suffix: str) -> bool:
    """What the bytes are, as profile images and spec sheets are checked: an executable or an
    HTML page renamed to .pdf or .png is refused."""
    import zipfile

    from PIL import Image

    from marketplace.common.forms import PDF_MAGIC

    upload.seek(0)
    try:
        head = upload.read(8)
        upload.seek(0)
        if suffix == ".pdf":
            return head.startswith(PDF_MAGIC)
        if suffix in (".doc", ".ppt", ".xls"):
            return head == OLE_MAGIC
        if suffix in (".docx", ".pptx", ".xlsx"):
            with zipfile.ZipFile(upload) as archive:
                return "[Content_Types].xml" in archive.namelist()
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
        return image_format == IMAGE_FORMATS.get(suffix)
    except Exception:  # Pillow and zipfile raise many types for bad or hostile files
        return False
    finally:
        upload.seek(0)


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
