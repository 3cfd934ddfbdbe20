"""The dispatch catalogue (派单目录), deadline policies and risk rules as seed data, and the
functions that read them: the current catalogue, a category by code, the units a row suggests.

The seed is loaded by the data migration 0002 and by `catalogue_seed()` (idempotent, for a flushed
test database). Administrators revise the catalogue through services.catalogue_revise(), which
makes a new version: cases keep the row and the deadlines they were routed by."""

from dataclasses import dataclass

from django.db.models import QuerySet

from yimen.core.generations import Cached, bump
from yimen.org.models import Unit

# (code, name, unit, amount, max extension in days, source) — DESIGN §7.
POLICIES = [
    ("hotline.emergency", "紧急类 2 小时", "hours", 2, 0, "北京市12345市民服务热线服务规范：紧急诉求 2 小时"),
    ("hotline.utilities", "水电气热等 24 小时", "hours", 24, 3, "北京市12345市民服务热线服务规范：24 小时"),
    ("hotline.general", "一般类 7 日", "natural_days", 7, 7, "北京市12345市民服务热线服务规范：一般诉求 7 日"),
    ("hotline.complex", "复杂类 15 日", "natural_days", 15, 15, "北京市12345市民服务热线服务规范：复杂诉求 15 日"),
    ("petition.route", "信访登记转送或告知 15 日", "natural_days", 15, 0, "信访工作条例第二十二、二十三条"),
    ("petition.object", "非管辖单位提出异议 5 个工作日", "working_days", 5, 0, "信访工作条例第二十三条"),
    ("petition.handle", "信访事项办理 60 日", "natural_days", 60, 30, "信访工作条例第三十四条（延期不超过 30 日）"),
    ("petition.review", "复查答复 30 日", "natural_days", 30, 0, "信访工作条例第三十五条"),
    ("petition.rereview", "复核答复 30 日", "natural_days", 30, 0, "信访工作条例第三十六条"),
    (
        "mediation.month",
        "人民调解一般一个月",
        "natural_days",
        30,
        30,
        "人民调解工作若干规定第三十六条（双方同意可延长）",
    ),
    ("legal_aid.decide", "法律援助审查决定 7 日", "natural_days", 7, 0, "法律援助法第四十三条"),
    ("legal_aid.assign", "指派律师 3 日", "natural_days", 3, 0, "法律援助法第四十三条"),
    ("protection_order", "人身安全保护令 72 小时", "hours", 72, 0, "反家庭暴力法第二十八条"),
    ("protection_order.urgent", "紧急保护令 24 小时", "hours", 24, 0, "反家庭暴力法第二十八条"),
    ("consultation.5wd", "法律咨询答复 5 个工作日", "working_days", 5, 5, "公共法律服务工作规范（本镇）"),
    ("repair.8wh", "报修类 8 个工作小时", "working_hours", 8, 2, "本镇网格事项办理规范"),
    ("sign.standard", "签收 1 个工作日", "working_days", 1, 0, "本镇派单规范"),
    ("sign.urgent", "紧急签收 1 小时", "hours", 1, 0, "本镇派单规范"),
    ("return.2d", "派单异议 2 日", "natural_days", 2, 0, "派单错误退回（市级通行做法）"),
]

# Unit references in `lead` and `supports`: a unit kind, or kind:function for the town's units of
# one kind told apart by their code ("department:labour" → "<town>-labour").
JUDICIAL, POLICE, COURT, PETITION, VILLAGE = "judicial", "police", "court", "petition", "village"
MEDIATION, WOMEN = "other:mediation", "other:women"
LABOUR, LAND, EMERGENCY = "department:labour", "department:land", "department:emergency"
MARKET, HEALTH, CENTRE, GRID = "department:market", "department:health", "centre", "grid_centre"

# (code, name, group, kind, lead, supports, policy, risk); the first row of each kind ending in
# ".general" is that kind's default (used when no category is given).
ROWS = [
    # 矛盾纠纷 · 邻里
    ("dispute.general", "其他矛盾纠纷", "其他", "dispute", MEDIATION, [VILLAGE], "hotline.complex", "blue"),
    ("dispute.neighbour.noise", "噪音扰邻", "邻里纠纷", "dispute", VILLAGE, [POLICE], "hotline.general", "blue"),
    (
        "dispute.neighbour.drainage",
        "排水滴水纠纷",
        "邻里纠纷",
        "dispute",
        VILLAGE,
        [MEDIATION],
        "hotline.general",
        "blue",
    ),
    (
        "dispute.neighbour.passage",
        "通行道路纠纷",
        "邻里纠纷",
        "dispute",
        VILLAGE,
        [MEDIATION, LAND],
        "hotline.complex",
        "blue",
    ),
    ("dispute.neighbour.livestock", "家禽家畜损害", "邻里纠纷", "dispute", VILLAGE, [], "hotline.general", "blue"),
    ("dispute.neighbour.trees", "林木遮挡采光", "邻里纠纷", "dispute", VILLAGE, [MEDIATION], "hotline.general", "blue"),
    (
        "dispute.neighbour.quarrel",
        "邻里口角冲突",
        "邻里纠纷",
        "dispute",
        MEDIATION,
        [VILLAGE, POLICE],
        "mediation.month",
        "yellow",
    ),
    # 土地与边界
    (
        "dispute.land.homestead",
        "宅基地纠纷",
        "土地山林",
        "dispute",
        JUDICIAL,
        [LAND, VILLAGE],
        "mediation.month",
        "yellow",
    ),
    (
        "dispute.land.boundary",
        "田土山林边界纠纷",
        "土地山林",
        "dispute",
        JUDICIAL,
        [LAND, VILLAGE, MEDIATION],
        "mediation.month",
        "yellow",
    ),
    (
        "dispute.land.contract",
        "土地承包经营纠纷",
        "土地山林",
        "dispute",
        LAND,
        [JUDICIAL, VILLAGE],
        "mediation.month",
        "yellow",
    ),
    ("dispute.land.forest", "林权纠纷", "土地山林", "dispute", LAND, [JUDICIAL, VILLAGE], "mediation.month", "yellow"),
    (
        "dispute.land.compensation",
        "征地拆迁补偿纠纷",
        "土地山林",
        "dispute",
        LAND,
        [PETITION, JUDICIAL, VILLAGE],
        "hotline.complex",
        "orange",
    ),
    ("dispute.land.irrigation", "灌溉用水纠纷", "土地山林", "dispute", VILLAGE, [JUDICIAL], "hotline.general", "blue"),
    ("dispute.land.grave", "坟山坟地纠纷", "土地山林", "dispute", JUDICIAL, [VILLAGE], "mediation.month", "yellow"),
    # 婚姻家庭
    (
        "dispute.family.marriage",
        "婚姻纠纷",
        "婚姻家庭",
        "dispute",
        JUDICIAL,
        [WOMEN, VILLAGE],
        "mediation.month",
        "blue",
    ),
    (
        "dispute.family.divorce",
        "离婚财产子女抚养纠纷",
        "婚姻家庭",
        "dispute",
        COURT,
        [JUDICIAL, WOMEN],
        "mediation.month",
        "yellow",
    ),
    (
        "dispute.family.support",
        "赡养纠纷",
        "婚姻家庭",
        "dispute",
        JUDICIAL,
        [VILLAGE, COURT],
        "mediation.month",
        "yellow",
    ),
    ("dispute.family.maintenance", "抚养纠纷", "婚姻家庭", "dispute", JUDICIAL, [WOMEN], "mediation.month", "blue"),
    (
        "dispute.family.inheritance",
        "继承纠纷",
        "婚姻家庭",
        "dispute",
        JUDICIAL,
        [COURT, VILLAGE],
        "mediation.month",
        "blue",
    ),
    (
        "dispute.family.property",
        "家庭财产分割纠纷",
        "婚姻家庭",
        "dispute",
        JUDICIAL,
        [VILLAGE],
        "mediation.month",
        "blue",
    ),
    (
        "dispute.family.violence",
        "家庭暴力",
        "婚姻家庭",
        "dispute",
        POLICE,
        [WOMEN, JUDICIAL, VILLAGE],
        "protection_order.urgent",
        "orange",
    ),
    (
        "dispute.family.elder_abuse",
        "虐待遗弃老人",
        "婚姻家庭",
        "dispute",
        POLICE,
        [VILLAGE, JUDICIAL],
        "hotline.utilities",
        "orange",
    ),
    # 劳动与经济
    (
        "dispute.wages.arrears",
        "拖欠农民工工资",
        "劳动保障",
        "dispute",
        LABOUR,
        [JUDICIAL, POLICE],
        "hotline.complex",
        "yellow",
    ),
    (
        "dispute.wages.injury",
        "工伤赔偿纠纷",
        "劳动保障",
        "dispute",
        LABOUR,
        [JUDICIAL, COURT],
        "mediation.month",
        "yellow",
    ),
    ("dispute.labour.contract", "劳动合同纠纷", "劳动保障", "dispute", LABOUR, [JUDICIAL], "mediation.month", "blue"),
    ("dispute.debt", "民间借贷纠纷", "经济纠纷", "dispute", COURT, [JUDICIAL], "mediation.month", "blue"),
    ("dispute.contract", "买卖承揽合同纠纷", "经济纠纷", "dispute", JUDICIAL, [COURT], "mediation.month", "blue"),
    ("dispute.consumer", "消费维权纠纷", "经济纠纷", "dispute", MARKET, [], "hotline.general", "blue"),
    ("dispute.medical", "医疗纠纷", "经济纠纷", "dispute", JUDICIAL, [HEALTH], "mediation.month", "yellow"),
    (
        "dispute.construction",
        "建房施工纠纷",
        "经济纠纷",
        "dispute",
        VILLAGE,
        [LAND, JUDICIAL],
        "hotline.complex",
        "blue",
    ),
    (
        "dispute.enterprise",
        "企业与村民纠纷",
        "经济纠纷",
        "dispute",
        VILLAGE,
        [EMERGENCY, JUDICIAL],
        "hotline.complex",
        "yellow",
    ),
    (
        "dispute.environment",
        "环境污染纠纷",
        "经济纠纷",
        "dispute",
        VILLAGE,
        [HEALTH, JUDICIAL],
        "hotline.complex",
        "yellow",
    ),
    # 交通与治安
    (
        "dispute.traffic.compensation",
        "交通事故损害赔偿",
        "交通治安",
        "dispute",
        POLICE,
        [JUDICIAL, COURT],
        "mediation.month",
        "blue",
    ),
    (
        "dispute.public_order.insult",
        "辱骂威胁",
        "交通治安",
        "dispute",
        POLICE,
        [MEDIATION],
        "hotline.general",
        "yellow",
    ),
    (
        "dispute.public_order.damage",
        "财物损毁纠纷",
        "交通治安",
        "dispute",
        POLICE,
        [MEDIATION],
        "hotline.general",
        "blue",
    ),
    # 突发事件
    ("incident.general", "其他突发事件", "突发事件", "incident", POLICE, [VILLAGE], "hotline.emergency", "yellow"),
    ("incident.fight", "打架斗殴", "突发事件", "incident", POLICE, [VILLAGE], "hotline.emergency", "orange"),
    ("incident.theft", "盗窃警情", "突发事件", "incident", POLICE, [], "hotline.emergency", "yellow"),
    (
        "incident.gathering",
        "群体性聚集",
        "突发事件",
        "incident",
        POLICE,
        [PETITION, VILLAGE],
        "hotline.emergency",
        "red",
    ),
    ("incident.extreme", "扬言极端行为", "突发事件", "incident", POLICE, [VILLAGE, HEALTH], "hotline.emergency", "red"),
    ("incident.fire", "火情", "突发事件", "incident", EMERGENCY, [POLICE, VILLAGE], "hotline.emergency", "orange"),
    ("incident.missing", "人员走失", "突发事件", "incident", POLICE, [VILLAGE], "hotline.emergency", "yellow"),
    ("incident.traffic", "交通事故现场", "突发事件", "incident", POLICE, [HEALTH], "hotline.emergency", "yellow"),
    (
        "incident.mental",
        "严重精神障碍患者肇事肇祸风险",
        "突发事件",
        "incident",
        HEALTH,
        [POLICE, VILLAGE],
        "hotline.emergency",
        "orange",
    ),
    # 安全隐患
    ("hazard.general", "其他安全隐患", "安全隐患", "hazard", EMERGENCY, [VILLAGE], "hotline.utilities", "blue"),
    ("hazard.road.damage", "道路塌陷破损", "道路交通", "hazard", EMERGENCY, [VILLAGE], "hotline.utilities", "yellow"),
    ("hazard.road.facility", "交通安全设施缺失", "道路交通", "hazard", POLICE, [VILLAGE], "hotline.general", "blue"),
    ("hazard.road.bridge", "危桥险段", "道路交通", "hazard", EMERGENCY, [VILLAGE], "hotline.utilities", "orange"),
    (
        "hazard.water.pond",
        "河塘无警示溺水隐患",
        "水域安全",
        "hazard",
        VILLAGE,
        [EMERGENCY],
        "hotline.utilities",
        "yellow",
    ),
    (
        "hazard.water.reservoir",
        "山塘水库险情",
        "水域安全",
        "hazard",
        EMERGENCY,
        [VILLAGE],
        "hotline.emergency",
        "orange",
    ),
    ("hazard.water.flood", "内涝积水", "水域安全", "hazard", EMERGENCY, [VILLAGE], "hotline.utilities", "yellow"),
    ("hazard.fire.wiring", "私拉乱接电线", "消防安全", "hazard", EMERGENCY, [VILLAGE], "hotline.general", "yellow"),
    (
        "hazard.fire.forest",
        "野外用火森林防火",
        "消防安全",
        "hazard",
        EMERGENCY,
        [VILLAGE],
        "hotline.utilities",
        "yellow",
    ),
    ("hazard.fire.gas", "燃气安全隐患", "消防安全", "hazard", EMERGENCY, [MARKET], "hotline.utilities", "orange"),
    ("hazard.fire.passage", "消防通道堵塞", "消防安全", "hazard", EMERGENCY, [VILLAGE], "hotline.general", "blue"),
    (
        "hazard.geology.landslide",
        "山体滑坡隐患",
        "地质灾害",
        "hazard",
        LAND,
        [EMERGENCY, VILLAGE],
        "hotline.utilities",
        "orange",
    ),
    (
        "hazard.geology.rockfall",
        "崩塌落石",
        "地质灾害",
        "hazard",
        LAND,
        [EMERGENCY, VILLAGE],
        "hotline.utilities",
        "orange",
    ),
    ("hazard.building.unsafe", "危房", "房屋安全", "hazard", VILLAGE, [EMERGENCY, LAND], "hotline.general", "yellow"),
    ("hazard.food", "食品安全隐患", "市场安全", "hazard", MARKET, [HEALTH], "hotline.general", "yellow"),
    ("hazard.school", "校园周边安全隐患", "市场安全", "hazard", POLICE, [MARKET, VILLAGE], "hotline.general", "yellow"),
    # 求助 投诉 建议 咨询：环境卫生、水电
    ("appeal.general", "其他诉求", "其他", "appeal", CENTRE, [], "hotline.general", "blue"),
    ("appeal.sanitation.garbage", "垃圾清运不及时", "环境卫生", "appeal", VILLAGE, [], "hotline.utilities", "blue"),
    ("appeal.sanitation.sewage", "污水横流", "环境卫生", "appeal", VILLAGE, [HEALTH], "hotline.general", "blue"),
    ("appeal.sanitation.toilet", "公厕卫生", "环境卫生", "appeal", VILLAGE, [], "hotline.general", "blue"),
    ("appeal.sanitation.livestock", "畜禽养殖污染", "环境卫生", "appeal", VILLAGE, [HEALTH], "hotline.general", "blue"),
    ("appeal.utilities.water", "停水与饮水安全", "水电气", "appeal", VILLAGE, [HEALTH], "hotline.utilities", "yellow"),
    ("appeal.utilities.power", "停电与线路故障", "水电气", "appeal", VILLAGE, [EMERGENCY], "hotline.utilities", "blue"),
    ("appeal.utilities.streetlight", "路灯损坏", "水电气", "appeal", VILLAGE, [], "repair.8wh", "blue"),
    ("appeal.utilities.network", "通信网络问题", "水电气", "appeal", VILLAGE, [], "hotline.general", "blue"),
    ("appeal.social.assistance", "低保与临时救助", "社会保障", "appeal", VILLAGE, [LABOUR], "hotline.complex", "blue"),
    ("appeal.social.insurance", "养老医疗保险", "社会保障", "appeal", LABOUR, [], "hotline.general", "blue"),
    ("appeal.complaint.cadre", "干部作风投诉", "投诉举报", "appeal", PETITION, [], "hotline.complex", "yellow"),
    ("appeal.complaint.price", "价格计量投诉", "投诉举报", "appeal", MARKET, [], "hotline.general", "blue"),
    ("appeal.suggestion", "意见建议", "意见建议", "appeal", CENTRE, [], "hotline.complex", "blue"),
    # 信访（信访工作条例）
    ("petition.general", "申诉求决类信访", "信访", "petition", PETITION, [], "petition.handle", "yellow"),
    ("petition.suggestion", "建议意见类信访", "信访", "petition", PETITION, [], "petition.handle", "blue"),
    ("petition.accusation", "检举控告类信访", "信访", "petition", PETITION, [], "petition.handle", "yellow"),
    ("petition.land", "征地拆迁补偿信访", "信访", "petition", PETITION, [LAND, VILLAGE], "petition.handle", "orange"),
    ("petition.wages", "欠薪信访", "信访", "petition", PETITION, [LABOUR], "petition.handle", "orange"),
    ("petition.group", "集体访", "信访", "petition", PETITION, [POLICE, VILLAGE], "petition.handle", "orange"),
    ("petition.review", "复查申请", "信访", "petition", PETITION, [], "petition.review", "yellow"),
    ("petition.rereview", "复核申请", "信访", "petition", PETITION, [], "petition.rereview", "orange"),
    # 法律服务与法律援助
    ("legal_service.general", "法律咨询", "法律服务", "legal_service", JUDICIAL, [], "consultation.5wd", "blue"),
    (
        "legal_service.family",
        "婚姻家庭与家暴法律咨询",
        "法律服务",
        "legal_service",
        JUDICIAL,
        [WOMEN],
        "consultation.5wd",
        "blue",
    ),
    ("legal_service.document", "代写法律文书", "法律服务", "legal_service", JUDICIAL, [], "hotline.general", "blue"),
    ("legal_service.notary", "公证与证明指引", "法律服务", "legal_service", JUDICIAL, [], "hotline.general", "blue"),
    (
        "legal_service.protection_order",
        "人身安全保护令申请",
        "法律服务",
        "legal_service",
        COURT,
        [JUDICIAL, WOMEN, POLICE],
        "protection_order",
        "orange",
    ),
    ("legal_aid.general", "法律援助申请", "法律援助", "legal_aid", JUDICIAL, [], "legal_aid.decide", "blue"),
    (
        "legal_aid.wages",
        "农民工讨薪法律援助",
        "法律援助",
        "legal_aid",
        JUDICIAL,
        [LABOUR],
        "legal_aid.decide",
        "yellow",
    ),
    (
        "legal_aid.violence",
        "家暴受害人法律援助",
        "法律援助",
        "legal_aid",
        JUDICIAL,
        [WOMEN],
        "legal_aid.decide",
        "orange",
    ),
    ("legal_aid.minor", "未成年人法律援助", "法律援助", "legal_aid", JUDICIAL, [WOMEN], "legal_aid.decide", "yellow"),
    ("legal_aid.assign", "指派律师", "法律援助", "legal_aid", JUDICIAL, [], "legal_aid.assign", "blue"),
]

# (name, pattern, kinds, min group size, min repeat petitions, risk)
RISK_RULES = [
    ("扬言极端行为", r"扬言|报复社会|同归于尽|砍死|杀了|炸掉|自杀|跳楼|喝农药|自焚", [], None, None, "red"),
    ("持械斗殴", r"持刀|械斗|斗殴|打伤|砍伤", [], None, None, "orange"),
    ("群体聚集", r"群体|集体上访|联名|聚集|堵路|围堵|拉横幅", [], None, None, "orange"),
    ("越级进京赴省", r"进京|赴省|越级", ["petition"], None, None, "orange"),
    ("家庭暴力", r"家暴|家庭暴力|殴打妻子|打老婆|打骂孩子", [], None, None, "orange"),
    ("涉及未成年人与留守老人", r"未成年|留守儿童|留守老人", [], None, None, "yellow"),
    ("多人涉及（5 人以上，信访工作条例第二十条）", "", [], 5, None, "orange"),  # 洞井: ≥ 5 orange, ≥ 20 red
    ("大规模群体（20 人以上）", "", [], 20, None, "red"),
    ("一年内重复信访", "", ["petition"], None, 2, "orange"),
    ("一年内多次重复信访", "", ["petition"], None, 4, "red"),
]


@dataclass(frozen=True)
class UnitRef:
    kind: str
    function: str = ""

    @classmethod
    def parse(cls, text: str) -> "UnitRef":
        kind, _, function = text.partition(":")
        return cls(kind, function)


def seed(*, policy_model, catalogue_model, row_model, rule_model) -> int:
    """Load POLICIES, the first catalogue version and RISK_RULES when absent (idempotent).
    Takes the model classes so the data migration can pass its historical models."""
    created = 0
    policies = {}
    for code, name, unit, amount, max_ext, source in POLICIES:
        policies[code], made = policy_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "amount": amount, "max_extension_days": max_ext, "source": source},
        )
        created += made
    if not catalogue_model.objects.exists():
        catalogue = catalogue_model.objects.create(version=1, is_current=True, note="初始派单目录")
        defaults_seen = set()
        rows = []
        for order, (code, name, group, kind, lead, supports, policy, risk) in enumerate(ROWS):
            is_default = code == f"{kind}.general" and kind not in defaults_seen
            if is_default:
                defaults_seen.add(kind)
            rows.append(
                row_model(
                    catalogue=catalogue,
                    code=code,
                    name=name,
                    group=group,
                    kind=kind,
                    lead=lead,
                    supports=supports,
                    policy=policies[policy],
                    intake_policy=policies["petition.route"] if kind == "petition" else None,
                    sign_policy=policies["sign.urgent" if kind == "incident" else "sign.standard"],
                    return_policy=policies["petition.object" if kind == "petition" else "return.2d"],
                    risk=risk,
                    is_default=is_default,
                    order=order,
                )
            )
        row_model.objects.bulk_create(rows)
        created += len(rows)
    if not rule_model.objects.exists():
        rule_model.objects.bulk_create(
            rule_model(
                name=name, pattern=pattern, kinds=kinds, min_group_size=size, min_repeat=repeat, risk=risk, order=i
            )
            for i, (name, pattern, kinds, size, repeat, risk) in enumerate(RISK_RULES)
        )
    return created


def catalogue_seed() -> int:
    """Load the seed into the live models (e.g. after a test flushed the database)."""
    from yimen.cases.models import CatalogueRow, DeadlinePolicy, DispatchCatalogue, RiskRule

    made = seed(
        policy_model=DeadlinePolicy, catalogue_model=DispatchCatalogue, row_model=CatalogueRow, rule_model=RiskRule
    )
    bump(RULES_GENERATION)
    return made


# What every registration reads (the catalogue in force, its rows, the active risk rules and the
# handling tiers), kept per process and checked against this generation on each use (issue 22).
# Every writer of those rows bumps it in its transaction: catalogue_seed, tiers' seeding, and the
# services of services/catalogue_admin.py.
RULES_GENERATION = "cases.rules"


@dataclass(frozen=True)
class IntakeRules:
    catalogue_id: int
    rows: dict  # code -> CatalogueRow of the current catalogue (its policies joined)
    defaults: dict  # kind -> that kind's default row
    risk_rules: tuple  # the active RiskRules, in their order
    tiers: dict  # risk -> HandlingTier (its report policy joined)


def _load_rules() -> IntakeRules:
    from yimen.cases.models import HandlingTier, RiskRule

    current = catalogue_current()
    rows = {row.code: row for row in current.rows.select_related("policy", "intake_policy")}
    return IntakeRules(
        catalogue_id=current.pk,
        rows=rows,
        defaults={row.kind: row for row in rows.values() if row.is_default},
        risk_rules=tuple(RiskRule.objects.filter(is_active=True)),
        tiers={tier.risk: tier for tier in HandlingTier.objects.select_related("report_policy")},
    )


_RULES = Cached(RULES_GENERATION, _load_rules)


def intake_rules() -> IntakeRules:
    """The catalogue rows, risk rules and tiers in force, from this process's copy while their
    generation stands. Read-only: the rows are shared by every request of the process."""
    return _RULES.get()


def catalogue_current():
    """The catalogue version in force (seeding it on a flushed database)."""
    from yimen.cases.models import DispatchCatalogue

    current = DispatchCatalogue.objects.filter(is_current=True).first()
    if current is None:
        catalogue_seed()
        current = DispatchCatalogue.objects.get(is_current=True)
    return current


# The words people say for what the catalogue names formally (the seeds' and the clerks' words):
# the intake desk's category filter finds a row by either. Spoken word → a word of the row's
# name or group.
SYNONYMS: dict[str, str] = {
    "家暴": "家庭暴力",
    "打老婆": "家庭暴力",
    "欠薪": "工资",
    "讨薪": "工资",
    "拖欠工资": "工资",
    "离婚": "婚姻",
    "养老": "赡养",
    "不养老人": "赡养",
    "地界": "边界",
    "界桩": "边界",
    "田界": "边界",
    "屋基": "宅基地",
    "吵闹": "噪音",
    "扰民": "噪音",
    "坟地": "坟山",
}


def spoken_words(row) -> str:
    """The spoken words that name this row (for the desk's filter), space-separated."""
    text = f"{row.name}{row.group}"
    return " ".join(word for word, formal in SYNONYMS.items() if formal in text)


def catalogue_rows(*, kind: str | None = None) -> QuerySet:
    """The current catalogue's rows (for the intake desk's picker and GET /catalogue)."""
    rows = catalogue_current().rows.select_related("policy")
    return rows.filter(kind=kind) if kind else rows


def units_for(ref: str, *, region_path: str) -> QuerySet[Unit]:
    """Active units matching a catalogue unit reference whose area covers the case's region,
    nearest (deepest) first."""
    parsed = UnitRef.parse(ref)
    covering = [region_path[: i + 1] for i, ch in enumerate(region_path) if ch == "/"]
    units = Unit.objects.filter(is_active=True, kind=parsed.kind, region__path__in=covering)
    if parsed.function:
        units = units.filter(code__endswith=f"-{parsed.function}")
    return units.select_related("region").order_by("-region__depth", "code")


def suggest_units(row, *, region_path: str) -> tuple[Unit | None, list[Unit]]:
    """The lead unit and support units a catalogue row suggests for a case in `region_path`."""
    lead = units_for(row.lead, region_path=region_path).first()
    supports = []
    for ref in row.supports:
        unit = units_for(ref, region_path=region_path).first()
        if unit is not None and unit != lead and unit not in supports:
            supports.append(unit)
    return lead, supports
