"""The roster: about forty mediators for 才湾镇."""

import random

from yimen.core.demo_names import person_name
from yimen.geo.models import Region
from yimen.mediation.demo.common import QUNYING, SKILLS, TOWN
from yimen.mediation.models import Mediator
from yimen.org.models import Membership, Unit


def _mediator(rows: list, name: str, kind: str, region: Region, **extra) -> Mediator:
    found = Mediator.objects.create(name=name, kind=kind, region=region, region_path=region.path, **extra)
    rows.append(found)
    return found


def _roster(town: Region, rng: random.Random) -> dict:
    units = {u.code.rsplit("-", 1)[-1]: u for u in Unit.objects.filter(code__startswith=f"{TOWN}-")}
    seat = {m.user.username: m for m in Membership.objects.filter(user__username__in=("mediator", "judicial"))}
    villages = list(town.children.filter(level=Region.Level.VILLAGE).order_by("code"))
    rows: list[Mediator] = []
    by_village: dict[str, Mediator] = {}
    for village in villages:
        unit = Unit.objects.filter(code=f"{village.code}-village").first()
        by_village[village.code] = _mediator(
            rows,
            person_name(rng),
            "people",
            village,
            unit=unit,
            title="村人民调解委员会主任",
            skills=rng.sample(SKILLS[:5], 2),
            availability="工作日白天，农忙时晚上",
        )
        by_village[village.code].villages.add(village)
    committee = units["mediation"]
    town_people = [
        _mediator(rows, person_name(rng), "people", town, unit=committee, title=title, skills=rng.sample(SKILLS, 3))
        for title in ("镇人民调解委员会主任", "镇人民调解委员会委员", "镇人民调解委员会委员")
    ]
    staff = seat.get("mediator")
    professional = [
        _mediator(
            rows,
            staff.user.name if staff else person_name(rng),
            "professional",
            town,
            unit=committee,
            member=staff,
            title="专职人民调解员",
            skills=["邻里", "婚姻家庭", "劳资"],
            availability="工作日",
        ),
        _mediator(
            rows,
            person_name(rng),
            "professional",
            town,
            unit=committee,
            title="专职人民调解员（交通、医疗）",
            skills=["交通事故", "医疗"],
            availability="工作日",
        ),
    ]
    judges = [
        _mediator(rows, person_name(rng), "judge", town, unit=units["court"], title=t, skills=["借贷", "婚姻家庭"])
        for t in ("才湾法庭庭长", "才湾法庭法官")
    ]
    police = [
        _mediator(rows, person_name(rng), "police", town, unit=units["police"], title=t, skills=["邻里", "交通事故"])
        for t in ("社区民警", "社区民警", "派出所副所长")
    ]
    chief = seat.get("judicial")
    judicial = [
        _mediator(
            rows,
            chief.user.name if chief else person_name(rng),
            "judicial",
            town,
            unit=units["judicial"],
            member=chief,
            title="司法所所长",
            skills=["土地", "山林", "宅基地"],
        ),
        _mediator(
            rows, person_name(rng), "judicial", town, unit=units["judicial"], title="司法助理员", skills=["赡养"]
        ),
    ]
    qunying = []
    for i in range(12):
        home = villages[(i * 3) % len(villages)]
        elder = _mediator(
            rows,
            person_name(rng),
            "qunying",
            home,
            title=QUNYING[i % len(QUNYING)],
            skills=rng.sample(SKILLS[:6], 2),
            availability=rng.choice(["随叫随到", "周末", "晚上"]),
        )
        elder.villages.add(home, *rng.sample(villages, 2))
        qunying.append(elder)
    return {
        "all": rows,
        "village": by_village,
        "town": town_people + professional,
        "judge": judges,
        "police": police,
        "judicial": judicial,
        "qunying": qunying,
        "units": units,
    }
