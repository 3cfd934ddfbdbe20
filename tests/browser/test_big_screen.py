"""The big screen's two charts (issue 20 part 6): the trend and the cases by unit, both drawn,
the whole screen on one page at 1920×1080 and on a 4K wall (3840×2160, where it is drawn at twice
the size with sharp charts). Screenshots of both are written to var/screenshots/."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import sign_in
from yimen.insight.rollups import store
from yimen.insight.tests.builders import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def cases(persona):
    today = timezone.localdate()
    centre = persona("leader").unit
    for n, (seat, region) in enumerate(
        [("police", "45032410620001"), ("police", "45032410620101"), ("village", "45032410620001")]
    ):
        lead = persona(seat).unit
        make_case(region, centre, received=f"{today:%Y-%m-%d} 00:0{n}", title=f"纠纷{n}", lead=lead)
    store.rebuild(today.replace(month=1, day=1), today)


@pytest.mark.parametrize(("width", "height", "zoom"), [(1920, 1080, 1), (3840, 2160, 2)])
def test_the_screen_draws_two_charts_on_one_screen(page, cases, width, height, zoom):
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "leader", PASSWORD)
    page.goto(f"{page.base}/dashboard/screen/")
    expect(page.locator("#screen-updated")).to_contain_text("更新于")
    for chart in ("#chart-trend", "#chart-units"):
        canvas = page.locator(f"{chart} canvas").first
        expect(canvas).to_be_visible()
        box = canvas.bounding_box()
        assert box["width"] > width / 6 and box["height"] > height / 8, (chart, box)
        # drawn at the zoomed ratio: as many canvas pixels as screen pixels, not a stretched copy
        assert canvas.evaluate("c => c.width") >= box["width"] * 0.95, chart
    assert page.evaluate("getComputedStyle(document.body).zoom") == str(zoom)
    assert page.evaluate("document.documentElement.scrollHeight") <= height  # one screen, no scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    kpi = page.locator("[data-kpi=received] .value")
    expect(kpi).to_have_text("3")
    assert kpi.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") * zoom >= 30  # legible across the hall
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"big-screen-{width}x{height}.png")
