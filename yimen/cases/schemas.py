"""API shapes for cases (API.md "Cases"): the request bodies, one per action, and the answers.
Choices are inline enums and times are answered in Beijing time (+08:00); a naive time sent in
is Beijing time."""

from datetime import datetime
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator

from yimen.cases import sorting
from yimen.cases.choices import ContactChannel
from yimen.cases.models import Case, Channel, Kind, Party, PetitionType, ReasonType, Risk
from yimen.core.api import NO_NUL, IsoDay, Text, text_field
from yimen.core.schemas import Id
from yimen.org.api import UnitRef
from yimen.people.services import PURPOSE_MAX


def _aware(value: datetime) -> datetime:
    # A naive time is Beijing time. Ranges (not in the future, within a year ...) are the
    # services' to check, with field errors, after the case has been found.
    return value if value.tzinfo else timezone.make_aware(value)


def _local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value else value


# Choices as inline enums: Django's TextChoices classes would become OpenAPI components named
# after the class ("Kind"), colliding with other apps' ("Unit.Kind").
KindValue = Literal[tuple(Kind.values)]
ChannelValue = Literal[tuple(Channel.values)]
RiskValue = Literal[tuple(Risk.values)]
PetitionTypeValue = Literal[tuple(PetitionType.values)]
PartyRoleValue = Literal[tuple(Party.Role.values)]
StateValue = Literal[tuple(Case.State.values)]
SortValue = Literal[tuple(sorted(sorting.SORT_KEYS))]
Moment = Annotated[datetime, AfterValidator(_aware)]
LocalTime = Annotated[datetime, AfterValidator(_local)]  # answers in +08:00 (API.md)
UnitCode = Annotated[str, Field(max_length=40, pattern=NO_NUL)]
Version = Annotated[int, Field(ge=1, le=2_147_483_647, description="读取时的案件版本号（乐观并发）")]


# --------------------------------------------------------------------------------------------
# Schemas


class LocationIn(Schema):
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)


class PartyIn(Schema):
    name: Text = text_field(100, required=True)
    role: PartyRoleValue
    phone: Annotated[str, Field(max_length=30, pattern=NO_NUL)] | None = None
    id_number: Annotated[str, Field(max_length=18, pattern=NO_NUL)] | None = None
    person_id: Id | None = None


class CaseIn(Schema):
    kind: KindValue
    title: Text = text_field(200, required=True)
    description: Text = text_field(5000)
    channel: ChannelValue
    source_ref: Text = text_field(60, description="来源编号，如 110 接警单号 110-20261201-0032")
    region: Text = Field(..., min_length=1, max_length=24, pattern=NO_NUL, description="区划/网格代码")
    location: LocationIn | None = None
    occurred_at: Moment | None = None
    received_at: Moment | None = Field(None, description="收到时间（默认现在）；法定期限自此起算")
    category: Annotated[str, Field(max_length=60, pattern=NO_NUL)] | None = Field(None, description="派单目录条目代码")
    risk: RiskValue | None = None
    petition_type: PetitionTypeValue | None = None
    accused_units: list[UnitCode] = Field([], max_length=20)
    parties: list[PartyIn] = Field([], max_length=50)
    group_size: int | None = Field(None, ge=1, le=100_000, description="涉及人数（默认按申请人、代表人计）")
    review_of: Annotated[str, Field(max_length=32, pattern=NO_NUL)] | None = Field(
        None, description="信访：请求复查或复核的原信访事项编码（类别不填时按复查申请或复核申请登记）"
    )
    accused_users: list[Annotated[str, Field(max_length=150, pattern=NO_NUL)]] = Field(
        [], max_length=20, description="检举控告类信访：被检举控告的工作人员账号（本人看不到该件）"
    )


class PartyOut(Schema):
    name: str
    role: str
    phone_masked: str
    id_number_masked: str
    person_id: int | None


class AssignmentOut(Schema):
    unit: str = Field(..., alias="unit.code")
    unit_name: str = Field(..., alias="unit.name")
    role: str
    state: str
    deadline: LocalTime | None
    sign_deadline: LocalTime | None
    dispute_deadline: LocalTime | None
    signed_at: LocalTime | None
    replied_at: LocalTime | None
    reply: str


class LocationOut(Schema):
    lat: float
    lng: float


class CaseOut(Schema):
    code: str
    kind: str
    title: str
    description: str
    channel: str
    source_ref: str
    state: str
    state_label: str
    version: int
    risk: str
    region: str
    region_name: str
    location: LocationOut | None
    occurred_at: LocalTime | None
    received_at: LocalTime
    category: str | None
    category_name: str | None
    petition_type: str | None
    accused_units: list[str]
    group_size: int
    first_unit: UnitRef
    lead_unit: str | None
    accept_deadline: LocalTime | None
    deadline: LocalTime | None
    extension_days: int
    overdue: bool
    overdue_level: str
    merged_into: str | None
    referred_to: str
    joint_plan: str
    rating: int | None
    parties: list[PartyOut]
    assignments: list[AssignmentOut]
    allowed_actions: list[str]
    created_at: LocalTime
    updated_at: LocalTime


class CaseRegisteredOut(CaseOut):
    """The answer to POST /cases (API.md): the case and, for the receipt the registrar hands to
    the citizen, its public lookup token. No other staff answer carries the token."""

    public_token: str


class CaseItemOut(Schema):
    code: str
    title: str
    kind: str
    state: str
    risk: str
    region: str
    region_name: str
    lead_unit: str | None
    deadline: LocalTime | None
    overdue: bool
    updated_at: LocalTime


class CasePageOut(Schema):
    count: int = Field(description="件数；count_exact 为 false 时为下限（超过 10000 件不再精确计数）")
    count_exact: bool = Field(description="count 是否为精确件数")
    items: list[CaseItemOut]


class CaseQuery(Schema):
    state: StateValue | None = None
    kind: KindValue | None = None
    region: Annotated[str, Field(max_length=24, pattern=NO_NUL)] | None = Field(None, description="区划代码（含下级）")
    risk: RiskValue | None = None
    overdue: bool | None = None
    q: Text = Field("", max_length=100, pattern=NO_NUL)
    received_since: IsoDay | None = Field(None, description="收到日期起（含），北京时间 YYYY-MM-DD")
    received_until: IsoDay | None = Field(None, description="收到日期止（含），北京时间 YYYY-MM-DD")
    sort: SortValue = Field(
        sorting.NEWEST,
        description="排序列：deadline 期限最近在前、risk 红色在前、received 最新收到在前，及 code、title、kind、state、"
        "region、unit；前加 - 则反向",
    )
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


class ContactOut(Schema):
    party: int
    name: str
    channel: str
    result: str


class PersonCasesQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


class EventOut(Schema):
    at: LocalTime
    actor: str
    unit: str
    unit_name: str
    action: str
    from_state: str
    to_state: str
    note: str
    contact: ContactOut | None = Field(None, description="办理记录（note）联系当事人的记录")


class DocumentOut(Schema):
    kind: str
    title: str
    url: str
    content_type: str


class StepOut(Schema):
    at: LocalTime
    action: str
    label: str
    unit: str


class PublicCaseOut(Schema):
    code: str
    state: str
    state_label: str
    steps: list[StepOut]
    clocks: list[str] = Field([], description="法定期限的白话说明（何时前告知受理、何时前办结、已延期、已办结）")
    can_rate: bool


class RatingIn(Schema):
    rating: int = Field(..., ge=1, le=5)
    note: Text = text_field(500)
    code: str = Field(
        "", max_length=6, pattern=r"^\d{0,6}$", description="发到申请人手机的短信验证码（POST …/verify 获取）"
    )


class CatalogueRowOut(Schema):
    code: str
    name: str
    group: str
    kind: str
    lead: str
    supports: list[str]
    deadline: str
    risk: str
    is_default: bool


# Action bodies (API.md: body {version, ...})


class VersionIn(Schema):
    version: Version


class NoteIn(VersionIn):
    note: Text = text_field(2000)


class ReasonIn(VersionIn):
    reason: Text = text_field(2000, required=True)


class DispatchIn(VersionIn):
    lead_unit: Text = Field(..., min_length=1, max_length=40, pattern=NO_NUL)
    support_units: list[UnitCode] = Field([], max_length=20)
    deadline: Moment | None = Field(None, description="办理期限（默认按派单目录计算）")
    plan: Text = text_field(5000, description="联合处置方案（红色风险必填）")
    note: Text = text_field(2000)


class RedispatchIn(VersionIn):
    lead_unit: Text = Field(..., min_length=1, max_length=40, pattern=NO_NUL)
    support_units: list[UnitCode] = Field([], max_length=20)
    note: Text = text_field(2000)


class ReplyIn(VersionIn):
    text: Text = text_field(5000, required=True)


class ReviewIn(VersionIn):
    approved: bool
    note: Text = text_field(2000)


class ExtendIn(VersionIn):
    days: int = Field(..., ge=1, le=365)
    reason: Text = text_field(2000, required=True)


class FollowUpIn(VersionIn):
    rating: int = Field(..., ge=1, le=5)
    note: Text = text_field(2000)
    cause: Literal["subjective", "objective"] | None = Field(
        None, description="不满意的原因：subjective 主观（办理不力，重办）或 objective 客观（政策法律所限）"
    )


class MergeIn(VersionIn):
    into: Text = Field(..., min_length=1, max_length=32, pattern=NO_NUL, description="并入的案件编码")
    note: Text = text_field(2000)


class ReferIn(VersionIn):
    to: Text = text_field(100, required=True, description="转往何处，如 110、人民法院、劳动仲裁")
    reason: Text = text_field(2000, required=True)


class RaiseRiskIn(VersionIn):
    risk: RiskValue
    reason: Text = text_field(2000, required=True)
    plan: Text = text_field(5000, description="联合处置方案（升为红色时必填，已有方案可不填）")


class ContactIn(Schema):
    party: int = Field(..., description="当事人序号（从 0 起，与 /cases/{code}/parties/{index} 相同）")
    channel: Literal[tuple(ContactChannel.values)] = Field(
        ..., description="phone 电话、visit 上门、wechat 微信、sms 短信"
    )
    result: Text = text_field(500, description="联系结果，如 已接通，当事人同意调解")


class CaseNoteIn(VersionIn):
    text: Text = text_field(5000, required=True, description="办理情况")
    contact: ContactIn | None = Field(None, description="联系当事人的记录（可不填）")


class ReleaseIn(VersionIn):
    unit: UnitCode = Field(..., description="撤回的协办单位代码")
    reason: Text = text_field(2000, required=True)


ReasonTypeValue = Literal[tuple(ReasonType.values)]


class UrgeIn(NoteIn):
    reason_type: ReasonTypeValue | None = Field(None, description="督办事由（催办可不填）")


class SuperviseIn(UrgeIn):
    """督办 / 通报: the typed reason is required (422 with the field named when missing); 其他
    needs the note. Each issues a 督办单 with its correction deadline."""

    reason_type: ReasonTypeValue | None = Field(
        None,
        description="督办事由（必填）：" + "、".join(f"{value} {label}" for value, label in ReasonType.choices),
    )
    correct_within_days: int | None = Field(
        None, ge=1, le=30, description="整改期限（工作日；默认督办 5 日、通报 3 日）"
    )


class SupervisionOrderOut(Schema):
    id: int
    number: str
    kind: str
    reason_type: str
    reason_label: str
    text: str
    unit: str
    unit_name: str
    issued_at: LocalTime
    issued_by: str
    correct_by: LocalTime
    overdue: bool
    answer: str
    answered_at: LocalTime | None
    documents: list[DocumentOut]


class DispatchSuggestionOut(Schema):
    lead_unit: str | None
    support_units: list[str]
    reason: str = Field(..., description="风险分级处置路径说明，如“橙色风险：派出所主办，村委会协办”")


class UpwardReportOut(Schema):
    to: str
    due_at: LocalTime
    overdue: bool
    reported_at: LocalTime | None
    reported_by: str
    text: str


class UpwardReportIn(Schema):
    text: Text = text_field(5000, description="报告内容（必填）")


class OrderAnswerIn(Schema):
    text: Text = text_field(5000, description="整改情况（必填）")


ACTION_BODIES: dict[str, type[Schema]] = {
    "accept": NoteIn,
    "decline": ReasonIn,
    "dispatch": DispatchIn,
    "sign": NoteIn,
    "dispute": ReasonIn,
    "redispatch": RedispatchIn,
    "reply": ReplyIn,
    "review": ReviewIn,
    "extend": ExtendIn,
    "close": NoteIn,
    "follow_up": FollowUpIn,
    "archive": NoteIn,
    "merge": MergeIn,
    "refer": ReferIn,
    "urge": UrgeIn,
    "supervise": SuperviseIn,
    "censure": SuperviseIn,
    "raise_risk": RaiseRiskIn,
    "take": NoteIn,
    "note": CaseNoteIn,
    "release": ReleaseIn,
}


class PartyRevealIn(Schema):
    # Optional in the schema so that a seat that may not reveal hears 403, not 422.
    purpose: Text = text_field(PURPOSE_MAX, description="查看目的，必填，如“电话联系受害人”")


class PartyRegisterIn(Schema):
    region: Annotated[str, Field(max_length=24, pattern=NO_NUL)] = Field(description="居住微网格代码")


class PartyRegisterOut(Schema):
    person: int = Field(description="实有人口编号（已登记的同一身份证号则为其编号）")


class PartyRevealOut(Schema):
    phone: str = Field(description="无则为空")
    id_number: str = Field(description="无则为空")


# --------------------------------------------------------------------------------------------
# 吹哨报到 (API.md "吹哨报到")


class WhistleIn(Schema):
    units: list[UnitCode] = Field(..., max_length=30, description="被召集单位代码")
    place: Text = text_field(200, required=True)
    reason: Text = text_field(2000, required=True)
    arrive_within_minutes: int = Field(..., description="报到时限（分钟，5–1440）")


class ArriveIn(Schema):
    location: LocationIn | None = Field(None, description="报到位置（手机定位，可不填）")


class WhistleRateIn(Schema):
    unit: UnitCode
    rating: int = Field(..., description="1–5")


class WhistleReleaseIn(Schema):
    reason: Text = text_field(2000, required=True)


class WhistleCallOut(Schema):
    unit: str
    unit_name: str
    due_at: LocalTime
    arrived_at: LocalTime | None
    late: bool
    location: LocationOut | None
    rating: int | None
    rated_at: LocalTime | None


class WhistleOut(Schema):
    id: int
    summoned_at: LocalTime
    summoned_by: str
    summoned_by_unit: str
    place: str
    reason: str
    arrive_within_minutes: int
    open: bool
    released_at: LocalTime | None
    release_note: str
    units: list[WhistleCallOut]
