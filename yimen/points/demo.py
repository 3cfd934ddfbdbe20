"""Demo 积分制 in 才湾镇: the town's default 细则 adopted by every village; in 才湾村 a season of
approved awards and deductions proposed by `gridworker` and approved by `village`, consents to
the red board, a 积分超市 stocked through stock-in records, a few redemptions, an appeal and
proposals waiting. Idempotent."""

import random
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.people.models import Household
from yimen.points import selectors, services
from yimen.points.defaults import DEFAULT_RULES
from yimen.points.models import Entry, Item, RuleSet

TOWN = "450324106"
SHOP = [("洗衣粉", 10, 40), ("食用油（5L）", 60, 12), ("大米（10kg）", 50, 20), ("毛巾", 5, 60), ("电饭煲", 200, 2)]
GOOD = ["vir-volunteer", "san-yard", "san-sorting", "ind-training", "fam-harmony", "int-fees", "vir-help-elder"]
BAD = ["san-litter", "san-burn", "fam-gamble"]
WISHES = [
    (1, "希望村口装一盏路灯，晚上孩子放学看得见路", "村委会已安装太阳能路灯两盏"),
    (5, "独居老人想有人每周上门量一次血压", ""),
    (8, "希望组里修一个垃圾分类投放点", ""),
    (11, "想学手机视频通话，和在外打工的儿子联系", "志愿者已上门教会"),
]
EVIDENCE = {"photo": "", "witness": "村民小组长见证", "none": ""}
# A rule asking for a photo takes nothing else: the demo's proposals carry this small yard photo.
YARD = Path(__file__).with_name("demo_yard.jpg").read_bytes()


def _photos(rule_code: str, rules: dict) -> list[bytes]:
    return [YARD] if rules[rule_code].evidence_required == "photo" else []


def _seat(username: str) -> Membership:
    return Membership.objects.select_related("user", "unit", "jurisdiction").get(
        user__username=username, is_active=True
    )


def build_demo() -> str:
    if RuleSet.objects.exists():
        return "积分制：已有，未重建。"
    rng = random.Random(16)
    worker, village_cadre, dispatcher = _seat("gridworker"), _seat("village"), _seat("dispatcher")
    town = Region.objects.get(code=TOWN)
    villages = list(Region.objects.filter(parent=town, level=Region.Level.VILLAGE).order_by("code"))
    with transaction.atomic():
        default = services.ruleset_publish(actor=dispatcher, region=town, rules=DEFAULT_RULES)
        for village in villages:
            services.ruleset_adopt(actor=dispatcher, village=village, source=default)
        caiwan = village_cadre.jurisdiction
        items = [Item.objects.create(village=caiwan, name=n, price=p) for n, p, _ in SHOP]
        for item, (_, _, stock) in zip(items, SHOP, strict=True):
            services.item_stock_in(actor=village_cadre, item=item, quantity=stock, note="镇新时代文明实践所配送")
        homes = list(Household.objects.visible_to(worker).order_by("pk")[:24])
        rules = {rule.code: rule for rule in selectors.rules_for(caiwan)}
        approved = 0
        for n, home in enumerate(homes):
            for code in rng.sample(GOOD, 3) + ([rng.choice(BAD)] if n % 5 == 4 else []):
                rule = rules[code]
                award = services.award_propose(
                    actor=worker,
                    household=home,
                    rule_code=code,
                    note=f"{rule.name}（网格员走访核实）",
                    evidence=EVIDENCE[rule.evidence_required],
                    photos=_photos(code, rules),
                )
                services.award_approve(actor=village_cadre, award_id=award.pk)
                approved += 1
            if n % 3 != 2:
                services.consent_give(actor=village_cadre, household=home)
        for home in homes[:4]:
            services.redeem(actor=village_cadre, household=home, item_id=items[3].pk, quantity=1)
        deduction = Entry.objects.filter(household__in=homes, kind=Entry.Kind.AWARD, points__lt=0).first()
        if deduction is not None:
            services.appeal_file(
                actor=village_cadre, entry=deduction, grounds="户主称当天外出务工，非本户所为，请求复核"
            )
        for home, text, outcome in WISHES[: len(homes)]:
            wish = services.wish_record(actor=worker, household=homes[home % len(homes)], text=text)
            if outcome:
                services.wish_close(actor=village_cadre, wish=wish, state="fulfilled", outcome=outcome)
        year = timezone.localdate().year
        for row, votes in zip(selectors.best_candidates(caiwan, year)[:2], (21, 9), strict=False):
            household = Household.objects.get(pk=row["household"])
            services.best_family_record(
                actor=village_cadre, village=caiwan, year=year, household=household, votes_for=votes, voters=26
            )
        agenda = [w.pk for w in selectors.open_wishes(caiwan)]
        if agenda:
            services.meeting_record(
                actor=village_cadre,
                village=caiwan,
                kind="courtyard",
                held_at=timezone.now() - timedelta(days=2),
                place="才湾村1组唐家院坝",
                attendance=26,
                wish_ids=agenda[:1],
                notes="村道两侧垃圾清运",
                decisions=[
                    ("联系镇卫生院每周二上门为独居老人量血压", "村妇联主席"),
                    ("垃圾清运改为每周两次", "村主任"),
                ],
            )
        for home in homes[-3:]:
            services.award_propose(
                actor=worker,
                household=home,
                rule_code="vir-volunteer",
                note="参加村道清扫志愿服务",
                photos=[YARD],
            )
    adopted = f"{len(villages)} 个村采用镇默认细则（{len(DEFAULT_RULES)} 项）"
    waiting = f"待审核 3 条，申诉 1 件，微心愿 {len(WISHES)} 条，院坝会 1 次，最美农家投票 2 户"
    return f"积分制：{adopted}，才湾村 {len(homes)} 户入账 {approved} 条，{waiting}。"
