"""Open311 GeoReport v2 (issue 19 part 5; http://wiki.open311.org/GeoReport_v2), JSON only:
services from the dispatch catalogue's rows a citizen may report (hazards, disputes, incidents,
requests); requests posted with a verified phone (Yimen's extension field `code`, the SMS code of
POST /public/verify) or with an `api_key` the centre issued (services.keys; the key's client
need not send a phone); without either → 403 in Open311's error shape `[{code, description}]`;
reads show public fields only — no description, no phone, the point
rounded to about 100 m, the responsible unit once dispatched."""

from django.http import Http404
from ninja import Form, Router, Schema, Status

from yimen.cases import catalogue
from yimen.citizens import services
from yimen.citizens.models import CitizenReport
from yimen.core.errors import Invalid, NotAllowed, settle
from yimen.core.schemas import ErrorOut, Id
from yimen.fieldwork.models import Report

router = Router(tags=["Open311 GeoReport v2"])
ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
# The report kind each case kind of the catalogue is filed as (fieldwork.Report.CASE_KIND reversed).
REPORT_KIND = {case_kind: kind for kind, case_kind in Report.CASE_KIND.items()}


class ServiceOut(Schema):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class RequestIn(Schema):
    service_code: str
    lat: float
    long: float
    description: str
    api_key: str = ""
    phone: str = ""
    code: str = ""


class Open311ErrorOut(Schema):
    code: int
    description: str


NO_KEY = "需要接口密钥（api_key），或经短信验证的手机号（phone 与 code）。"


class RequestCreatedOut(Schema):
    service_request_id: str
    service_notice: str
    token: str


class RequestOut(Schema):
    service_request_id: str
    status: str
    service_code: str
    service_name: str
    agency_responsible: str
    requested_datetime: str
    updated_datetime: str
    lat: float | None
    long: float | None


def _rows():
    return catalogue.catalogue_rows().filter(kind__in=REPORT_KIND).order_by("kind", "order", "code")


@router.get("/open311/v2/services.json", auth=None, response={200: list[ServiceOut], 429: ErrorOut})
def services_list(request):
    return [
        {
            "service_code": row.code,
            "service_name": row.name,
            "description": f"{row.get_kind_display()} · {row.group}",
            "metadata": False,
            "type": "realtime",
            "keywords": row.group,
            "group": row.get_kind_display(),
        }
        for row in _rows()
    ]


def _forbidden(description: str) -> Status:
    return Status(403, [{"code": 403, "description": description}])


@router.post(
    "/open311/v2/requests.json",
    auth=None,
    response={201: list[RequestCreatedOut], 403: list[Open311ErrorOut], **ERRORS},
)
def request_create(request, payload: Form[RequestIn]):
    if not payload.api_key.strip() and not (payload.phone.strip() and payload.code.strip()):
        return _forbidden(NO_KEY)
    row = _rows().filter(code=payload.service_code).first()
    if row is None:
        raise Invalid("没有这项服务。", errors={"service_code": ["services.json 中没有此代码。"]})
    try:
        citizen = services.citizen_report_submit(
            phone=payload.phone,
            code=payload.code,
            text=payload.description,
            kind=REPORT_KIND[row.kind],
            category=row.code,
            location={"lat": payload.lat, "lng": payload.long},
            ip=request.META.get("REMOTE_ADDR", ""),
            api_key=payload.api_key.strip(),
        )
    except NotAllowed as exc:
        settle(exc)
        return _forbidden(exc.message)
    notice = "已收到，网格员核实后立案办理。"
    return Status(
        201, [{"service_request_id": str(citizen.pk), "service_notice": notice, "token": citizen.public_token}]
    )


def _out(citizen: CitizenReport, names: dict[str, str]) -> dict:
    report, case = citizen.report, citizen.report.case
    closed = case is not None and case.state in case.DONE
    return {
        "service_request_id": str(citizen.pk),
        "status": "closed" if closed else "open",
        "service_code": report.category,
        "service_name": names.get(report.category, report.get_kind_display()),
        "agency_responsible": case.lead_unit.name if case is not None and case.lead_unit_id else "",
        "requested_datetime": citizen.created_at.isoformat(),
        "updated_datetime": (case.updated_at if case is not None else citizen.created_at).isoformat(),
        "lat": round(report.lat, 3) if report.lat is not None else None,
        "long": round(report.lng, 3) if report.lng is not None else None,
    }


def _public():
    return CitizenReport.objects.select_related("report", "report__case", "report__case__lead_unit").order_by("-id")


@router.get("/open311/v2/requests.json", auth=None, response={200: list[RequestOut], 429: ErrorOut})
def request_list(request):
    names = dict(_rows().values_list("code", "name"))
    return [_out(c, names) for c in _public()[:100]]


@router.get(
    "/open311/v2/requests/{request_id}.json",
    auth=None,
    response={200: list[RequestOut], 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def request_get(request, request_id: Id):
    citizen = _public().filter(pk=request_id).first()
    if citizen is None:
        raise Http404
    return [_out(citizen, dict(_rows().values_list("code", "name")))]
