"""API: persons (API.md "Persons"). Masked by default; full values only through reveal, which
asks for a purpose and is logged. A person outside the caller's jurisdiction is 404."""

from typing import Annotated, Literal

from django.http import HttpResponse
from ninja import Field, Path, Query, Router, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ID_MAX, ErrorOut, refuse_unknown_query
from yimen.geo.selectors import region_get_visible
from yimen.people import selectors, services
from yimen.people.models import Person

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


class PersonQuery(Schema):
    q: Text = Field("", max_length=50, pattern=NO_NUL, description="姓名（两个字即可）、完整身份证号或完整手机号")
    region: Text = Field("", max_length=24, pattern=NO_NUL, description="区划/网格代码，限定在其范围内")
    tag: Text = Field("", max_length=40, pattern=NO_NUL, description="标签代码或名称，如 留守老人")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


class RegionRef(Schema):
    code: str
    name: str


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
    status: Literal["resident", "floating", "away"] = Field(description="常住、流动、外出")
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
    require_permission(request.member, "person.view")
    return selectors.person_get_visible(member=request.member, person_id=person_id)


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
