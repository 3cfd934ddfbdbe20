"""The demo town 才湾镇 (全州县, code 450324106): regions, units (1+6+N) and staff (DESIGN §9)."""

import base64
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from yimen.core.demo_names import demo_phone, person_name
from yimen.core.models import User
from yimen.geo.demo import build_demo_grids
from yimen.geo.models import Region
from yimen.geo.services import divisions_import
from yimen.org.models import Membership, Unit
from yimen.org.roles import Role, needs_second_factor

TOWN_CODE = "450324106"
VILLAGE_OF_GRIDCHIEF = "450324106200"  # 才湾村
VILLAGE_OF_GRIDWORKER2 = "450324106201"  # 小塘村

# (code suffix, name, kind, phone)
TOWN_UNITS = [
    ("centre", "才湾镇综治中心", Unit.Kind.CENTRE, "0773-4611000"),
    ("police", "全州县公安局才湾派出所", Unit.Kind.POLICE, "0773-4611110"),
    ("court", "全州县人民法院才湾人民法庭", Unit.Kind.COURT, "0773-4611200"),
    ("judicial", "全州县司法局才湾司法所", Unit.Kind.JUDICIAL, "0773-4611300"),
    ("petition", "才湾镇信访办", Unit.Kind.PETITION, "0773-4611400"),
    ("grid", "才湾镇网格化服务管理中心", Unit.Kind.GRID_CENTRE, "0773-4611500"),
    ("mediation", "才湾镇人民调解委员会", Unit.Kind.OTHER, "0773-4611600"),
    ("women", "才湾镇妇女联合会", Unit.Kind.OTHER, "0773-4611700"),
    ("labour", "才湾镇人力资源和社会保障服务中心", Unit.Kind.DEPARTMENT, "0773-4611710"),
    ("land", "全州县自然资源局才湾自然资源所", Unit.Kind.DEPARTMENT, "0773-4611720"),
    ("emergency", "才湾镇应急管理办公室", Unit.Kind.DEPARTMENT, "0773-4611730"),
    ("market", "全州县市场监督管理局才湾市场监管所", Unit.Kind.DEPARTMENT, "0773-4611740"),
    ("health", "才湾镇卫生院", Unit.Kind.DEPARTMENT, "0773-4611750"),
]

# The demo logins of API.md: username -> (unit code suffix, role, title)
DEMO_ACCOUNTS = {
    "clerk": ("centre", Role.CLERK, "窗口受理员"),
    "dispatcher": ("centre", Role.DISPATCHER, "值班长"),
    "supervisor": ("centre", Role.SUPERVISOR, "督办专员"),
    "leader": ("centre", Role.LEADER, "综治中心主任"),
    "zhengfa": ("centre", Role.ZHENGFA, "镇党委政法委员"),
    "police": ("police", Role.HANDLER, "社区民警"),
    "court": ("court", Role.HANDLER, "法官助理"),
    "judicial": ("judicial", Role.HANDLER, "司法所所长"),
    "petition": ("petition", Role.HANDLER, "信访专干"),
    "mediator": ("mediation", Role.MEDIATOR, "专职人民调解员"),
    "adviser": ("judicial", Role.ADVISER, "才湾村法律顾问（律师）"),  # 一村一法律顾问 (issue 18)
    "kuaijing": ("police", Role.HANDLER, "快警站民警"),  # the 快警站 is a post of the station (issue 17)
    "emergency": ("emergency", Role.DUTY_OFFICER, "应急办值班员"),  # 应急指挥部 (issue 17)
    "village": (VILLAGE_OF_GRIDCHIEF, Role.HANDLER, "村委会副主任（调解主任）"),  # 才湾村委会 (issue 14)
    "sysadmin": ("centre", Role.SYSADMIN, "系统管理员"),
    "secadmin": ("centre", Role.SECADMIN, "安全管理员"),
    "auditor": ("centre", Role.AUDITOR, "安全审计员"),
}


@dataclass
class DemoReport:
    regions: int
    units: int
    staff: int
    logins: list[tuple[str, str, str]]  # username, name, seat
    second_factor: list[str] = field(default_factory=list)  # the logins with the demo TOTP device


@transaction.atomic
def build_demo_town(*, seed: int = 450324106) -> DemoReport:
    """Build (or rebuild in place) the demo town: real division codes, synthetic grids, the
    1+6+N units and a seat for every role, every grid worker and every informant."""
    rng = random.Random(seed)
    divisions_import(code=TOWN_CODE)
    town = Region.objects.get(code=TOWN_CODE)
    build_demo_grids(town=town, seed=seed)
    units = _units(town)
    password = make_password(settings.YIMEN_DEMO_PASSWORD)
    logins = _demo_logins(units, password, rng)
    staff = _field_staff(town, units, rng)
    staff += _village_handlers(town, units, rng)
    return DemoReport(
        regions=Region.objects.subtree(town).count(),
        units=len(units),
        staff=staff + len(logins),
        logins=logins,
        second_factor=_demo_second_factor([username for username, _, _ in logins]),
    )


def _demo_second_factor(usernames: list[str]) -> list[str]:
    """Every demo login whose seat needs the second factor gets one confirmed TOTP device with the
    demo key (YIMEN_DEMO_TOTP_SECRET), replacing any other: a visitor adds that one key to an
    authenticator app, or reads the current code from `manage.py demo_totp`. Returns who."""
    key = base64.b32decode(settings.YIMEN_DEMO_TOTP_SECRET).hex()
    asked = []
    seats = Membership.objects.filter(user__username__in=usernames, is_active=True).select_related("user", "unit")
    for seat in seats.order_by("id"):
        if seat.user.username in asked or not needs_second_factor(seat.role, seat.unit.kind):
            continue
        TOTPDevice.objects.filter(user=seat.user).delete()
        TOTPDevice.objects.create(user=seat.user, name="演示身份验证器", key=key, confirmed=True)
        asked.append(seat.user.username)
    return asked


def _units(town: Region) -> dict[str, Unit]:
    units = {}
    for suffix, name, kind, phone in TOWN_UNITS:
        units[suffix], _ = Unit.objects.update_or_create(
            code=f"{TOWN_CODE}-{suffix}", defaults={"name": name, "kind": kind, "region": town, "phone": phone}
        )
    for village in town.children.filter(level=Region.Level.VILLAGE):
        units[village.code], _ = Unit.objects.update_or_create(
            code=f"{village.code}-village",
            defaults={"name": village.official_name or village.name, "kind": Unit.Kind.VILLAGE, "region": village},
        )
    return units


def _seat(*, username: str, name: str, password: str, unit: Unit, role: str, jurisdiction: Region, **extra) -> None:
    user, _ = User.objects.update_or_create(username=username, defaults={"name": name, "password": password})
    Membership.objects.update_or_create(
        user=user, unit=unit, role=role, is_active=True, defaults={"jurisdiction": jurisdiction, **extra}
    )


def _demo_logins(units: dict[str, Unit], password: str, rng: random.Random) -> list[tuple[str, str, str]]:
    logins = []
    for username, (suffix, role, title) in DEMO_ACCOUNTS.items():
        unit = units[suffix]
        name = person_name(rng)
        _seat(
            username=username, name=name, password=password, unit=unit, role=role, jurisdiction=unit.region, title=title
        )
        logins.append((username, name, f"{unit.name} · {title}"))
    for username, village_code, role, title in (
        ("gridchief", VILLAGE_OF_GRIDCHIEF, Role.GRID_CHIEF, "网格长"),
        ("gridworker", VILLAGE_OF_GRIDCHIEF, Role.GRID_WORKER, "专职网格员"),
        ("gridworker2", VILLAGE_OF_GRIDWORKER2, Role.GRID_WORKER, "专职网格员"),
    ):
        village = Region.objects.get(code=village_code)
        area = village if role == Role.GRID_CHIEF else village.children.order_by("code").first()
        name = person_name(rng)
        _seat(
            username=username,
            name=name,
            password=password,
            unit=units[village_code],
            role=role,
            jurisdiction=area,
            title=title,
        )
        logins.append((username, name, f"{units[village_code].name} · {area.name} · {title}"))
    return logins


def _village_handlers(town: Region, units: dict[str, Unit], rng: random.Random) -> int:
    """A handler seat (调解主任) in every village committee but 才湾村's (the `village` login), so a case the
    catalogue sends to any village has someone to sign and answer it (issue 14 part 2). They
    cannot log in until the system administrator sets a password."""
    count = 0
    for village in town.children.filter(level=Region.Level.VILLAGE).exclude(code=VILLAGE_OF_GRIDCHIEF):
        count += 1
        _seat(
            username=f"{Role.HANDLER}_{village.code}",
            name=person_name(rng),
            password=make_password(None),
            unit=units[village.code],
            role=Role.HANDLER,
            jurisdiction=village,
            title="村委会委员（调解主任）",
        )
    return count


def _field_staff(town: Region, units: dict[str, Unit], rng: random.Random) -> int:
    """A grid chief per village, a grid worker per grid and an informant per micro-grid. They
    cannot log in until the system administrator sets a password."""
    taken = set(
        Membership.objects.filter(user__username__in=["gridchief", "gridworker", "gridworker2"]).values_list(
            "jurisdiction__code", flat=True
        )
    )
    count = 0
    areas = Region.objects.subtree(town).filter(level__in=["village", "grid", "microgrid"]).order_by("path")
    roles = {
        "village": (Role.GRID_CHIEF, "网格长"),
        "grid": (Role.GRID_WORKER, "专职网格员"),
        "microgrid": (Role.INFORMANT, "信息员"),
    }
    for area in areas:
        if area.code in taken:
            continue
        role, title = roles[area.level]
        village_code = area.path.split("/")[4]
        count += 1
        _seat(
            username=f"{role}_{area.code}",
            name=person_name(rng),
            password=make_password(None),  # unusable until the system administrator sets one
            unit=units[village_code],
            role=role,
            jurisdiction=area,
            title=title,
            service_phone=demo_phone(count),
        )
    return count
