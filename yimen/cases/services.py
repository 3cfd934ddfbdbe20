"""Case verbs (DESIGN §6). One function per step, in one transaction. Each checks, in order, the
actor's role permission (403), the actor's unit's relation to the case (403), the case's state
(409) and version (409), then the fields (422); a conditional UPDATE on (version, state) moves
the case, so of two concurrent steps on one case only one succeeds; and each success appends
exactly one timeline event. Pages and the API call these same functions."""

import hashlib
import json
import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from yimen.cases import catalogue
from yimen.cases.deadlines import derived_level, extended, policy_deadline
from yimen.cases.models import (
    LEVEL_NAMES,
    RISK_ORDER,
    Assignment,
    Attachment,
    Case,
    CaseCounter,
    CatalogueRow,
    Channel,
    DeadlinePolicy,
    DispatchCatalogue,
    IdempotencyKey,
    Kind,
    Notification,
    Party,
    PetitionType,
    Risk,
    RiskRule,
    SupervisionLevel,
    TimelineEvent,
)
from yimen.cases.rules import ACTION_LABELS, authorize, is_responsible, sources_for, unit_assignments
from yimen.cases.validators import id_number_valid, mask_id_number, normalise_phone, phone_valid
from yimen.core.calendar import SHANGHAI
from yimen.core.crypto import blind_index, mask_phone, sm4_encrypt
from yimen.core.errors import Conflict, Invalid, NotAllowed, NotFound
from yimen.core.permissions import require_permission
from yimen.geo.locate import locate
from yimen.geo.models import Region
from yimen.org.models import Membership, Unit
from yimen.org.roles import Role
from yimen.org.services import audit_as

logger = logging.getLogger(__name__)

EARLIEST = datetime(2000, 1, 1, tzinfo=SHANGHAI)
CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock may run a little ahead
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Kinds that are about someone: at least one party must be named.
NEEDS_PARTY = frozenset({Kind.DISPUTE, Kind.PETITION, Kind.LEGAL_SERVICE, Kind.LEGAL_AID})
FOLLOW_UP_CAUSES = ("subjective", "objective")  # 主观原因 (our handling) / 客观原因 (law, policy)
REOPEN_AT_OR_BELOW = 2  # an unsatisfied rating (1–2) for a subjective cause reopens the case


class CaseConflict(Conflict):
    """409: the case is not in a state for the step, or was changed since the caller read it."""

    @classmethod
    def wrong_state(cls, state: str, action: str) -> "CaseConflict":
        label = Case.State(state).label
        return cls(f"案件当前状态为“{label}”，不能{ACTION_LABELS[action]}。", code="wrong_state")

    @classmethod
    def stale(cls, current: int) -> "CaseConflict":
        return cls(f"案件已被他人更新（当前版本 {current}），请刷新后重试。", code="stale_version")


# ---------------------------------------------------------------------------------------------
# The shared mechanics: state and version check, the conditional UPDATE, the timeline event.


def _check(case: Case, action: str, version: int, sources: Iterable[str]) -> str:
    """409 unless the case is (still) in one of `sources` at `version`; returns its state."""
    state, current = Case.objects.filter(pk=case.pk).values_list("state", "version").get()
    if state not in sources:
        raise CaseConflict.wrong_state(state, action)
    if current != version:
        raise CaseConflict.stale(current)
    return state


def _apply(
    case: Case,
    action: str,
    *,
    actor: Membership | None,
    version: int,
    from_state: str,
    to_state: str | None,
    updates: dict | None = None,
    note: str = "",
    data: dict | None = None,
    now: datetime | None = None,
) -> Case:
    """Move the case with one conditional UPDATE (stale version or changed state → 409), append
    the action's one timeline event and refresh the case."""
    now = now or timezone.now()
    target = to_state or from_state
    moved = Case.objects.filter(pk=case.pk, version=version, state=from_state).update(
        state=target, version=F("version") + 1, updated_at=now, **(updates or {})
    )
    if moved != 1:
        raise CaseConflict.stale(Case.objects.filter(pk=case.pk).values_list("version", flat=True).get())
    _event(case, action, actor=actor, from_state=from_state, to_state=target, note=note, data=data, at=now)
    case.refresh_from_db()
    return case


def _event(
    case: Case,
    action: str,
    *,
    actor: Membership | None,
    from_state: str,
    to_state: str,
    note: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        actor=actor.user if actor else None,
        actor_name=(actor.user.name or actor.user.username) if actor else "系统",
        unit=actor.unit if actor else None,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )


def _required(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise Invalid(message, errors={field: [message]})
    return text


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


# ---------------------------------------------------------------------------------------------
# 登记 register


@dataclass(frozen=True)
class Registered:
    case: Case
    created: bool  # False: the first answer to a retried Idempotency-Key


def case_register(
    *,
    actor: Membership,
    idempotency_key: str | None = None,
    kind: str,
    title: str,
    description: str = "",
    channel: str,
    region: str,
    location: dict | None = None,
    occurred_at: datetime | None = None,
    received_at: datetime | None = None,
    category: str | None = None,
    risk: str | None = None,
    petition_type: str | None = None,
    accused_units: Sequence[str] = (),
    parties: Sequence[dict] = (),
    group_size: int | None = None,
) -> Registered:
    """登记: register a matter once and give it its code (一案一码) and public token. The actor's
    unit becomes the first receiver (首接); statutory deadlines count from `received_at`; risk
    rules run at intake. With an `idempotency_key`, a retry with the same content returns the
    first case again, and the same key with other content is refused (409)."""
    require_permission(actor, "case.register")
    fields = {
        "kind": kind,
        "title": title,
        "description": description,
        "channel": channel,
        "region": region,
        "location": location,
        "occurred_at": occurred_at,
        "received_at": received_at,
        "category": category,
        "risk": risk,
        "petition_type": petition_type,
        "accused_units": list(accused_units),
        "parties": [dict(p) for p in parties],
        "group_size": group_size,
    }
    with transaction.atomic():
        if idempotency_key:
            first = _idempotency_claim(actor, idempotency_key, _request_hash(fields))
            if first is not None:
                return Registered(first, created=False)
        case = _register(actor=actor, **fields)
        if idempotency_key:
            IdempotencyKey.objects.filter(user=actor.user, key=idempotency_key).update(case=case)
    return Registered(case, created=True)


def _request_hash(fields: dict) -> str:
    def plain(value):
        return value.isoformat() if isinstance(value, datetime) else str(value)

    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=plain)
    return hashlib.sha256(payload.encode()).hexdigest()


def _idempotency_claim(actor: Membership, key: str, digest: str) -> Case | None:
    """Claim the key (None) or return the case its first request created. A concurrent retry
    blocks on the unique index until the first request commits, then finds its case."""
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(user=actor.user, key=key, request_hash=digest)
        return None
    except IntegrityError:
        found = IdempotencyKey.objects.select_related("case").get(user=actor.user, key=key)
    if found.request_hash != digest:
        raise Conflict(
            "该 Idempotency-Key 已用于另一份登记内容，请为新的登记使用新的键。", code="idempotency_key_reused"
        )
    if found.case is None:
        raise Conflict("同一登记正在处理中，请稍后重试。", code="idempotency_in_progress")
    return found.case


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)


def _register(
    *,
    actor: Membership,
    kind: str,
    title: str,
    description: str,
    channel: str,
    region: str,
    location: dict | None,
    occurred_at: datetime | None,
    received_at: datetime | None,
    category: str | None,
    risk: str | None,
    petition_type: str | None,
    accused_units: list[str],
    parties: list[dict],
    group_size: int | None,
) -> Case:
    now = timezone.now()
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in Kind.values:
        err("kind", "种类不正确。")
    if channel not in Channel.values:
        err("channel", "来源渠道不正确。")
    title = (title or "").strip()
    if not title:
        err("title", "请填写标题。")
    place = Region.objects.filter(code=region).first()
    if place is None:
        err("region", "未找到该区划。")
    elif not place.is_within(actor.jurisdiction):
        err("region", f"该区划不在您的管辖范围（{actor.jurisdiction.name}）内。")
    lat = lng = None
    if location is not None:
        lat, lng = location.get("lat"), location.get("lng")
        if not (
            isinstance(lat, int | float) and -90 <= lat <= 90 and isinstance(lng, int | float) and -180 <= lng <= 180
        ):
            err("location", "坐标超出范围（纬度 -90～90，经度 -180～180）。")
            lat = lng = None
    moments = {}
    for field, value in (("occurred_at", occurred_at), ("received_at", received_at)):
        if value is not None:
            value = _aware(value)
            if not EARLIEST <= value <= now + CLOCK_SKEW:
                err(field, "时间须在 2000 年之后，且不能晚于现在。")
            moments[field] = value
    received = moments.get("received_at") or now
    row = None
    if category:
        row = catalogue.catalogue_rows().filter(code=category).first()
        if row is None:
            err("category", "派单目录中没有该类别。")
        elif row.kind != kind:
            err("category", f"该类别属于“{Kind(row.kind).label}”，与案件种类不符。")
    if risk is not None and risk not in Risk.values:
        err("risk", "风险等级须为 red、orange、yellow 或 blue。")
    if petition_type and kind != Kind.PETITION:
        err("petition_type", "只有信访件才有信访类型。")
    elif petition_type and petition_type not in PetitionType.values:
        err("petition_type", "信访类型须为 suggestion、accusation 或 claim。")
    if kind == Kind.PETITION and not petition_type:
        petition_type = PetitionType.CLAIM
    accused = list(Unit.objects.filter(code__in=accused_units))
    if accused_units and petition_type != PetitionType.ACCUSATION:
        err("accused_units", "只有检举控告类信访才能列出被检举控告单位。")
    elif len(accused) != len(set(accused_units)):
        missing = sorted(set(accused_units) - {u.code for u in accused})
        err("accused_units", f"未找到单位：{'、'.join(missing)}。")
    elif actor.unit_id in {u.pk for u in accused}:
        err("accused_units", "本单位被检举控告，须回避，请交由上级或其他单位登记。")
    cleaned_parties = _clean_parties(parties, err)
    if kind in NEEDS_PARTY and not parties:
        err("parties", "请至少填写一名当事人。")
    if group_size is not None and not 1 <= group_size <= 100_000:
        err("group_size", "人数须在 1 到 100000 之间。")
    if errors:
        raise Invalid("登记内容有误，请检查标出的字段。", errors=errors)

    if lat is not None:
        place = _refine(place, lat, lng)
    row = row or _default_row(kind)
    size = group_size or max(1, sum(p["role"] in ("applicant", "representative") for p in cleaned_parties))
    matched, rule_risk = _risk_rules(
        kind=kind, text=f"{title}\n{description}", group_size=size, parties=cleaned_parties, received=received
    )
    final_risk = max([risk or Risk.BLUE, row.risk if row else Risk.BLUE, rule_risk], key=RISK_ORDER.__getitem__)
    case = Case.objects.create(
        code=_next_code(place, received),
        public_token=secrets.token_urlsafe(16),
        kind=kind,
        title=title[:200],
        description=description or "",
        channel=channel,
        region=place,
        region_path=place.path,
        lat=lat,
        lng=lng,
        occurred_at=moments.get("occurred_at"),
        received_at=received,
        category=row,
        policy=row.policy if row else None,
        risk=final_risk,
        petition_type=petition_type or "",
        group_size=size,
        first_unit=actor.unit,
        registered_by=actor.user,
        accept_deadline=policy_deadline(row.intake_policy, received) if row and row.intake_policy else None,
        deadline=policy_deadline(row.policy, received) if row else None,
        created_at=now,
        updated_at=now,
    )
    Party.objects.bulk_create(Party(case=case, **p) for p in cleaned_parties)
    if accused:
        case.accused_units.set(accused)
    data = {"channel": channel, "risk": final_risk, "category": row.code if row else None}
    if matched:
        data["risk_rules"] = matched
    _event(case, "register", actor=actor, from_state="", to_state=Case.State.REGISTERED, data=data, at=now)
    audit_as(actor, action="case_register", target=f"case:{case.code}", detail={"kind": kind})
    return case


def _clean_parties(parties: Sequence[dict], err) -> list[dict]:
    from yimen.people.models import Person

    cleaned = []
    person_ids = {p.get("person_id") for p in parties if p.get("person_id") is not None}
    known = set(Person.objects.filter(pk__in=person_ids).values_list("pk", flat=True)) if person_ids else set()
    for i, party in enumerate(parties):
        name = (party.get("name") or "").strip()
        role = party.get("role")
        phone = normalise_phone((party.get("phone") or "").strip())
        id_number = (party.get("id_number") or "").strip().upper()
        person_id = party.get("person_id")
        if not name:
            err(f"parties.{i}.name", "请填写姓名或名称。")
        if role not in Party.Role.values:
            err(f"parties.{i}.role", "身份须为 applicant、respondent、third_party、representative 或 accused。")
        if phone and not phone_valid(phone):
            err(f"parties.{i}.phone", "电话号码格式不正确。")
        if id_number and not id_number_valid(id_number):
            err(f"parties.{i}.id_number", "身份证号码不正确（18 位，校验码须符合 GB 11643）。")
        if person_id is not None and person_id not in known:
            err(f"parties.{i}.person_id", "实有人口中没有该人员。")
        cleaned.append(
            {
                "name": name[:100],
                "role": role,
                "phone_cipher": sm4_encrypt(phone) if phone else "",
                "phone_index": blind_index(phone) if phone else "",
                "phone_masked": mask_phone(phone) if phone else "",
                "id_number_cipher": sm4_encrypt(id_number) if id_number else "",
                "id_number_index": blind_index(id_number) if id_number else "",
                "id_number_masked": mask_id_number(id_number) if id_number else "",
                "person_id": person_id,
            }
        )
    return cleaned


def _refine(place: Region, lat: float, lng: float) -> Region:
    """The micro-grid (or grid, or village) under the map point, when it lies inside `place`."""
    answer = locate(lat, lng)
    if not answer:
        return place
    for level in ("microgrid", "grid", "village"):
        ref = answer.get(level)
        if ref:
            found = Region.objects.filter(code=ref["code"]).first()
            if found is not None and found.is_within(place):
                return found
    return place


def _default_row(kind: str) -> CatalogueRow | None:
    return catalogue.catalogue_rows(kind=kind).filter(is_default=True).first()


def _next_code(region: Region, received: datetime) -> str:
    """一案一码: "<town code>-<year>-<six-digit sequence>", e.g. 450324106-2026-000123. The counter
    row is bumped by a conditional UPDATE, which holds its lock until this transaction ends."""
    prefix = region.code[:9]
    year = received.astimezone(SHANGHAI).year
    counter = CaseCounter.objects.filter(prefix=prefix, year=year)
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                CaseCounter.objects.create(prefix=prefix, year=year, last=1)
        except IntegrityError:  # another registration created it first
            counter.update(last=F("last") + 1)
    return f"{prefix}-{year}-{counter.values_list('last', flat=True).get():06d}"


def _risk_rules(*, kind: str, text: str, group_size: int, parties: list[dict], received: datetime):
    """The active risk rules that hold for this intake and the highest risk they set."""
    matched, highest = [], Risk.BLUE
    repeats = None
    for rule in RiskRule.objects.filter(is_active=True):
        if rule.kinds and kind not in rule.kinds:
            continue
        if rule.pattern:
            try:
                if not re.search(rule.pattern, text):
                    continue
            except re.error:
                logger.warning("Risk rule %s has a bad pattern %r", rule.pk, rule.pattern)
                continue
        if rule.min_group_size and group_size < rule.min_group_size:
            continue
        if rule.min_repeat:
            if repeats is None:
                repeats = _earlier_petitions(parties, received)
            if repeats < rule.min_repeat:
                continue
        matched.append(rule.name)
        if RISK_ORDER[rule.risk] > RISK_ORDER[highest]:
            highest = rule.risk
    return matched, highest


def _earlier_petitions(parties: list[dict], received: datetime) -> int:
    """Petitions in the year before by the same applicant (same registry person, ID number or phone)."""
    same = Q()
    for p in parties:
        if p["role"] not in ("applicant", "representative"):
            continue
        if p["person_id"]:
            same |= Q(person_id=p["person_id"])
        if p["id_number_index"]:
            same |= Q(id_number_index=p["id_number_index"])
        if p["phone_index"]:
            same |= Q(phone_index=p["phone_index"])
    if not same:
        return 0
    found = Party.objects.filter(same, case__kind=Kind.PETITION, case__received_at__gte=received - timedelta(days=365))
    return found.values("case").distinct().count()


# ---------------------------------------------------------------------------------------------
# The centre's steps: accept, decline, merge, refer, close (at the window), archive


@transaction.atomic
def case_accept(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """受理: the first receiver (clerk) or the dispatcher accepts a registered matter."""
    authorize(actor, case, "accept")
    state = _check(case, "accept", version, Case.TRANSITIONS["accept"][0])
    now = timezone.now()
    return _apply(
        case, "accept", actor=actor, version=version, from_state=state, to_state=Case.State.ACCEPTED,
        updates={"accepted_at": now}, note=note.strip(), now=now,
    )  # fmt: skip


@transaction.atomic
def case_decline(*, case: Case, actor: Membership, version: int, reason: str) -> Case:
    """不予受理: with the reason the citizen is told (信访工作条例 art. 22: in writing)."""
    authorize(actor, case, "decline")
    state = _check(case, "decline", version, Case.TRANSITIONS["decline"][0])
    reason = _required(reason, "reason", "请填写不予受理的理由。")
    return _apply(
        case, "decline", actor=actor, version=version, from_state=state, to_state=Case.State.DECLINED, note=reason
    )


@transaction.atomic
def case_merge(*, case: Case, actor: Membership, version: int, into: str, note: str = "") -> Case:
    """并单: a duplicate joins the case it repeats; the other case goes on."""
    authorize(actor, case, "merge")
    state = _check(case, "merge", version, Case.TRANSITIONS["merge"][0])
    target = Case.objects.visible_to(actor).filter(code=(into or "").strip()).first()
    if target is None:
        raise Invalid("未找到要并入的案件。", errors={"into": ["未找到该案件，或不在您的管辖范围内。"]})
    if target.pk == case.pk:
        raise Invalid("不能并入自身。", errors={"into": ["不能并入自身。"]})
    if target.state in (Case.State.MERGED, Case.State.DECLINED, Case.State.REFERRED, Case.State.ARCHIVED):
        raise Invalid(
            "目标案件已结束。", errors={"into": [f"目标案件状态为“{target.get_state_display()}”，不能并入。"]}
        )
    return _apply(
        case, "merge", actor=actor, version=version, from_state=state, to_state=Case.State.MERGED,
        updates={"merged_into": target}, note=note.strip(), data={"into": target.code},
    )  # fmt: skip


@transaction.atomic
def case_refer(*, case: Case, actor: Membership, version: int, to: str, reason: str) -> Case:
    """转办: the matter belongs elsewhere — 110, a court action, labour arbitration (法定途径)."""
    authorize(actor, case, "refer")
    state = _check(case, "refer", version, Case.TRANSITIONS["refer"][0])
    to = _required(to, "to", "请填写转往何处。")[:100]
    reason = _required(reason, "reason", "请填写转办理由。")
    return _apply(
        case, "refer", actor=actor, version=version, from_state=state, to_state=Case.State.REFERRED,
        updates={"referred_to": to}, note=reason, data={"to": to},
    )  # fmt: skip


@transaction.atomic
def case_close(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """办结 at the window: a matter answered on the spot, without dispatch."""
    authorize(actor, case, "close")
    state = _check(case, "close", version, Case.TRANSITIONS["close"][0])
    now = timezone.now()
    return _apply(
        case, "close", actor=actor, version=version, from_state=state, to_state=Case.State.CLOSED,
        updates={"closed_at": now}, note=note.strip(), now=now,
    )  # fmt: skip


@transaction.atomic
def case_archive(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """归档: a finished case leaves the working lists."""
    authorize(actor, case, "archive")
    state = _check(case, "archive", version, Case.TRANSITIONS["archive"][0])
    now = timezone.now()
    return _apply(
        case, "archive", actor=actor, version=version, from_state=state, to_state=Case.State.ARCHIVED,
        updates={"archived_at": now}, note=note.strip(), now=now,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# 派单 dispatch and 改派 redispatch


def _resolve_units(case: Case, lead_unit: str, support_units: Sequence[str]) -> tuple[Unit, list[Unit]]:
    """The lead and support units by code: active, covering the case's region, not accused."""
    codes = [lead_unit, *support_units]
    found = {u.code: u for u in Unit.objects.filter(code__in=codes, is_active=True).select_related("region")}
    accused = set(case.accused_units.values_list("code", flat=True))
    errors: dict[str, list[str]] = {}
    for field, code in [("lead_unit", lead_unit)] + [("support_units", c) for c in support_units]:
        unit = found.get(code)
        if unit is None:
            errors.setdefault(field, []).append(f"未找到在用单位：{code}。")
        elif not case.region_path.startswith(unit.region.path):
            errors.setdefault(field, []).append(f"“{unit.name}”的辖区不包含案件所在地。")
        elif code in accused:
            errors.setdefault(field, []).append(f"“{unit.name}”是被检举控告单位，须回避（信访工作条例第四十六条）。")
    if lead_unit in support_units or len(set(support_units)) != len(support_units):
        errors.setdefault("support_units", []).append("协办单位不能重复，也不能与主办单位相同。")
    if errors:
        raise Invalid("派单单位有误。", errors=errors)
    return found[lead_unit], [found[c] for c in support_units]


def _row_of(case: Case) -> CatalogueRow | None:
    return case.category or _default_row(case.kind)


def _assign(case: Case, unit: Unit, role: str, *, actor: Membership, at: datetime, deadline: datetime | None):
    """One assignment with its sign window, return window and handling deadline: the row's
    policy from dispatch, within the case's statutory deadline, unless the dispatcher set one."""
    row = _row_of(case)
    if deadline is None and row is not None:
        deadline = policy_deadline(row.policy, at)
        if case.deadline and at < case.deadline < deadline:
            deadline = case.deadline
    return Assignment.objects.create(
        case=case,
        unit=unit,
        role=role,
        policy=row.policy if row else None,
        dispatched_at=at,
        dispatched_by=actor.user,
        sign_deadline=policy_deadline(row.sign_policy, at) if row else None,
        dispute_deadline=policy_deadline(row.return_policy, at) if row else None,
        deadline=deadline,
    )


def _check_deadline(deadline: datetime | None, now: datetime) -> datetime | None:
    if deadline is None:
        return None
    deadline = _aware(deadline)
    if not now < deadline <= now + timedelta(days=366):
        raise Invalid("办理期限有误。", errors={"deadline": ["办理期限须晚于现在，且在一年之内。"]})
    return deadline


def _check_plan(case: Case, plan: str) -> str:
    """Red cases need a joint-handling plan (一案一方案) before they go out."""
    plan = (plan or "").strip()
    if case.risk == Risk.RED and not (plan or case.joint_plan):
        raise Invalid("红色风险案件须先制定联合处置方案。", errors={"plan": ["请填写联合处置方案（一案一方案）。"]})
    return plan or case.joint_plan


@transaction.atomic
def case_dispatch(
    *,
    case: Case,
    actor: Membership,
    version: int,
    lead_unit: str,
    support_units: Sequence[str] = (),
    deadline: datetime | None = None,
    plan: str = "",
    note: str = "",
) -> Case:
    """派单: one lead unit (主办) and any support units (协办), each with sign and return windows
    and a deadline by the catalogue row (or the dispatcher's own, within a year)."""
    authorize(actor, case, "dispatch")
    state = _check(case, "dispatch", version, Case.TRANSITIONS["dispatch"][0])
    now = timezone.now()
    lead, supports = _resolve_units(case, lead_unit, list(support_units))
    deadline = _check_deadline(deadline, now)
    plan = _check_plan(case, plan)
    case = _apply(
        case, "dispatch", actor=actor, version=version, from_state=state, to_state=Case.State.DISPATCHED,
        updates={"dispatched_at": now, "lead_unit": lead, "joint_plan": plan}, note=note.strip(), now=now,
        data={"lead_unit": lead.code, "support_units": [u.code for u in supports], "deadline": _iso(deadline)},
    )  # fmt: skip
    _assign(case, lead, Assignment.Role.LEAD, actor=actor, at=now, deadline=deadline)
    for unit in supports:
        _assign(case, unit, Assignment.Role.SUPPORT, actor=actor, at=now, deadline=deadline)
    return case


@transaction.atomic
def case_redispatch(
    *, case: Case, actor: Membership, version: int, lead_unit: str, support_units: Sequence[str] = (), note: str = ""
) -> Case:
    """改派 settles a disputed dispatch: to another lead unit, or back to the same one (the
    dispute was not upheld). Support units not named again are withdrawn."""
    authorize(actor, case, "redispatch")
    state = _check(case, "redispatch", version, Case.TRANSITIONS["redispatch"][0])
    now = timezone.now()
    lead, supports = _resolve_units(case, lead_unit, list(support_units))
    previous = case.lead_unit
    case = _apply(
        case, "redispatch", actor=actor, version=version, from_state=state, to_state=Case.State.DISPATCHED,
        updates={"dispatched_at": now, "lead_unit": lead}, note=note.strip(), now=now,
        data={
            "lead_unit": lead.code, "support_units": [u.code for u in supports],
            "previous": previous.code if previous else None, "same_unit": previous == lead,
        },
    )  # fmt: skip
    keep = {u.pk for u in supports}
    active = Assignment.objects.filter(case=case, state__in=Assignment.ACTIVE)
    active.exclude(role=Assignment.Role.SUPPORT, unit_id__in=keep).update(state=Assignment.State.WITHDRAWN)
    kept = set(active.values_list("unit_id", flat=True))
    _assign(case, lead, Assignment.Role.LEAD, actor=actor, at=now, deadline=None)
    for unit in supports:
        if unit.pk not in kept:
            _assign(case, unit, Assignment.Role.SUPPORT, actor=actor, at=now, deadline=None)
    return case


# ---------------------------------------------------------------------------------------------
# The assigned unit's steps: sign, dispute, reply, extend


@transaction.atomic
def case_sign(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """签收: the assigned unit takes the work; the lead's signature puts the case in progress."""
    assignment = authorize(actor, case, "sign")
    sources, target = sources_for("sign", assignment)
    state = _check(case, "sign", version, sources)
    now = timezone.now()
    case = _apply(
        case, "sign", actor=actor, version=version, from_state=state, to_state=target, note=note.strip(), now=now,
        data={"unit": actor.unit.code, "role": assignment.role},
    )  # fmt: skip
    Assignment.objects.filter(pk=assignment.pk).update(state=Assignment.State.SIGNED, signed_at=now)
    return case


@transaction.atomic
def case_dispute(*, case: Case, actor: Membership, version: int, reason: str) -> Case:
    """退单: the lead unit returns a dispatch that is not its business, with reasons, within the
    return window (2 days; 5 working days for petitions, 信访工作条例 art. 23)."""
    assignment = authorize(actor, case, "dispute")
    state = _check(case, "dispute", version, Case.TRANSITIONS["dispute"][0])
    now = timezone.now()
    if assignment.dispute_deadline and now > assignment.dispute_deadline:
        when = timezone.localtime(assignment.dispute_deadline).strftime("%Y-%m-%d %H:%M")
        raise Conflict(f"已超过退单时限（{when}），请签收办理或联系派单员。", code="dispute_window_closed")
    reason = _required(reason, "reason", "请填写退单理由。")
    case = _apply(
        case, "dispute", actor=actor, version=version, from_state=state, to_state=Case.State.DISPUTED,
        note=reason, now=now, data={"unit": actor.unit.code},
    )  # fmt: skip
    Assignment.objects.filter(pk=assignment.pk).update(
        state=Assignment.State.DISPUTED, disputed_at=now, dispute_reason=reason
    )
    return case


@transaction.atomic
def case_reply(*, case: Case, actor: Membership, version: int, text: str) -> Case:
    """答复: the unit reports what it did; the lead's reply sends the case to review."""
    assignment = authorize(actor, case, "reply")
    sources, target = sources_for("reply", assignment)
    state = _check(case, "reply", version, sources)
    text = _required(text, "text", "请填写答复内容。")
    now = timezone.now()
    updates = {"replied_at": now} if assignment.role == Assignment.Role.LEAD else {}
    case = _apply(
        case, "reply", actor=actor, version=version, from_state=state, to_state=target, updates=updates,
        note=text, now=now, data={"unit": actor.unit.code, "role": assignment.role},
    )  # fmt: skip
    Assignment.objects.filter(pk=assignment.pk).update(state=Assignment.State.REPLIED, replied_at=now, reply=text)
    return case


@transaction.atomic
def case_extend(*, case: Case, actor: Membership, version: int, days: int, reason: str) -> Case:
    """延期: the lead unit moves its and the case's deadline by `days` natural days, with reasons,
    within the policy's maximum (信访: 30 days in all, 信访工作条例 art. 34)."""
    assignment = authorize(actor, case, "extend")
    state = _check(case, "extend", version, Case.TRANSITIONS["extend"][0])
    reason = _required(reason, "reason", "请填写延期理由。")
    allowed = case.policy.max_extension_days if case.policy else 0
    if not isinstance(days, int) or days < 1 or case.extension_days + days > allowed:
        left = max(allowed - case.extension_days, 0)
        message = f"该类事项最多延期 {allowed} 日，已延期 {case.extension_days} 日，至多还可延期 {left} 日。"
        raise Invalid("延期天数有误。", errors={"days": [message]})
    new_deadline = extended(case.deadline, days) if case.deadline else None
    case = _apply(
        case, "extend", actor=actor, version=version, from_state=state, to_state=None, note=reason,
        updates={"deadline": new_deadline, "extension_days": F("extension_days") + days},
        data={"days": days, "deadline": _iso(new_deadline)},
    )  # fmt: skip
    if assignment.deadline:
        Assignment.objects.filter(pk=assignment.pk).update(deadline=extended(assignment.deadline, days))
    return case


# ---------------------------------------------------------------------------------------------
# 审核 review and 回访 follow-up


def _reopen_lead(case: Case) -> bool:
    """Put the replied lead assignment back to work; False when the case was never dispatched."""
    return bool(
        Assignment.objects.filter(
            case=case, role=Assignment.Role.LEAD, state__in=(Assignment.State.REPLIED, Assignment.State.SIGNED)
        ).update(state=Assignment.State.SIGNED, replied_at=None)
    )


@transaction.atomic
def case_review(*, case: Case, actor: Membership, version: int, approved: bool, note: str = "") -> Case:
    """审核: an approved reply closes the case; otherwise it goes back to the lead (重办)."""
    authorize(actor, case, "review")
    state = _check(case, "review", version, Case.TRANSITIONS["review"][0])
    note = (note or "").strip()
    now = timezone.now()
    if approved:
        return _apply(
            case, "review", actor=actor, version=version, from_state=state, to_state=Case.State.CLOSED,
            updates={"closed_at": now}, note=note, now=now, data={"approved": True},
        )  # fmt: skip
    _required(note, "note", "请填写退回重办的理由。")
    case = _apply(
        case, "review", actor=actor, version=version, from_state=state, to_state=Case.State.IN_PROGRESS,
        updates={"replied_at": None}, note=note, now=now, data={"approved": False},
    )  # fmt: skip
    _reopen_lead(case)
    return case


@transaction.atomic
def case_follow_up(
    *, case: Case, actor: Membership, version: int, rating: int, note: str = "", cause: str | None = None
) -> Case:
    """回访: the citizen rates the result 1–5. Unsatisfied (≤ 2) for a subjective cause (our
    handling, not the law or policy) reopens the case: to the lead unit, or to the centre when
    it was closed at the window."""
    authorize(actor, case, "follow_up")
    state = _check(case, "follow_up", version, Case.TRANSITIONS["follow_up"][0])
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise Invalid("评价有误。", errors={"rating": ["评价须为 1 到 5。"]})
    if cause is not None and cause not in FOLLOW_UP_CAUSES:
        raise Invalid("不满意原因有误。", errors={"cause": ["须为 subjective（主观原因）或 objective（客观原因）。"]})
    note = (note or "").strip()
    now = timezone.now()
    data = {"rating": rating, "cause": cause}
    updates = {"rating": rating, "rating_note": note, "followed_up_at": now}
    if rating <= REOPEN_AT_OR_BELOW and cause == "subjective":
        dispatched = Assignment.objects.filter(case=case, role=Assignment.Role.LEAD, state__in=Assignment.ACTIVE)
        target = Case.State.IN_PROGRESS if dispatched.exists() else Case.State.ACCEPTED
        case = _apply(
            case, "follow_up", actor=actor, version=version, from_state=state, to_state=target, now=now,
            updates={**updates, "closed_at": None, "replied_at": None}, note=note, data={**data, "reopened": True},
        )  # fmt: skip
        _reopen_lead(case)
        return case
    return _apply(
        case, "follow_up", actor=actor, version=version, from_state=state, to_state=Case.State.FOLLOWED_UP,
        updates=updates, note=note, now=now, data=data,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# 催办 / 督办 / 通报 and risk


def _supervise(case: Case, action: str, level: int, *, actor: Membership, version: int, note: str) -> Case:
    authorize(actor, case, action)
    state = _check(case, action, version, Case.TRANSITIONS[action][0])
    case = _apply(
        case, action, actor=actor, version=version, from_state=state, to_state=None, note=(note or "").strip(),
        updates={"supervision_level": max(case.supervision_level, level)}, data={"level": level},
    )  # fmt: skip
    unit = case.lead_unit or case.first_unit
    _notify(case, unit, level, f"{SupervisionLevel(level).label}：{case.code} {case.title}")
    return case


@transaction.atomic
def case_urge(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """催办: the supervisor reminds the responsible unit."""
    return _supervise(case, "urge", SupervisionLevel.URGE, actor=actor, version=version, note=note)


@transaction.atomic
def case_supervise(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """督办: the supervisor puts the case under formal supervision."""
    return _supervise(case, "supervise", SupervisionLevel.SUPERVISE, actor=actor, version=version, note=note)


@transaction.atomic
def case_censure(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """通报: the supervisor reports the failure to the leaders."""
    return _supervise(case, "censure", SupervisionLevel.CENSURE, actor=actor, version=version, note=note)


@transaction.atomic
def case_raise_risk(*, case: Case, actor: Membership, version: int, risk: str, reason: str, plan: str = "") -> Case:
    """风险升级: raised at any step by whoever works on the case; red needs a joint-handling plan
    (DESIGN §6: red → joint meeting, one plan per case, report upward)."""
    authorize(actor, case, "raise_risk")
    state = _check(case, "raise_risk", version, Case.TRANSITIONS["raise_risk"][0])
    if risk not in Risk.values or RISK_ORDER[risk] <= RISK_ORDER[case.risk]:
        raise Invalid("风险等级有误。", errors={"risk": [f"只能调高风险等级（当前为{case.get_risk_display()}）。"]})
    reason = _required(reason, "reason", "请填写调整理由。")
    plan = (plan or "").strip()
    if risk == Risk.RED and not (plan or case.joint_plan):
        raise Invalid("红色风险须制定联合处置方案。", errors={"plan": ["请填写联合处置方案（一案一方案）。"]})
    return _apply(
        case, "raise_risk", actor=actor, version=version, from_state=state, to_state=None, note=reason,
        updates={"risk": risk, "joint_plan": plan or case.joint_plan}, data={"from": case.risk, "to": risk},
    )  # fmt: skip


ACTION_SERVICES = {
    "accept": case_accept,
    "decline": case_decline,
    "dispatch": case_dispatch,
    "sign": case_sign,
    "dispute": case_dispute,
    "redispatch": case_redispatch,
    "reply": case_reply,
    "review": case_review,
    "extend": case_extend,
    "close": case_close,
    "follow_up": case_follow_up,
    "archive": case_archive,
    "merge": case_merge,
    "refer": case_refer,
    "urge": case_urge,
    "supervise": case_supervise,
    "censure": case_censure,
    "raise_risk": case_raise_risk,
}


# ---------------------------------------------------------------------------------------------
# The citizen's rating, attachments, notifications


@transaction.atomic
def case_rate_public(*, token: str, rating: int, note: str = "") -> Case:
    """群众评价 on the public lookup page: once, after the case is closed."""
    case = Case.objects.filter(public_token=token).first() if "\x00" not in token else None
    if case is None:
        raise NotFound("未找到该案件。")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise Invalid("评价有误。", errors={"rating": ["评价须为 1 到 5。"]})
    done = (Case.State.CLOSED, Case.State.FOLLOWED_UP, Case.State.ARCHIVED)
    now = timezone.now()
    moved = Case.objects.filter(pk=case.pk, public_rated_at=None, state__in=done).update(
        public_rating=rating, public_rating_note=(note or "").strip()[:500], public_rated_at=now,
        version=F("version") + 1, updated_at=now,
    )  # fmt: skip
    if moved != 1:
        case.refresh_from_db()
        if case.public_rated_at is not None:
            raise Conflict("该案件已评价过，每件只能评价一次。", code="already_rated")
        raise Conflict("案件办结后才能评价。", code="not_closed")
    _event(case, "rate", actor=None, from_state=case.state, to_state=case.state, data={"rating": rating}, at=now)
    case.refresh_from_db()
    return case


@transaction.atomic
def case_attach(*, case: Case, actor: Membership, file: File, name: str = "", content_type: str = "") -> Attachment:
    """附件: stored in the default storage with its SHA-256 and size; one timeline event."""
    require_permission(actor, "case.view")
    if not is_responsible(actor, case) and not unit_assignments(case, actor.unit_id, fresh=True):
        raise NotAllowed("本单位与该案件无关，不能上传附件。", code="not_involved")
    name = (name or getattr(file, "name", "") or "附件").rsplit("/", 1)[-1][:200]
    digest, size = hashlib.sha256(), 0
    for chunk in file.chunks():
        digest.update(chunk)
        size += len(chunk)
    if size == 0 or size > MAX_ATTACHMENT_BYTES:
        raise Invalid("附件大小有误。", errors={"file": ["附件不能为空，且不超过 20 MB。"]})
    attachment = Attachment(
        case=case,
        name=name,
        sha256=digest.hexdigest(),
        size=size,
        content_type=(content_type or getattr(file, "content_type", "") or "application/octet-stream")[:100],
        uploaded_by=actor.user,
    )
    file.seek(0)
    attachment.file.save(name, file, save=False)
    attachment.save()
    _event(
        case, "attach", actor=actor, from_state=case.state, to_state=case.state, note=name,
        data={"sha256": attachment.sha256, "size": size},
    )  # fmt: skip
    return attachment


def _notify(case: Case, unit: Unit, level: int, text: str) -> None:
    """A notice to the responsible unit and to the leaders over it (its own, and the centre's
    leaders whose jurisdiction holds the case)."""
    covering = [case.region_path[: i + 1] for i, ch in enumerate(case.region_path) if ch == "/"]
    leaders = Membership.objects.filter(is_active=True, role=Role.LEADER).filter(
        Q(unit=unit) | Q(jurisdiction__path__in=covering)
    )
    notices = [Notification(unit=unit, case=case, level=level, text=text[:300])]
    notices += [Notification(member=m, case=case, level=level, text=text[:300]) for m in leaders]
    Notification.objects.bulk_create(notices)


@transaction.atomic
def notification_read(*, member: Membership, notification: Notification) -> Notification:
    if notification.member_id != member.pk and notification.unit_id != member.unit_id:
        raise NotFound("未找到该通知。")
    Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())
    notification.refresh_from_db()
    return notification


# ---------------------------------------------------------------------------------------------
# The periodic sweep (tasks.cases_supervision_hourly)


def supervision_sweep(*, now: datetime | None = None) -> int:
    """Raise 催办 → 督办 → 通报 on late work: each assignment past its deadline (or a pending one
    past its sign window), and each case not yet dispatched past its own deadline. One timeline
    event and notifications per raise; a level is never raised twice. Returns the raises."""
    now = now or timezone.now()
    raised = 0
    late = (
        Assignment.objects.filter(
            Q(deadline__lt=now) | Q(state=Assignment.State.PENDING, sign_deadline__lt=now),
            state__in=(Assignment.State.PENDING, Assignment.State.SIGNED),
            case__state__in=Case.ACTIVE,
        )
        .select_related("case", "unit")
        .order_by("pk")
    )
    for assignment in late.iterator(chunk_size=500):
        level = derived_level(assignment.deadline, now)
        if assignment.state == Assignment.State.PENDING and assignment.sign_deadline and assignment.sign_deadline < now:
            level = max(level, SupervisionLevel.URGE)
        if level > assignment.supervision_level:
            with transaction.atomic():
                moved = Assignment.objects.filter(
                    pk=assignment.pk, supervision_level=assignment.supervision_level
                ).update(supervision_level=level)
                if moved:
                    _raise(assignment.case, assignment.unit, level, now=now, due=assignment.deadline)
                    raised += 1
    waiting = Case.objects.filter(
        Q(state=Case.State.REGISTERED, accept_deadline__lt=now)
        | Q(state__in=(Case.State.ACCEPTED, Case.State.DISPUTED), deadline__lt=now)
    ).select_related("first_unit")
    for case in waiting.iterator(chunk_size=500):
        due = case.accept_deadline if case.state == Case.State.REGISTERED else case.deadline
        level = derived_level(due, now)
        if level > case.supervision_level:
            with transaction.atomic():
                if Case.objects.filter(pk=case.pk, supervision_level=case.supervision_level).update(
                    supervision_level=level
                ):
                    _raise(case, case.first_unit, level, now=now, due=due)
                    raised += 1
    return raised


def _raise(case: Case, unit: Unit, level: int, *, now: datetime, due: datetime | None) -> None:
    Case.objects.filter(pk=case.pk, supervision_level__lt=level).update(supervision_level=level)
    label = SupervisionLevel(level).label
    when = timezone.localtime(due).strftime("%Y-%m-%d %H:%M") if due else ""
    text = f"{label}：{case.code}「{case.title}」已超过期限 {when}，请{unit.name}抓紧办理。"
    _event(
        case, LEVEL_NAMES[level], actor=None, from_state=case.state, to_state=case.state, note=text, at=now,
        data={"auto": True, "unit": unit.code, "level": level, "deadline": _iso(due)},
    )  # fmt: skip
    _notify(case, unit, level, text)


# ---------------------------------------------------------------------------------------------
# The catalogue, policies and risk rules (administrators: catalogue.manage)

ROW_FIELDS = ("name", "group", "kind", "lead", "supports", "risk")
ROW_POLICIES = ("policy", "intake_policy", "sign_policy", "return_policy")


def _check_unit_ref(ref: str) -> bool:
    return catalogue.UnitRef.parse(ref).kind in Unit.Kind.values


@transaction.atomic
def catalogue_revise(*, actor: Membership, changes: dict[str, dict], note: str) -> DispatchCatalogue:
    """修订派单目录: a new version, the current one's rows with `changes` applied (row code →
    fields; an unknown code adds a row; {"delete": True} drops one). Cases routed before keep
    their rows and deadlines."""
    require_permission(actor, "catalogue.manage")
    note = _required(note, "note", "请填写修订说明。")[:200]
    current = DispatchCatalogue.objects.select_for_update().get(pk=catalogue.catalogue_current().pk)
    policies = {p.code: p for p in DeadlinePolicy.objects.all()}
    rows = {r.code: r for r in current.rows.all()}
    errors: dict[str, list[str]] = {}
    for code, fields in changes.items():
        if fields.get("delete"):
            if rows.pop(code, None) is None:
                errors.setdefault(code, []).append("目录中没有该条目。")
            continue
        row = rows.get(code) or CatalogueRow(code=code, risk=Risk.BLUE, order=len(rows))
        for name in ROW_FIELDS:
            if name in fields:
                setattr(row, name, fields[name])
        for name in ROW_POLICIES:
            if name in fields:
                value = fields[name]
                if value is None and name == "intake_policy":
                    row.intake_policy = None
                elif value not in policies:
                    errors.setdefault(code, []).append(f"{name}：没有期限规则 {value}。")
                else:
                    setattr(row, name, policies[value])
        if row.kind not in Kind.values or row.risk not in Risk.values:
            errors.setdefault(code, []).append("种类或风险等级不正确。")
        if not row.lead or not _check_unit_ref(row.lead) or not all(_check_unit_ref(s) for s in row.supports or []):
            errors.setdefault(code, []).append("主办或协办单位类型不正确。")
        if not all(getattr(row, f"{name}_id", None) for name in ("policy", "sign_policy", "return_policy")):
            errors.setdefault(code, []).append("须指定办理、签收和退单期限规则。")
        rows[code] = row
    if errors:
        raise Invalid("派单目录修订有误。", errors=errors)
    DispatchCatalogue.objects.filter(pk=current.pk).update(is_current=False)
    revised = DispatchCatalogue.objects.create(
        version=current.version + 1, is_current=True, note=note, created_by=actor.user
    )
    copies = []
    for row in rows.values():
        row.pk = None
        row.catalogue = revised
        copies.append(row)
    CatalogueRow.objects.bulk_create(copies)
    audit_as(actor, action="catalogue_revise", target=f"catalogue:{revised.version}", detail={"codes": sorted(changes)})
    return revised


@transaction.atomic
def deadline_policy_create(
    *, actor: Membership, code: str, name: str, unit: str, amount: int, max_extension_days: int = 0, source: str = ""
) -> DeadlinePolicy:
    """A new deadline rule (rules are never edited in place; a catalogue revision adopts it)."""
    require_permission(actor, "catalogue.manage")
    errors = {}
    if DeadlinePolicy.objects.filter(code=code).exists() or not code:
        errors["code"] = ["代码为空或已存在。"]
    if unit not in DeadlinePolicy.Measure.values:
        errors["unit"] = ["计算单位不正确。"]
    if not isinstance(amount, int) or amount < 1:
        errors["amount"] = ["时长须为正整数。"]
    if errors:
        raise Invalid("期限规则有误。", errors=errors)
    policy = DeadlinePolicy.objects.create(
        code=code, name=name, unit=unit, amount=amount, max_extension_days=max_extension_days, source=source
    )
    audit_as(actor, action="deadline_policy_create", target=f"policy:{code}")
    return policy


@transaction.atomic
def risk_rule_create(
    *,
    actor: Membership,
    name: str,
    risk: str,
    pattern: str = "",
    kinds: Sequence[str] = (),
    min_group_size: int | None = None,
    min_repeat: int | None = None,
) -> RiskRule:
    """A new risk rule, applied to every later intake."""
    require_permission(actor, "catalogue.manage")
    errors = {}
    try:
        re.compile(pattern)
    except re.error:
        errors["pattern"] = ["正则表达式不正确。"]
    if risk not in Risk.values:
        errors["risk"] = ["风险等级不正确。"]
    if any(k not in Kind.values for k in kinds):
        errors["kinds"] = ["种类不正确。"]
    if not (pattern or min_group_size or min_repeat):
        errors["pattern"] = ["至少须有关键词、人数或重复信访次数中的一项条件。"]
    if errors:
        raise Invalid("风险规则有误。", errors=errors)
    rule = RiskRule.objects.create(
        name=_required(name, "name", "请填写名称。"), risk=risk, pattern=pattern, kinds=list(kinds),
        min_group_size=min_group_size, min_repeat=min_repeat, order=RiskRule.objects.count(),
    )  # fmt: skip
    audit_as(actor, action="risk_rule_create", target=f"risk_rule:{rule.pk}")
    return rule
