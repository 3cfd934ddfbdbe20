"""The receipt (受理回执) as a PDF: the case code, what was received and when, by whom, and a QR
code to the public lookup page. The CJK TrueType font is embedded (reportlab's STSong-Light is
not, and shows boxes on machines without Chinese fonts); its path is the setting YIMEN_CJK_FONT."""

import hashlib
from collections.abc import Callable
from datetime import datetime
from io import BytesIO

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from yimen.cases import rules
from yimen.cases.models import Case, CaseDocument
from yimen.core.documents import DOCX, PDF, Paper, cjk_font, docx_bytes, draw_qr, pdf_bytes


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if ch == "\n" or pdfmetrics.stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = "" if ch == "\n" else ch
        else:
            line += ch
    return [*lines, line] if line else lines


def receipt_pdf(*, case: Case, lookup_url: str) -> bytes:
    """受理回执 for the citizen: code, kind, title, received time, first receiving unit, the
    statutory deadline where there is one, and a QR code to `lookup_url` (/public/cases/<token>/)."""
    font = cjk_font()
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"受理回执 {case.code}")
    pdf.setAuthor(case.first_unit.name)
    width, height = A4
    left, y = 25 * mm, height - 30 * mm
    pdf.setFont(font, 20)
    pdf.drawCentredString(width / 2, y, f"{case.first_unit.name}")
    y -= 12 * mm
    pdf.drawCentredString(width / 2, y, "受 理 回 执")
    y -= 16 * mm
    pdf.setFont(font, 14)
    pdf.drawString(left, y, f"案件编码（一案一码）：{case.code}")
    y -= 10 * mm
    pdf.setFont(font, 12)
    received = timezone.localtime(case.received_at).strftime("%Y年%m月%d日 %H:%M")
    rows = [
        ("事项种类", case.get_kind_display()),
        ("事项类别", str(case.category) if case.category else "—"),
        ("事项标题", case.title),
        ("来源渠道", case.get_channel_display()),
        ("收到时间", received),
        ("受理单位", case.first_unit.name),
    ]
    if case.accept_deadline:
        rows.append(("告知期限", timezone.localtime(case.accept_deadline).strftime("%Y年%m月%d日")))
    if case.deadline:
        rows.append(("办理期限", timezone.localtime(case.deadline).strftime("%Y年%m月%d日 %H:%M")))
    for label, value in rows:
        wrapped = _wrap(value, font, 12, width - 2 * left - 28 * mm) or [""]
        pdf.drawString(left, y, f"{label}：")
        for line in wrapped:
            pdf.drawString(left + 28 * mm, y, line)
            y -= 8 * mm
    y -= 6 * mm
    size = 40 * mm
    draw_qr(pdf, lookup_url, left, y - size, size)
    pdf.setFont(font, 11)
    notes = [
        "请妥善保管本回执。扫描左侧二维码，或访问：",
        lookup_url,
        "可随时查询办理进度；办结后可对办理结果进行评价。",
        "查询页面不显示任何个人信息。",
    ]
    ny = y - 6 * mm
    for line in notes:
        for part in _wrap(line, font, 11, width - left - (left + size + 8 * mm)):
            pdf.drawString(left + size + 8 * mm, ny, part)
            ny -= 6.5 * mm
    y -= size + 14 * mm
    pdf.setFont(font, 10)
    pdf.drawString(left, y, f"打印时间：{timezone.localtime().strftime('%Y-%m-%d %H:%M')}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def document_file(*, case: Case, kind: str, fmt: str, member, absolute: Callable[[str], str]) -> tuple[bytes, str, str]:
    """(body, content type, file name) of the latest issue of a case's document of `kind` in
    `fmt` (pdf or docx); the receipt is drawn fresh, with the lookup link made absolute by
    `absolute` (the request's build_absolute_uri), for those who may print it
    (rules.may_print_receipt) — the one staff document that carries the public token. 404 when
    the case has no such document, or it is a receipt the member may not print."""
    if kind == "receipt" and fmt == "pdf" and rules.may_print_receipt(member, case):
        lookup_url = absolute(reverse("cases:public", args=[case.public_token]))
        return receipt_pdf(case=case, lookup_url=lookup_url), PDF, f"receipt-{case.code}.pdf"
    document = case.documents.filter(kind=kind, format=fmt).order_by("-issued_at", "-id").first()
    if document is None:
        raise Http404("没有这份文书。")
    content_type = DOCX if fmt == CaseDocument.Format.DOCX else PDF
    return bytes(document.content), content_type, f"{kind}-{case.code}.{fmt}"


def document_rows(case: Case, kind: str, paper: Paper, *, issued_at: datetime, by=None) -> list[CaseDocument]:
    """`paper` rendered as DOCX and PDF, as unsaved rows: saved by `case_document_issue` (a step
    issuing it now), or by a demo builder writing history with its own times."""
    rows = []
    for fmt, render in ((CaseDocument.Format.DOCX, docx_bytes), (CaseDocument.Format.PDF, pdf_bytes)):
        body = render(paper)
        rows.append(
            CaseDocument(
                case=case,
                kind=kind,
                title=paper.title,
                format=fmt,
                content=body,
                sha256=hashlib.sha256(body).hexdigest(),
                issued_at=issued_at,
                issued_by=by,
            )
        )
    return rows
