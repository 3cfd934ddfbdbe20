"""Request and answer shapes of the citizens' API (API.md "Citizens (no login)")."""

from typing import Literal

from ninja import Field, Schema

from yimen.cases.schemas import LocalTime, LocationIn, PublicCaseOut
from yimen.core.api import Text, text_field
from yimen.core.images import MAX_PHOTOS
from yimen.fieldwork.models import Report
from yimen.fieldwork.schemas import Code, Photo

Phone = Field(..., pattern=r"^1[3-9][0-9]{9}$", description="中国大陆 11 位手机号")
SmsCode = Field(..., min_length=1, max_length=6, pattern=r"^\d{1,6}$", description="短信验证码（6 位数字）")


class VerifyIn(Schema):
    phone: str = Phone


class SentOut(Schema):
    sent: bool
    expires_in: int = Field(..., description="验证码有效秒数")


class CitizenReportIn(Schema):
    phone: str = Phone
    code: str = SmsCode
    text: Text = text_field(2000, required=True)
    kind: Literal[tuple(Report.Kind.values)] = Report.Kind.REQUEST
    location: LocationIn | None = Field(None, description="手机定位")
    region: Code | None = Field(None, description="没有定位时选择的村（社区）或网格代码")
    photo: Photo | None = Field(None, description="一张照片（压缩后的 JPEG，base64）")
    photos: list[Photo] = Field([], max_length=MAX_PHOTOS, description="或最多 3 张照片")


class CitizenReportOut(Schema):
    public_token: str
    state: str
    state_label: str
    created_at: LocalTime
    case: dict | None = Field(None, description="立案后：{code, public_token}")


class PublicLookupOut(PublicCaseOut):
    public_token: str
    answer: str = Field(..., description="办结后承办单位的答复（未办结为空）")


class CommentIn(Schema):
    code: str = SmsCode
    text: Text = text_field(1000, required=True)


class OutboxOut(Schema):
    to: str
    message: str
    sent_at: LocalTime
