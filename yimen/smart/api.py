"""API of smart intake: suggestions at intake, links between cases, the warning board. Thin:
scope, then call the selector or the service."""

from django.utils import timezone
from ninja import Router, Status

from yimen.cases.selectors import case_get_visible
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS
from yimen.smart import selectors, services
from yimen.smart.models import EarlyWarning
from yimen.smart.schemas import DismissIn, LinkIn, LinkOut, SuggestIn, SuggestOut, WarningOut

router = Router(tags=["智能受理"])


@router.post(
    "/intake/suggest", response={200: SuggestOut, **ERRORS}, summary="受理建议：类别、承办单位、重复与相关案件"
)
def suggest(request, payload: SuggestIn):
    """Top 3 categories with their reasons, the units the best one names for the region, and
    possible duplicates — all within what the caller may see; empty text → empty lists."""
    member = request.member
    require_permission(member, "case.register")
    found = selectors.suggest_categories(
        member=member, title=payload.title, description=payload.description, kind=payload.kind
    )
    region = selectors.region_visible(member=member, code=payload.region)
    units = selectors.suggest_units(row=found[0].row, region=region) if found else None
    duplicates = selectors.duplicates(
        member=member,
        title=payload.title,
        description=payload.description,
        region=region.code if region else "",
        person_ids=[p.person_id for p in payload.parties if p.person_id],
        phones=[p.phone for p in payload.parties if p.phone],
        id_numbers=[p.id_number for p in payload.parties if p.id_number],
    )
    return {
        "categories": [
            {
                "row": s.row.code,
                "name": s.row.name,
                "score": round(s.score, 4),
                "reason": {
                    "words": s.words,
                    "catalogue_row": f"{s.row.group} · {s.row.name}" if s.catalogue_words else "",
                    "similar_cases": [(c.code, c.title) for c in s.similar],
                },
            }
            for s in found
        ],
        "units": (
            ([{"code": units.lead.code, "name": units.lead.name, "role": "lead"}] if units and units.lead else [])
            + [{"code": u.code, "name": u.name, "role": "support"} for u in (units.supports if units else [])]
        ),
        "units_note": units.note if units else "",
        "duplicates": [
            {
                "code": d.case.code,
                "title": d.case.title,
                "state": d.case.state,
                "received_at": timezone.localtime(d.case.received_at).isoformat(),
                "reason": d.reason,
            }
            for d in duplicates
        ],
    }


@router.post("/cases/{code}/links", response={201: LinkOut, **ERRORS}, summary="关联案件（两边显示）")
def link(request, code: str, payload: LinkIn):
    case = case_get_visible(member=request.member, code=code)
    other = case_get_visible(member=request.member, code=payload.other.strip())
    services.case_link(case=case, other=other, actor=request.member, reason=payload.reason)
    return Status(201, {"case": case.code, "other": other.code, "reason": payload.reason.strip()})


def _warning(w: EarlyWarning, shown: list) -> dict:
    return {
        "id": w.pk,
        "rule": w.rule_id,
        "rule_name": w.rule.name,
        "label": w.label,
        "region": w.region.code,
        "evidence": w.evidence,
        "count": w.count,
        "state": w.state,
        "cases": [c.code for c in shown],
        "raised_at": timezone.localtime(w.raised_at).isoformat(),
    }


@router.get("/warnings", response={200: list[WarningOut], **ERRORS}, summary="风险预警（督办员、领导）")
def warning_list(request):
    require_permission(request.member, "warning.view")
    return [_warning(w, w.shown_cases) for w in selectors.warning_board(member=request.member)]


@router.post("/warnings/{warning_id}/dismiss", response={200: WarningOut, **ERRORS}, summary="排除预警（须填写理由）")
def warning_dismiss(request, warning_id: int, payload: DismissIn):
    require_permission(request.member, "warning.dismiss")
    warning = selectors.warning_get_visible(member=request.member, warning_id=warning_id)
    done = services.warning_dismiss(warning=warning, actor=request.member, reason=payload.reason)
    return _warning(done, [])
