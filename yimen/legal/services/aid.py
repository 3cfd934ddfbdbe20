"""The legal-aid steps (中华人民共和国法律援助法). Each is one transaction: the permission and the
unit's relation to the case (403), the file's version and stage (409), the fields (422); each
appends one timeline event on the case. The case's own steps (accept, dispatch, sign, reply,
review) stay the case engine's; these record what the statute adds.

Clocks (art. 43 ¶1): the decision within 7 days of receiving the application, the assignment
within 3 days of the decision to grant, both counted by the catalogue's deadline policies
(`legal_aid.decide`, `legal_aid.assign`) over the holiday calendar (yimen.core.deadlines: the
start day is not counted, a last day on a holiday moves to the next working day). A late step is
still taken — the applicant must not lose aid because the office was slow — and is flagged."""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yimen.cases import timeline
from yimen.cases.deadlines import policy_deadline
from yimen.cases.extensions import IntakeDraft
from yimen.cases.models import Case, DeadlinePolicy, Kind
from yimen.cases.rules import require_involved
from yimen.cases.services import case_document_issue
from yimen.core.errors import Conflict, Invalid
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.legal import papers
from yimen.legal.models import Exemption, KeyGroup, LegalAidFile, Urgency
from yimen.org.models import Membership

DECIDE_POLICY, ASSIGN_POLICY = "legal_aid.decide", "legal_aid.assign"
OPEN_STATES = Case.WORKING  # accepted … replied: the application is being handled
MISSING_BASIS = "未做经济困难状况核查，也未选择免予核查的情形（法律援助法第三十二条、第四十二条），不能作出决定。"


def due(policy_code: str, start):
    return policy_deadline(DeadlinePolicy.objects.get(code=policy_code), start)


@transaction.atomic
def legal_aid_file_open(*, case: Case) -> LegalAidFile:
    """The file of a just-registered legal-aid application, its 7-day decision clock running
    from the case's receipt (法律援助法 art. 43). Runs in case_register's transaction; the
    case's `register` event records the application."""
    return LegalAidFile.objects.create(case=case, matter=case.title, decide_due=due(DECIDE_POLICY, case.received_at))


def legal_aid_intake_check(draft: IntakeDraft) -> Callable[[Case], LegalAidFile] | None:
    """The legal-aid hook on case_register (registered in apps.py): a legal_aid case gets its file."""
    if draft.kind != Kind.LEGAL_AID:
        return None
    return lambda case: legal_aid_file_open(case=case)


def _file(case: Case) -> LegalAidFile:
    """The case's file, opened now for an application registered before the legal app existed."""
    if case.kind != Kind.LEGAL_AID:
        raise Conflict("该件不是法律援助申请。", code="not_legal_aid")
    aid = LegalAidFile.objects.filter(case=case).first()
    return aid or legal_aid_file_open(case=case)


def _require_office(actor: Membership, case: Case, label: str) -> None:
    """The legal-aid body's work: a judicial office handler whose unit is on the case."""
    require_permission(actor, "legal_aid.decide")
    require_involved(actor, case, label)
    if case.state not in OPEN_STATES:
        raise Conflict(f"案件当前状态为“{Case.State(case.state).label}”，不能{label}。", code="wrong_state")


def _bump(aid: LegalAidFile, version: int | None, **updates) -> LegalAidFile:
    """The file's conditional UPDATE: a stale version is refused (409); None skips the check (an
    API caller that sends none, API.md's decision body)."""
    rows = LegalAidFile.objects.filter(pk=aid.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if rows.update(version=F("version") + 1, **updates) != 1:
        current = LegalAidFile.objects.filter(pk=aid.pk).values_list("version", flat=True).get()
        raise Conflict(f"法律援助档案已被他人更新（当前版本 {current}），请刷新后重试。", code="stale_version")
    aid.refresh_from_db()
    return aid


def _event(case: Case, action: str, actor: Membership, note: str, **data) -> None:
    timeline.record(case, action, actor=actor, note=note, data=data)


def _money(value, field: str, label: str, errors: dict, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(f"请填写{label}。")
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        errors.setdefault(field, []).append(f"{label}须为数字。")
        return None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e9"):
        errors.setdefault(field, []).append(f"{label}须为不小于 0 的金额。")
        return None
    return amount.quantize(Decimal("0.01"))


def _key_groups(values, errors: dict) -> list[str]:
    values = list(dict.fromkeys(values or []))
    unknown = [v for v in values if v not in KeyGroup.values]
    if unknown:
        errors.setdefault("key_groups", []).append(f"没有这种重点对象：{'、'.join(map(str, unknown))}。")
    return [v for v in values if v in KeyGroup.values]


@transaction.atomic
def legal_aid_means_check(
    *,
    case: Case,
    actor: Membership,
    version: int | None,
    monthly_income,
    assets,
    income_standard,
    assets_standard=None,
    key_groups: list[str] | None = None,
) -> LegalAidFile:
    """经济困难状况核查 (法律援助法 arts. 34, 41): the household's income per head and its assets
    against the local standard, with the key-group flags; before the decision, once or again."""
    _require_office(actor, case, "核查经济困难状况")
    aid = _file(case)
    if aid.granted is not None:
        raise Conflict("已作出决定，不再核查经济困难状况。", code="decided")
    errors: dict[str, list[str]] = {}
    income = _money(monthly_income, "monthly_income", "家庭人均月收入", errors)
    owned = _money(assets, "assets", "家庭财产", errors)
    standard = _money(income_standard, "income_standard", "当地经济困难标准", errors)
    owned_limit = _money(assets_standard, "assets_standard", "家庭财产限额", errors, required=False)
    groups = _key_groups(key_groups, errors)
    if errors:
        raise Invalid("经济困难状况核查填写有误。", errors=errors)
    eligible = income <= standard and (owned_limit is None or owned <= owned_limit)
    _bump(
        aid,
        version,
        monthly_income=income,
        assets=owned,
        income_standard=standard,
        assets_standard=owned_limit,
        key_groups=groups,
        means_checked_at=timezone.now(),
        means_eligible=eligible,
    )
    verdict = "符合" if eligible else "不符合"
    _event(
        case,
        "legal_aid_means",
        actor,
        f"人均月收入 {income} 元，标准 {standard} 元：{verdict}经济困难标准",
        eligible=eligible,
    )
    return aid


@transaction.atomic
def legal_aid_provide_first(
    *, case: Case, actor: Membership, version: int | None, urgency: str, note: str
) -> LegalAidFile:
    """先行提供法律援助 (法律援助法 art. 44): on receiving the application, when a limitation or time
    limit ends within 7 days, or a preservation measure or 先予执行 must be applied for at once,
    aid is given before the decision and the applicant completes the formalities afterwards. A
    lawyer may then be assigned at once; the 3-day assignment clock runs from this step."""
    _require_office(actor, case, "先行提供法律援助")
    aid = _file(case)
    errors: dict[str, list[str]] = {}
    if urgency not in Urgency.values:
        errors["urgency"] = ["请选择先行提供的情形（法律援助法第四十四条）。"]
    note = clean_text(note, "note", "紧急情况说明", limit=1000, errors=errors)
    if errors:
        raise Invalid("先行提供法律援助填写有误。", errors=errors)
    if aid.provided_first_at or aid.granted is not None:
        raise Conflict("已先行提供或已作出决定，无需先行提供。", code="already_providing")
    now = timezone.now()
    _bump(aid, version, urgency=urgency, provided_first_at=now, assign_due=due(ASSIGN_POLICY, now))
    _event(case, "legal_aid_first", actor, f"{Urgency(urgency).label}：{note}", urgency=urgency)
    return aid


@transaction.atomic
def legal_aid_decide(
    *, case: Case, actor: Membership, version: int | None, granted: bool, reason: str, exemption: str = ""
) -> LegalAidFile:
    """给予/不予法律援助的决定 (法律援助法 art. 43 ¶1): within 7 days of the application; a
    refusal in writing with its reason and the remedy of art. 49. It needs a basis: the means
    check, or an exemption — art. 32 (no economic condition at all) or art. 42 (the means check
    waived) — and a grant on the means check needs the check passed. After the 7 days the
    decision is still taken and flagged late. Issues the decision as DOCX and PDF."""
    _require_office(actor, case, "作出法律援助决定")
    aid = _file(case)
    if aid.granted is not None:
        raise Conflict(f"已于{papers.day(aid.decided_at)}作出决定，不再重复决定。", code="decided")
    errors: dict[str, list[str]] = {}
    exemption = (exemption or "").strip()
    if exemption and exemption not in Exemption.values:
        errors["exemption"] = ["没有这种免予核查的情形（法律援助法第三十二条、第四十二条）。"]
    reason = clean_text(reason, "reason", "决定理由", limit=2000, errors=errors)
    if errors:
        raise Invalid("法律援助决定填写有误。", errors=errors)
    if not exemption and aid.means_checked_at is None:
        raise Invalid(MISSING_BASIS, code="means_check_missing", errors={"means_check": [MISSING_BASIS]})
    if granted and not exemption and not aid.means_eligible:
        message = "经济困难状况核查结果不符合当地标准，且无免予核查的情形，不能给予法律援助。"
        raise Invalid(message, code="means_not_met", errors={"means_check": [message]})
    now = timezone.now()
    late = now > aid.decide_due
    _bump(
        aid,
        version,
        granted=granted,
        decision_reason=reason,
        exemption=exemption,
        decided_at=now,
        decided_late=late,
        assign_due=(aid.assign_due or due(ASSIGN_POLICY, now)) if granted else aid.assign_due,
    )
    paper = papers.decision_paper(case=case, aid=aid, issuer=actor.unit.name)
    case_document_issue(case=case, kind=papers.GRANT_KIND if granted else papers.REFUSAL_KIND, paper=paper, actor=actor)
    word = "给予法律援助" if granted else "不予法律援助"
    _event(
        case,
        "legal_aid_decision",
        actor,
        f"{word}：{reason}" + ("（超过七日审查期限）" if late else ""),
        granted=granted,
        exemption=exemption,
        late=late,
        assign_due=timeline.iso(aid.assign_due),
    )
    return aid


@transaction.atomic
def legal_aid_assign(*, case: Case, actor: Membership, version: int | None, lawyer: str) -> LegalAidFile:
    """指派法律援助人员 (法律援助法 art. 43 ¶1): within 3 days of the decision to grant, or at once
    after 先行提供 (art. 44); a late assignment is taken and flagged."""
    _require_office(actor, case, "指派法律援助人员")
    aid = _file(case)
    lawyer = clean_text(lawyer, "lawyer", "法律援助人员", limit=100)
    if not (aid.granted or aid.provided_first_at):
        raise Conflict("尚未决定给予法律援助（或先行提供），不能指派。", code="not_granted")
    if aid.assigned_at:
        raise Conflict(f"已指派{aid.lawyer}。", code="assigned")
    now = timezone.now()
    late = aid.assign_due is not None and now > aid.assign_due
    _bump(aid, version, lawyer=lawyer, assigned_at=now, assigned_late=late)
    _event(case, "legal_aid_assign", actor, lawyer + ("（超过三日指派期限）" if late else ""), late=late)
    return aid


@transaction.atomic
def legal_aid_close(*, case: Case, actor: Membership, version: int | None, result: str) -> LegalAidFile:
    """法律援助结案: the aid given by the assigned lawyer ends with its result (a judgment, a
    settlement, wages paid …). The case itself is then replied and reviewed as any other."""
    _require_office(actor, case, "法律援助结案")
    aid = _file(case)
    result = clean_text(result, "result", "援助结果", limit=2000)
    if not aid.assigned_at:
        raise Conflict("尚未指派法律援助人员，不能结案。", code="not_assigned")
    if aid.closed_at:
        raise Conflict("该法律援助已结案。", code="closed")
    _bump(aid, version, result=result, closed_at=timezone.now())
    _event(case, "legal_aid_close", actor, result)
    return aid
