"""The petition office's steps (信访工作条例). At registration: the petition record of a new
petition (`petition_record_open`), the 复查 request (`petition_review_request`, art. 35) and the
复核 request (`petition_rereview_request`, art. 36); the rules in rules.py decide, these write.
Then the written steps: the acceptance notice (受理告知书), the
handling, 复查 and 复核 opinions (处理意见书 / 复查意见书 / 复核意见书) and the extension notice
(延期告知书). Each is one transaction: permission and relation (403), the case's state and the
record's version (409), the fields (422); it stores the document as DOCX and PDF on the case and
appends one timeline event. The case's own steps (accept, dispatch, 退单 as the art. 23 objection,
reply, extend within 30 days) stay the case engine's."""

from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yimen.cases import timeline
from yimen.cases.extensions import IntakeDraft
from yimen.cases.models import Assignment, Case, Party
from yimen.cases.rules import is_responsible
from yimen.cases.services import case_document_issue
from yimen.core.errors import Conflict, DomainError, NotAllowed
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.org.models import Membership
from yimen.petitions import papers
from yimen.petitions.models import AccusedPerson, PetitionRecord
from yimen.petitions.rules import FORM_OF_CHANNEL, OPINION_NAME, PetitionIntake, petition_intake_decide, request_until

S = Case.State
Level = PetitionRecord.Level
NOT_ACCEPTED = frozenset({S.DECLINED, S.REFERRED})
UNDECIDED = frozenset({S.REGISTERED, S.MERGED})
ANSWERABLE = frozenset({S.IN_PROGRESS, S.REPLIED, S.CLOSED, S.FOLLOWED_UP})


def petition_record(case: Case) -> PetitionRecord:
    record = PetitionRecord.objects.select_related("review_of").filter(case=case).first()
    if record is None:
        raise Conflict("该件没有信访记录（只有信访件才有告知书和意见书）。", code="not_a_petition")
    return record


def _record_write(case: Case, intake: PetitionIntake) -> PetitionRecord:
    """The petition record of a just-registered case and its accused staff links. Runs inside
    case_register's transaction; the case's `register` timeline event records the registration."""
    record = PetitionRecord.objects.create(
        case=case,
        form=FORM_OF_CHANNEL.get(case.channel, PetitionRecord.Form.VISIT),
        is_group=intake.is_group,
        level=intake.level,
        review_of=intake.reviewed,
        repeat_of=intake.repeat[0] if intake.repeat else None,
        repeat_reason=intake.repeat[1] if intake.repeat else "",
    )
    named = {p.name: p for p in case.parties.filter(role=Party.Role.ACCUSED)}
    for user in intake.accused:
        party = named.pop(user.name, None) or Party.objects.create(
            case=case, name=user.name or user.username, role=Party.Role.ACCUSED
        )
        AccusedPerson.objects.create(case=case, party=party, user=user)
    return record


def _expect_level(intake: PetitionIntake, level: str) -> None:
    if intake.level != level:
        # A caller bug, not a user's mistake: the intake decided another level.
        raise ValueError(f"the intake decided level {intake.level!r}, not {level!r}")


@transaction.atomic
def petition_record_open(*, case: Case, intake: PetitionIntake) -> PetitionRecord:
    """The record of a new (original) petition: its form from the channel, whether it is a group
    visit (信访工作条例 art. 20), and the earlier petition it repeats, as the rules decided at
    registration (rules.petition_intake_decide)."""
    _expect_level(intake, Level.ORIGINAL)
    return _record_write(case, intake)


@transaction.atomic
def petition_review_request(*, case: Case, intake: PetitionIntake) -> PetitionRecord:
    """复查申请: the petitioner, dissatisfied with the handling opinion (处理意见书), asks the
    body above the handling one to review it within 30 days of receiving it (信访工作条例 art.
    35). `case` is the request, registered through case_register with `review_of`; the rules
    checked the opinion exists, the 30-day window (holiday rule) and one 复查 per matter. The
    record links the request to the reviewed petition (`review_of`, level 复查); its answer is
    `petition_review_answer`."""
    _expect_level(intake, Level.REVIEW)
    return _record_write(case, intake)


@transaction.atomic
def petition_rereview_request(*, case: Case, intake: PetitionIntake) -> PetitionRecord:
    """复核申请: the petitioner, dissatisfied with the 复查意见书, asks the body above the
    reviewing one to review it again within 30 days of receiving it (信访工作条例 art. 36). As
    `petition_review_request`, one level up; its answer, `petition_rereview_answer`, is final:
    the same matter is not accepted again (art. 36, rules.FINAL)."""
    _expect_level(intake, Level.REREVIEW)
    return _record_write(case, intake)


RECORD_WRITERS: dict[str, Callable[..., PetitionRecord]] = {
    Level.ORIGINAL: petition_record_open,
    Level.REVIEW: petition_review_request,
    Level.REREVIEW: petition_rereview_request,
}


def petition_intake_check(draft: IntakeDraft) -> Callable[[Case], PetitionRecord] | None:
    """The petition hook on case_register (registered in apps.py): the rules decide and refuse
    (rules.petition_intake_decide, 信访工作条例 arts. 20, 35, 36, 46); the step returned writes,
    once the case exists, through the service of the level decided. So `POST /cases` with
    `review_of` is a 复查 or 复核 request."""
    intake = petition_intake_decide(draft)
    if intake is None:
        return None
    writer = RECORD_WRITERS[intake.level]
    return lambda case: writer(case=case, intake=intake)


def _bump(record: PetitionRecord, version: int, **updates) -> None:
    """The record's conditional UPDATE: a stale version is refused (409)."""
    moved = PetitionRecord.objects.filter(pk=record.pk, version=version).update(version=F("version") + 1, **updates)
    if moved != 1:
        current = PetitionRecord.objects.filter(pk=record.pk).values_list("version", flat=True).get()
        raise Conflict(f"信访记录已被他人更新（当前版本 {current}），请刷新后重试。", code="stale_version")
    record.refresh_from_db()


def _state(case: Case) -> str:
    return Case.unscoped.filter(pk=case.pk).values_list("state", flat=True).get()


def _last_note(case: Case, *actions: str) -> str:
    event = case.events.filter(action__in=actions).order_by("-at", "-id").first()
    return event.note if event else ""


@transaction.atomic
def petition_notice_issue(*, case: Case, actor: Membership, version: int) -> PetitionRecord:
    """受理告知书: within 15 days of receipt the petitioner is told in writing whether the matter
    is accepted, by whom it is handled and in what time, or why it is not (信访工作条例 arts.
    22–23). Issued once, by the petition office or the centre responsible for the case, after
    the case was accepted, declined or referred."""
    require_permission(actor, "petition.handle")
    if not is_responsible(actor, case):
        raise NotAllowed("只有首接单位或管辖该案件的派单员可以出具受理告知书。", code="not_responsible")
    record = petition_record(case)
    state = _state(case)
    if state in UNDECIDED:
        label = S(state).label
        raise Conflict(f"案件当前状态为“{label}”，请先受理或不予受理，再出具告知书。", code="wrong_state")
    if record.notice_issued_at:
        raise Conflict(f"已于{papers.day(record.notice_issued_at)}出具告知书，不再重复出具。", code="notice_issued")
    accepted = state not in NOT_ACCEPTED
    now = timezone.now()
    _bump(record, version, notice_issued_at=now, notice_accepted=accepted)
    case.refresh_from_db()
    unit = case.lead_unit or case.first_unit
    notice = papers.Notice(accepted=accepted, reason=_last_note(case, "decline", "refer"), handling_unit=unit.name)
    case_document_issue(
        case=case, kind="acceptance_notice", paper=papers.acceptance_notice(case, record, notice, at=now), actor=actor
    )
    timeline.record(
        case,
        "petition_notice",
        actor=actor,
        from_state=state,
        to_state=state,
        at=now,
        note="受理告知书" if accepted else "不予受理告知书",
        data={"accepted": accepted},
    )
    return record


def _may_answer(actor: Membership, case: Case) -> None:
    """The unit that handles the matter answers it: the lead unit's handler, or the petition
    office / centre responsible for the case (403 otherwise)."""
    leads = Assignment.objects.filter(
        case=case,
        unit_id=actor.unit_id,
        role=Assignment.Role.LEAD,
        state__in=(Assignment.State.SIGNED, Assignment.State.REPLIED),
    )
    if actor.has_perm("case.reply") and leads.exists():
        return
    require_permission(actor, "petition.handle")
    if not is_responsible(actor, case):
        raise NotAllowed("只有主办单位、首接单位或管辖该案件的派单员可以出具意见书。", code="not_responsible")


@transaction.atomic
def petition_opinion_issue(
    *, case: Case, actor: Membership, version: int, facts: str, basis: str, opinion: str, next_body: str = ""
) -> PetitionRecord:
    """处理意见书 / 复查意见书 / 复核意见书 (信访工作条例 arts. 33–36), by the record's level: the
    facts found, the basis and the opinion, with the petitioner's next remedy — 复查 within 30
    days (art. 35), 复核 within 30 days (art. 36) — and the body to apply to, or that a 复核
    answer is final. Its date opens the 30-day window the next request is checked against at
    intake. Once per case, after the acceptance notice, while the case is being handled or after.
    The opinion page and `POST …/petition/opinion` serve every level through this one."""
    return _opinion_issue(
        case=case, actor=actor, version=version, facts=facts, basis=basis, opinion=opinion, next_body=next_body
    )


@transaction.atomic
def petition_review_answer(
    *, case: Case, actor: Membership, version: int, facts: str, basis: str, opinion: str, next_body: str = ""
) -> PetitionRecord:
    """复查意见书: the answer to a 复查 request (`petition_review_request`), within 30 days of its
    acceptance (信访工作条例 art. 35), naming 复核 within 30 days as the next remedy (art. 36).
    As `petition_opinion_issue`; refused (409 wrong_level) on a case that is not a 复查 request."""
    return _opinion_issue(
        case=case,
        actor=actor,
        version=version,
        facts=facts,
        basis=basis,
        opinion=opinion,
        next_body=next_body,
        level=Level.REVIEW,
    )


@transaction.atomic
def petition_rereview_answer(
    *, case: Case, actor: Membership, version: int, facts: str, basis: str, opinion: str, next_body: str = ""
) -> PetitionRecord:
    """复核意见书: the answer to a 复核 request (`petition_rereview_request`), within 30 days of its
    acceptance; it is final, the same matter is not accepted again (信访工作条例 art. 36). As
    `petition_opinion_issue`; refused (409 wrong_level) on a case that is not a 复核 request."""
    return _opinion_issue(
        case=case,
        actor=actor,
        version=version,
        facts=facts,
        basis=basis,
        opinion=opinion,
        next_body=next_body,
        level=Level.REREVIEW,
    )


def _opinion_issue(
    *,
    case: Case,
    actor: Membership,
    version: int,
    facts: str,
    basis: str,
    opinion: str,
    next_body: str,
    level: str | None = None,
) -> PetitionRecord:
    """The opinion of any level, or only of `level` when given (the answers' guard)."""
    _may_answer(actor, case)
    record = petition_record(case)
    if level is not None and record.level != level:
        label = Level(level).label
        raise Conflict(f"该件不是{label}申请，不能出具{OPINION_NAME[level]}。", code="wrong_level")
    state = _state(case)
    name = OPINION_NAME[record.level]
    if state not in ANSWERABLE:
        raise Conflict(f"案件当前状态为“{S(state).label}”，签收办理后才能出具{name}。", code="wrong_state")
    if not record.notice_accepted:
        raise Conflict(f"请先出具受理告知书，再出具{name}。", code="notice_missing")
    if record.opinion_issued_at:
        raise Conflict(f"已于{papers.day(record.opinion_issued_at)}出具{name}，不再重复出具。", code="opinion_issued")
    facts = clean_text(facts, "facts", "查明的事实")
    basis = clean_text(basis, "basis", "处理依据")
    opinion = clean_text(opinion, "opinion", "处理意见")
    default_body = {
        Level.ORIGINAL: papers.county_government(case),
        Level.REVIEW: "复查机关的上一级行政机关",
        Level.REREVIEW: "",
    }[record.level]
    next_body = (next_body or "").strip() or default_body
    now = timezone.now()
    _bump(record, version, opinion_issued_at=now, opinion_text=opinion)
    paper = papers.opinion_paper(
        case, record, papers.Opinion(facts, basis, opinion, next_body), issuer=actor.unit.name, at=now
    )
    kind = papers.OPINION_KINDS[record.level]
    case_document_issue(case=case, kind=kind, paper=paper, actor=actor)
    timeline.record(
        case,
        "petition_opinion",
        actor=actor,
        from_state=state,
        to_state=state,
        at=now,
        note=opinion,
        data={"kind": kind, "request_until": timeline.iso(request_until(record))},
    )
    return record


@transaction.atomic
def petition_extension_notify(*, case: Case, actor: Membership, version: int) -> PetitionRecord:
    """延期告知: an extension of a petition's handling (at most 30 days, enforced by the case's
    `extend` step and the petition.handle policy) is told to the petitioner in writing with its
    reasons (信访工作条例 art. 34). One notice per extension."""
    _may_answer(actor, case)
    record = petition_record(case)
    extension = case.events.filter(action="extend").order_by("-at", "-id").first()
    if extension is None:
        raise Conflict("该件没有延期，无需延期告知。", code="not_extended")
    if record.extension_notified_at and record.extension_notified_at >= extension.at:
        raise Conflict("本次延期已告知信访人。", code="extension_notified")
    now = timezone.now()
    _bump(record, version, extension_notified_at=now)
    case.refresh_from_db()
    days = extension.data.get("days", case.extension_days)
    paper = papers.extension_notice(case, record, days=days, reason=extension.note, at=now)
    case_document_issue(case=case, kind="extension_notice", paper=paper, actor=actor)
    state = _state(case)
    timeline.record(
        case,
        "extension_notice",
        actor=actor,
        from_state=state,
        to_state=state,
        at=now,
        note=extension.note,
        data={"days": days, "deadline": timeline.iso(case.deadline)},
    )
    return record


def petition_steps(*, member: Membership, case: Case, record: PetitionRecord) -> set[str]:
    """The written steps the member may take now ("notice", "opinion", "extension_notice"):
    the services' own checks, read without raising, so pages show only these buttons."""
    steps = set()
    if (
        member.has_perm("petition.handle")
        and is_responsible(member, case)
        and case.state not in UNDECIDED
        and not record.notice_issued_at
    ):
        steps.add("notice")
    try:
        _may_answer(member, case)
    except DomainError:
        return steps
    if case.state in ANSWERABLE and record.notice_accepted and not record.opinion_issued_at:
        steps.add("opinion")
    extension = case.events.filter(action="extend").order_by("-at", "-id").values_list("at", flat=True).first()
    if extension and not (record.extension_notified_at and record.extension_notified_at >= extension):
        steps.add("extension_notice")
    return steps
