"""API bodies and answers of mediation (API.md "Mediation, documents"). Every step's body
carries the case `version` it was read at, as the case's own actions do (a stale one → 409)."""

from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema

from yimen.cases.schemas import LocalTime, Moment, VersionIn
from yimen.core.api import NO_NUL, IsoDay, Text, text_field
from yimen.core.schemas import Id
from yimen.mediation.models import Agreement, Consent, CourtConfirmation, Mediation, Mediator, Session, TeamMember

Day = IsoDay  # ranges (not in the future, after the agreement …) are the services' to check
KindValue = Literal[tuple(Mediator.Kind.values)]
ChannelValue = Literal[tuple(Mediation.Channel.values)]


class MediatorOut(Schema):
    id: int
    name: str
    kind: str
    region: str
    skills: list[str]


class MediatorIn(Schema):
    name: Text = Field(..., min_length=1, max_length=50, pattern=r"^[^\x00]*[^\s\x00][^\x00]*$")
    kind: KindValue
    region: Text = Field(..., max_length=24, pattern=NO_NUL, description="所在村或镇的区划代码")
    villages: list[Annotated[str, Field(max_length=24, pattern=NO_NUL)]] = Field([], max_length=50)
    skills: list[Annotated[str, Field(max_length=10, pattern=NO_NUL)]] = Field([], max_length=8)
    title: Text = text_field(50)
    availability: Text = text_field(100)
    unit: Text = text_field(40, description="所属单位代码")
    is_active: bool = True


class MediatorUpdateIn(MediatorIn):
    version: Id


class SessionIn(VersionIn):
    held_at: Moment
    place: Text = text_field(100)
    mediators: list[Id] = Field(..., min_length=1, max_length=20)
    attendees: list[Annotated[str, Field(max_length=50, pattern=NO_NUL)]] = Field(..., max_length=50)
    minutes: Text = text_field(5000)
    outcome: Literal[tuple(Session.Outcome.values)]
    next_channel: ChannelValue | Literal[""] = Field("", description="调解不成时的后续途径")


class SessionOut(Schema):
    id: int
    held_at: LocalTime
    place: str
    mediators: list[int]
    attendees: list[str]
    minutes: str
    outcome: str


class AgreementIn(VersionIn):
    facts: Text = text_field(5000, description="纠纷的主要事实")
    dispute_points: Text = text_field(5000, description="争议事项")
    responsibilities: Text = text_field(5000, description="各方当事人的责任")
    terms: Text = text_field(5000, description="协议内容")
    performance_manner: Text = text_field(300, description="履行方式")
    performance_due: Day | None = Field(None, description="履行期限 YYYY-MM-DD")
    oral: bool = Field(False, description="口头协议（人民调解法第二十八条）：不制作协议书")
    mediator: Id | None = Field(None, description="签名的调解员（默认主持调解的调解员）")
    seek_confirmation: bool = Field(False, description="当事人拟申请司法确认（到期前提醒）")


class DocumentItem(Schema):
    kind: str
    title: str
    url: str
    content_type: str


class AgreementOut(Schema):
    documents: list[DocumentItem]


class TeamIn(VersionIn):
    members: list[Id] = Field(..., min_length=1, max_length=20)
    roles: dict[str, Literal[tuple(TeamMember.Role.values)]] = Field({}, description="调解员 id → 角色（默认按类别）")
    chief: Id | None = None
    without_consent_reason: str = Field(
        "", max_length=300, description="当事人同意尚未全部记录时，先组建调解组的理由（人民调解法第十七条）"
    )


class ConsentIn(VersionIn):
    party: Id = Field(..., description="当事人 id（GET /cases/{code} 的 parties）")
    consented: bool
    manner: Literal[tuple(Consent.Manner.values)]
    at: Moment | None = None
    note: Text = text_field(300)


class ExtensionIn(VersionIn):
    days: int = Field(..., ge=1, le=365)
    reason: Text = text_field(300)
    consented_parties: list[Id] = Field(..., max_length=50, description="同意延长的当事人 id（须全部当事人）")


class EndIn(VersionIn):
    result: Literal["failed", "declined"]
    next_channel: ChannelValue
    note: Text = text_field(2000)


class ConfirmationApplyIn(VersionIn):
    applied_on: Day
    court: Text = text_field(40, description="法院单位代码（默认案件所在地法庭）")


class ConfirmationAcceptIn(VersionIn):
    accepted_on: Day


class ConfirmationExtendIn(VersionIn):
    reason: Text = text_field(300)


class ConfirmationDecisionIn(VersionIn):
    confirmed: bool
    decided_on: Day
    note: Text = text_field(300)


class PerformanceIn(VersionIn):
    performance: Literal[tuple(v for v in Agreement.Performance.values if v != "pending")]
    note: Text = text_field(300)
    checked_on: Day | None = None


class TeamMemberOut(Schema):
    mediator: int
    name: str
    role: str
    is_chief: bool


class ConsentOut(Schema):
    party: int
    name: str
    consented: bool
    manner: str
    at: LocalTime


class ConfirmationOut(Schema):
    court: str
    state: Literal[tuple(CourtConfirmation.State.values)]
    applied_on: date
    accept_due: LocalTime
    accepted_on: date | None
    decide_due: LocalTime | None
    extended: bool
    decided_on: date | None


class AgreementSummary(Schema):
    signed_at: LocalTime
    oral: bool
    partial: bool
    mediator: int
    copies: int
    performance_due: date
    confirm_by: LocalTime
    performance: str


class MediationOut(Schema):
    case: str
    version: int = Field(..., description="案件当前版本号：下一步调解操作带上它")
    committee: str
    level: str
    result: str
    started_at: LocalTime
    due: LocalTime
    extension_days: int
    ended_at: LocalTime | None
    next_channel: str
    team: list[TeamMemberOut]
    consents: list[ConsentOut]
    sessions: list[SessionOut]
    agreement: AgreementSummary | None
    confirmation: ConfirmationOut | None
