"""The phone app offline at 390×844: a report written with no network is kept (draft, then the
outbox) across a reload, sent once the phone is back online, and becomes exactly one case; the
same item sent again is still one case; a visit written offline lands in the resident file.

The shared browser is a persistent context: this test turns it offline and back, and removes its
service worker and storage at the end so that no other test runs under them."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import sign_in
from yimen.cases.models import Case
from yimen.fieldwork.models import Report
from yimen.people.models import Household, ResidentNote
from yimen.people.tests.samples import make_resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
SAME_AGAIN = """async (item) => {
  const token = (await (await fetch('/m/token/')).json()).csrf;
  const r = await fetch(item.url, {method: 'POST', headers: {'Content-Type': 'application/json',
    'Idempotency-Key': item.key, 'X-CSRFToken': token}, body: JSON.stringify(item.body)});
  return [r.status, (await r.json()).id];
}"""
OUTBOX = "() => new Dexie('yimen-m').open().then(db => db.table('outbox').toArray())"


@pytest.fixture
def phone(page, browser):
    page.set_viewport_size(PHONE)
    yield page
    browser.set_offline(False)  # the page fixture then forgets the service worker and outbox


def controlled(page) -> None:
    """Wait until the service worker controls the page (polled: the CSP forbids wait_for_function's eval)."""
    for _ in range(100):
        if page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
            return
        page.wait_for_timeout(200)
    raise AssertionError("the service worker never took control of /m/")


def test_offline_report_and_visit(phone, browser, persona):
    worker = persona("gridworker")
    chief = persona("gridchief")
    resident = make_resident(chief, "王大伯", seq=11)
    household = Household.objects.get(pk=resident.household_id)
    page = phone
    sign_in(page, "gridworker", PASSWORD)
    page.goto(f"{page.base}/m/")
    controlled(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(f"{page.base}/m/households/{household.pk}/")  # visited online: kept for offline use
    page.wait_for_load_state("networkidle")

    browser.set_offline(True)
    page.goto(f"{page.base}/m/report/")
    expect(page.locator("#net-status")).to_have_text("离线")
    page.get_by_label("标题").fill("村口山塘无护栏")
    page.get_by_label("情况描述").fill("暑期儿童常在塘边玩耍")
    page.wait_for_timeout(600)  # the draft is saved a moment after typing stops
    page.reload()
    expect(page.get_by_label("标题")).to_have_value("村口山塘无护栏")  # nothing typed is lost
    page.get_by_role("button", name="提交上报").click()
    expect(page.get_by_text("请获取手机定位，或选择所在网格。")).to_be_visible()  # no fix, no grid: asked for it
    page.get_by_label("所在网格（无定位时必选）").select_option("45032410620001")
    page.get_by_role("button", name="提交上报").click()
    expect(page.get_by_test_id("outbox-count")).to_have_text("1")
    page.reload()
    expect(page.get_by_test_id("outbox-count")).to_have_text("1")
    item = page.evaluate(OUTBOX)[0]
    assert Case.objects.count() == 0

    browser.set_offline(False)
    expect(page.locator("#outbox")).to_be_hidden(timeout=20_000)
    expect(page.locator("#flash")).to_contain_text("已登记为案件")
    report = Report.objects.get()
    assert Case.objects.count() == 1 and report.case.channel == "grid"
    assert page.evaluate(SAME_AGAIN, item) == [200, report.pk]  # the same sync again: the first answer
    assert Case.objects.count() == 1

    browser.set_offline(True)
    page.goto(f"{page.base}/m/households/{household.pk}/")
    page.get_by_label("情况记录").fill("入户走访，老人身体尚好，屋后排水沟堵塞。")
    page.get_by_label("后续事项（可选）").fill("督促疏通排水沟")
    page.get_by_role("button", name="保存走访").click()
    expect(page.get_by_test_id("outbox-count")).to_have_text("1")
    browser.set_offline(False)
    expect(page.locator("#outbox")).to_be_hidden(timeout=20_000)
    note = ResidentNote.objects.get()
    assert (note.kind, note.household_id, note.author_id) == ("visit", household.pk, worker.user_id)
    assert "排水沟" in note.text and note.visit.follow_up == "督促疏通排水沟"
    # Offline, the browser logs each request it could not make; nothing else may go wrong.
    assert [e for e in page.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []
