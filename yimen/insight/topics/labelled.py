"""The labelled set clustering quality is measured on (bench/bench_topics.py, the tests).

How it is labelled: the demo writes each case's title and description from the catalogue row
it drafts the case under (yimen.cases.demo TITLES: "{a}与{b}因{what}发生争执" with `what` the
row's name, and "{group}·{name}：…" as the description), with residents' names and villages
drawn at random. Each generated case is labelled with that row: the generator's own choice, not
the clusterer's. On top, the demo's hand-written stories (the uncle–nephew boundary fight, the
domestic-violence divorce, the land-compensation group petition, the collapsed culvert, the
barking dog, the stolen battery, the work-injury question) are labelled by hand with the row a
clerk would choose. The category feature is withheld when the set is scored (the label IS the
category, so with it the figure would measure nothing); the village is kept."""

import random

from yimen.cases.catalogue_data import ROWS
from yimen.cases.demo import TITLES
from yimen.core.demo_names import person_name
from yimen.geo.divisions import divisions_of
from yimen.insight.topics.cluster import Doc
from yimen.insight.topics.text import terms

TOWN = "450324106"
# The demo's hand-written stories and the row a clerk files each under (labelled by hand).
STORIES = [
    ("唐德明与侄子唐志强田土边界纠纷（叔侄互殴）", "dispute.land.boundary"),
    ("110 接警：唐德明与侄子唐志强因田土界桩再次发生扭打", "dispute.land.boundary"),
    ("唐德明与侄子唐志强界桩纠纷再起冲突", "dispute.land.boundary"),
    ("蒋秀兰咨询离婚及家庭暴力问题", "dispute.family.violence"),
    ("蒋秀兰申请法律援助（家暴受害人离婚诉讼）", "dispute.family.violence"),
    ("小塘村23户村民集体反映征地补偿款未足额到位", "dispute.land.compensation"),
    ("网格员上报：村道涵洞塌陷，过往车辆有侧翻风险", "hazard.road.damage"),
    ("唐桂英反映邻居养狗夜间吠叫扰民", "dispute.neighbour.noise"),
    ("110 接警：蒋永福家院内电动车电瓶被盗", "incident.theft"),
    ("蒋明华电话咨询工伤认定程序", "dispute.wages.injury"),
]


def _title(template_key: str, rng: random.Random, row: tuple, village: str) -> str:
    template = rng.choice(TITLES[template_key])
    return template.format(a=person_name(rng), b=person_name(rng), village=village, what=row[1])


def labelled_set(*, per_row: int = 8, seed: int = 20) -> tuple[list[Doc], dict[int, str]]:
    """Cases as the demo writes them, `per_row` for each catalogue row (the catch-all
    ".general" rows left out: "其他…" is no topic), plus the stories; with their true labels."""
    rng = random.Random(seed)
    villages = [(d.code, d.official_name.removesuffix("村委会").removesuffix("居委会")) for d in divisions_of(TOWN)]
    villages = [v for v in villages if len(v[0]) == 12]
    docs, truth = [], {}
    for row in ROWS:
        code, name, group, kind = row[:4]
        if code.endswith(".general"):
            continue
        key = next((p for p in (code.rsplit(".", 1)[0], kind) if p in TITLES), kind)
        for _ in range(per_row):
            place, village = rng.choice(villages)
            title = _title(key, rng, row, village + "村")
            text = f"{title} {group}·{name}：{person_name(rng)}反映有关情况，请依职责核实处理。"
            docs.append(Doc(key=len(docs) + 1, terms=terms(text), place=place))
            truth[len(docs)] = code
    for title, code in STORIES:
        place, _ = rng.choice(villages)
        docs.append(Doc(key=len(docs) + 1, terms=terms(title), place=place))
        truth[len(docs)] = code
    return docs, truth
