"""The seed stories: the uncle–nephew boundary fight settled by joint mediation, the divorce and
domestic-violence consultation at the judicial office, the group petition over land
compensation, hazard reports from grid workers."""

from datetime import timedelta

from yimen.cases.deadlines import extended
from yimen.cases.demo.draft import _draft, _party
from yimen.cases.demo.simulate import _dispatch, _finish, _follow_up, _lead, _Run, _simulate
from yimen.cases.demo.world import TOWN_CODE, _World
from yimen.core.demo_names import person_name
from yimen.org.models import Unit

# --------------------------------------------------------------------------------------------
# The seed stories


def _story_seats(world: _World, *suffixes: str) -> list[Unit]:
    return [world.units[f"{TOWN_CODE}-{s}"] for s in suffixes]


def _stories(world: _World) -> None:
    rows = {r.code: r for rs in world.rows.values() for r in rs}
    now, rng = world.now, world.rng
    caiwan = next(v for v in world.villages if v.code == "450324106200")
    home = (world.places.get(caiwan.code) or [caiwan])[0]

    # 1. The uncle–nephew boundary fight, settled by joint mediation (三调联动).
    uncle = _draft(
        world,
        "dispute",
        now - timedelta(days=150),
        row=rows["dispute.land.boundary"],
        channel="visit",
        title="唐德明与侄子唐志强田土边界纠纷（叔侄互殴）",
        description="唐德明与其侄唐志强因责任田与自留山交界处界桩移位发生争执，双方扭打，唐德明轻微受伤。"
        "双方均表示不再往来，矛盾有激化风险。",
        risk="orange",
        region=home,
        region_path=home.path,
    )
    uncle.parties = [_party((None, "唐德明"), "applicant", rng), _party((None, "唐志强"), "respondent", rng)]
    run = _Run(world, uncle, None)
    first = uncle.case.first_unit
    judicial, police, mediation = _story_seats(world, "judicial", "police", "mediation")
    village = world.units.get(f"{caiwan.code}-village")
    run.step(
        "register",
        timedelta(minutes=12),
        "registered",
        world.clerk,
        unit=first,
        data={"channel": "visit", "risk": "orange", "risk_rules": ["持械斗殴"]},
    )
    uncle.case.accepted_at = run.step("accept", timedelta(minutes=20), "accepted", world.clerk)
    _dispatch(run, judicial, [u for u in (police, village, mediation) if u])
    _handle_story(
        run,
        judicial,
        "经司法所牵头，派出所、村委会、人民调解委员会联合调解（三调联动），请族中长辈参与，"
        "双方重新确认界址、共同埋设界桩，唐志强赔偿医药费 800 元并赔礼道歉，签订人民调解协议书。",
    )
    uncle.case.closed_at = run.step("review", timedelta(days=1), "closed", world.dispatcher, data={"approved": True})
    _follow_up(run, rating=5)
    _finish(run, archive=True)

    # 2. The divorce and domestic-violence consultation at the judicial office.
    consult = _draft(
        world,
        "legal_service",
        now - timedelta(days=40),
        row=rows["legal_service.family"],
        channel="visit",
        title="蒋秀兰咨询离婚及家庭暴力问题",
        description="当事人称丈夫酗酒后多次殴打，想离婚，询问财产分割、孩子抚养及如何申请人身安全保护令。",
        risk="orange",
    )
    consult.parties = [_party((None, "蒋秀兰"), "applicant", rng)]
    run = _Run(world, consult, None)
    women = world.units.get(f"{TOWN_CODE}-women")
    run.step(
        "register",
        timedelta(minutes=8),
        "registered",
        world.clerk,
        unit=consult.case.first_unit,
        data={"channel": "visit", "risk": "orange", "risk_rules": ["家庭暴力"]},
    )
    consult.case.accepted_at = run.step("accept", timedelta(minutes=5), "accepted", world.clerk)
    _dispatch(run, judicial, [women] if women else [])
    _handle_story(
        run,
        judicial,
        "司法所所长在调解室单独接待，解答了离婚程序、夫妻共同财产分割和子女抚养问题；"
        "告知可向法庭申请人身安全保护令（72 小时内作出，情况紧急 24 小时内），协助准备就医记录、"
        "报警回执等证据，并转介法律援助。妇联同步开展心理疏导。",
    )
    consult.case.closed_at = run.step("review", timedelta(hours=6), "closed", world.dispatcher, data={"approved": True})
    _follow_up(run, rating=5)
    aid = _draft(
        world,
        "legal_aid",
        now - timedelta(days=33),
        row=rows["legal_aid.violence"],
        channel="referral",
        title="蒋秀兰申请法律援助（家暴受害人离婚诉讼）",
        description="家庭暴力受害人，免予经济困难审查（法律援助法第三十二条）。",
    )
    aid.parties = [_party((None, "蒋秀兰"), "applicant", rng)]
    _simulate(world, aid, "normal")

    # 3. The group petition over land compensation (集体访, 5 representatives).
    group = _draft(
        world,
        "petition",
        now - timedelta(days=50),
        row=rows["petition.land"],
        channel="visit",
        title="小塘村23户村民集体反映征地补偿款未足额到位",
        group_size=23,
        risk="red",
        description="县道改扩建征用小塘村集体土地，村民反映青苗及地上附着物补偿款未足额发放，推选5名代表来访，"
        "并称如不解决将集体赴县上访。",
        joint_plan="召开综治中心联席会议：信访办牵头，自然资源所核对补偿台账，村委会公开分配方案，"
        "派出所做好现场秩序维护，包案领导每周约谈代表，30日内书面答复。",
    )
    group.parties = [_party((None, person_name(rng)), "representative", rng) for _ in range(5)]
    run = _Run(world, group, None)
    petition, land = _story_seats(world, "petition", "land")
    small = world.units.get("450324106201-village")
    run.step(
        "register",
        timedelta(minutes=30),
        "registered",
        world.actors.get(petition.pk),
        unit=group.case.first_unit,
        data={
            "channel": "visit",
            "risk": "red",
            "risk_rules": ["群体聚集", "多人涉及（5 人以上，信访工作条例第二十条）"],
        },
    )
    group.case.accepted_at = run.step("accept", timedelta(hours=3), "accepted", world.dispatcher)
    _dispatch(run, petition, [u for u in (land, small, police) if u])
    lead = _lead(group)
    lead.signed_at = run.step(
        "sign",
        timedelta(hours=2),
        "in_progress",
        world.actors.get(petition.pk),
        data={"unit": petition.code, "role": "lead"},
    )
    lead.state = "signed"
    run.step(
        "supervise", timedelta(days=20), None, world.supervisor, note="重点信访事项，纳入督办。", data={"level": 2}
    )
    group.case.supervision_level = 2
    run.step(
        "extend",
        timedelta(days=8),
        None,
        world.actors.get(petition.pk),
        note="需县自然资源局复核补偿标准，延期30日。",
        data={"days": 30},
    )
    group.case.extension_days = 30
    group.case.deadline = extended(group.case.deadline, 30)
    lead.deadline = extended(lead.deadline, 30)

    # 4. Hazard reports from grid workers.
    for days, code, title, stop in (
        (9, "hazard.geology.landslide", "网格员上报：才湾村后山连日降雨出现裂缝，三户民房有滑坡风险", None),
        (3, "hazard.water.pond", "网格员上报：才湾村村口山塘无护栏无警示牌，暑期儿童常在塘边玩耍", "in_progress"),
        (1, "hazard.fire.wiring", "网格员上报：才湾村老街商铺私拉电线为电动车充电", "dispatched"),
    ):
        draft = _draft(
            world,
            "hazard",
            now - timedelta(days=days),
            row=rows[code],
            channel="grid",
            title=title,
            region=home,
            region_path=home.path,
        )
        draft.case.first_unit = village or draft.case.first_unit
        _simulate(world, draft, "normal", stop_at=stop)


def _handle_story(run: _Run, lead: Unit, reply: str) -> None:
    assignment = _lead(run.draft)
    assignment.signed_at = run.step(
        "sign", timedelta(hours=1), "in_progress", run.actor(lead), unit=lead, data={"unit": lead.code, "role": "lead"}
    )
    assignment.state = "signed"
    for support in [a for a in run.draft.assignments if a.role == "support"]:
        support.signed_at = run.step(
            "sign",
            timedelta(hours=2),
            None,
            run.actor(support.unit),
            unit=support.unit,
            data={"unit": support.unit.code, "role": "support"},
        )
        # 协办意见: review closes a case only once every co-unit has answered (issue 14 part 4)
        support.replied_at = run.step(
            "reply",
            timedelta(hours=20),
            None,
            run.actor(support.unit),
            unit=support.unit,
            note=f"{support.unit.name}已配合主办单位参加联合调解。",
            data={"unit": support.unit.code, "role": "support"},
        )
        support.state, support.reply = "replied", f"{support.unit.name}已配合主办单位参加联合调解。"
    at = run.step(
        "reply",
        timedelta(days=6),
        "replied",
        run.actor(lead),
        unit=lead,
        note=reply,
        data={"unit": lead.code, "role": "lead"},
    )
    assignment.state, assignment.replied_at, assignment.reply = "replied", at, reply
    run.case.replied_at = at
