"""网格上报: a grid worker's or informant's report from the phone, located to a micro-grid, with
photos, becoming a case (channel grid) in the case engine.

Informants (信息员) hold fieldwork.use but not case.register: their report waits, state pending,
until the grid's worker or chief verifies it and registers it in their own name (report_register),
so every case still has a registering unit that answers for it (首接负责, DESIGN §6) and the
informant stays recorded on the report and in the case description."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from yimen.cases import catalogue
from yimen.cases.services import case_register
from yimen.core.errors import Conflict, Invalid
from yimen.core.idempotency import Once
from yimen.core.images import checked_photos
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.fieldwork.models import Report, ReportPhoto
from yimen.fieldwork.services._base import OUTSIDE, in_area, submit_once
from yimen.geo.locate import locate
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.org.roles import Role
from yimen.org.services import audit_as

REPORT_LEVELS = (Region.Level.GRID, Region.Level.MICROGRID, Region.Level.SPECIAL)


def _place(actor: Membership, region: str | None, location: dict | None, errors: dict) -> tuple:
    """(region, located, lat, lng): the GPS point's micro-grid, else the grid chosen by hand."""
    lat = lng = None
    if location is not None:
        lat, lng = location.get("lat"), location.get("lng")
        if not (
            isinstance(lat, int | float) and isinstance(lng, int | float) and -90 <= lat <= 90 and -180 <= lng <= 180
        ):
            errors["location"] = ["坐标无效（纬度 -90～90，经度 -180～180）。"]
            return None, "", None, None
        answer = locate(lat, lng) or {}
        ref = answer.get("special") or answer.get("microgrid") or answer.get("grid")
        found = Region.objects.filter(code=ref["code"]).first() if ref else None
        if found is not None:
            if not in_area(actor, found):
                errors["location"] = [f"定位点位于{found.name}，不在您负责的网格内；请通知该网格，或手动选择本网格。"]
            return found, Report.Located.GPS, lat, lng
        if not region:
            errors["region"] = ["定位点不在本镇任何网格内，请手动选择所在网格。"]
            return None, "", None, None
    if not region:
        errors["region"] = ["没有定位信息，请选择所在网格。"]
        return None, "", None, None
    chosen = Region.objects.filter(code=region, level__in=REPORT_LEVELS).first()
    if chosen is None or not in_area(actor, chosen):
        errors["region"] = [f"所选网格{OUTSIDE}"]
        return None, "", None, None
    return chosen, Report.Located.HAND, lat, lng


def report_submit(
    *,
    actor: Membership,
    idempotency_key: str,
    kind: str,
    title: str,
    description: str = "",
    category: str = "",
    party_name: str = "",
    region: str | None = None,
    location: dict | None = None,
    photos: list[bytes] = (),
) -> Once:
    """上报: record a report once per Idempotency-Key (a phone's outbox retries), located by GPS
    to a micro-grid in the reporter's own area (or a grid chosen by hand when there is no fix),
    with a category from the dispatch catalogue. A worker's report is registered at once as a
    case with channel grid (case_register); an informant's waits for verification (module doc)."""
    require_permission(actor, "fieldwork.use")
    fields = dict(
        kind=kind,
        title=title,
        description=description,
        category=category,
        party_name=party_name,
        region=region,
        location=location,
        photos=list(photos),
    )
    with transaction.atomic():
        return submit_once(
            actor=actor, key=idempotency_key, kind="report", fields=fields, make=lambda: _create(actor, **fields)
        )


def _create(actor: Membership, *, kind, title, description, category, party_name, region, location, photos) -> Report:
    errors: dict[str, list[str]] = {}
    if kind not in Report.Kind.values:
        errors["kind"] = ["请选择上报类别：安全隐患、矛盾纠纷、突发事件或群众诉求。"]
    title = clean_text(title, "title", "标题", limit=200, errors=errors)
    description = clean_text(description, "description", "情况描述", limit=2000, errors=errors, required=False)
    party_name = clean_text(
        party_name, "party_name", "当事人", limit=100, errors=errors, required=kind == Report.Kind.DISPUTE
    )
    known = kind in Report.Kind.values
    if category and known and not catalogue.catalogue_rows(kind=Report.CASE_KIND[kind]).filter(code=category).exists():
        errors["category"] = ["派单目录中该类别下没有此事项。"]
    place, located, lat, lng = _place(actor, region, location, errors)
    kept = checked_photos(list(photos), errors)
    if errors:
        raise Invalid("上报内容有误，请检查标出的字段。", errors=errors)
    report = Report.objects.create(
        kind=kind,
        title=title,
        description=description,
        category=category or "",
        party_name=party_name,
        region=place,
        located=located,
        lat=lat,
        lng=lng,
        reporter=actor.user,
        reporter_name=actor.user.name or actor.user.username,
        reporter_role=actor.role,
        unit=actor.unit,
        state=Report.State.PENDING,
    )
    for data, content_type in kept:
        photo = ReportPhoto(
            report=report, sha256=hashlib.sha256(data).hexdigest(), size=len(data), content_type=content_type
        )
        photo.file.save("photo.jpg", ContentFile(data), save=False)
        photo.save()
    audit_as(actor, action="field_report", target=f"report:{report.pk}", detail={"kind": kind})
    if actor.has_perm("case.register"):
        _register(report, actor)
    return report


def _register(report: Report, actor: Membership) -> None:
    note = "（网格上报）"
    if report.reporter_id != actor.user_id:
        verifier = actor.user.name or actor.user.username
        # A citizen's 随手拍 (yimen.citizens) is filed under no staff role.
        who = Role(report.reporter_role).label if report.reporter_role in Role.values else ""
        note = f"（网格上报：{who}{report.reporter_name}报告，{verifier}核实登记）"
    parties = [{"name": report.party_name, "role": "applicant"}] if report.party_name else []
    case = case_register(
        actor=actor,
        kind=Report.CASE_KIND[report.kind],
        title=report.title,
        description=f"{report.description}\n{note}".strip(),
        channel="grid",
        region=report.region.code,
        location={"lat": report.lat, "lng": report.lng} if report.lat is not None else None,
        category=report.category or None,
        parties=parties,
    ).case
    moved = Report.objects.filter(pk=report.pk, state=Report.State.PENDING).update(
        state=Report.State.REGISTERED, case=case, registered_by=actor.user
    )
    if moved != 1:
        raise Conflict("该上报已被他人核实登记。", code="already_registered")
    report.refresh_from_db()


@transaction.atomic
def report_register(*, actor: Membership, report: Report) -> Report:
    """核实登记: the grid's worker or chief verifies an informant's report and registers it as a
    case in their own name (module doc); a report already registered is refused (409)."""
    require_permission(actor, "case.register")
    if not in_area(actor, report.region):
        raise Invalid(f"该上报{OUTSIDE}", errors={"report": [f"该上报{OUTSIDE}"]})
    if report.state != Report.State.PENDING:
        raise Conflict("该上报已登记为案件。", code="already_registered")
    _register(report, actor)
    audit_as(actor, action="field_report_register", target=f"report:{report.pk}")
    return report
