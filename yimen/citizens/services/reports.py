"""随手拍 (issue 19 part 2): a citizen's report, proven by an SMS code, filed as a grid report
waiting for verification (fieldwork.Report, state pending) in the grid worker's queue — as an
informant's report waits — so a grid worker or chief verifies it and registers the case in
their own name (首接负责, DESIGN §6); it never goes straight to the units' inboxes."""

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.db import transaction

from yimen.cases import catalogue
from yimen.citizens.models import CitizenReport, PhoneCode
from yimen.citizens.services.codes import clean_mobile, code_use
from yimen.citizens.services.keys import open311_key_use
from yimen.core import audit
from yimen.core.crypto import blind_index, sm4_encrypt
from yimen.core.errors import Invalid, NotAllowed
from yimen.core.identity import mask_phone
from yimen.core.images import checked_photos
from yimen.core.models import User
from yimen.core.text import clean_text
from yimen.fieldwork.models import Report, ReportPhoto
from yimen.geo.locate import locate
from yimen.geo.models import Region
from yimen.org.models import Unit

PORTAL_USERNAME = "citizens-portal"
# A village picked by hand reaches the grid chief's queue; a GPS point its grid worker's.
PLACE_LEVELS = (Region.Level.VILLAGE, Region.Level.GRID, Region.Level.MICROGRID, Region.Level.SPECIAL)


def portal_user() -> User:
    """The reporter every citizen report is filed under (fieldwork.Report needs a user); it can
    never sign in. The citizen's own phone is kept sealed on the CitizenReport."""
    user, _ = User.objects.get_or_create(
        username=PORTAL_USERNAME, defaults={"name": "群众随手拍", "is_active": False, "password": "!"}
    )
    return user


def _place(region: str | None, location: dict | None, errors: dict) -> tuple:
    if location is not None:
        lat, lng = location.get("lat"), location.get("lng")
        if isinstance(lat, int | float) and isinstance(lng, int | float) and -90 <= lat <= 90 and -180 <= lng <= 180:
            answer = locate(lat, lng) or {}
            ref = answer.get("special") or answer.get("microgrid") or answer.get("grid") or answer.get("village")
            found = Region.objects.filter(code=ref["code"]).first() if ref else None
            if found is not None:
                return found, Report.Located.GPS, lat, lng
            if not region:
                errors["location"] = ["定位点不在本镇范围内，请选择所在村（社区）。"]
                return None, "", None, None
        else:
            errors["location"] = ["坐标无效（纬度 -90～90，经度 -180～180）。"]
            return None, "", None, None
    if not region:
        errors["region"] = ["请开启定位，或选择所在村（社区）。"]
        return None, "", None, None
    chosen = Region.objects.filter(code=region, level__in=PLACE_LEVELS).first()
    if chosen is None:
        errors["region"] = ["请选择本镇的村（社区）或网格。"]
        return None, "", None, None
    return chosen, Report.Located.HAND, None, None


def _unit_for(place: Region) -> Unit:
    """The village committee over the place, else the town's centre: who the report is 'from'."""
    prefixes = [p for p in (place.path.split("/")) if p]
    paths = ["/".join(prefixes[: i + 1]) + "/" for i in range(len(prefixes))]
    units = Unit.objects.filter(is_active=True, region__path__in=paths, kind__in=[Unit.Kind.VILLAGE, Unit.Kind.CENTRE])
    best = sorted(units.select_related("region"), key=lambda u: (u.kind == Unit.Kind.VILLAGE, len(u.region.path)))
    if not best:
        raise Invalid("该地点暂未开通随手拍。", errors={"region": ["该地点暂未开通随手拍。"]})
    return best[-1]


def _source(key, phone: str) -> str:
    where = f"Open311 接口：{key.name}" if key is not None else "群众随手拍"
    return f"{where}，手机 {mask_phone(phone)}" if phone else where


@transaction.atomic
def citizen_report_submit(
    *,
    phone: str,
    code: str,
    text: str,
    kind: str = Report.Kind.REQUEST,
    category: str = "",
    region: str | None = None,
    location: dict | None = None,
    photos: list[bytes] = (),
    ip: str = "",
    api_key: str = "",
) -> CitizenReport:
    """随手拍: the phone proven by a fresh code (single use), a text, ≤3 photos and a place from
    GPS or the village picker → a pending grid report for the grid's worker to verify (module
    doc); the citizen keeps a public token to follow it. An Open311 client presents the
    centre's `api_key` instead of a code (GeoReport v2; services.keys) — the phone is then
    optional, and the report lands in the same verification queue; a dead key → 403."""
    errors: dict[str, list[str]] = {}
    key = None
    if api_key:
        key = open311_key_use(api_key)
        if key is None:
            raise NotAllowed("接口密钥无效或已吊销。", code="invalid_api_key")
    phone = clean_mobile(phone) if key is None or phone else ""
    if kind not in Report.Kind.values:
        errors["kind"] = ["请选择类别：安全隐患、矛盾纠纷、突发事件或群众诉求。"]
    text = clean_text(text, "text", "反映内容", limit=2000, errors=errors)
    if category and not catalogue.catalogue_rows(kind=Report.CASE_KIND.get(kind, "")).filter(code=category).exists():
        errors["category"] = ["派单目录中该类别下没有此事项。"]
    place, located, lat, lng = _place(region, location, errors)
    kept = checked_photos(list(photos), errors, field="photo")
    if errors:
        raise Invalid("反映内容有误，请检查标出的项目。", errors=errors)
    index = blind_index(phone) if phone else ""
    if key is None:
        code_use(phone_index=index, code=code, purpose=PhoneCode.Purpose.REPORT)
    user = portal_user()
    first_line = text.splitlines()[0]
    report = Report.objects.create(
        kind=kind,
        category=category,
        state=Report.State.PENDING,
        title=(first_line[:30] + "…") if len(first_line) > 30 else first_line,
        description=f"{text}\n（{_source(key, phone)}）",
        region=place,
        located=located,
        lat=lat,
        lng=lng,
        reporter=user,
        reporter_name="群众",
        reporter_role="citizen",
        unit=_unit_for(place),
    )
    for data, content_type in kept:
        photo = ReportPhoto(
            report=report, sha256=hashlib.sha256(data).hexdigest(), size=len(data), content_type=content_type
        )
        photo.file.save("photo.jpg", ContentFile(data), save=False)
        photo.save()
    citizen = CitizenReport.objects.create(
        public_token=secrets.token_urlsafe(18),
        report=report,
        phone_cipher=sm4_encrypt(phone) if phone else "",
        phone_index=index,
        phone_masked=mask_phone(phone) if phone else "",
        open311_key=key,
    )
    detail = {"kind": kind, **({"open311_key": key.name} if key else {})}
    audit.record(action="citizen_report", ip=ip, target=f"report:{report.pk}", detail=detail)
    return citizen
