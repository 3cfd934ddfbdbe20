"""A villager missing in the hills, in a real browser at 1366 and 390 px (issue 17): the 快警站
registers the search and its call list is alerted; the duty officer declares the incident,
calls in the police station and the patrol team, tasks both and sends the patrol force; the
patrol team accepts, reports from the hillside and finishes; the police station finishes; the
station marks the villager found; the duty officer stands down (the form asks the summary
first) and downloads the after-action report. Every page fits a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import sign_in
from tests.browser.test_case_flow import DESKTOP, PHONE, sign_out
from tests.factories import MembershipFactory, UnitFactory
from yimen.emergency import services
from yimen.emergency.models import Incident, MissingPerson
from yimen.org.models import Unit
from yimen.org.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "寻找走失村民唐阿公"


def fits(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def submit(page, form) -> None:
    with page.expect_navigation():
        form.locator("button").last.click()
    page.wait_for_load_state("networkidle")
    fits(page)


def open_page(page, path: str) -> None:
    page.goto(f"{page.base}{path}")
    page.wait_for_load_state("networkidle")
    fits(page)


def seat(persona, town):
    for role in ("emergency", "police", "kuaijing"):
        persona(role)
    patrol = UnitFactory(code="450324106-patrol", kind=Unit.Kind.OTHER, region=town, name="才湾镇联防巡逻队")
    MembershipFactory(user__username="patrol", user__name="巡逻队员", unit=patrol, role=Role.HANDLER, jurisdiction=town)
    duty = persona("emergency")
    services.resource_register(actor=duty, kind="team", name="联防巡逻力量", quantity=308, place="镇综治中心")
    services.call_list_add(actor=persona("kuaijing"), name="唐志强", phone="13977360001")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_villager_missing_in_the_hills_found_and_stood_down(page, persona, town, settings, size):
    settings.YIMEN_NOTIFIER = "yimen.emergency.tests.conftest.Collect"
    seat(persona, town)
    page.set_viewport_size(size)
    when = (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    due = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")

    # The 快警站 registers the search: the call list is alerted at once.
    sign_in(page, "kuaijing", PASSWORD)
    open_page(page, "/station/")
    form = page.get_by_test_id("missing-form")
    form.get_by_label("走失人员姓名").fill("唐阿公")
    form.get_by_label("最后出现地点").fill("才湾村后山")
    form.get_by_label("最后出现时间").fill(when)
    form.get_by_label("体貌特征（年龄、衣着等）").fill("82岁，蓝色中山装，上山采药未归")
    submit(page, form)
    expect(page.get_by_role("alert")).to_contain_text("已通知 1 人")
    person = MissingPerson.objects.get(name="唐阿公")
    sign_out(page)

    # The duty officer declares the incident and calls in the police and the patrol team.
    sign_in(page, "emergency", PASSWORD)
    open_page(page, "/emergency/")
    expect(page.get_by_test_id("missing-alerts")).to_have_count(0)  # the duty officer is not the station
    with page.expect_navigation():
        page.get_by_test_id("declare").click()
    form = page.get_by_test_id("declare-form")
    form.get_by_label("事件名称").fill(TITLE)
    form.get_by_label("类别").select_option("missing")
    form.get_by_label("级别").select_option("4")
    form.get_by_label("发生地").select_option("450324106200")
    form.get_by_label("才湾镇police").check()
    form.get_by_label("才湾镇联防巡逻队").check()
    submit(page, form)
    incident = Incident.objects.get(title=TITLE)
    expect(page.get_by_test_id("incident-state")).to_have_text("响应中")
    for unit, title in (("450324106-police", "调取村口和路口监控"), ("450324106-patrol", "沿后山小路分组搜寻")):
        form = page.get_by_test_id("task-form")
        form.get_by_label("承担单位").select_option(unit)
        form.get_by_label("任务").fill(title)
        form.get_by_label("完成时限").fill(due)
        submit(page, form)
    form = page.get_by_test_id("resource-form")
    form.get_by_label("可调用的资源").select_option(label="人员队伍：联防巡逻力量（308，镇综治中心）")
    submit(page, form)
    expect(page.get_by_test_id("resources")).to_contain_text("使用中")
    expect(page.get_by_test_id("tasks")).to_contain_text("待接收")
    sign_out(page)

    # The patrol team accepts its task, reports from the hillside and finishes it.
    sign_in(page, "patrol", PASSWORD)
    open_page(page, f"/emergency/{incident.pk}/")
    patrol_task = incident.tasks.get(unit__code="450324106-patrol")
    expect(page.get_by_test_id(f"task-done-{incident.tasks.get(unit__code='450324106-police').pk}")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_test_id(f"task-accept-{patrol_task.pk}").click()
    form = page.get_by_test_id(f"task-progress-{patrol_task.pk}")
    form.get_by_label("进展情况").fill("在半山腰发现脚印和药篓，继续向山顶搜寻")
    submit(page, form)
    expect(page.get_by_test_id("timeline")).to_contain_text("发现脚印和药篓")
    form = page.get_by_test_id(f"task-done-{patrol_task.pk}")
    form.get_by_label("完成情况").fill("在山顶护林棚找到唐阿公，体力不支，已背下山")
    submit(page, form)
    sign_out(page)

    # The police station finishes its task; the 快警站 marks him found.
    sign_in(page, "police", PASSWORD)
    open_page(page, f"/emergency/{incident.pk}/")
    police_task = incident.tasks.get(unit__code="450324106-police")
    form = page.get_by_test_id(f"task-done-{police_task.pk}")
    form.get_by_label("完成情况").fill("监控显示其 14 时独自上山")
    submit(page, form)
    open_page(page, f"/station/missing/{person.pk}/")
    form = page.get_by_test_id("found-form")
    form.get_by_label("情况说明").fill("已交还家属，送卫生院检查")
    submit(page, form)
    expect(page.get_by_test_id("missing-state")).to_have_text("已找到")
    sign_out(page)

    # The duty officer stands down: the form asks the summary before it closes anything.
    sign_in(page, "emergency", PASSWORD)
    open_page(page, "/emergency/")
    expect(page.get_by_test_id("incidents")).to_contain_text(TITLE)
    open_page(page, f"/emergency/{incident.pk}/")
    expect(page.get_by_test_id("tasks")).not_to_contain_text("待接收")
    submit(page, page.get_by_test_id("stand-down-form"))
    expect(page.get_by_test_id("stand-down-form")).to_contain_text("此项为必填项。")
    form = page.get_by_test_id("stand-down-form")
    form.get_by_label("处置总结（终止响应的理由、经验教训）").fill(
        "走失 5 小时内找到，派出所、巡逻队联动有效；后山需增设警示牌。"
    )
    submit(page, form)
    expect(page.get_by_test_id("incident-state")).to_have_text("已终止")
    with page.expect_download() as download:
        page.get_by_test_id("report-docx").click()
    assert download.value.suggested_filename == f"{incident.code}.docx"
    with page.expect_download() as download:
        page.get_by_test_id("report-pdf").click()
    assert download.value.suggested_filename == f"{incident.code}.pdf"
    incident.refresh_from_db()
    assert incident.state == "closed" and not incident.allocations.filter(released_at__isnull=True).exists()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_station_returns_a_wallet_only_with_the_id_checked(page, persona, size):
    persona("kuaijing")
    page.set_viewport_size(size)
    sign_in(page, "kuaijing", PASSWORD)
    open_page(page, "/station/")
    with page.expect_navigation():
        page.get_by_test_id("help-form").get_by_role("button", name="问路指路").click()
    expect(page.get_by_test_id("day-services")).to_have_text("1")
    at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    for kind, description in (("lost", "黑色皮钱包，内有身份证"), ("found", "黑色钱包一个")):
        open_page(page, "/station/")
        form = page.get_by_test_id("item-form")
        form.get_by_label("登记类别").select_option(kind)
        form.get_by_label("物品描述").fill(description)
        form.get_by_label("地点").fill("毛泽东广场")
        form.get_by_label("丢失/拾得时间").fill(at)
        submit(page, form)
    expect(page.get_by_test_id("matches")).to_contain_text("黑色皮钱包，内有身份证")
    form = page.get_by_test_id("return-form")
    form.get_by_label("领取人姓名").fill("唐某")
    submit(page, form)
    expect(page.get_by_test_id("return-form")).to_contain_text("发还前须核验领取人身份证件。")
    form = page.get_by_test_id("return-form")
    form.get_by_label("已核验领取人身份证件").check()
    submit(page, form)
    expect(page.get_by_test_id("item-state")).to_have_text("已发还")
    open_page(page, "/station/")
    expect(page.get_by_test_id("day-returned")).to_have_text("1")
