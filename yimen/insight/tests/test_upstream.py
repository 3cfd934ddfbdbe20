"""一表通 (issue 20 part 4): upstream forms from the records, totals equal to the KPIs, each
figure traceable to its cases, a region outside the jurisdiction 404."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import RegionFactory
from yimen.core.errors import Invalid
from yimen.core.models import AuditEntry
from yimen.geo.models import Region
from yimen.insight import selectors
from yimen.insight.rollups import store
from yimen.insight.tests.builders import make_case
from yimen.insight.tests.test_api import bearer
from yimen.insight.upstream import services
from yimen.insight.upstream.build import period_parse

CAIWAN, XIAOTANG = "45032410620001", "45032410620101"


@pytest.fixture
def november(units):
    centre = units["centre"]
    made = [
        make_case(
            CAIWAN, centre, received="2026-11-02 09:00", closed_at="2026-11-05 09:00", deadline="2026-11-10 09:00"
        ),
        make_case(
            CAIWAN, centre, received="2026-11-03 09:00", closed_at="2026-11-20 09:00", deadline="2026-11-10 09:00"
        ),
        make_case(XIAOTANG, centre, received="2026-11-04 09:00", group_size=7),
        make_case(XIAOTANG, centre, received="2026-10-20 09:00", closed_at="2026-11-06 09:00"),  # closed in Nov
        make_case(XIAOTANG, centre, received="2026-12-01 09:00"),  # outside
        make_case(CAIWAN, centre, received="2026-11-08 09:00", kind="petition", channel="letter"),
        make_case(CAIWAN, centre, received="2026-11-09 09:00", kind="hazard", channel="grid"),
        make_case(XIAOTANG, centre, received="2026-11-10 09:00", channel="grid"),
    ]
    store.rebuild(made[3].received_at.date(), made[4].received_at.date())
    return made


def test_the_dispute_form_per_village_with_its_totals_equal_to_the_kpis(persona, november):
    leader = persona("leader")
    table = services.upstream_table(actor=leader, name="disputes", region="450324106", period="2026-11")
    by_name = {line.name: line for line in table.lines}
    assert by_name["才湾村"].count("received") == 2 and by_name["小塘村"].count("received") == 2
    assert table.total("closed") == 3 and table.total("closed_on_time") == 2
    assert table.total("group_visit") == 1
    board = selectors.kpi_board(
        member=leader, region="450324106", since="2026-11-01", until="2026-11-30", kind="dispute"
    )
    assert table.total("received") == board.values["received"]
    assert table.total("closed") == board.values["counts"]["closed"]
    assert table.total("closed_on_time") == board.values["counts"]["closed_on_time"]


def test_the_petition_and_grid_forms(persona, november):
    leader = persona("leader")
    petitions = services.upstream_table(actor=leader, name="petitions", region=None, period="2026-11")
    assert petitions.total("received") == 1 and petitions.total("letter") == 1
    grid = services.upstream_table(actor=leader, name="grid", region=None, period="2026")
    assert grid.total("received") == 2 and grid.total("hazard") == 1 and grid.total("dispute") == 1


def test_the_xlsx_lists_the_cases_behind_each_figure_and_is_logged(client, persona, november):
    client.force_login(persona("leader").user)
    response = client.get(reverse("insight:form_download", args=["disputes"]), {"period": "2026-11"})
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    form, trace = book.worksheets
    rows = [[c.value for c in row] for row in form.iter_rows()]
    assert rows[0][0] == "矛盾纠纷排查化解情况统计表"
    total = next(r for r in rows if r[0] == "合计")
    assert total[1] == 4 and all(c.data_type != "f" for row in form.iter_rows() for c in row)
    traced = [[c.value for c in row] for row in trace.iter_rows(min_row=2)]
    assert sorted(r[2] for r in traced if r[1] == "排查受理总数") == sorted(c.code for c in november[:3] + november[7:])
    assert AuditEntry.objects.filter(action="upstream_form").count() == 1


def test_the_api_serves_the_form_and_refuses_other_places_and_bad_periods(client, persona, town, november):
    persona("leader")
    auth = bearer(client, "leader")
    ok = client.get("/api/v1/forms/grid.xlsx?period=2026-11", headers=auth)
    assert ok.status_code == 200 and ok["Content-Type"].startswith("application/vnd.openxmlformats")
    RegionFactory(code="450324107", name="咸水镇", level="town", parent=Region.objects.get(code="450324"))
    assert client.get("/api/v1/forms/grid.xlsx?period=2026-11&region=450324107", headers=auth).status_code == 404
    assert client.get("/api/v1/forms/nosuch.xlsx?period=2026-11", headers=auth).status_code == 404
    bad = client.get("/api/v1/forms/grid.xlsx?period=2026-13", headers=auth)
    assert bad.status_code == 422 and bad.json()["errors"]["period"]


def test_the_page_shows_the_figures_with_drill_down(client, persona, november):
    client.force_login(persona("dispatcher").user)
    page = client.get(reverse("insight:forms"), {"form": "disputes", "period": "2026-11"})
    assert page.status_code == 200
    assert "received_since=2026-11-01" in page.content.decode()
    assert client.get(reverse("insight:forms"), {"period": "11月"}).status_code == 422
    assert client.get(reverse("insight:form_download", args=["grid"])).status_code == 200  # this month


def test_periods_are_a_month_or_a_year():
    from datetime import date

    today = date(2026, 12, 3)
    assert period_parse("2026-02", today=today).until == date(2026, 2, 28)
    assert period_parse("2026", today=today).until == date(2026, 12, 31)
    for bad in ("2026-13", "1999", "2028", "", "2026-1"):
        with pytest.raises(Invalid):
            period_parse(bad, today=today)
