"""API: persons (API.md "Persons") and their upkeep (API.md "Registry upkeep"). Masked by
default; full values only through reveal, which asks for a purpose and is logged. A person or
household outside the caller's jurisdiction is 404; field errors 422; an ID number already
registered or a stale version 409."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.http import HttpResponse
from ninja import Field, Header, Path, Query, Router, Schema, Status
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from yimen.core.errors import Invalid, NotFound
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ID_MAX, ErrorOut, refuse_unknown_query
from yimen.geo.api import RegionRef
from yimen.geo.models import Region
from yimen.geo.selectors import region_get_visible
from yimen.people import police, selectors, services, tagging, upkeep
from yimen.people.models import Household, Person
from yimen.people.rules import OUTSIDE

router = Router(tags=["实有人口"])
NO_NUL = r"^[^\x00]*$"


def _no_nul(value: object) -> object:
    # PostgreSQL text cannot hold NUL: refuse it as bad input (422) instead of failing with 500.
    if isinstance(value, str) and "\x00" in value:
        raise PydanticCustomError("null_character", "不能包含空字符。")
    return value


Text = Annotated[str, BeforeValidator(_no_nul)]
# Bounded like the database's 64-bit keys: a larger number is bad input, not a crash.
PersonId = Annotated[int, Path(ge=1, le=ID_MAX, description="人员编号")]
HouseholdId = Annotated[int, Path(ge=1, le=ID_MAX, description="户编号")]


class PersonQuery(Schema):
    q: Text = Field("", max_length=50, pattern=NO_NUL, description="姓名（两个字即可）、完整身份证号或完整手机号")
    region: Text = Field("", max_length=24, pattern=NO_NUL, description="区划/网格代码，限定在其范围内")
    tag: Text = Field("", max_length=40, pattern=NO_NUL, description="标签代码或名称，如 留守老人")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


class HouseholdRef(Schema):
    id: int
    address: str


class PersonItemOut(Schema):
    id: int
    name: str
    gender: Literal["M", "F"] = Field(description="M 男，F 女")
    birth_year: int
    household: HouseholdRef | None
    region: RegionRef
    id_number_masked: str = Field(description="如 450324********1234")
    phone_masked: str = Field(description="如 138****5678；无则为空")
    tags: list[str] = Field(description="您可见的标签名称")

    @staticmethod
    def resolve_tags(person: Person) -> list[str]:
        return [tag.name for tag in person.visible_tags]


class PersonPageOut(Schema):
    count: int
    items: list[PersonItemOut]


class PersonOut(PersonItemOut):
    ethnicity: str
    status: Literal["resident", "floating", "away", "moved_out", "deceased"] = Field(
        description="常住、流动、外出、迁出、死亡（后两者保留记录，不计入在册人数）"
    )
    relationship: str = Field(description="与户主关系")
    address: str
    version: int


class RevealIn(Schema):
    # Optional in the schema so that a role that may not reveal hears 403, not 422.
    purpose: Text = Field("", max_length=services.PURPOSE_MAX, description="查看目的，必填，如“核实当事人身份”")


class RevealOut(Schema):
    id_number: str
    phone: str = Field(description="无则为空")


@router.get("/persons", response={200: PersonPageOut, **ERRORS}, summary="实有人口查询（按姓名、身份证号或手机号）")
def person_list(request, filters: Query[PersonQuery]):
    member = request.member
    require_permission(member, "person.view")
    refuse_unknown_query(request, PersonQuery.model_fields)
    region = region_get_visible(member=member, code=filters.region) if filters.region else None
    tag = selectors.tag_get_visible(member=member, key=filters.tag) if filters.tag else None
    persons = selectors.person_search(member=member, q=filters.q, region=region, tag=tag)
    start = (filters.page - 1) * filters.page_size
    return {"count": persons.count(), "items": list(persons[start : start + filters.page_size])}


@router.get("/persons/{person_id}", response={200: PersonOut, **ERRORS}, summary="人员详情（脱敏）")
def person_detail(request, person_id: PersonId):
    # A person beyond the jurisdiction may be read while a reach lasts (a running 会商), each read logged.
    require_permission(request.member, "person.view")
    return selectors.person_get_readable(member=request.member, person_id=person_id)


@router.post(
    "/persons/{person_id}/reveal",
    response={200: RevealOut, 400: ErrorOut, **ERRORS},
    summary="查看完整身份证号和手机号（须说明目的，记入审计日志）",
)
def person_reveal(request, person_id: PersonId, payload: RevealIn, response: HttpResponse):
    member = request.member
    require_permission(member, "person.reveal")
    person = selectors.person_get_visible(member=member, person_id=person_id)
    response["Cache-Control"] = "no-store"
    return services.person_reveal(
        actor=member, person=person, purpose=payload.purpose, ip=request.META.get("REMOTE_ADDR", "")
    )


# Registry upkeep (issue 15 part 1).
KEY = Header(None, alias="Idempotency-Key", max_length=100, description="客户端生成的唯一键；重试返回第一次的结果")
Ref = Field(None, ge=1, le=ID_MAX)


class PersonFields(Schema):
    name: Text | None = Field(None, max_length=50, pattern=NO_NUL)
    household: int | None = Ref
    relationship: Text | None = Field(None, max_length=20, pattern=NO_NUL, description="与户主关系；户主 即设为户主")
    region: Text | None = Field(None, max_length=24, pattern=NO_NUL, description="微网格代码；缺省为户所在网格")
    ethnicity: Text | None = Field(None, max_length=20, pattern=NO_NUL)
    phone: Text | None = Field(None, max_length=20, pattern=NO_NUL, description="手机号；空串清除")
    status: Text | None = Field(None, max_length=10, pattern=NO_NUL, description="resident、floating、away")
    address: Text | None = Field(None, max_length=200, pattern=NO_NUL)


class PersonIn(PersonFields):
    id_number: Text = Field(..., max_length=30, pattern=NO_NUL)
    name: Text = Field(..., max_length=50, pattern=NO_NUL)
    gender: Text = Field("", max_length=2, pattern=NO_NUL, description="可省略；须与身份证号一致")
    birth_date: date | None = None


class PersonPatch(PersonFields):
    version: int = Field(..., ge=1, le=ID_MAX)
    id_number: Text | None = Field(
        None, max_length=30, pattern=NO_NUL, description="更正身份证号（连同出生日期、性别）"
    )


class HouseholdIn(Schema):
    region: Text = Field(..., max_length=24, pattern=NO_NUL, description="微网格代码")
    address: Text = Field(..., max_length=200, pattern=NO_NUL)
    number: Text = Field("", max_length=30, pattern=NO_NUL, description="户号，可省略")


class HouseholdPatch(Schema):
    version: int = Field(..., ge=1, le=ID_MAX)
    region: Text | None = Field(None, max_length=24, pattern=NO_NUL)
    address: Text | None = Field(None, max_length=200, pattern=NO_NUL)
    head: int | None = Ref


class HouseholdOut(Schema):
    id: int
    number: str | None
    address: str
    region: str = Field(description="微网格代码")
    head: int | None = Field(description="户主的人员编号")
    version: int

    @staticmethod
    def resolve_region(household: Household) -> str:
        return household.region.code

    @staticmethod
    def resolve_head(household: Household) -> int | None:
        return household.head_id


def _region(member, code: str | None, field: str = "region") -> Region | None:
    # Unknown and out-of-jurisdiction read the same: a field error, never a hint which it was.
    if not code:
        return None
    region = Region.objects.filter(code=code, path__startswith=member.jurisdiction.path).first()
    if region is None:
        raise Invalid("提交的内容有误，请检查标出的字段。", errors={field: [f"所选区域{OUTSIDE}"]})
    return region


def _household(member, household_id: int | None) -> Household | None:
    if household_id is None:
        return None
    household = Household.objects.visible_to(member).filter(pk=household_id).first()
    if household is None:
        raise Invalid("提交的内容有误，请检查标出的字段。", errors={"household": [f"所选户{OUTSIDE}"]})
    return household


def _person_fields(member, payload: PersonFields) -> dict:
    given = payload.dict(exclude_unset=True, exclude={"version", "id_number", "household", "region"})
    if payload.household is not None:
        given["household"] = _household(member, payload.household)
    if payload.region:
        given["region"] = _region(member, payload.region)
    return {key: value for key, value in given.items() if value is not None or key == "phone"}


def _card(member, person: Person) -> Person:
    return selectors.person_get_visible(member=member, person_id=person.pk)


@router.post("/persons", response={201: PersonOut, 200: PersonOut, **ERRORS}, summary="登记人员")
def person_create(request, payload: PersonIn, idempotency_key: str | None = KEY):
    member = request.member
    require_permission(member, "person.view")
    fields = {"phone": "", **_person_fields(member, payload)}
    fields["phone"] = fields["phone"] or ""
    person, created = upkeep.person_create(
        actor=member, id_number=payload.id_number, idempotency_key=idempotency_key or "", **fields
    )
    return Status(201 if created else 200, _card(member, person))


@router.patch("/persons/{person_id}", response={200: PersonOut, **ERRORS}, summary="更正人员信息（带 version）")
def person_update(request, person_id: PersonId, payload: PersonPatch):
    member = request.member
    require_permission(member, "person.view")
    person = selectors.person_get_visible(member=member, person_id=person_id)
    fields = _person_fields(member, payload)
    person = upkeep.person_update(
        actor=member, person=person, version=payload.version, id_number=payload.id_number, **fields
    )
    return _card(member, person)


@router.post("/households", response={201: HouseholdOut, 200: HouseholdOut, **ERRORS}, summary="登记户")
def household_create(request, payload: HouseholdIn, idempotency_key: str | None = KEY):
    member = request.member
    require_permission(member, "person.view")
    household, created = upkeep.household_create(
        actor=member,
        region=_region(member, payload.region),
        address=payload.address,
        number=payload.number,
        idempotency_key=idempotency_key or "",
    )
    return Status(201 if created else 200, household)


@router.patch("/households/{household_id}", response={200: HouseholdOut, **ERRORS}, summary="修改户信息（带 version）")
def household_update(request, household_id: HouseholdId, payload: HouseholdPatch):
    member = request.member
    require_permission(member, "person.view")
    household = selectors.household_get_visible(member=member, household_id=household_id)
    head = None
    if payload.head is not None:
        head = Person.objects.visible_to(member).filter(pk=payload.head).first()
        if head is None:
            raise Invalid("提交的内容有误，请检查标出的字段。", errors={"head": [f"所选人员{OUTSIDE}"]})
    return upkeep.household_update(
        actor=member,
        household=household,
        version=payload.version,
        region=_region(member, payload.region),
        address=payload.address,
        head=head,
    )


class LeftIn(Schema):
    version: int = Field(..., ge=1, le=ID_MAX)
    status: Literal["moved_out", "deceased"] = Field(description="moved_out 迁出，deceased 死亡")
    purpose: Text = Field("", max_length=services.PURPOSE_MAX, description="事由，必填，记入审计日志")


@router.post("/persons/{person_id}/left", response={200: PersonOut, **ERRORS}, summary="登记迁出或死亡（须说明事由）")
def person_left(request, person_id: PersonId, payload: LeftIn):
    member = request.member
    require_permission(member, "person.reveal")
    person = selectors.person_get_visible(member=member, person_id=person_id)
    person = upkeep.person_mark_left(
        actor=member, person=person, version=payload.version, status=payload.status, purpose=payload.purpose
    )
    return _card(member, person)


# Tags by hand (issue 15 part 3): with a reason, kept in the history, audited.
TagKey = Annotated[str, Path(max_length=40, pattern=NO_NUL, description="标签代码或名称")]


class TagReasonIn(Schema):
    # Optional in the schema so that a role that may not tag hears 403, not 422.
    reason: Text = Field("", max_length=tagging.REASON_MAX, description="事由，必填，记入标签变更记录和审计日志")


class TagIn(TagReasonIn):
    tag: Text = Field(..., max_length=40, pattern=NO_NUL, description="标签代码或名称，如 留守老人")


@router.post("/persons/{person_id}/tags", response={201: PersonOut, **ERRORS}, summary="添加人员标签（须说明事由）")
def person_tag_add(request, person_id: PersonId, payload: TagIn):
    member = request.member
    services.require_editor(member)
    person = selectors.person_get_visible(member=member, person_id=person_id)
    tagging.person_tag_add(actor=member, person=person, tag=payload.tag, reason=payload.reason)
    return Status(201, _card(member, person))


@router.delete(
    "/persons/{person_id}/tags/{tag}", response={200: PersonOut, **ERRORS}, summary="移除人员标签（须说明事由）"
)
def person_tag_remove(request, person_id: PersonId, tag: TagKey, payload: TagReasonIn):
    member = request.member
    services.require_editor(member)
    person = selectors.person_get_visible(member=member, person_id=person_id)
    tagging.person_tag_remove(actor=member, person=person, tag=tag, reason=payload.reason)
    return _card(member, person)


class PersonMergeIn(Schema):
    version: int = Field(..., ge=1, le=ID_MAX, description="本记录（被合并者）的 version")
    into: int = Field(..., ge=1, le=ID_MAX, description="保留的记录编号")
    purpose: Text = Field("", max_length=services.PURPOSE_MAX, description="事由，必填，记入审计日志")


@router.post("/persons/{person_id}/merge", response={200: PersonOut, **ERRORS}, summary="合并重复记录（须说明事由）")
def person_merge(request, person_id: PersonId, payload: PersonMergeIn):
    member = request.member
    require_permission(member, "person.reveal")
    person = selectors.person_get_visible(member=member, person_id=person_id)
    survivor = Person.objects.visible_to(member).filter(pk=payload.into).first()
    if survivor is None:
        raise Invalid("提交的内容有误，请检查标出的字段。", errors={"into": [f"所选人员{OUTSIDE}"]})
    survivor = upkeep.person_merge(
        actor=member, merged=person, survivor=survivor, version=payload.version, purpose=payload.purpose
    )
    return _card(member, survivor)


# 隆回微警 (issue 15 parts 5 and 6): police contacts, coverage, the officer's list, alerts.
class PoliceContactIn(Schema):
    channel: Literal["wechat", "phone", "visit"] = Field(description="wechat 微信好友，phone 电话，visit 走访")
    contacted_on: date = Field(description="联系日期，不晚于今天")
    verified: bool = Field(False, description="是否已核实身份")


class PoliceContactOut(Schema):
    id: int
    channel: str
    contacted_on: date
    verified: bool
    officer: str = Field(alias="officer_name")
    unit: str = Field(alias="unit_name")


@router.post(
    "/persons/{person_id}/contacts", response={201: PoliceContactOut, **ERRORS}, summary="记录警民联系（民警）"
)
def person_contact_add(request, person_id: PersonId, payload: PoliceContactIn):
    member = request.member
    require_permission(member, "police.contact")
    person = selectors.person_get_visible(member=member, person_id=person_id)
    contact = police.police_contact_record(actor=member, person=person, **payload.dict())
    return Status(201, contact)


@router.get(
    "/persons/{person_id}/contacts", response={200: list[PoliceContactOut], **ERRORS}, summary="人员的警民联系记录"
)
def person_contacts(request, person_id: PersonId):
    require_permission(request.member, "person.view")
    person = selectors.person_get_visible(member=request.member, person_id=person_id)
    return list(selectors.police_contacts(person=person))


class CoverageQuery(Schema):
    region: Text = Field("", max_length=24, pattern=NO_NUL, description="区划/网格代码；缺省为本人辖区")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=100)


class CoverageRowOut(Schema):
    code: str
    name: str
    households: int
    joined: int
    persons: int
    contacted: int


class CoverageOut(CoverageRowOut):
    children: list[CoverageRowOut]


def _coverage_row(row: selectors.Coverage) -> dict:
    return {
        "code": row.region.code,
        "name": row.region.name,
        "households": row.households,
        "joined": row.joined,
        "persons": row.persons,
        "contacted": row.contacted,
    }


def _region_within(member, code: str) -> Region:
    region = region_get_visible(member=member, code=code) if code else member.jurisdiction
    return region if region.is_within(member.jurisdiction) else member.jurisdiction


@router.get("/police-contact/coverage", response={200: CoverageOut, **ERRORS}, summary="警民联系覆盖（户、人）")
def police_coverage(request, filters: Query[CoverageQuery]):
    member = request.member
    require_permission(member, "person.view")
    refuse_unknown_query(request, CoverageQuery.model_fields)
    top = selectors.coverage(member=member, region=_region_within(member, filters.region))
    return {**_coverage_row(top), "children": [_coverage_row(child) for child in top.children]}


class WorklistItemOut(Schema):
    id: int
    name: str
    region: RegionRef
    household: HouseholdRef | None
    phone_masked: str


class WorklistPageOut(Schema):
    count: int
    items: list[WorklistItemOut]


@router.get(
    "/police-contact/worklist", response={200: WorklistPageOut, **ERRORS}, summary="我的警民联系清单（尚未联系）"
)
def police_worklist(request, filters: Query[CoverageQuery]):
    member = request.member
    require_permission(member, "police.contact")
    refuse_unknown_query(request, CoverageQuery.model_fields)
    persons = selectors.persons_uncontacted(member=member, region=_region_within(member, filters.region))
    start = (filters.page - 1) * filters.page_size
    return {"count": persons.count(), "items": list(persons[start : start + filters.page_size])}


class FraudAlertIn(Schema):
    title: Text = Field(..., max_length=50, pattern=NO_NUL)
    text: Text = Field(..., max_length=300, pattern=NO_NUL)
    region: Text = Field(..., max_length=24, pattern=NO_NUL, description="镇、村、网格或微网格代码")
    tag: Text = Field("", max_length=40, pattern=NO_NUL, description="标签代码或名称，可省略")


class AlertReachOut(Schema):
    village: RegionRef
    recipients: int
    sent: int
    delivered: int
    acknowledged: int
    failed: int


class FraudAlertOut(Schema):
    id: int
    title: str
    text: str
    state: Literal["queued", "sent"]
    region: RegionRef
    tag: str = Field(description="标签名称；空为全部群众")
    recipients: int
    created_at: datetime

    @staticmethod
    def resolve_tag(alert) -> str:
        return alert.tag.name if alert.tag_id else ""


class FraudAlertDetailOut(FraudAlertOut):
    reach: list[AlertReachOut] = Field(description="各村送达情况（只有人数，不含任何手机号）")


@router.post("/fraud-alerts", response={201: FraudAlertOut, **ERRORS}, summary="发布反诈预警（民警）")
def fraud_alert_send(request, payload: FraudAlertIn):
    member = request.member
    require_permission(member, "fraud.alert")
    alert = police.fraud_alert_send(
        actor=member,
        title=payload.title,
        text=payload.text,
        region=_region(member, payload.region),
        tag=payload.tag,
    )
    return Status(201, alert)


@router.get("/fraud-alerts/{alert_id}", response={200: FraudAlertDetailOut, **ERRORS}, summary="反诈预警及各村送达情况")
def fraud_alert_detail(request, alert_id: Annotated[int, Path(ge=1, le=ID_MAX)]):
    member = request.member
    require_permission(member, "fraud.alert")
    alert = selectors.fraud_alert_get_visible(member=member, alert_id=alert_id)
    alert.reach = selectors.alert_reach(alert=alert)
    return alert


@router.post(
    "/fraud-alerts/{alert_id}/deliveries/{delivery_id}/acknowledge",
    response={200: AlertReachOut, **ERRORS},
    summary="确认某人收到预警",
)
def fraud_alert_acknowledge(
    request, alert_id: Annotated[int, Path(ge=1, le=ID_MAX)], delivery_id: Annotated[int, Path(ge=1, le=ID_MAX)]
):
    member = request.member
    require_permission(member, "fraud.alert")
    alert = selectors.fraud_alert_get_visible(member=member, alert_id=alert_id)
    delivery = alert.deliveries.select_related("village").filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound("没有这个发送对象。", code="not_found")
    police.alert_delivery_acknowledge(actor=member, delivery=delivery)
    return next(row for row in selectors.alert_reach(alert=alert) if row.village.pk == delivery.village_id)
