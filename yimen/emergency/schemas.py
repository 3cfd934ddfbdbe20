"""API shapes for emergency command and the 快警站 (API.md "v1 additions (second batch)")."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from yimen.cases.schemas import LocalTime
from yimen.core.api import NO_NUL, IsoDay, Text
from yimen.core.schemas import Photo  # the phone's compressed JPEG, base64 as in the grid app
from yimen.emergency.models import TouristHelp

BASE64 = r"^(data:image/[a-z]+;base64,)?(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
# Free text of the new field and station endpoints: no NUL (PostgreSQL refuses it in text) and,
# where required, one visible character (the services refuse a blank one, the schema says so).
VISIBLE = r"^[^\x00]*\S[^\x00]*$"


class Location(Schema):
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)


class IncidentIn(Schema):
    title: Text = Field(min_length=1, max_length=100, pattern=NO_NUL)
    kind: Literal["flood", "fire", "geological", "accident", "missing", "public_order", "other"]
    level: int = Field(ge=1, le=4)
    region: Text = Field(min_length=1, max_length=24, pattern=NO_NUL)
    location: Location | None = None
    # No NUL in the codes: PostgreSQL refuses it in a query (a 500 otherwise).
    case: Text | None = Field(default=None, max_length=40, pattern=NO_NUL)
    units: list[Annotated[Text, Field(max_length=40, pattern=NO_NUL)]] = Field([], max_length=50)


class IncidentTaskOut(Schema):
    id: int
    unit: str
    title: str
    due_at: LocalTime
    state: str
    overdue: bool
    note: str
    done_at: LocalTime | None


class SituationReportOut(Schema):
    id: int
    text: str
    at: LocalTime
    by: str


class IncidentOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    level: int
    region: str
    case: str | None
    state: str
    declared_at: LocalTime
    closed_at: LocalTime | None
    units: list[str] = []
    commander: str | None = Field(None, description="指挥长（启动时的当班值班领导）")
    on_duty: list[str] = Field([], description="启动时的当班值班人员")
    followup_cases: list[str] = Field([], description="遗留事项登记的案件编码")
    tasks: list[IncidentTaskOut] = []
    reports: list[SituationReportOut] = []
    summary: str = ""


class TaskIn(Schema):
    unit: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=200)
    due_at: datetime


class TaskNoteIn(Schema):
    note: str = Field(default="", max_length=2000)


class TextIn(Schema):
    text: str = Field(min_length=1, max_length=5000)


class SummaryIn(Schema):
    summary: str = Field(min_length=1, max_length=5000)


class LostItemIn(Schema):
    kind: Literal["lost", "found"]
    description: str = Field(min_length=1, max_length=300)
    place: str = Field(min_length=1, max_length=100)
    at: datetime


class LostItemOut(Schema):
    id: int
    kind: str
    description: str
    place: str
    at: LocalTime
    state: str
    returned_to: str
    registered_at: LocalTime
    handed_to: str = ""
    handed_signed_by: str = ""
    handed_at: LocalTime | None = None


class MatchOut(LostItemOut):
    score: float


class ReturnIn(Schema):
    to_name: str = Field(min_length=1, max_length=50)
    id_checked: bool


class MissingIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    description: str = Field(min_length=1, max_length=2000)
    last_seen_at: datetime
    place: str = Field(min_length=1, max_length=100)


class MissingOut(Schema):
    id: int
    name: str
    state: str
    last_seen_at: LocalTime
    place: str
    alerted: int
    found_at: LocalTime | None
    minutes_to_find: int | None


class ProgressIn(Schema):
    note: Text = Field(min_length=1, max_length=2000, pattern=VISIBLE)
    photo: Photo | None = Field(
        None, description="现场照片（压缩后的 JPEG，base64）", json_schema_extra={"pattern": BASE64}
    )
    photos: list[Photo] = Field([], max_length=1, description="或：照片列表（手机待发送箱的格式，至多 1 张）")
    location: Location | None = None


class ProgressOut(Schema):
    id: int
    task: int
    note: str
    at: LocalTime
    by: str
    photo: bool
    lat: float | None
    lng: float | None


class SightingIn(Schema):
    place: Text = Field(min_length=1, max_length=100, pattern=VISIBLE)
    at: datetime
    note: Text = Field(default="", max_length=500, pattern=NO_NUL)


class SightingOut(Schema):
    id: int
    person: int
    place: str
    at: LocalTime
    note: str
    by: str


class HelpIn(Schema):
    kind: Literal[tuple(TouristHelp.Kind.values)]
    note: Text = Field(default="", max_length=300, pattern=NO_NUL)


class HelpOut(Schema):
    id: int
    kind: str
    note: str
    at: LocalTime


class DayQuery(Schema):
    date: IsoDay | None = Field(None, description="北京时间 YYYY-MM-DD，默认今天")


class StationDayOut(Schema):
    date: date
    services: int
    items_registered: int
    items_returned: int
    persons_reported: int
    persons_found: int


class ResourceIn(Schema):
    kind: Literal["team", "vehicle", "supply"]
    name: Text = Field(min_length=1, max_length=100, pattern=VISIBLE)
    quantity: int = Field(ge=1, le=100_000)
    place: Text = Field(min_length=1, max_length=100, pattern=VISIBLE)


class ResourceOut(Schema):
    id: int
    kind: str
    name: str
    quantity: int
    place: str
    unit: str
    incident: int | None = Field(description="正在服务的事件（空闲为 null）")


class AllocateIn(Schema):
    resource: int = Field(ge=1, le=2**31 - 1)


MEMBER_ID = Field(ge=1, le=2**31 - 1)


class DutyShiftIn(Schema):
    on: IsoDay
    shift: Literal["day", "night"]
    commander: int = MEMBER_ID
    members: list[Annotated[int, MEMBER_ID]] = Field(min_length=1, max_length=100)
    version: int | None = Field(None, ge=1, le=2**31 - 1, description="修改已有班次时带上读到的版本")


class DutyPersonOut(Schema):
    id: int
    name: str
    unit: str


class DutyShiftOut(Schema):
    on: date
    shift: str
    commander: DutyPersonOut
    members: list[DutyPersonOut]
    version: int


class RosterQuery(Schema):
    start: IsoDay | None = Field(None, alias="from", description="起始日期 YYYY-MM-DD，默认今天")
    days: int = Field(7, ge=1, le=31)


class FollowupPartyIn(Schema):
    name: Text = Field(min_length=1, max_length=100, pattern=VISIBLE)
    role: Literal["applicant", "respondent", "third_party"] = "applicant"


class FollowupCaseIn(Schema):
    kind: Literal["dispute", "appeal", "hazard"]
    title: Text = Field(min_length=1, max_length=200, pattern=VISIBLE)
    description: Text = Field(default="", max_length=2000, pattern=NO_NUL)
    parties: list[FollowupPartyIn] = Field([], max_length=20)


class FollowupCaseOut(Schema):
    incident: int
    case: str
    kind: str
    title: str
    at: LocalTime


class HandOverIn(Schema):
    to: Text = Field(min_length=1, max_length=100, pattern=VISIBLE, description="接收单位")
    signed_by: Text = Field(min_length=1, max_length=50, pattern=VISIBLE, description="接收人签收姓名")


class CallListIn(Schema):
    name: Text = Field(min_length=1, max_length=50, pattern=VISIBLE)
    phone: Text = Field(min_length=1, max_length=20, pattern=VISIBLE)
    note: Text = Field(default="", max_length=100, pattern=NO_NUL)


class RemovalReasonIn(Schema):
    reason: Text = Field(min_length=1, max_length=200, pattern=VISIBLE)


class CallListOut(Schema):
    id: int
    name: str
    phone: str = Field(description="脱敏手机号")
    note: str
    removed_at: LocalTime | None
    removed_reason: str
