"""Issue 14's story in a real browser, every unit clicking for itself: the police register a 110
fight call at the intake desk with the 110 record number; the centre dispatches it to the 司法所
as lead with the police and the village committee in support; the 政法委员 blows the whistle and
the three units report arrival (the village's 网格长 from the phone app); the village records its
phone call to the applicant and answers its part; the lead answers; the centre's review is
refused while the police's part is missing, naming the unit and keeping what was typed, and
approves once it is in; the citizen's page shows the steps without names or phones. Screenshots
of the case page and the village's home page at 1366 and 390 px go to /work/shots/."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_case_flow import DESKTOP, PHONE, take
from tests.browser.test_whistle_story import as_user, submit
from tests.factories import MembershipFactory
from yimen.cases.models import Case
from yimen.org.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRID, VILLAGE_REGION = "45032410620001", "450324106200"
SHOTS = Path("/work/shots")


def shoot(page, name: str) -> None:
    """The page at both widths, whole length, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("1366", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=SHOTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def register_110_call(page) -> Case:
    page.goto(f"{page.base}/cases/new/")
    page.get_by_label("来源渠道").select_option("phone")
    page.get_by_label("来源编号").fill("110-20261201-0032")
    page.get_by_label("标题").fill("唐家叔侄因宅基地边界发生打斗")
    page.get_by_label("内容").fill("110 接警：叔侄二人在宅基地边界处互殴，民警到场制止，双方情绪激动。")
    page.get_by_label("村/社区").select_option(VILLAGE_REGION)
    expect(page.get_by_test_id("region-chosen")).to_contain_text("才湾村")
    expect(page.locator(".htmx-request, .htmx-settling, .htmx-swapping")).to_have_count(0)
    page.get_by_label("网格", exact=True).select_option(GRID)
    expect(page.get_by_test_id("region-chosen")).to_contain_text("才湾村第一网格")
    rows = page.locator("[data-party-row]")
    rows.nth(0).get_by_label("姓名/名称").fill("唐建国")
    rows.nth(0).get_by_label("电话").fill("13907730001")
    rows.nth(1).get_by_label("姓名/名称").fill("唐明华")
    submit(page, page.get_by_test_id("register"))
    case = Case.objects.get()
    expect(page.get_by_role("alert").first).to_contain_text(case.code)
    return case


def arrive_on_case_page(page, browser, username: str, url: str) -> None:
    as_user(page, browser, username, url)
    submit(page, page.get_by_test_id("whistle-arrive").get_by_role("button"))


def test_every_unit_works_the_uncle_nephew_fight(page, browser, persona):
    seats = {r: persona(r) for r in ("dispatcher", "zhengfa", "police", "judicial", "village", "gridchief")}
    # The police station's second officer reports at the place: any member of a summoned unit may.
    MembershipFactory(user__username="police2", user__name="覃志刚", unit=seats["police"].unit, role=Role.HANDLER)
    police, judicial, village = (seats[r].unit.name for r in ("police", "judicial", "village"))
    browser.grant_permissions(["geolocation"], origin=page.base)
    browser.set_geolocation({"latitude": 25.86, "longitude": 110.99})
    page.set_viewport_size(DESKTOP)

    as_user(page, browser, "police", "/")
    case = register_110_call(page)
    url = f"/cases/{case.code}/"
    expect(page.get_by_test_id("source-ref")).to_have_text("110-20261201-0032")

    as_user(page, browser, "dispatcher", "/")
    take(page, case.code, "accept")

    def lead_and_supports(form):
        form.get_by_label("主办单位").select_option(seats["judicial"].unit.code)
        form.get_by_label(police, exact=True).check()
        form.get_by_label(village, exact=True).check()

    take(page, case.code, "dispatch", lead_and_supports)
    expect(page.get_by_test_id("case-state")).to_contain_text("已派单")

    as_user(page, browser, "zhengfa", url)
    page.get_by_test_id("whistles").get_by_text("吹哨（召集单位到场）").click()
    form = page.get_by_test_id("whistle-blow")
    for unit in (judicial, police, village):
        form.get_by_label(unit, exact=True).check()
    form.get_by_label("报到地点").fill("才湾村唐家院子")
    form.get_by_label("吹哨事由").fill("叔侄冲突现场调处")
    form.get_by_label("报到时限（分钟）").fill("30")
    submit(page, form.get_by_role("button", name="确认吹哨"))
    expect(page.get_by_test_id("whistle-call")).to_have_count(3)

    arrive_on_case_page(page, browser, "judicial", url)
    take(page, case.code, "sign")
    arrive_on_case_page(page, browser, "police2", url)
    take(page, case.code, "sign")
    as_user(page, browser, "gridchief", "/m/")  # the village's 网格长, at the place with a phone
    page.get_by_test_id("m-arrive").click()
    expect(page.get_by_text("本单位已于")).to_be_visible()
    as_user(page, browser, "zhengfa", url)
    expect(page.get_by_test_id("whistle-call").get_by_text("按时报到")).to_have_count(3)

    as_user(page, browser, "village", url)
    take(page, case.code, "sign")

    def phone_call(form):
        form.get_by_label("办理情况").fill("电话联系申请人，说明调解安排。")
        form.get_by_label("联系了哪位当事人").select_option("0")
        form.get_by_label("联系方式").select_option("phone")
        form.get_by_label("联系结果").fill("已接通，同意明天到村委会调解")

    take(page, case.code, "note", phone_call)
    expect(page.get_by_test_id("contact-badge")).to_contain_text("电话联系 唐")
    take(page, case.code, "reply", lambda f: f.get_by_label("协办意见").fill("村委会已组织双方在村部调解。"))
    shoot(page, "case-mid-story")
    as_user(page, browser, "village", "/")
    whistles = page.get_by_test_id("day-whistles")  # still open, but the village has reported
    expect(whistles).to_contain_text("本单位已报到")
    expect(whistles).not_to_have_class(re.compile("border-danger"))
    shoot(page, "village-home")

    as_user(page, browser, "judicial", url)
    take(page, case.code, "reply", lambda f: f.get_by_label("答复内容").fill("经三方联合调解，双方签订调解协议。"))

    as_user(page, browser, "dispatcher", url)
    take(page, case.code, "review", lambda f: f.get_by_label("审核意见（退回重办须填写）").fill("三方意见齐备"))
    refused = page.get_by_test_id("action-review")
    expect(refused.get_by_test_id("action-error")).to_contain_text(police)
    expect(refused.get_by_label("审核意见（退回重办须填写）")).to_have_value("三方意见齐备")

    as_user(page, browser, "police", url)
    take(page, case.code, "reply", lambda f: f.get_by_label("协办意见").fill("民警到场制止冲突并出具调查情况。"))

    as_user(page, browser, "dispatcher", url)
    take(page, case.code, "review", lambda f: f.get_by_label("审核意见（退回重办须填写）").fill("三方意见齐备"))
    expect(page.get_by_test_id("case-state")).to_contain_text("已办结")

    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}/public/cases/{case.public_token}/")
    expect(page.get_by_test_id("public-state")).to_contain_text("已办结")
    steps = page.get_by_test_id("public-steps").inner_text()
    # In the citizen's words (issue 21 item 12): no 审核.
    assert "已交承办单位办理" in steps and "承办单位已提出处理结果" in steps and "综治中心已核实处理结果" in steps
    assert "审核" not in steps
    body = page.content()
    # The units show; the people, their phones and the units' working notes do not.
    for private in ("唐建国", "唐明华", "13907730001", "139****", "覃志刚", "电话联系申请人"):
        assert private not in body
