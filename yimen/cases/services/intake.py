"""登记 register (DESIGN §6): a matter is registered once and given its code (一案一码) and public
token; the actor's unit is the first receiver (首接); statutory deadlines count from the time it
was received; the risk rules run at intake. A retried Idempotency-Key returns the first case."""

import logging
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from yimen.cases import catalogue, tiers, timeline
from yimen.cases.deadlines import policy_deadline
from yimen.cases.extensions import IntakeDraft, run_intake_checks
from yimen.cases.models import (
    RISK_ORDER,
    Case,
    Channel,
    Kind,
    Party,
    PetitionType,
    Risk,
)
from yimen.cases.services._base import _aware, _default_row, counter_next
from yimen.core import idempotency
from yimen.core.calendar import CLOCK_SKEW, SHANGHAI
from yimen.core.crypto import blind_index, sm4_encrypt
from yimen.core.errors import Invalid
from yimen.core.identity import mask_id_number, mask_phone, validate_id_number, validate_phone
from yimen.core.permissions import require_permission
from yimen.geo.locate import locate
from yimen.geo.models import Region
from yimen.org.models import Membership, Unit
from yimen.org.services import audit_as

logger = logging.getLogger(__name__)

EARLIEST = datetime(2000, 1, 1, tzinfo=SHANGHAI)
# Kinds that are about someone: at least one party must be named.
NEEDS_PARTY = frozenset({Kind.DISPUTE, Kind.PETITION, Kind.LEGAL_SERVICE, Kind.LEGAL_AID})


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
    source_ref: str = "",
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
    review_of: str | None = None,
    accused_users: Sequence[str] = (),
) -> Registered:
    """登记: register a matter once and give it its code (一案一码) and public token. The actor's
    unit becomes the first receiver (首接负责: any unit's handler registers what reaches its door,
    keeping its own record number as `source_ref`, e.g. a 110 接警单号); statutory deadlines
    count from `received_at`; risk
    rules run at intake, then the later apps' intake checks (yimen.cases.extensions: e.g. the
    petition rules read `review_of` and `accused_users`). Parties' phones and ID numbers are checked
    and kept in yimen.core.identity's normal form, so one person has one blind index however typed
    (issue 13). With an `idempotency_key`, a retry
    with the same content returns the first case again, and the same key with other content is refused (409)."""
    require_permission(actor, "case.register")
    fields = {
        "kind": kind,
        "title": title,
        "description": description,
        "channel": channel,
        "source_ref": source_ref,
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
        "review_of": review_of,
        "accused_users": list(accused_users),
    }
    with transaction.atomic():
        if not idempotency_key:
            return Registered(_register(actor=actor, fields=fields), created=True)
        once = idempotency.run_once(
            "cases.case",
            user=actor.user,
            key=idempotency_key,
            fields=fields,
            noun="登记",
            make=lambda: _register(actor=actor, fields=fields),
        )
    return Registered(once.record or Case.unscoped.get(pk=once.object_id), created=once.created)


def _register(*, actor: Membership, fields: dict) -> Case:
    kind, title, description = fields["kind"], fields["title"], fields["description"]
    channel, region, location = fields["channel"], fields["region"], fields["location"]
    occurred_at, received_at, category = fields["occurred_at"], fields["received_at"], fields["category"]
    risk, petition_type, accused_units = fields["risk"], fields["petition_type"], fields["accused_units"]
    parties, group_size = fields["parties"], fields["group_size"]
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
    source_ref = (fields["source_ref"] or "").strip()
    if len(source_ref) > 60:
        err("source_ref", "来源编号最多 60 个字。")
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
        row = catalogue.intake_rules().rows.get(category)
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
    size = group_size or max(1, sum(p["role"] in ("applicant", "representative") for p in cleaned_parties))
    draft = IntakeDraft(
        actor=actor,
        kind=kind,
        title=title,
        description=description or "",
        channel=channel,
        received_at=received,
        category=row,
        petition_type=petition_type or "",
        accused_units=accused,
        parties=cleaned_parties,
        group_size=size,
        sent=fields,
    )
    afterwards = run_intake_checks(draft)
    row = draft.category or _default_row(kind)
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
        source_ref=source_ref,
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
    for after in afterwards:
        after(case)
    data = {"channel": channel, "risk": final_risk, "category": row.code if row else None}
    if matched:
        data["risk_rules"] = matched
    timeline.record(case, "register", actor=actor, from_state="", to_state=Case.State.REGISTERED, data=data, at=now)
    tiers.open_upward_report(case, now=now)
    audit_as(actor, action="case_register", target=f"case:{case.code}", detail={"kind": kind})
    return case


def _checked(check: Callable[[str], str], value: str | None, field: str, err) -> str:
    # The normal form of what was typed ("" when nothing was); a refusal is the field's error.
    if not (value or "").strip():
        return ""
    try:
        return check(value)
    except ValidationError as exc:
        err(field, exc.messages[0])
        return ""


def _id_number(value: str) -> str:
    return validate_id_number(value).number


def _clean_parties(parties: Sequence[dict], err) -> list[dict]:
    from yimen.people.models import Person

    cleaned = []
    person_ids = {p.get("person_id") for p in parties if p.get("person_id") is not None}
    known = set(Person.unscoped.filter(pk__in=person_ids).values_list("pk", flat=True)) if person_ids else set()
    for i, party in enumerate(parties):
        name = (party.get("name") or "").strip()
        role = party.get("role")
        phone = _checked(validate_phone, party.get("phone"), f"parties.{i}.phone", err)
        id_number = _checked(_id_number, party.get("id_number"), f"parties.{i}.id_number", err)
        person_id = party.get("person_id")
        if not name:
            err(f"parties.{i}.name", "请填写姓名或名称。")
        if role not in Party.Role.values:
            err(f"parties.{i}.role", "身份须为 applicant、respondent、third_party、representative 或 accused。")
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


def _next_code(region: Region, received: datetime) -> str:
    """一案一码: "<town code>-<year>-<six-digit sequence>", e.g. 450324106-2026-000123."""
    prefix = region.code[:9]
    year = received.astimezone(SHANGHAI).year
    return f"{prefix}-{year}-{counter_next(prefix, year):06d}"


def _risk_rules(*, kind: str, text: str, group_size: int, parties: list[dict], received: datetime):
    """The active risk rules that hold for this intake and the highest risk they set."""
    matched, highest = [], Risk.BLUE
    repeats = None
    for rule in catalogue.intake_rules().risk_rules:
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
                repeats = earlier_petitions(parties, received).count()
            if repeats < rule.min_repeat:
                continue
        matched.append(rule.name)
        if RISK_ORDER[rule.risk] > RISK_ORDER[highest]:
            highest = rule.risk
    return matched, highest


def earlier_petitions(parties: list[dict], received: datetime) -> QuerySet[Case]:
    """Petitions received since a year before `received` by the same petitioner: an applicant or
    representative who is the same registry person, or has the same ID number or phone (by blind
    index). `parties` are cleaned intake parties. The risk rules count them; the petition rules
    look among them for the same matter (yimen.petitions)."""
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
        return Case.objects.none()
    petitioners = Party.objects.filter(same, case=OuterRef("pk"), role__in=("applicant", "representative"))
    return Case.unscoped.filter(
        Exists(petitioners), kind=Kind.PETITION, received_at__gte=received - timedelta(days=365)
    )
