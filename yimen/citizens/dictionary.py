"""The data dictionary of the public fields (issue 19 part 6): cases, categories, regions and
units, each field with its type, its code list (read off the models' choices, so it cannot
drift) and the matching element of GB/T 31000-2015 《社会治安综合治理基础数据规范》 where one is
known. No element number of GB/T 31000 has been checked against the standard's text here, so
every such reference is null with a note saying so, rather than a guessed number; references to
other standards are given only where the field is defined by them (GB/T 2260 division codes,
ISO 8601 times). Published at GET /api/v1/dictionary and as docs/dictionary.md
(`render_markdown()`; a test keeps the file equal to it)."""

from django.db import models

from yimen.cases.models import Case, CatalogueRow
from yimen.geo.models import Region
from yimen.org.models import Unit

UNCHECKED = "GB/T 31000-2015 对应数据元未核对（待对照标准文本补充）"
TIME = "日期时间，ISO 8601（GB/T 7408），带 +08:00 时区"
DIVISION = (
    "行政区划代码：县级及以上 6 位按 GB/T 2260，乡镇 9 位、村 12 位按国家统计局统计用区划代码；网格以下为本系统编码"
)

# (entity label, model, [(field, public name, note or "")])
ENTITIES = [
    (
        "case",
        "案件（一案一码）",
        Case,
        [
            ("code", "code", "案件编码：<镇区划代码>-<年>-<6 位流水号>"),
            ("kind", "kind", ""),
            ("channel", "channel", ""),
            ("state", "state", ""),
            ("risk", "risk", ""),
            ("region", "region", DIVISION),
            ("category", "category", "派单目录条目代码（见 category）"),
            ("received_at", "received_at", TIME),
            ("deadline", "deadline", TIME),
            ("lead_unit", "lead_unit", "主办单位代码（见 unit）"),
            ("source_ref", "source_ref", "来源编号，如 12345 工单号、110 接警单号"),
        ],
    ),
    (
        "category",
        "派单目录条目",
        CatalogueRow,
        [
            ("code", "code", ""),
            ("name", "name", ""),
            ("group", "group", ""),
            ("kind", "kind", ""),
            ("risk", "risk", ""),
        ],
    ),
    (
        "region",
        "区域",
        Region,
        [
            ("code", "code", DIVISION),
            ("name", "name", ""),
            ("level", "level", ""),
            ("parent", "parent", "上级区域代码"),
        ],
    ),
    ("unit", "单位", Unit, [("code", "code", "本系统单位代码"), ("name", "name", ""), ("kind", "kind", "")]),
]


def _type(field: models.Field) -> str:
    if field.is_relation:
        return "string (code)"
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.IntegerField | models.PositiveIntegerField | models.PositiveSmallIntegerField):
        return "integer"
    return "string"


def dictionary() -> list[dict]:
    entities = []
    for name, label, model, fields in ENTITIES:
        rows = []
        for attr, public, note in fields:
            field = model._meta.get_field(attr)
            rows.append(
                {
                    "name": public,
                    "label": str(field.verbose_name),
                    "type": _type(field),
                    "max_length": getattr(field, "max_length", None) if not field.is_relation else None,
                    "codes": [{"code": str(v), "label": str(lbl)} for v, lbl in field.choices or []],
                    "note": note,
                    "gbt31000": None,
                    "gbt31000_note": UNCHECKED,
                }
            )
        entities.append({"name": name, "label": label, "fields": rows})
    return entities


def render_markdown() -> str:
    lines = [
        "# 数据字典（公开字段）",
        "",
        f"由 `yimen/citizens/dictionary.py` 生成，与 `GET /api/v1/dictionary` 相同。说明：{UNCHECKED}。",
        "",
    ]
    for entity in dictionary():
        lines += [
            f"## {entity['label']}（`{entity['name']}`）",
            "",
            "| 字段 | 名称 | 类型 | 代码表 | 说明 |",
            "| --- | --- | --- | --- | --- |",
        ]
        for f in entity["fields"]:
            codes = "；".join(f"`{c['code']}` {c['label']}" for c in f["codes"])
            lines.append(f"| `{f['name']}` | {f['label']} | {f['type']} | {codes} | {f['note']} |")
        lines.append("")
    return "\n".join(lines)
