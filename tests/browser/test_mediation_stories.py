"""The seed stories of mediation in a real browser: the uncle–nephew boundary fight settled by
joint mediation at the centre (a session, the agreement and its PDF, court confirmation applied
for), and the divorce and domestic-violence consultation, where the woman refuses to mediate and
is guided to a protection order (72 h, 24 h if urgent). Both run at 1366 px and on a 390 px
phone, where the panel must not scroll sideways (issue 21)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import opened, sign_in
from tests.browser.test_case_flow import DESKTOP, PHONE
from yimen.cases import services
from yimen.geo.models import Region
from yimen.mediation.models import Mediation, Mediator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JUDICIAL = "450324106-judicial"
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])


def at_judicial(persona, *, kind: str, title: str, parties: list[dict]):
    """A matter the centre registered yesterday and dispatched to the judicial office, signed."""
    seats = {role: persona(role) for role in ("clerk", "dispatcher", "judicial", "court")}
    case = services.case_register(
        actor=seats["clerk"],
        kind=kind,
        title=title,
        channel="visit",
        region="45032410620001",
        received_at=timezone.now() - timedelta(days=1),
        parties=parties,
    ).case
    case = services.case_accept(case=case, actor=seats["clerk"], version=case.version)
    case = services.case_dispatch(case=case, actor=seats["dispatcher"], version=case.version, lead_unit=JUDICIAL)
    return services.case_sign(case=case, actor=seats["judicial"], version=case.version)


def step(page, name: str, fill) -> None:
    """Open a mediation step on the case page, fill it and confirm (htmx answers with a reload)."""
    page.locator(f"button[data-step='{name}']").click()
    opened(page, f"#mstep-{name}")
    form = page.get_by_test_id(f"mstep-{name}")
    fill(form)
    with page.expect_navigation():
        form.locator("button", has_text="确认").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], name


@SIZES
def test_uncle_and_nephew_joint_mediation(page, persona, size):
    town = Region.objects.get(code="450324106")
    for name, kind in (("唐桂芳", "people"), ("蒋建军", "police"), ("王明华", "judge")):
        Mediator.objects.create(name=name, kind=kind, region=town, region_path=town.path)
    case = at_judicial(
        persona,
        kind="dispute",
        title="唐德明与侄子唐志强田土边界纠纷",
        parties=[{"name": "唐德明", "role": "applicant"}, {"name": "唐志强", "role": "respondent"}],
    )
    page.set_viewport_size(size)
    sign_in(page, "judicial", PASSWORD)
    page.goto(f"{page.base}/cases/{case.code}/")
    expect(page.get_by_test_id("mediation-panel")).to_contain_text("尚未开始调解")

    def session(form):
        form.locator("#m-session-place").fill("综治中心调解室")
        for i in range(3):
            form.locator(f"#m-session-mediators_{i}").check()
        form.locator("#m-session-attendees").fill("唐德明、唐志强")
        form.locator("#m-session-minutes").fill("实地踏勘，确认界址，唐志强道歉，双方达成协议。")
        form.get_by_label("达成协议", exact=True).check()

    step(page, "session", session)
    panel = page.get_by_test_id("mediation-panel")
    expect(panel).to_contain_text("三调联动")
    expect(page.get_by_test_id("mediation-sessions")).to_contain_text("达成协议")

    def agreement(form):
        form.locator("#m-agreement-facts").fill("叔侄因责任田界桩移位发生争执并扭打。")
        form.locator("#m-agreement-dispute_points").fill("界址位置；医药费负担。")
        form.locator("#m-agreement-responsibilities").fill("唐志强先动手，负主要责任。")
        form.locator("#m-agreement-terms").fill("按承包合同附图共同埋设界桩；唐志强赔偿医药费 800 元并道歉。")
        form.locator("#m-agreement-performance_manner").fill("现金当面支付")
        form.locator("#m-agreement-performance_due").fill(str(timezone.localdate() + timedelta(days=7)))
        form.locator("#m-agreement-seek_confirmation_1").check()

    step(page, "agreement", agreement)
    expect(page.get_by_test_id("mediation-result")).to_have_text("达成协议")
    href = page.get_by_test_id("agreement-pdf").get_attribute("href")
    pdf = page.request.get(f"{page.base}{href}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    expect(page.get_by_test_id("timeline")).to_contain_text("登记调解协议")

    step(page, "apply", lambda form: None)  # the application date defaults to today
    expect(page.get_by_test_id("confirmation")).to_contain_text("已申请")
    assert Mediation.objects.get(case=case).agreement.confirmation.state == "applied"
    assert page.errors == []


@SIZES
def test_divorce_and_domestic_violence_consultation(page, persona, size):
    case = at_judicial(
        persona,
        kind="legal_service",
        title="蒋秀兰咨询离婚及家庭暴力问题",
        parties=[{"name": "蒋秀兰", "role": "applicant"}],
    )
    page.set_viewport_size(size)
    sign_in(page, "judicial", PASSWORD)
    page.goto(f"{page.base}/cases/{case.code}/")

    def refuse(form):
        form.locator("#m-consent-party").select_option(label="蒋秀兰（申请人）")
        form.get_by_label("不同意", exact=True).check()
        form.locator("#m-consent-note").fill("不愿与施暴的丈夫调解，要求离婚")

    step(page, "consent", refuse)
    expect(page.get_by_test_id("mediation-consents")).to_contain_text("不同意调解")

    def end(form):
        form.get_by_label("当事人不同意调解").check()
        form.locator("#m-end-next_channel").select_option("protection_order")
        form.locator("#m-end-note").fill("告知可向法庭申请人身安全保护令，协助准备证据，转介法律援助；妇联跟进回访。")

    step(page, "end", end)
    expect(page.get_by_test_id("mediation-result")).to_have_text("当事人不同意调解")
    expect(page.get_by_test_id("protection-order")).to_contain_text("72 小时")
    expect(page.get_by_test_id("protection-order")).to_contain_text("24 小时")
    expect(page.get_by_test_id("timeline")).to_contain_text("终止调解")
    assert page.errors == []


def test_a_refused_step_redraws_the_panel_without_console_errors(page, persona):
    """A session sent with nothing filled comes back as the panel with its field errors, swapped
    in by htmx over the open step. Bootstrap leaves a style attribute on the panel it opened;
    htmx must not copy it onto the new panel, which the CSP (no inline styles) refuses with a
    console error for every element (issue 21 item 11)."""
    case = at_judicial(
        persona,
        kind="dispute",
        title="蒋家兄弟宅基地纠纷",
        parties=[{"name": "蒋大明", "role": "applicant"}, {"name": "蒋小明", "role": "respondent"}],
    )
    sign_in(page, "judicial", PASSWORD)
    page.goto(f"{page.base}/cases/{case.code}/")
    page.locator("button[data-step='session']").click()
    opened(page, "#mstep-session")
    page.get_by_test_id("mstep-session").locator("button", has_text="确认").click()
    expect(page.get_by_test_id("mediation-panel").locator(".invalid-feedback").first).to_be_visible()
    page.locator("#font-toggle").click()
    assert page.errors == []
