"""Issuing a document on a case: the DOCX and the PDF of one description, stored as issued."""

from django.db import transaction
from django.utils import timezone

from yimen.cases.documents import document_rows
from yimen.cases.models import Case, CaseDocument
from yimen.cases.rules import require_involved
from yimen.core.documents import Paper
from yimen.org.models import Membership


@transaction.atomic
def case_document_issue(*, case: Case, kind: str, paper: Paper, actor: Membership) -> list[CaseDocument]:
    """Store `paper` as DOCX and PDF under `kind` (agreement, acceptance_notice, handling_opinion
    …), issued by `actor`, whose unit must be on the case — its first receiver, a seat over its
    area or a unit it is assigned to (403 otherwise), as for attachments: every issued copy is
    readable by all who may open the case, so no one else may add to it. Called inside the
    step that issues it (the agreement, the acceptance notice), which checked its own rules and
    whose one timeline event records the issue; it writes no event of its own."""
    require_involved(actor, case, "出具文书")
    return CaseDocument.objects.bulk_create(document_rows(case, kind, paper, issued_at=timezone.now(), by=actor.user))
