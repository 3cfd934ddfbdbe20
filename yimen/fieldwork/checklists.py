"""The hazard check lists (隐患排查清单) by place type, as seed data: loaded by the data migration
0002 and by checklist_seed() (idempotent, for a flushed test database); administrators edit the
rows in the admin afterwards. Items follow the usual township safety-check practice (安全生产
大排查: roads, water, fire, geology, schools, markets)."""

CHECKLISTS = [
    (
        "road",
        "道路交通安全排查",
        30,
        ["路面无塌陷破损", "急弯陡坡有警示标志", "护栏完好", "桥梁无裂缝", "路边无堆放杂物"],
    ),
    (
        "water",
        "水域安全排查",
        14,
        ["塘边有警示牌", "有护栏或救生设施", "山塘坝体无渗漏", "溢洪道畅通", "无儿童在水边玩耍"],
    ),
    (
        "fire",
        "消防安全排查",
        30,
        ["无私拉乱接电线", "灭火器在有效期内", "消防通道畅通", "无电动车室内充电", "燃气管线无泄漏"],
    ),
    ("geology", "地质灾害排查", 7, ["坡面无新裂缝", "无落石", "排水沟畅通", "监测桩完好", "危险区住户已告知"]),
    (
        "school",
        "校园周边安全排查",
        30,
        ["校门口有护学岗", "周边无流动摊贩", "交通标志完好", "围墙无破损", "周边无网吧娱乐场所"],
    ),
    ("market", "集市市场安全排查", 30, ["通道畅通", "无过期变质食品", "计量器具合格", "燃气使用规范", "消防器材齐全"]),
]


def seed(checklist_model) -> int:
    """Create the lists that are missing; an edited list is left as the administrator made it."""
    made = 0
    for place_type, name, every_days, items in CHECKLISTS:
        _, created = checklist_model.objects.get_or_create(
            place_type=place_type, defaults={"name": name, "every_days": every_days, "items": items}
        )
        made += created
    return made


def checklist_seed() -> int:
    from yimen.fieldwork.models import CheckList

    return seed(CheckList)
