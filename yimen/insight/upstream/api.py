"""API: GET /forms/{name}.xlsx?period=&region= (一表通): the upstream form as xlsx."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Schema

from yimen.core.api import NO_NUL, Text
from yimen.core.schemas import ERRORS, refuse_unknown_query
from yimen.insight.upstream import services
from yimen.insight.upstream.definitions import FORMS

router = Router(tags=["指挥中心"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FormQuery(Schema):
    period: Text | None = Field(
        None, max_length=7, pattern=NO_NUL, description="统计期间：月份 YYYY-MM 或年份 YYYY；默认本月"
    )
    region: Text | None = Field(None, max_length=24, pattern=NO_NUL, description="区划代码（含下级）；默认本人管辖范围")


@router.get(
    "/forms/{name}.xlsx",
    response={200: None, **ERRORS},
    summary="一表通：上报报表 xlsx（领导、综治中心；本人管辖范围）",
    description="name: "
    + "、".join(f"`{n}` {f.title}" for n, f in FORMS.items())
    + "。每个数字由案件记录统计，“数据来源”表列出其案件编码。区域不在管辖范围 → 404；期间不是 YYYY-MM 或 YYYY → 422。",
)
def form_xlsx(request, name: str, filters: Query[FormQuery]):
    refuse_unknown_query(request, FormQuery.model_fields)
    filed = services.upstream_form(
        actor=request.member,
        name=name,
        region=filters.region,
        period=filters.period,
        ip=request.META.get("REMOTE_ADDR", ""),
    )
    response = HttpResponse(filed.content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filed.filename)
    return response
