"""向上报告 (洞井 分级处置): a red case's report to the county, opened with its deadline when the
case turned red (yimen.cases.tiers.open_upward_report) and filed here once by the centre."""

from django.db import transaction
from django.utils import timezone

from yimen.cases import timeline
from yimen.cases.models import Case, UpwardReport
from yimen.cases.rules import is_responsible
from yimen.cases.services._base import case_touch
from yimen.core.errors import Conflict, NotAllowed
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.org.models import Membership


@transaction.atomic
def case_report_upward(*, case: Case, actor: Membership, text: str) -> UpwardReport:
    """报县综治中心: the dispatcher or the leader over the case files the report its risk tier
    requires (洞井: red → report to the county, with the tier's deadline). 403 without the
    permission or the jurisdiction; 409 when the case owes no report or it was filed; 422
    without its text. One timeline event."""
    require_permission(actor, "case.report_upward")
    if not is_responsible(actor, case):
        raise NotAllowed("案件不在您的管辖范围内，不能向上报告。", code="not_responsible")
    report = UpwardReport.objects.filter(case=case).first()
    if report is None:
        raise Conflict("该案件的风险等级无须向上报告。", code="no_report_owed")
    if report.reported_at is not None:
        raise Conflict("该案件已向上报告。", code="already_reported")
    text = clean_text(text, "text", "报告内容")
    now = timezone.now()
    filed = UpwardReport.objects.filter(pk=report.pk, reported_at=None).update(
        reported_at=now, reported_by=actor.user, reported_by_name=actor.user.name or actor.user.username, text=text
    )
    if filed != 1:  # another seat filed it first
        raise Conflict("该案件已向上报告。", code="already_reported")
    late = report.due_at < now
    case_touch(case, now=now)
    timeline.record(case, "report_upward", actor=actor, note=text, data={"to": report.to, "late": late}, at=now)
    report.refresh_from_db()
    return report
