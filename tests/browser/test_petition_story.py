"""The group petition over land compensation in a real browser (信访工作条例): the petition office
registers it with five representatives, the dispatcher accepts it, the petition office issues
the acceptance notice, the dispatcher sends it to the petition office, which signs, replies and
issues the handling opinion; the representatives' 复查 request is registered against it,
accepted, noticed, handled and answered with the 复查意见书. The register fits a phone."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import sign_in
from tests.browser.test_case_flow import DESKTOP, PHONE, fits_phone, sign_out, take
from yimen.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PETITION_UNIT = "450324106-petition"
NAMES = ["蒋光荣", "唐有福", "周桂英", "李德才", "王秀梅"]


def register(page, title: str, category: str, *, representatives=(), review_of: str = "") -> Case:
    page.goto(f"{page.base}/cases/new/")
    page.get_by_label("事项种类").select_option("petition")
    page.wait_for_load_state("networkidle")
    page.get_by_label("标题").fill(title)
    page.get_by_label("筛选事项类别").fill(category)
    if review_of:
        page.get_by_label("复查/复核的原信访事项编码").fill(review_of)
    else:
        page.get_by_label("涉及人数").fill("23")
    rows = page.locator("[data-party-row]")
    for i, name in enumerate(representatives):
        if i >= 2:
            page.get_by_role("button", name="＋ 添加当事人").click()
        rows.nth(i).get_by_label("姓名/名称").fill(name)
        rows.nth(i).get_by_label("身份", exact=True).select_option("representative")
    with page.expect_navigation():
        page.get_by_test_id("register").click()
    page.wait_for_load_state("networkidle")
    return Case.objects.get(title=title)


def press(page, code: str, testid: str) -> None:
    page.goto(f"{page.base}/cases/{code}/")
    with page.expect_navigation():
        page.get_by_test_id(testid).click()
    page.wait_for_load_state("networkidle")


def answer(page, code: str, text: str) -> None:
    press(page, code, "petition-opinion")
    page.get_by_label("查明的事实").fill("县道改扩建征用集体土地 42 亩，补偿款已付 80%。")
    page.get_by_label("处理依据").fill("《中华人民共和国土地管理法》第四十八条。")
    page.locator("#id_opinion").fill(text)
    with page.expect_navigation():
        page.get_by_test_id("opinion-form").locator("button.btn-primary").click()
    page.wait_for_load_state("networkidle")


def dispatch_with_plan(form) -> None:
    # 23 households are red by the group-size rule (≥ 20): the form asks the joint plan of them
    # (not of the review, registered by its two representatives).
    form.get_by_label("主办单位").select_option(PETITION_UNIT)
    plan = form.get_by_label("联合处置方案（红色风险必填）")
    if plan.count():
        plan.fill("信访办牵头，自然资源所、村委会联合核算补偿。")


def route_and_handle(page, case: Case, opinion: str) -> None:
    sign_out(page)
    sign_in(page, "dispatcher", PASSWORD)
    take(page, case.code, "accept")
    sign_out(page)
    sign_in(page, "petition", PASSWORD)
    press(page, case.code, "petition-notice")
    expect(page.get_by_test_id("petition-panel")).to_contain_text("受理）")
    sign_out(page)
    sign_in(page, "dispatcher", PASSWORD)
    take(page, case.code, "dispatch", dispatch_with_plan)
    sign_out(page)
    sign_in(page, "petition", PASSWORD)
    take(page, case.code, "sign")
    take(page, case.code, "reply", lambda form: form.get_by_label("答复内容").fill("已督促补足补偿款。"))
    answer(page, case.code, opinion)


def test_group_land_petition_answered_and_reviewed(page, persona):
    for role in ("dispatcher", "petition"):
        persona(role)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "petition", PASSWORD)
    title = "小塘村23户村民集体反映征地补偿款未足额到位"
    case = register(page, title, "征地拆迁补偿信访", representatives=NAMES)
    assert case.petition.is_group and case.parties.filter(role="representative").count() == 5
    expect(page.get_by_test_id("petition-level")).to_have_text("初次信访")
    route_and_handle(page, case, "由施工方于 30 日内补足剩余补偿款。")
    expect(page.get_by_test_id("documents")).to_contain_text("信访事项处理意见书")
    expect(page.get_by_test_id("timeline")).to_contain_text("出具信访意见书")

    review = register(
        page, "村民代表对征地补偿处理意见申请复查", "复查申请", representatives=NAMES[:2], review_of=case.code
    )
    assert review.petition.level == "review" and review.petition.review_of_id == case.pk
    expect(page.get_by_test_id("petition-chain")).to_contain_text(case.code)
    route_and_handle(page, review, "维持原处理意见。")
    expect(page.get_by_test_id("documents")).to_contain_text("信访事项复查意见书")
    expect(page.get_by_test_id("petition-panel")).to_contain_text("申请复核（30 日）")

    page.set_viewport_size(PHONE)
    fits_phone(page, "/petitions/")
    expect(page.get_by_test_id("petition-rows")).to_contain_text(review.code)
    fits_phone(page, f"/cases/{review.code}/")
    assert page.errors == []
