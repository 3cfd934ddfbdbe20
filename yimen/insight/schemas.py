"""The API's shapes for the joint meetings and 会商 (API.md "Joint meetings and 会商")."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from yimen.core.api import NO_NUL, Text
from yimen.core.schemas import ID_MAX

CODE = {"max_length": 40, "pattern": NO_NUL}


class JointMeetingIn(Schema):
    held_at: datetime = Field(description="召开时间（含时区，如 2026-12-04T09:00:00+08:00）")
    kind: Literal["regular", "special", "consultation"] = Field(
        description="regular 半月例会；special 专题会议（敏感时期即时召开）；consultation 会商（就一案或一人）"
    )
    topic: Text = Field(min_length=1, max_length=100, pattern=NO_NUL, description="议题")
    units: list[Text] = Field(min_length=1, max_length=50, description="参会单位代码")
    case: Text | None = Field(None, description="所议案件编码（会商须指明案件或人员之一）", **CODE)
    person: int | None = Field(
        None, ge=1, le=ID_MAX, description="所议人员编号（会商就一人，如重点人员管控；须在您的辖区内）"
    )
    ends_at: datetime | None = Field(
        None, description="会商结束时间：受邀单位调阅案卷或人员档案至此；默认召开后 4 小时，最长 3 天"
    )
    place: Text = Field("", max_length=100, pattern=NO_NUL, description="地点")


class ItemIn(Schema):
    unit: Text = Field(description="责任单位代码", **CODE)
    text: Text = Field(min_length=1, max_length=300, pattern=NO_NUL, description="督办事项")
    due: date = Field(description="完成时限 YYYY-MM-DD")
    case: Text | None = Field(None, description="关联案件编码", **CODE)


class AnswerIn(Schema):
    text: Text = Field(min_length=1, max_length=2000, pattern=NO_NUL, description="落实情况")


class MeetingUnitRef(Schema):
    code: str
    name: str


class MeetingPersonRef(Schema):
    id: int
    name: str = Field(description="脱敏姓名，如 张**（不含身份证号、手机号）")


class ItemOut(Schema):
    id: int
    unit: MeetingUnitRef
    text: str
    due: date
    case: str | None
    status: Literal["open", "done", "dropped"]
    answer: str
    answered_at: datetime | None


class JointMeetingOut(Schema):
    id: int
    kind: Literal["regular", "special", "consultation"]
    topic: str
    held_on: date
    held_at: datetime | None
    ends_at: datetime | None
    place: str
    host: MeetingUnitRef
    units: list[MeetingUnitRef]
    case: str | None
    person: MeetingPersonRef | None = Field(description="会商所议人员（会商就一人时）")
    reading_open: bool = Field(description="会商正在进行：受邀单位此刻可调阅案卷或人员档案")


class MeetingDetailOut(JointMeetingOut):
    items: list[ItemOut] = Field(description="您可见的督办事项：管理者见全部，其他单位只见本单位的")


class MeetingListOut(Schema):
    count: int
    items: list[JointMeetingOut]
