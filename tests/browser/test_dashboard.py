"""The command centre in a real browser: KPI cards, ECharts charts, the density map drawn with
its hazard layer, drill-down to a village, the big screen filling itself — no console errors. The
dashboard is walked at 1366 px and on a 390 px phone, where the menu opens from ☰ and nothing
scrolls sideways (issue 21)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import sign_in
from tests.browser.test_case_flow import DESKTOP, PHONE
from yimen.insight.rollups import store
from yimen.insight.tests.builders import make_case
from yimen.insight.tests.test_pages import declare_and_report_missing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leader(persona, units):
    today = timezone.localdate()
    make_case(
        "45032410620001",
        units["centre"],
        received=f"{today:%Y-%m-%d} 08:00",
        title="唐家纠纷",
        risk="red",
        state="in_progress",
        deadline="2026-01-01 00:00",
        lead=units["police"],
        joint_plan="派出所牵头",
    )
    make_case(
        "45032410620101",
        units["centre"],
        received=f"{today:%Y-%m-%d} 09:00",
        kind="hazard",
        title="山体裂缝",
        lat=25.855,
        lng=110.995,
        state="accepted",
        accepted_at=f"{today:%Y-%m-%d} 09:30",
    )
    store.rebuild(today.replace(month=1, day=1), today)
    return persona("leader")


@pytest.fixture
def units(town):
    from tests.factories import UnitFactory
    from yimen.geo.models import Region

    town_region = Region.objects.get(code="450324106")
    return {kind: UnitFactory(code=f"450324106-{kind}", kind=kind, region=town_region) for kind in ("centre", "police")}


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_the_dashboard_draws_cards_charts_and_map(page, leader, size):
    page.set_viewport_size(size)
    sign_in(page, "leader", PASSWORD)
    if size == PHONE:
        page.get_by_role("button", name="打开菜单").click()
    page.get_by_test_id("menu").get_by_role("link", name="指挥中心").click()
    expect(page.locator("[data-kpi=received] .kpi-value")).to_have_text("2")
    page.wait_for_selector("#dashboard-map .leaflet-interactive")
    assert page.locator("#dashboard-map path.leaflet-interactive").count() >= 3  # two grids and a hazard
    assert page.locator("#dashboard-map .leaflet-tile").count() == 0  # nothing from the internet
    page.wait_for_selector("#chart-trend canvas")
    assert page.locator("#chart-kinds canvas").count() == 1
    assert "唐家纠纷" in page.get_by_test_id("risk-board").inner_text()
    page.get_by_test_id("drill").get_by_role("link", name="才湾村", exact=True).click()
    expect(page.locator("h1")).to_have_text("指挥中心 · 才湾村")
    page.wait_for_selector("#dashboard-map .leaflet-interactive")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    assert page.errors == []


def test_the_big_screen_fills_itself(page, leader, persona):
    station = persona("kuaijing")
    page.set_viewport_size({"width": 1920, "height": 1080})
    sign_in(page, "leader", PASSWORD)
    page.goto(f"{page.base}/dashboard/screen/")
    expect(page.locator("[data-kpi=received] .value")).to_have_text("2")
    assert page.locator("#screen-now").is_hidden()  # nothing active: the figures fill the screen
    declare_and_report_missing(leader, station)
    page.reload()
    now = page.locator("#screen-now-list li")
    expect(now).to_have_count(3)
    expect(now.first).to_contain_text("唐家河洪水")
    expect(now.last).to_contain_text("最后见于毛泽东广场东门")
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080  # still one screen
    expect(page.locator("#screen-risk")).to_contain_text("唐家纠纷")
    page.wait_for_selector("#dashboard-map .leaflet-interactive")
    expect(page.locator("#screen-updated")).to_contain_text("更新于")
    assert page.errors == []
