"""Request and answer shapes of the grid-work API (docs/notes-fieldwork.md lists the paths)."""

from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema

from yimen.cases.schemas import LocalTime, LocationIn, Moment
from yimen.core.api import NO_NUL, IsoDay, Text, text_field
from yimen.core.images import MAX_PHOTOS
from yimen.core.schemas import Id, Photo
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
    id: int
    code: str
    name: str
    lat: float
    lng: float
    region: RefOut
    unit: str | None = Field(description="权属单位代码；单位外的权属方为 null，见 owner")
    owner: str = Field(description="权属单位名称")
    status: Literal["online", "offline", "broken"] = Field(description="在线、离线、故障")
    covers: list[str]
    version: int
    retired_at: LocalTime | None
    retired_reason: str


class CameraIn(Schema):
    code: Text = Field(..., max_length=30, pattern=NO_NUL)
    name: Text = Field(..., max_length=100, pattern=NO_NUL)
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)
    region: Code = Field(..., description="所在网格（村、网格、微网格或专属网格）代码")
    unit: Code | None = Field(None, description="权属单位代码（本系统内的单位）")
    owner: Text = Field("", max_length=100, pattern=NO_NUL, description="单位外的权属方名称（无 unit 时必填）")
    covers: list[Code] = Field([], max_length=20, description="覆盖网格代码；默认所在网格")


class CameraPatch(Schema):
    version: int = Field(..., ge=1)
    name: Text | None = Field(None, max_length=100, pattern=NO_NUL)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    region: Code | None = None
    unit: Code | None = None
    owner: Text | None = Field(None, max_length=100, pattern=NO_NUL)
    covers: list[Code] | None = Field(None, max_length=20)


class CameraLogIn(Schema):
    version: int = Field(..., ge=1)
    status: Literal["online", "offline", "broken"]
    note: Text = Field("", max_length=500, pattern=NO_NUL, description="维护说明；状态不变时必填")


class CameraLogOut(Schema):
    id: int
    at: LocalTime
    by: str = Field(description="记录人")
    unit: str
    from_status: str
    to_status: str
    note: str

    @staticmethod
    def resolve_by(entry) -> str:
        return entry.by_name

    @staticmethod
    def resolve_unit(entry) -> str:
        return entry.unit_name


class AssetRetireIn(Schema):
    version: int = Field(..., ge=1)
    # Optional in the schema so that a role that may not retire hears 403, not 422.
    reason: Text = Field("", max_length=200, pattern=NO_NUL, description="原因，必填")


class CitedCameraOut(Schema):
    camera: CameraOut
    cited_by: str
    cited_at: LocalTime
    note: str


class NearCameraOut(CameraOut):
    metres: int | None = Field(description="距案发地的米数；案件无定位时为 null")


class CaseCamerasOut(Schema):
    cited: list[CitedCameraOut]
    nearby: list[NearCameraOut] = Field(description="同一网格或附近、尚未引用的在用监控点")


class CiteIn(Schema):
    camera: Id = Field(..., description="监控点编号（id）")
    note: Text = Field("", max_length=200, pattern=NO_NUL)


class PatrolTeamOut(Schema):
    id: int
    name: str
    region: RefOut
    members: int = Field(description="在岗队员人数")
    version: int
    retired_at: LocalTime | None
    retired_reason: str


class PatrolTeamIn(Schema):
    name: Text = Field(..., max_length=50, pattern=NO_NUL)
    region: Code = Field(..., description="镇、村（社区）或网格代码")


class PatrolTeamPatch(Schema):
    version: int = Field(..., ge=1)
    name: Text | None = Field(None, max_length=50, pattern=NO_NUL)
    region: Code | None = None


class ShiftIn(Schema):
    on: IsoDay
    shift: Literal["day", "night"] = Field(description="day 白班，night 夜班")
    members: list[Id] = Field(..., min_length=1, max_length=50, description="本队在岗队员编号")


class ShiftMemberOut(Schema):
    id: int
    name: str
    duty: str


class ShiftOut(Schema):
    on: date
    shift: str
    members: list[ShiftMemberOut]


class ShiftQuery(Schema):
    since: IsoDay | None = Field(None, description="起始日期（含），默认今天；列出其后 14 天")


class CameraQuery(Schema):
    region: Code | None = Field(None, description="区划代码（含下级），默认本人管辖范围")
