"""Exports: scoped, refused without a purpose (in Chinese), logged with the purpose."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from yimen.cases.selectors import CaseFilters
from yimen.core.errors import Invalid, NotAllowed
from yimen.core.models import AuditEntry
from yimen.core.tests.sheets import FORMULAS, formula_cells
from yimen.geo.models import Region
from yimen.insight import services
from yimen.insight.rollups import store
from yimen.insight.tests.builders import at, make_case
from yimen.insight.tests.test_kpis import GRID1, GRID2


@pytest.fixture
def two_villages(units):
    make_case(GRID1, units["centre"], received="2026-03-02 10:00", title="才湾村纠纷")
    make_case(GRID2, units["centre"], received="2026-03-03 10:00", title="小塘村纠纷")
    store.rebuild(at("2026-03-01 00:00").date(), at("2026-03-31 00:00").date())


def rows(content: bytes, sheet: str) -> list[tuple]:
    return list(load_workbook(BytesIO(content), read_only=True)[sheet].iter_rows(values_only=True))


def test_a_case_list_export_is_scoped_and_logged(persona, two_villages):
    leader = persona("leader")
    export = services.cases_export(actor=leader, purpose="半月联席会议材料", filters=CaseFilters(region="450324106200"))
    lines = rows(export.content, "案件")
    assert lines[0][0] == "案件编码" and len(lines) == 2 and lines[1][1] == "才湾村纠纷"
    entry = AuditEntry.objects.get(action="case_export")
    assert entry.purpose == "半月联席会议材料" and entry.detail["rows"] == 1
    assert (
        entry.detail["filters"] == {"region": "450324106200", "q": ""}
        or entry.detail["filters"]["region"] == "450324106200"
    )


def test_no_purpose_no_export(persona, two_villages):
    with pytest.raises(Invalid) as refused:
        services.cases_export(actor=persona("leader"), purpose="  ", filters=CaseFilters())
    assert refused.value.errors["purpose"][0].startswith("导出案件清单须说明目的")
    assert not AuditEntry.objects.filter(action="case_export").exists()
    with pytest.raises(NotAllowed):
        services.cases_export(actor=persona("clerk"), purpose="看看", filters=CaseFilters())


def test_the_kpi_table_has_the_town_and_each_village(persona, two_villages):
    export = services.kpis_export(
        actor=persona("leader"), purpose="月度通报", region=None, since="2026-03-01", until="2026-03-31"
    )
    table = rows(export.content, "指标")
    assert table[1][:3] == ("区域", "代码", "受理登记量")
    assert [(r[0], r[2]) for r in table[2:]] == [("才湾镇", 2), ("才湾村", 1), ("小塘村", 1)]
    assert rows(export.content, "指标定义")[1][0] == "受理登记量"
    assert AuditEntry.objects.get(action="kpi_export").purpose == "月度通报"


def test_the_export_pages_ask_for_a_purpose_first(client, persona, two_villages):
    client.force_login(persona("leader").user)
    url = reverse("insight:case_export")
    assert client.get(url, {"region": "450324106"}).status_code == 200  # the form, nothing logged
    refused = client.get(url, {"region": "450324106", "purpose": ""})
    assert refused.status_code == 422 and "请填写导出目的" in refused.content.decode()
    got = client.get(url, {"region": "450324106", "purpose": "核对"})
    assert got.status_code == 200 and got["Content-Type"].startswith("application/vnd.openxmlformats")
    kpis = client.get(reverse("insight:kpi_export"), {"since": "2026-03-01", "until": "2026-03-31", "purpose": "通报"})
    assert kpis.status_code == 200
    bad = client.get(reverse("insight:kpi_export"), {"since": "2026-03-31", "until": "2026-03-01", "purpose": "通报"})
    assert bad.status_code == 422 and "截止日期不能早于起始日期" in bad.content.decode()
    assert AuditEntry.objects.filter(action__in=["case_export", "kpi_export"]).count() == 2


def test_the_grid_chief_may_export_kpis_but_not_cases(client, persona, two_villages):
    client.force_login(persona("gridchief").user)
    assert client.get(reverse("insight:case_export")).status_code == 403
    got = client.get(reverse("insight:kpi_export"), {"since": "2026-03-01", "until": "2026-03-31", "purpose": "村务"})
    assert rows(got.content, "指标")[2][0] == "才湾村"


def test_a_title_or_area_name_that_looks_like_a_formula_is_exported_as_text(persona, units):
    for n, title in enumerate(FORMULAS):
        make_case(GRID1, units["centre"], received=f"2026-03-{n + 2:02d} 10:00", title=title)
    Region.objects.filter(code="450324106200").update(name="=1+1")
    store.rebuild(at("2026-03-01 00:00").date(), at("2026-03-31 00:00").date())
    leader = persona("leader")
    cases = services.cases_export(actor=leader, purpose="核对", filters=CaseFilters())
    assert formula_cells(cases.content, "案件") == {title: ("s", title != "#N/A") for title in FORMULAS}
    kpis = services.kpis_export(actor=leader, purpose="通报", region=None, since="2026-03-01", until="2026-03-31")
    assert formula_cells(kpis.content, "指标") == {"=1+1": ("s", True)}
