"""Request and answer shapes of the grid-work API (docs/notes-fieldwork.md lists the paths)."""

from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema

from yimen.cases.schemas import LocalTime, LocationIn, Moment
from yimen.core.api import NO_NUL, IsoDay, Text, text_field
from yimen.core.images import MAX_PHOTOS
from yimen.core.schemas import Photo
from yimen.fieldwork.models import Report

ReportKind = Literal[tuple(Report.Kind.values)]
Key = Annotated[str, Field(min_length=1, max_length=100, description="客户端生成的唯一键（crypto.randomUUID）")]
Code = Annotated[str, Field(max_length=24, pattern=NO_NUL)]


class ReportIn(Schema):
    kind: ReportKind
    title: Text = text_field(200, required=True)
    description: Text = text_field(2000)
    category: Text = Field("", max_length=60, pattern=NO_NUL, description="派单目录条目代码")
    party_name: Text = Field("", max_length=100, pattern=NO_NUL, description="当事人（矛盾纠纷必填）")
    region: Code | None = Field(None, description="手选的网格或微网格代码（无定位时必填）")
    location: LocationIn | None = Field(None, description="手机定位；落在哪个微网格由服务端判定")
    photos: list[Photo] = Field([], max_length=MAX_PHOTOS, description="压缩后的 JPEG，base64（可带 data: 前缀）")


class RefOut(Schema):
    code: str
    name: str


class CaseProgressOut(Schema):
    code: str
    state: str
    state_label: str
    deadline: LocalTime | None
    updated_at: LocalTime


class ReportOut(Schema):
    id: int
    kind: str
    state: str
    state_label: str
    title: str
    region: RefOut
    located: str
    reporter_name: str
    photos: int
    case: CaseProgressOut | None
    created_at: LocalTime


class VisitIn(Schema):
    household: int = Field(..., ge=1, le=2_147_483_647)
    household_version: int = Field(..., ge=1, le=2_147_483_647, description="离线前看到的该户版本号")
    kind: Literal["visit", "note"] = "visit"
    person: int | None = Field(None, ge=1, le=2_147_483_647, description="记在该户某一成员名下（可选）")
    text: Text = text_field(2000, required=True)
    happened_on: IsoDay
    follow_up: Text = text_field(500)
    follow_up_due: IsoDay | None = None


class SubmittedOut(Schema):
    id: int
    created: bool


class VisitHouseholdOut(Schema):
    id: int
    address: str
    region: RefOut
    head: str
    size: int
    version: int
    police_contact: bool
    defence_group: str | None


class HouseholdPageOut(Schema):
    count: int
    items: list[VisitHouseholdOut]


class HouseholdQuery(Schema):
    region: Code | None = Field(None, description="网格或微网格代码（默认本人负责的全部）")
    q: str = Field("", max_length=50, description="户主姓名、住址、户号或“组-号”（如 3-12）")
    page: int = Field(1, ge=1, le=1_000_000)


class TaskOut(Schema):
    kind: Literal["follow_up", "unvisited", "verify", "report", "check"]
    title: str
    due: date | None = None
    url: str


class CheckListOut(Schema):
    place_type: str
    name: str
    items: list[str]
    every_days: int


class CheckResultIn(Schema):
    item: Text = text_field(100, required=True)
    result: Literal["ok", "problem"]


class CheckIn(Schema):
    place: int = Field(..., ge=1, le=2_147_483_647)
    checked_on: IsoDay
    results: list[CheckResultIn] = Field(..., max_length=50, description="清单上每一项：正常 ok / 有问题 problem")
    note: Text = text_field(500)
    report_problems: bool = True


class PatrolIn(Schema):
    team: int = Field(..., ge=1, le=2_147_483_647)
    started_at: Moment
    ended_at: Moment
    route: list[tuple[float, float]] = Field([], max_length=5000, description="[[纬度, 经度], …]")
    note: Text = text_field(1000)


class AlertIn(Schema):
    household: int = Field(..., ge=1, le=2_147_483_647)
    message: Text = text_field(200, required=True)


class AlertCallOut(Schema):
    position: int
    name: str
    phone_masked: str
    result: str
    acknowledged_at: LocalTime | None


class AlertOut(Schema):
    id: int
    group: str
    household: str
    message: str
    raised_at: LocalTime
    calls: list[AlertCallOut]


class CameraOut(Schema):
    code: str
    name: str
    lat: float
    lng: float
    region: RefOut
    owner: str
    status: str
    covers: list[str]


class CameraQuery(Schema):
    region: Code | None = Field(None, description="区划代码（含下级），默认本人管辖范围")
