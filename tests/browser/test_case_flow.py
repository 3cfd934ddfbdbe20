"""One dispute through the centre in a real browser: the clerk registers it at the intake desk,
the dispatcher accepts it and dispatches it to the police station, the police sign and reply,
the dispatcher approves the reply, and the citizen follows it on the public page by token
without seeing anyone's name or phone. The desk and the inbox also fit a 390 px phone."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import opened, sign_in
from yimen.cases.models import Case
from yimen.citizens.tests.conftest import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def sign_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")


def take(page, code: str, action: str, fill=None) -> None:
    """Open the case, open the action's panel, fill it and confirm."""
    page.goto(f"{page.base}/cases/{code}/")
    page.locator(f"button[data-action='{action}']").click()
    form = page.get_by_test_id(f"action-{action}")
    opened(page, f"#act-{action}")
    if fill:
        fill(form)
    # A plain POST and redirect: wait for the answer page itself, not just an idle network, or
    # the next step may race the request on a slow machine.
    with page.expect_navigation():
        form.locator("button", has_text="确认").click()
    page.wait_for_load_state("networkidle")


def settled(page) -> None:
    """htmx binds a swapped-in fragment's triggers when it settles; wait for that."""
    expect(page.locator(".htmx-request, .htmx-settling, .htmx-swapping")).to_have_count(0)


def fits_phone(page, path: str) -> None:
    page.goto(f"{page.base}{path}")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path


def test_register_dispatch_sign_reply_close_and_look_up(page, persona):
    for role in ("clerk", "dispatcher", "police"):
        persona(role)
    page.set_viewport_size(PHONE)
    sign_in(page, "clerk", PASSWORD)
    fits_phone(page, "/cases/new/")
    fits_phone(page, "/cases/")

    # The clerk registers a walk-in at desktop width.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{page.base}/cases/new/")
    page.get_by_label("标题").fill("唐家叔侄宅基地边界纠纷")
    page.get_by_label("内容").fill("叔侄两家因宅基地边界发生争执，请求调解。")
    page.get_by_label("筛选事项类别").fill("宅基地")
    expect(page.locator("#id_category")).to_have_value("dispute.land.homestead")
    expect(page.locator("#risk-hint")).to_contain_text("黄色")
    page.get_by_label("村/社区").select_option("450324106200")
    expect(page.get_by_test_id("region-chosen")).to_contain_text("才湾村")
    settled(page)
    page.get_by_label("网格", exact=True).select_option("45032410620001")
    expect(page.get_by_test_id("region-chosen")).to_contain_text("才湾村第一网格")
    settled(page)
    page.wait_for_selector("#intake-map path")
    box = page.locator("#intake-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)  # inside 才湾村
    expect(page.get_by_test_id("region-chosen")).to_contain_text("地图定位：才湾村第一微网格")
    rows = page.locator("[data-party-row]")
    rows.nth(0).get_by_label("姓名/名称").fill("唐建国")
    rows.nth(0).get_by_label("电话").fill("13907730001")
    rows.nth(1).get_by_label("姓名/名称").fill("唐明华")
    page.get_by_role("button", name="＋ 添加当事人").click()
    expect(rows).to_have_count(3)
    rows.nth(2).get_by_label("姓名/名称").fill("唐志强")
    rows.nth(2).get_by_label("身份", exact=True).select_option("third_party")
    with page.expect_navigation():
        page.get_by_test_id("register").click()
    page.wait_for_load_state("networkidle")
    case = Case.objects.get()
    expect(page.get_by_role("alert").first).to_contain_text(case.code)
    assert case.region.code == "4503241062000101" and case.parties.count() == 3
    assert page.get_by_test_id("actions").locator("button[data-action='sign']").count() == 0
    sign_out(page)

    # The dispatcher accepts it and sends it to the police station.
    sign_in(page, "dispatcher", PASSWORD)
    take(page, case.code, "accept")
    take(page, case.code, "dispatch", lambda form: form.get_by_label("主办单位").select_option("450324106-police"))
    expect(page.get_by_test_id("case-state")).to_contain_text("已派单")
    sign_out(page)

    # The police sign for it and reply.
    sign_in(page, "police", PASSWORD)
    page.goto(f"{page.base}/cases/")
    expect(page.get_by_test_id("case-rows")).to_contain_text(case.code)  # 待签收
    take(page, case.code, "sign")
    expect(page.get_by_test_id("case-state")).to_contain_text("办理中")
    take(
        page,
        case.code,
        "reply",
        lambda form: form.get_by_label("答复内容").fill("已联合司法所调解，双方重新确认界址。"),
    )
    expect(page.get_by_test_id("case-state")).to_contain_text("已答复")
    sign_out(page)

    # The dispatcher approves the reply: closed.
    sign_in(page, "dispatcher", PASSWORD)
    take(page, case.code, "review")
    expect(page.get_by_test_id("case-state")).to_contain_text("已办结")
    sign_out(page)

    # The citizen looks it up by the token on the receipt's QR code (no staff page shows it):
    # the steps, no names, no phones; and rates it once.
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}/public/cases/{case.public_token}/")
    expect(page.get_by_test_id("public-code")).to_have_text(case.code)
    steps = page.get_by_test_id("public-steps").inner_text()
    # In the citizen's words (issue 21 item 12): no 签收, no 审核.
    assert "已交承办单位办理" in steps and "承办单位已受理，正在办理" in steps and "综治中心已核实处理结果" in steps
    assert "签收" not in steps and "审核" not in steps
    body = page.content()
    for personal in ("唐建国", "唐明华", "唐志强", "13907730001", "139****", "宅基地边界"):
        assert personal not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The rating needs a fresh code sent to the applicant's phone (issue 19): the token alone is
    # on every staff reader's screen.
    with page.expect_navigation():
        page.get_by_test_id("rating-code").click()
    page.get_by_label("非常满意").check()
    page.get_by_label("短信验证码").fill(last_code("13907730001"))
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_test_id("rated")).to_contain_text("您已评价")
    assert page.errors == []


def test_the_category_filter_knows_the_words_people_say(page, persona):
    """The clerk types what the caller said (家暴, 欠薪); the desk picks the catalogue's row."""
    persona("clerk")
    sign_in(page, "clerk", PASSWORD)
    page.goto(f"{page.base}/cases/new/")
    page.locator("#category-filter").fill("家暴")
    expect(page.locator("#id_category")).to_have_value("dispute.family.violence")
    page.locator("#category-filter").fill("欠薪")
    expect(page.locator("#id_category option:checked")).to_contain_text("工资")
