"""The legal-aid story in a real browser (issue 18): a woman asks 才湾村's legal adviser about
divorce and domestic violence — the adviser signs for the consultation and answers it; her
legal-aid application, as a victim of domestic violence, reaches the judicial office, which
sees the protection-order route, is refused a decision without a means check or an exemption,
grants aid on the art. 32 exemption with its 决定书, and assigns a lawyer. At 1366 and 390 px."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import sign_in
from tests.browser.test_case_flow import DESKTOP, PHONE, fits_phone, sign_out, take
from yimen.cases import services
from yimen.geo.models import Region
from yimen.legal.models import Adviser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JUDICIAL = "450324106-judicial"


def sent_to_the_judicial_office(seats, **fields):
    values = {"channel": "visit", "region": "45032410620001", "parties": [{"name": "蒋秀兰", "role": "applicant"}]}
    case = services.case_register(actor=seats["clerk"], **{**values, **fields}).case
    case = services.case_accept(case=case, actor=seats["clerk"], version=case.version)
    return services.case_dispatch(case=case, actor=seats["dispatcher"], version=case.version, lead_unit=JUDICIAL)


def visit(page, path: str, size: dict) -> None:
    """Open a page; on the phone, also check that nothing scrolls sideways."""
    if size == PHONE:
        fits_phone(page, path)
    else:
        page.goto(f"{page.base}{path}")
        page.wait_for_load_state("networkidle")


def step(page, name: str):
    panel = page.get_by_test_id(f"aid-step-{name}")
    panel.locator("summary").click()
    return panel


def submit(page, panel, name: str) -> None:
    with page.expect_navigation():
        panel.get_by_test_id(f"aid-submit-{name}").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_consultation_then_legal_aid_granted_and_assigned(page, persona, size):
    seats = {role: persona(role) for role in ("clerk", "dispatcher", "judicial", "adviser")}
    adviser = Adviser.objects.create(
        name="韦志坚", firm="广西桂全律师事务所", duty="每周二上午", member=seats["adviser"]
    )
    adviser.villages.add(Region.objects.get(code="450324106200"))
    consultation = sent_to_the_judicial_office(
        seats, kind="legal_service", category="legal_service.family", title="蒋秀兰咨询离婚及家庭暴力问题"
    )
    page.set_viewport_size(size)

    sign_in(page, "adviser", PASSWORD)
    visit(page, "/legal/advisers/", size)
    expect(page.get_by_test_id("advisers")).to_contain_text("才湾村")
    take(page, consultation.code, "sign")
    expect(page.get_by_test_id("protection-order-panel")).to_contain_text("72 小时")
    take(
        page,
        consultation.code,
        "reply",
        lambda form: form.get_by_label("答复内容").fill(
            "已解答起诉离婚的条件；告知可申请人身安全保护令，并转介法律援助。"
        ),
    )
    sign_out(page)

    aid = sent_to_the_judicial_office(
        seats, kind="legal_aid", category="legal_aid.violence", title="蒋秀兰申请法律援助（家暴受害人离婚诉讼）"
    )
    sign_in(page, "judicial", PASSWORD)
    take(page, aid.code, "sign")
    expect(page.get_by_test_id("protection-order-panel")).to_contain_text("24 小时")
    visit(page, f"/cases/{aid.code}/", size)

    panel = step(page, "decision")
    panel.get_by_label("给予法律援助").check()
    panel.get_by_label("决定理由").fill("家庭暴力受害人起诉离婚。")
    submit(page, panel, "decision")
    expect(page.get_by_test_id("aid-means-missing")).to_contain_text("未做经济困难状况核查")
    page.goto(f"{page.base}/cases/{aid.code}/")

    panel = step(page, "decision")
    panel.get_by_label("给予法律援助").check()
    panel.locator("select").select_option("art32_abuse")
    panel.get_by_label("决定理由").fill("申请人系家庭暴力受害人，依法不受经济困难条件的限制。")
    submit(page, panel, "decision")
    expect(page.get_by_test_id("aid-decision")).to_have_text("已决定给予")
    expect(page.get_by_test_id("aid-exemption")).to_contain_text("家庭暴力的受害人")
    expect(page.get_by_test_id("aid-decision-pdf")).to_be_visible()

    panel = step(page, "assign")
    panel.get_by_label("法律援助人员（姓名、执业机构）").fill("莫志远（广西桂全律师事务所）")
    submit(page, panel, "assign")
    expect(page.get_by_test_id("aid-lawyer")).to_contain_text("莫志远")
    expect(page.get_by_test_id("timeline")).to_contain_text("指派法律援助人员")
    visit(page, f"/cases/{aid.code}/", size)
