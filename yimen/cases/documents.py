"""A case's documents: the receipt (受理回执: the case code, what was received and when, by whom,
and a QR code to the public lookup page) and the 督办单, described as `core.documents.Paper`s and
rendered by its one DOCX/PDF path like every other document, and the issued documents stored on
the case."""

import hashlib
from collections.abc import Callable
from datetime import datetime

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from yimen.cases import rules
from yimen.cases.models import Case, CaseDocument, SupervisionOrder
from yimen.core.documents import DOCX, PDF, Fields, Heading, Paper, Para, Qr, docx_bytes, pdf_bytes


def receipt_paper(*, case: Case, lookup_url: str) -> Paper:
    """受理回执 for the citizen: code, kind, category, title, channel, received time, first
    receiving unit, the statutory deadlines where there are any, and a QR code to `lookup_url`
    (/public/cases/<token>/) with the link written beside it for those who cannot scan. A
    confidential or private matter's receipt prints neither title nor category
    (rules.receipt_withholds_matter)."""
    if rules.receipt_withholds_matter(case):
        matter = [("事项内容", "保密事项，回执不载明内容。")]
    else:
        matter = [
            ("事项种类", case.get_kind_display()),
            ("事项类别", str(case.category) if case.category else "—"),
            ("事项标题", case.title),
        ]
    rows = [
        *matter,
        ("来源渠道", case.get_channel_display()),
        ("收到时间", timezone.localtime(case.received_at).strftime("%Y年%m月%d日 %H:%M")),
        ("受理单位", case.first_unit.name),
    ]
    if case.accept_deadline:
        rows.append(("告知期限", timezone.localtime(case.accept_deadline).strftime("%Y年%m月%d日")))
    if case.deadline:
        rows.append(("办理期限", timezone.localtime(case.deadline).strftime("%Y年%m月%d日 %H:%M")))
    notes = [
        "请妥善保管本回执。扫描左侧二维码，或访问：",
        lookup_url,
        "可随时查询办理进度；办结后可对办理结果进行评价。",
        "查询页面不显示任何个人信息。",
    ]
    return Paper(
        title="受理回执",
        issuer=case.first_unit.name,
        blocks=[Heading(f"案件编码（一案一码）：{case.code}"), Fields(rows), Qr(lookup_url, notes)],
        footer=f"打印时间：{timezone.localtime().strftime('%Y-%m-%d %H:%M')}",
    )


def order_paper(order: SupervisionOrder, *, issuer: str) -> Paper:
    """督办单 (粤平安): its number, the case, the unit that must correct, the typed reason, what
    the supervisor wrote and the correction deadline, and where the unit answers."""
    case = order.case
    rows = [
        ("案件编码", case.code),
        ("事项标题", case.title),
        ("责任单位", order.unit.name),
        ("督办类别", order.get_kind_display()),
        ("督办事由", order.get_reason_type_display()),
        ("整改期限", timezone.localtime(order.correct_by).strftime("%Y年%m月%d日 %H:%M")),
        ("督办人", order.issued_by_name),
    ]
    blocks = [Heading(f"{order.unit.name}："), Fields(rows)]
    if order.text:
        blocks.append(Para(f"督办意见：{order.text}"))
    blocks.append(
        Para(
            f"请于{timezone.localtime(order.correct_by).strftime('%Y年%m月%d日')}前完成整改，"
            f"并在平台案件页面反馈整改情况（{order.number}）。逾期未反馈的，予以通报。"
        )
    )
    return Paper(
        title="督办单",
        issuer=issuer,
        number=order.number,
        dated=timezone.localtime(order.issued_at).date(),
        blocks=blocks,
    )


def document_file(*, case: Case, kind: str, fmt: str, member, absolute: Callable[[str], str]) -> tuple[bytes, str, str]:
    """(body, content type, file name) of the latest issue of a case's document of `kind` in
    `fmt` (pdf or docx); the receipt is drawn fresh, with the lookup link made absolute by
    `absolute` (the request's build_absolute_uri), for those who may print it
    (rules.may_print_receipt) — the one staff document that carries the public token. 404 when
    the case has no such document, or it is a receipt the member may not print."""
    if kind == "receipt" and fmt == "pdf" and rules.may_print_receipt(member, case):
        lookup_url = absolute(reverse("cases:public", args=[case.public_token]))
        return pdf_bytes(receipt_paper(case=case, lookup_url=lookup_url)), PDF, f"receipt-{case.code}.pdf"
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
