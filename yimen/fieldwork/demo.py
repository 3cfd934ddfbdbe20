"""Demo grid work in 才湾镇: 120 camera points, check places in every grid with a history of
checks, a week of patrol duty and logs for the 308-person force's teams, and for the `gridworker`
(才湾村第一网格) and `gridchief` (才湾村) accounts: visits with follow-ups, reports (the cases
demo's grid-channel hazard cases in that grid linked as the worker's reports, not registered
twice, plus new ones made through the services), an informant's report waiting to be verified,
and a 十户联防 alert with an acknowledgement. Idempotent: skipped once the cameras exist."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from yimen.cases.models import Case
from yimen.core.calendar import SHANGHAI
from yimen.fieldwork import selectors, services
from yimen.fieldwork.checklists import checklist_seed
from yimen.fieldwork.models import Camera, CheckList, CheckPlace, CheckRecord, PatrolDuty, PatrolLog, PlaceType, Report
from yimen.geo.models import Region
from yimen.org.models import Membership, Unit
from yimen.people.models import Household, PatrolTeam

TOWN = "450324106"
KINDS = {case_kind: kind for kind, case_kind in Report.CASE_KIND.items()}
CAMERAS = 120
OWNERS = ["才湾派出所", "才湾镇综治中心", "村委会", "才湾中心校", "中国移动全州分公司", "才湾圩场管理所"]
PLACES = {
    PlaceType.ROAD: ["322国道路口", "村道急弯", "机耕桥"],
    PlaceType.WATER: ["村口山塘", "湘江河段", "灌溉水渠"],
    PlaceType.FIRE: ["老街商铺", "祠堂", "加油站周边"],
    PlaceType.GEOLOGY: ["后山边坡", "公路切坡"],
    PlaceType.SCHOOL: ["村小学校门"],
    PlaceType.MARKET: ["圩场"],
}


def _point_in(polygon, rng: random.Random) -> tuple[float, float]:
    west, south, east, north = polygon.bounds
    for _ in range(50):
        lng, lat = rng.uniform(west, east), rng.uniform(south, north)
        if polygon.contains(Point(lng, lat)):
            return lat, lng
    point = polygon.representative_point()
    return point.y, point.x


def _cameras(grids: list[Region], rng: random.Random) -> list[tuple[Camera, str]]:
    """The points, all set up online with their owning unit where it is one of ours; returned
    with the status each is in today, which the maintenance story below records."""
    shapes = {grid.pk: shape(grid.geometry) for grid in grids if grid.geometry}
    units = {unit.name: unit for unit in Unit.objects.filter(name__in=OWNERS)}
    covers, made = [], []
    for i in range(CAMERAS):
        grid = grids[i % len(grids)] if i < len(grids) else rng.choice(grids)
        lat, lng = _point_in(shapes[grid.pk], rng)
        camera = Camera.objects.create(
            code=f"{TOWN}-SP{i + 1:03d}",
            name=f"{grid.name}{rng.choice(['路口', '村口', '桥头', '祠堂', '学校'])}监控",
            lat=lat,
            lng=lng,
            region=grid,
            region_path=grid.path,
            owner=(owner := rng.choice(OWNERS)),
            unit=units.get(owner),
        )
        made.append((camera, rng.choices(Camera.Status.values, weights=[88, 8, 4])[0]))
        view = Point(lng, lat).buffer(0.0015)  # about 150 m around the camera
        covers += [(camera, pk) for pk, polygon in shapes.items() if polygon.intersects(view)]
    through = Camera.covers.through
    through.objects.bulk_create(through(camera_id=camera.pk, region_id=pk) for camera, pk in covers)
    return made


NOTES = {"offline": "光纤中断，已报运营商", "broken": "雷击损坏，待更换球机"}


def _camera_story(made: list[tuple[Camera, str]], keeper: Membership, worker: Membership) -> int:
    """Today's faults as maintenance entries by the centre's dispatcher, and the worker's open
    hazard cases citing the nearest working camera (雪亮工程 on the case page)."""
    for camera, status in made:
        if status != Camera.Status.ONLINE:
            services.camera_log_record(actor=keeper, camera=camera, version=1, status=status, note=NOTES[status])
    cited = 0
    hazards = Case.objects.visible_to(worker).filter(kind="hazard").order_by("code")
    for case in hazards[:3]:
        nearby = [c for c in selectors.cameras_near(member=worker, case=case) if c.status == Camera.Status.ONLINE]
        if nearby:
            services.camera_cite(actor=worker, case=case, camera=nearby[0], note="调取事发时段录像")
            cited += 1
    return cited


def _places(grids: list[Region], home: Region, rng: random.Random) -> list[CheckPlace]:
    places = []
    for grid in grids:
        kinds = list(PLACES) if grid.pk == home.pk else rng.sample(list(PLACES), 2)
        for kind in kinds:
            name = f"{grid.name}{rng.choice(PLACES[kind])}"
            place, _ = CheckPlace.objects.get_or_create(
                region=grid, name=name, defaults={"place_type": kind, "lat": grid.lat, "lng": grid.lng}
            )
            places.append(place)
    return places


def _check_history(places: list[CheckPlace], rng: random.Random) -> list[CheckRecord]:
    lists = dict(CheckList.objects.values_list("place_type", "items"))
    today = timezone.localdate()
    records = []
    for place in places:
        for back in (rng.randint(1, 20), rng.randint(25, 60)):
            results = {item: "problem" if rng.random() < 0.05 else "ok" for item in lists[place.place_type]}
            records.append(
                CheckRecord(
                    place=place,
                    checked_by_id=None,
                    checker_name="网格员",
                    checked_on=today - timedelta(days=back),
                    results=results,
                )
            )
    return records


def _patrols(teams: list[PatrolTeam], rng: random.Random) -> None:
    today = timezone.localdate()
    for team in teams:
        members = [m for m in team.members.all() if m.is_active]
        if not members:
            continue
        for day in range(7):
            duty, _ = PatrolDuty.objects.get_or_create(team=team, on=today + timedelta(days=day), shift="night")
            duty.members.set(rng.sample(members, min(3, len(members))))


def _logs(teams: list[PatrolTeam], recorder, rng: random.Random) -> None:
    today = timezone.localdate()
    logs = []
    for team in teams:
        lat, lng = team.region.lat or 25.86, team.region.lng or 110.99
        for back in range(1, 4):
            start = datetime.combine(today - timedelta(days=back), time(20, 30), tzinfo=SHANGHAI)
            route = [
                [round(lat + step * 0.0004, 6), round(lng + step * 0.0003 * rng.choice([1, -1]), 6)]
                for step in range(12)
            ]
            logs.append(
                PatrolLog(
                    team=team,
                    recorded_by=recorder,
                    recorder_name=recorder.name,
                    started_at=start,
                    ended_at=start + timedelta(hours=2),
                    route=route,
                    note="巡逻正常，未发现异常。",
                )
            )
    PatrolLog.objects.bulk_create(logs)


def _worker_story(worker: Membership, rng: random.Random) -> int:
    """The gridworker's visits, reports, an informant's report and a 十户联防 alert."""
    grid = worker.jurisdiction
    today = timezone.localdate()
    linked = 0
    for case in Case.unscoped.filter(channel="grid", region_path__startswith=grid.path).select_related("region"):
        Report.objects.create(
            kind=KINDS.get(case.kind, Report.Kind.REQUEST),
            state=Report.State.REGISTERED,
            title=case.title,
            description=case.description,
            region=case.region,
            located=Report.Located.HAND,
            reporter=worker.user,
            reporter_name=worker.user.name,
            reporter_role=worker.role,
            unit=worker.unit,
            case=case,
            registered_by=worker.user,
        )
        linked += 1
    households = list(Household.objects.filter(region__path__startswith=grid.path).order_by("id")[:12])
    for i, household in enumerate(households):
        due = today - timedelta(days=1) if i % 4 == 0 else today + timedelta(days=7) if i % 4 == 1 else None
        services.visit_record(
            actor=worker,
            idempotency_key=f"demo-visit-{household.pk}",
            household=household,
            household_version=household.version,
            text=rng.choice(
                [
                    "入户走访，家中老人身体尚好，了解用水情况。",
                    "走访了解邻里关系，反映屋后排水沟堵塞。",
                    "宣传防诈骗知识，登记外出务工人员。",
                ]
            ),
            happened_on=today - timedelta(days=rng.randint(2, 40)),
            follow_up="复查排水沟疏通情况" if due else "",
            follow_up_due=due,
        )
    micro = grid.children.order_by("code").first()
    point = (micro.lat, micro.lng) if micro and micro.lat else (grid.lat, grid.lng)
    services.report_submit(
        actor=worker,
        idempotency_key="demo-report-1",
        kind="hazard",
        category="hazard.road.damage",
        title="网格员上报：村道涵洞塌陷，车辆通行危险",
        description="涵洞顶板塌陷约一米见方，已设临时警示。",
        location={"lat": point[0], "lng": point[1]} if point[0] else None,
        region=grid.code,
    )
    informant = Membership.objects.filter(role="informant", jurisdiction__path__startswith=grid.path).first()
    if informant is not None:
        services.report_submit(
            actor=informant,
            idempotency_key="demo-informant-1",
            kind="dispute",
            party_name="两户村民",
            title="信息员上报：两户因宅基地界址争吵",
            region=informant.jurisdiction.code,
        )
    household = Household.objects.filter(region__path__startswith=grid.path, defence_group__isnull=False).first()
    if household is not None:
        with transaction.atomic():
            alert = services.defence_alert_raise(actor=worker, household=household, message="夜间发现陌生人翻院墙")
        first = alert.calls.order_by("position").first()
        if first is not None:
            services.alert_acknowledge(actor=worker, call=first)
    return linked


def build_demo() -> str:
    if Camera.objects.exists():
        return "网格工作：已有，未重建。"
    rng = random.Random(450324106)
    checklist_seed()
    town = Region.objects.get(code=TOWN)
    grids = list(Region.objects.subtree(town).filter(level=Region.Level.GRID, geometry__isnull=False).order_by("code"))
    worker = Membership.objects.select_related("user", "unit", "jurisdiction").get(
        user__username="gridworker", is_active=True
    )
    chief = Membership.objects.select_related("user").get(user__username="gridchief", is_active=True)
    keeper = Membership.objects.select_related("user", "unit").get(user__username="dispatcher", is_active=True)
    with transaction.atomic():
        made = _cameras(grids, rng)
        cited = _camera_story(made, keeper, worker)
        places = _places(grids, worker.jurisdiction, rng)
        records = _check_history(places, rng)
        for record in records:
            record.checked_by = worker.user
        CheckRecord.objects.bulk_create(records)
        teams = list(PatrolTeam.objects.select_related("region").prefetch_related("members"))
        _patrols(teams, rng)
        _logs(teams, chief.user, rng)
    linked = _worker_story(worker, rng)
    return (
        f"网格工作：监控点 {len(made)} 个（案件引用 {cited} 处），排查点位 {len(places)} 处（记录 {len(records)} 条），"
        f"巡防队 {len(teams)} 支排班一周，网格员上报 {linked + 2} 件（含已有网格案件 {linked} 件）。"
    )
