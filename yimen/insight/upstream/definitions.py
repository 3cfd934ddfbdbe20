"""The three upstream forms in their upstream layout: one line per village (or town, or grid —
the level below the region asked for), the figures as columns, a 合计 line. Each figure is a
rule on one case row, so each number is the count of the cases listed behind it.

The rules follow the KPI table (kpis/definitions.py) where a KPI exists, so that the forms'
totals equal the dashboard's for the same period and region: 受理 counts on the received day,
办结 on the closing day, 按期办结 = closed by the deadline (none: on time)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

GROUP_VISIT = 5  # 集体访: five or more people (信访工作条例 art. 20 limits representatives to five)


@dataclass(frozen=True)
class Row:
    """What the rules read of a case (one query's values)."""

    code: str
    kind: str
    channel: str
    group: str  # the catalogue row's group (婚姻家庭, 邻里纠纷 …), "" without a category
    received: bool  # received in the period
    closed: bool  # closed in the period
    on_time: bool  # ... by its deadline
    group_size: int
    repeat: bool  # a petition recorded as a repeat (重复信访)
    received_at: datetime


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    rule: Callable[[Row], bool]


@dataclass(frozen=True)
class Form:
    name: str  # the URL's name: /forms/{name}.xlsx
    title: str
    kinds: tuple[str, ...]
    figures: tuple[Figure, ...]
    grid_only: bool = False  # only cases reported through the grid (网格上报)


def _received(row: Row) -> bool:
    return row.received


def _group(*names: str) -> Callable[[Row], bool]:
    return lambda row: row.received and row.group in names


DISPUTE_GROUPS = ("婚姻家庭", "邻里纠纷", "土地山林", "劳动保障", "经济纠纷", "交通治安")
CLOSED = Figure("closed", "化解办结", lambda r: r.closed)
ON_TIME = Figure("closed_on_time", "其中按期办结", lambda r: r.closed and r.on_time)

FORMS = {
    form.name: form
    for form in (
        Form(
            name="disputes",
            title="矛盾纠纷排查化解情况统计表",
            kinds=("dispute",),
            figures=(
                Figure("received", "排查受理总数", _received),
                *(Figure(f"group_{n}", f"其中{name}", _group(name)) for n, name in enumerate(DISPUTE_GROUPS, 1)),
                Figure("group_other", "其中其他", lambda r: r.received and r.group not in DISPUTE_GROUPS),
                Figure(
                    "group_visit", "其中群体性纠纷（5人以上）", lambda r: r.received and r.group_size >= GROUP_VISIT
                ),
                CLOSED,
                ON_TIME,
            ),
        ),
        Form(
            name="petitions",
            title="信访情况月报",
            kinds=("petition",),
            figures=(
                Figure("received", "信访总量", _received),
                Figure("visit", "其中来访", lambda r: r.received and r.channel == "visit"),
                Figure("letter", "其中来信", lambda r: r.received and r.channel == "letter"),
                Figure("online", "其中网上信访", lambda r: r.received and r.channel == "online"),
                Figure(
                    "other_channel",
                    "其中来电及其他",
                    lambda r: r.received and r.channel not in ("visit", "letter", "online"),
                ),
                Figure("group_visit", "集体访（5人以上）", lambda r: r.received and r.group_size >= GROUP_VISIT),
                Figure("repeat", "重复信访", lambda r: r.received and r.repeat),
                Figure("closed", "办结", lambda r: r.closed),
                ON_TIME,
            ),
        ),
        Form(
            name="grid",
            title="网格化服务管理工作月报",
            kinds=("dispute", "appeal", "hazard", "incident"),
            grid_only=True,
            figures=(
                Figure("received", "网格上报事项", _received),
                Figure("hazard", "其中安全隐患", lambda r: r.received and r.kind == "hazard"),
                Figure("dispute", "其中矛盾纠纷", lambda r: r.received and r.kind == "dispute"),
                Figure("appeal", "其中群众诉求", lambda r: r.received and r.kind == "appeal"),
                Figure("incident", "其中突发事件", lambda r: r.received and r.kind == "incident"),
                Figure("closed", "办结", lambda r: r.closed),
                ON_TIME,
            ),
        ),
    )
}
