"""The police officer's morning (issue 21 items 2 and 3) at 1366 and 390 px: the 24-hour
domestic-violence case heads the 待签收 queue above a routine dispute that came in first; a click on
a column header sorts by it and a second click reverses; on the phone, where the table becomes
cards, the sort bar does the same; the dispatcher's search by a party's name says where it found
it. No console error, no sideways scroll."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import sign_in
from yimen.cases.tests.conftest import JUDICIAL, POLICE, act, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def dispatched(seats, **fields):
    case = act("accept", register(seats["clerk"], **fields), seats["clerk"])
    return act("dispatch", case, seats["dispatcher"], lead_unit=POLICE, support_units=[JUDICIAL])


def first_code(page) -> str:
    return page.locator("[data-testid=case-rows] tbody tr").first.get_attribute("data-code")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_urgent_first_and_every_column_sorts(page, persona, size):
    seats = {name: persona(name) for name in ("clerk", "dispatcher", "police", "judicial")}
    routine = dispatched(seats, category="dispute.neighbour.noise", title="邻里噪音纠纷")
    violence = dispatched(
        seats,
        category="dispute.family.violence",
        title="家庭矛盾求助",
        parties=[{"name": "蒋小梅", "role": "applicant", "phone": "13907730001"}],
    )
    page.set_viewport_size(size)
    sign_in(page, "police", PASSWORD)
    page.goto(f"{page.base}/cases/?tab=pending")
    assert first_code(page) == violence.code  # due in 24 hours, though it came in second
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]

    sorts = page.locator("th .sort-link" if size is DESKTOP else ".sort-bar .sort-link")
    sorts.filter(has_text="标题").click()
    expect(page).to_have_url(f"{page.base}/cases/?tab=pending&sort=title")
    assert first_code(page) == violence.code  # 家 before 邻
    sorts.filter(has_text="标题").click()
    expect(page).to_have_url(f"{page.base}/cases/?tab=pending&sort=-title")
    assert first_code(page) == routine.code
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]

    page.get_by_role("button", name="退出").click()
    sign_in(page, "dispatcher", PASSWORD)
    page.goto(f"{page.base}/cases/?tab=all")
    page.get_by_label("关键词").fill("蒋小梅")
    row = page.locator(f"tr[data-code='{violence.code}']")
    expect(row.get_by_test_id("match-place")).to_have_text("匹配：当事人 蒋小梅")
    expect(page.locator("[data-testid=case-rows] tbody tr")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]


def test_a_whole_list_sorts_in_the_page(page, persona):
    """A list that shows all its rows (the units of the 1+6+N) sorts where it stands."""
    for name in ("dispatcher", "police", "judicial", "court"):
        persona(name)
    sign_in(page, "dispatcher", PASSWORD)
    page.goto(f"{page.base}/units/")
    names = page.locator("table[data-sortable] tbody tr td:first-child")
    shown = names.all_text_contents()
    assert len(shown) >= 3
    header = page.locator("table[data-sortable] th").first
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    ascending = names.all_text_contents()
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert names.all_text_contents() == list(reversed(ascending)) and sorted(ascending) == sorted(shown)
