"""Issuing a document on a case: the DOCX and the PDF of one description, stored as issued."""

import hashlib

from django.db import transaction
from django.utils import timezone

from yimen.cases.models import Case, CaseDocument
from yimen.core.documents import Paper, docx_bytes, pdf_bytes
from yimen.org.models import Membership


@transaction.atomic
def case_document_issue(*, case: Case, kind: str, paper: Paper, actor: Membership | None) -> list[CaseDocument]:
    """Store `paper` as DOCX and PDF under `kind` (agreement, acceptance_notice, handling_opinion
    …). Called inside the step that issues it (the agreement, the acceptance notice), whose one
    timeline event records the issue; it writes no event of its own."""
    now = timezone.now()
    issued = []
    for fmt, render in ((CaseDocument.Format.DOCX, docx_bytes), (CaseDocument.Format.PDF, pdf_bytes)):
        body = render(paper)
        issued.append(
            CaseDocument.objects.create(
                case=case,
                kind=kind,
                title=paper.title,
                format=fmt,
                content=body,
                sha256=hashlib.sha256(body).hexdigest(),
                issued_at=now,
                issued_by=actor.user if actor else None,
            )
        )
    return issued
