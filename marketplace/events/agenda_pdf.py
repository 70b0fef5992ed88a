"""Meeting agendas as PDF files: one participant's meetings, or every meeting of an event.

The text is drawn with a CJK TrueType font embedded in the file (``AGENDA_PDF_FONT``, by default
Debian's fonts-wqy-zenhei), so Chinese names print on any printer and can be copied or searched
out of the file. Without that font ReportLab would draw empty boxes, so a missing font file is an
error (``AgendaFontMissing``) rather than a PDF nobody can read.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from accounts.models import User
from marketplace.audit.services import Action, audit_record
from marketplace.events.selectors import (
    MeetingRow,
    meeting_rows,
    participant_meetings,
    schedule_meetings,
)
from marketplace.models import Event, EventParticipant

PDF_CONTENT_TYPE = "application/pdf"


class AgendaFontMissing(Exception):
    """The CJK font file named by ``AGENDA_PDF_FONT`` cannot be read."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"The agenda PDF font {path!r} (setting AGENDA_PDF_FONT) cannot be used: {reason}. "
            "Install Debian's fonts-wqy-zenhei or point AGENDA_PDF_FONT at a TrueType CJK font."
        )
        self.path = path


@functools.cache
def _register_font(path: str) -> str:
    """Register the font once per process and path; return its ReportLab name."""
    if not Path(path).is_file():
        raise AgendaFontMissing(path, "no such file")
    name = f"AgendaCJK-{len(pdfmetrics.getRegisteredFontNames())}"
    # A .ttc holds several faces; the first is the regular one in the WenQuanYi collections.
    options: dict[str, Any] = {"subfontIndex": 0} if path.lower().endswith(".ttc") else {}
    try:
        pdfmetrics.registerFont(TTFont(name, path, **options))
    except Exception as error:  # ReportLab raises TTFError, OSError, struct.error…
        raise AgendaFontMissing(path, str(error)) from error
    return name


def agenda_font() -> str:
    """The registered font name; raises ``AgendaFontMissing`` when the file is unusable."""
    return _register_font(str(settings.AGENDA_PDF_FONT))


def _styles(font: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", fontName=font, fontSize=12, leading=17),
        "meta": ParagraphStyle(
            "meta", fontName=font, fontSize=9, leading=13, textColor=colors.HexColor("#555555")
        ),
        "notice": ParagraphStyle(
            "notice", fontName=font, fontSize=10, leading=14, textColor=colors.HexColor("#9a3412")
        ),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=9, leading=13),
        "head": ParagraphStyle(
            "head", fontName=font, fontSize=9, leading=13, textColor=colors.white
        ),
    }


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    # Names are typed by users: escaped, so "<" or "&" in a name is text, not markup.
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _topic(row: MeetingRow) -> str:
    lines = []
    if row.need:
        lines.append(_("需求：%(title)s") % {"title": row.need.title})
    if row.capability:
        lines.append(_("能力档案：%(title)s") % {"title": row.capability.title})
    return "\n".join(lines) or "—"


def _event_lines(event: Event) -> str:
    place = " · ".join(
        part
        for part in (
            f"{event.date:%Y-%m-%d}",
            event.venue,
            f"{event.city}{event.district}" if event.district else "",
        )
        if part
    )
    return place


def _table(
    header: list[str], rows: list[list[str]], widths: list[float], styles: dict[str, ParagraphStyle]
) -> Table:
    data = [[_paragraph(text, styles["head"]) for text in header]]
    data += [[_paragraph(text, styles["cell"]) for text in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f4e79")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#b0b7c3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f6fa")]),
            ]
        )
    )
    return table


def _build(story: list[Flowable], *, title: str, font: str) -> bytes:
    output = io.BytesIO()
    footer = _("智配 RoboMatch · 生成于 %(when)s") % {
        "when": f"{timezone.localtime():%Y-%m-%d %H:%M}"
    }

    def on_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(document.page))
        canvas.restoreState()

    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="RoboMatch",
    )
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return output.getvalue()


def _draft_notice(event: Event, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    if event.schedule_status == Event.ScheduleStatus.PUBLISHED:
        return []
    return [_paragraph(_("日程尚未发布：这是草稿，参会机构还看不到。"), styles["notice"])]


def participant_agenda_pdf(event: Event, participant: EventParticipant) -> bytes:
    """One participant's meetings in time order: when, where, with whom, about what."""
    font = agenda_font()
    styles = _styles(font)
    rows = meeting_rows(event, participant_meetings(event, participant))
    organization = participant.organization.name
    is_demand = participant.role == EventParticipant.Role.DEMAND
    header = [
        _("时间"),
        _("洽谈桌"),
        _("需求方"),
        _("供应方"),
        _("对接内容"),
    ]
    body = []
    for row in rows:
        other = row.other_side(participant).organization.name
        demand, vendor = (organization, other) if is_demand else (other, organization)
        body.append([row.time_label, row.meeting.table.name, demand, vendor, _topic(row)])
    story: list[Flowable] = [
        _paragraph(organization, styles["title"]),
        _paragraph(_("%(event)s · 会谈日程") % {"event": event.name}, styles["subtitle"]),
        _paragraph(f"{_event_lines(event)} · {participant.get_role_display()}", styles["meta"]),
        Spacer(1, 4 * mm),
        *_draft_notice(event, styles),
    ]
    if body:
        story.append(_table(header, body, [26 * mm, 24 * mm, 36 * mm, 36 * mm, 52 * mm], styles))
    else:
        story.append(_paragraph(_("本次活动没有为贵机构安排会谈。"), styles["cell"]))
    story += [
        Spacer(1, 5 * mm),
        _paragraph(
            _("如需调整，请联系组织方 %(organizer)s。") % {"organizer": event.organizer.name},
            styles["meta"],
        ),
    ]
    return _build(story, title=f"{event.name} · {organization}", font=font)


def event_agenda_pdf(event: Event, *, actor: User) -> bytes:
    """Every meeting of the event in time order, then by table: what the organiser prints for
    the registration desk. The export is recorded in the audit log under ``actor``."""
    font = agenda_font()
    styles = _styles(font)
    rows = meeting_rows(event, schedule_meetings(event))
    header = [_("时间"), _("洽谈桌"), _("需求方"), _("供应方"), _("对接内容")]
    body = [
        [
            row.time_label,
            row.meeting.table.name,
            row.meeting.demand.organization.name,
            row.meeting.vendor.organization.name,
            _topic(row),
        ]
        for row in rows
    ]
    story: list[Flowable] = [
        _paragraph(event.name, styles["title"]),
        _paragraph(_("会谈日程"), styles["subtitle"]),
        _paragraph(_event_lines(event), styles["meta"]),
        Spacer(1, 4 * mm),
        *_draft_notice(event, styles),
    ]
    if body:
        story.append(_table(header, body, [26 * mm, 24 * mm, 36 * mm, 36 * mm, 52 * mm], styles))
    else:
        story.append(_paragraph(_("还没有排入任何会谈。"), styles["cell"]))
    content = _build(story, title=f"{event.name} · {_('会谈日程')}", font=font)
    audit_record(actor=actor, action=Action.EXPORT, target=event, details={"file": "agenda"})
    return content
