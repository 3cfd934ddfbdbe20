"""Importing the 统计用区划代码 shipped with the product (manage.py import_divisions)."""

import csv
import gzip
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yimen.core.errors import NotFound
from yimen.geo.divisions import DATA_DIR, display_name
from yimen.geo.models import Region
from yimen.geo.services import divisions_import


def shipped_rows(filename: str, prefix: str) -> list[list[str]]:
    with gzip.open(DATA_DIR / filename, "rt", encoding="utf-8") as lines:
        return [row for row in csv.reader(lines) if row[0].startswith(prefix)]


def test_whole_county_is_imported_with_its_ancestors(db):
    report = divisions_import(code="450324")

    towns, villages = shipped_rows("streets.csv.gz", "450324"), shipped_rows("villages.csv.gz", "450324")
    assert Region.objects.filter(level="town").count() == len(towns) == 18
    assert Region.objects.filter(level="village").count() == len(villages) == 286
    assert report.levels == {"province": 1, "city": 1, "county": 1, "town": 18, "village": 286}
    assert report.created == 307 and report.updated == 0
    town = Region.objects.get(code="450324106")
    assert town.name == "才湾镇" and town.parent.code == "450324" and town.parent.name == "全州县"
    assert town.path == "45/4503/450324/450324106/" and town.depth == 3
    assert [a.name for a in Region.objects.filter(code__in=town.ancestor_codes).order_by("depth")] == [
        "广西壮族自治区",
        "桂林市",
        "全州县",
    ]
    assert town.children.count() == 17


def test_villages_keep_the_official_name_and_read_as_places(db):
    divisions_import(code="450324106")
    caiwan = Region.objects.get(code="450324106200")
    tianhu = Region.objects.get(code="450324106001")
    assert (caiwan.name, caiwan.official_name, caiwan.level) == ("才湾村", "才湾村委会", "village")
    assert (tianhu.name, tianhu.official_name) == ("天湖社区", "天湖社区居委会")
    assert Region.objects.get(code="450324106").official_name == "才湾镇"


@pytest.mark.parametrize(
    ("official", "shown"),
    [
        ("才湾村委会", "才湾村"),
        ("小红门村民委员会", "小红门村"),
        ("天湖社区居委会", "天湖社区"),
        ("大北家园社区居民委员会", "大北家园社区"),
        ("四道口居民委员会", "四道口社区"),
        ("六铺炕南小街居委会", "六铺炕南小街社区"),
        ("第一街委员会", "第一街"),
        ("文景街道虚拟社区", "文景街道虚拟社区"),
        ("巴音哈拉嘎查村", "巴音哈拉嘎查村"),
    ],
)
def test_display_name(official, shown):
    assert display_name(official) == shown


def test_reimport_updates_names_in_place_and_never_duplicates(db):
    divisions_import(code="450324")
    ids = dict(Region.objects.values_list("code", "pk"))
    Region.objects.filter(code="450324106200").update(name="旧名村")
    Region.objects.filter(code="450324106").update(name="旧名镇")

    report = divisions_import(code="450324")

    assert report.created == 0 and report.updated == 2
    assert dict(Region.objects.values_list("code", "pk")) == ids
    assert Region.objects.get(code="450324106200").name == "才湾村"
    assert Region.objects.get(code="450324106").name == "才湾镇"
    again = divisions_import(code="450324")
    assert (again.created, again.updated) == (0, 0)


def test_a_larger_import_takes_in_the_smaller_one(db):
    divisions_import(code="450324106")
    report = divisions_import(code="450324")
    assert report.created == 307 - 21
    assert Region.objects.count() == 307


def test_tree_rooted_elsewhere_moves_under_the_province_with_its_grids(town):
    """A tree started at the county (as the test fixture does) is re-rooted; its grids follow."""
    grid = Region.objects.get(code="45032410620001")
    assert grid.path == "450324/450324106/450324106200/45032410620001/"

    divisions_import(code="450324")

    grid.refresh_from_db()
    assert grid.path == "45/4503/450324/450324106/450324106200/45032410620001/" and grid.depth == 5
    assert Region.objects.get(code="4503241062000101").depth == 6
    assert Region.objects.subtree(Region.objects.get(code="45")).count() == 307 + 4  # + 2 grids, 2 micro-grids


@pytest.mark.parametrize("code", ["450399", "4503241", "abc", "45032410699"])
def test_unknown_code_is_refused_in_chinese(db, code):
    with pytest.raises(NotFound):
        divisions_import(code=code)
    with pytest.raises(CommandError, match="统计用区划代码中没有"):
        call_command("import_divisions", code)
    assert not Region.objects.exists()


def test_command_prints_counts_and_elapsed_time(db):
    out = StringIO()
    call_command("import_divisions", "450324106", stdout=out)
    printed = out.getvalue()
    assert "才湾镇（450324106）" in printed and "村/社区 17" in printed and "共 21 个区划" in printed
    assert "新建 21" in printed and "用时" in printed and "秒" in printed


def test_a_province_imports_every_village_and_town(db):
    report = divisions_import(code="45")
    assert report.levels["village"] == len(shipped_rows("villages.csv.gz", "45")) == 16681
    assert report.levels["town"] == 1284
