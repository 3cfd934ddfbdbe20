"""API: GET /topics?month=YYYY-MM&region= (API.md "Public accountability": 每月一题 clustering;
leader, dispatcher). Thin: parse the month, resolve the region within the jurisdiction, read."""

from datetime import datetime

from ninja import Field, Query, Router, Schema

from yimen.core.api import NO_NUL, Text
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, refuse_unknown_query
from yimen.insight.topics import selectors

router = Router(tags=["指挥中心"])


class TopicQuery(Schema):
    month: Text | None = Field(None, max_length=7, pattern=NO_NUL, description="月份 YYYY-MM；默认上月")
    region: Text | None = Field(None, max_length=24, pattern=NO_NUL, description="区划代码（含下级）；默认本人管辖范围")


class TopicCaseOut(Schema):
    code: str
    title: str
    region: str
    received_at: datetime


class PlaceOut(Schema):
    name: str
    cases: int


class TopicOut(Schema):
    id: int
    label: str
    terms: list[str]
    month: str
    places: list[PlaceOut]
    project: bool
    cases: list[TopicCaseOut]


@router.get(
    "/topics",
    response={200: list[TopicOut], **ERRORS},
    summary="每月一题（领导、综治中心派单员；本人管辖范围）",
    description="当月案件按文本（rjieba 分词、TF-IDF）并结合类别与所在村聚类成的题目，按案件数从多到少。"
    "每题只列出调用者可见、且位于该区域内的案件。月份不是 YYYY-MM → 422；区域不在管辖范围 → 404。",
)
def topic_list(request, filters: Query[TopicQuery]):
    require_permission(request.member, "topic.view")
    refuse_unknown_query(request, TopicQuery.model_fields)
    month = selectors.month_parse(filters.month)
    _, views = selectors.month_topics(member=request.member, month=month, region=filters.region)
    return [
        {
            "id": v.topic.pk,
            "label": v.topic.label,
            "terms": v.topic.term_words,
            "month": f"{v.topic.month:%Y-%m}",
            "places": [{"name": name, "cases": n} for name, n in v.places],
            "project": hasattr(v.topic, "project"),
            "cases": [
                {
                    "code": c.code,
                    "title": c.title,
                    "region": c.region.name,
                    "received_at": c.received_at,
                }
                for c in v.cases
            ],
        }
        for v in views
    ]
